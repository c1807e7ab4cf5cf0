"""Seed the deadline rules of docs/domain.md, "Deadlines after a graded inspection"."""

from django.db import migrations

# (trigger, key, name, amount, unit)
RULES = [
    (
        "graded",
        "action_plan",
        "Written statement of action (action plan) sent to Ofsted",
        70,
        "working_days",
    ),
    (
        "inadequate",
        "action_planning_visit",
        "Action planning visit with Ofsted",
        30,
        "working_days",
    ),
    ("inadequate", "action_plan", "Action plan shared with Ofsted", 70, "working_days"),
    # Ofsted fixes the month of the first monitoring visit, not the day.
    ("inadequate", "first_monitoring_visit", "First monitoring visit", 6, "calendar_months"),
    (
        "priority_actions",
        "draft_action_plan",
        "Draft action plan for the priority actions",
        20,
        "working_days",
    ),
    (
        "priority_actions",
        "action_plan",
        "Final action plan for the priority actions",
        70,
        "working_days",
    ),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("inspections", "DeadlineRule")
    for trigger, key, name, amount, unit in RULES:
        DeadlineRule.objects.update_or_create(
            trigger=trigger,
            key=key,
            defaults={"name": name, "amount": amount, "unit": unit, "count_from_received": True},
        )


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("inspections", "DeadlineRule")
    for trigger, key, *_ in RULES:
        DeadlineRule.objects.filter(trigger=trigger, key=key).delete()


class Migration(migrations.Migration):
    dependencies = [("inspections", "0003_deadlines")]

    operations = [migrations.RunPython(seed, unseed)]
