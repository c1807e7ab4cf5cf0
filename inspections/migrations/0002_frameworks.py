"""Seed the Ofsted frameworks and their judgement areas (docs/domain.md, "Judgement sets by framework")."""

from datetime import date

from django.db import migrations

LEADERS = (
    "leaders",
    "The impact of leaders on social work practice with children and families",
    "Impact of leaders",
    False,
)
HELP = (
    "help_and_protection",
    "The experiences and progress of children who need help and protection",
    "Help and protection",
    True,
)
CIC_CL = (
    "children_in_care_and_care_leavers",
    "The experiences and progress of children in care and care leavers",
    "Children in care and care leavers",
    True,
)
CIC = (
    "children_in_care",
    "The experiences and progress of children in care",
    "Children in care",
    True,
)
CL = ("care_leavers", "The experiences and progress of care leavers", "Care leavers", True)
OVERALL = ("overall_effectiveness", "Overall effectiveness", "Overall effectiveness", False)

FRAMEWORKS = [
    (
        "sif",
        "Single inspection framework (2013 to 2017)",
        "sif",
        date(2013, 11, 1),
        [
            (
                "help_and_protection",
                "Children who need help and protection",
                "Help and protection",
                True,
            ),
            (
                "children_looked_after",
                "Children looked after and achieving permanence",
                "Children looked after",
                True,
            ),
            ("adoption", "Adoption performance", "Adoption performance", True),
            ("care_leavers", "Experiences and progress of care leavers", "Care leavers", True),
            (
                "leaders",
                "Leadership, management and governance",
                "Leadership, management and governance",
                False,
            ),
            OVERALL,
        ],
    ),
    (
        "ilacs-2018",
        "ILACS framework (2018 to 2022)",
        "ilacs",
        date(2018, 1, 1),
        [LEADERS, HELP, CIC_CL, OVERALL],
    ),
    (
        "ilacs-2023",
        "ILACS framework (2023 to March 2026)",
        "ilacs",
        date(2023, 1, 1),
        [LEADERS, HELP, CIC, CL, OVERALL],
    ),
    (
        "ilacs-2026",
        "ILACS framework (from April 2026)",
        "ilacs",
        date(2026, 4, 1),
        [LEADERS, HELP, CIC, CL],
    ),
]


def seed(apps, schema_editor):
    Framework = apps.get_model("inspections", "Framework")
    JudgementArea = apps.get_model("inspections", "JudgementArea")
    for code, name, family, starts_on, areas in FRAMEWORKS:
        framework, _ = Framework.objects.update_or_create(
            code=code, defaults={"name": name, "family": family, "starts_on": starts_on}
        )
        for position, (key, area_name, short_name, practice) in enumerate(areas, start=1):
            JudgementArea.objects.update_or_create(
                framework=framework,
                key=key,
                defaults={
                    "name": area_name,
                    "short_name": short_name,
                    "position": position,
                    "practice": practice,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
