import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0002, so that the update's deferred foreign-key checks have run before the
    # column becomes NOT NULL (PostgreSQL refuses to alter a table with pending trigger events).
    dependencies = [
        ("actions", "0002_carry_over"),
    ]

    operations = [
        # Every existing action is in its recommendation's plan: before cycles, that was the
        # recommendation's own inspection.
        migrations.RunSQL(
            """
        UPDATE actions_action AS a SET plan_id = r.inspection_id
        FROM inspections_recommendation AS r WHERE r.id = a.recommendation_id
        """,
            migrations.RunSQL.noop,
        ),
        migrations.AlterField(
            model_name="action",
            name="plan",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="plan_actions",
                to="inspections.inspection",
                verbose_name="plan",
            ),
        ),
    ]
