"""Seed the cycle's rules: each framework's monitoring rule, the SIF overlap into 2018, and the
statutory steps after a report (docs/domain.md, "Judgement sets by framework", "Monitoring after
April 2026" and "After an inspection: the statutory steps")."""

from datetime import date

from django.db import migrations

MONITORING_RULES = {
    "sif": "overall_inadequate",
    "ilacs-2018": "overall_inadequate",
    "ilacs-2023": "overall_inadequate",
    "ilacs-2026": "any_inadequate",
}

# SIF re-inspections carried on beside ILACS in 2018 (Lancashire, fieldwork June to July 2018).
SIF_LAST_STARTS_ON = date(2018, 12, 31)

ACTION_PLAN_BEFORE = "Written statement of action (action plan) sent to Ofsted"
ACTION_PLAN = "Written statement of action published and sent to Ofsted and the Secretary of State"
ACTION_PLAN_DESCRIPTION = (
    "The statement of the action the council proposes to take, and the period in which it will "
    "take it, published with the report (Education and Inspections Act 2006, section 137)."
)
PUBLICATION = "Publish the report"
PUBLICATION_DESCRIPTION = (
    "Send copies to the council's relevant partners, at least one local newspaper and one local "
    "radio station; make it available at the council's offices and supply copies on request "
    "(SI 2007/462, regulation 2)."
)


def seed(apps, schema_editor):
    seed_frameworks(apps, schema_editor)
    seed_rules(apps, schema_editor)


def seed_frameworks(apps, schema_editor):
    Framework = apps.get_model("inspections", "Framework")
    for code, rule in MONITORING_RULES.items():
        Framework.objects.filter(code=code).update(monitoring_rule=rule)
    Framework.objects.filter(code="sif").update(last_starts_on=SIF_LAST_STARTS_ON)
    # Its re-inspections ran into 2018 (Lancashire: fieldwork June and July 2018).
    Framework.objects.filter(code="sif", name="Single inspection framework (2013 to 2017)").update(
        name="Single inspection framework (2013 to 2018)"
    )


def seed_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("inspections", "DeadlineRule")
    DeadlineRule.objects.update_or_create(
        trigger="graded",
        key="report_publication",
        defaults={
            "name": PUBLICATION,
            "description": PUBLICATION_DESCRIPTION,
            "amount": 30,
            "unit": "working_days",
            "count_from_received": True,
        },
    )
    # An admin may have reworded the rule: only the seeded wording is replaced.
    DeadlineRule.objects.filter(
        trigger="graded", key="action_plan", name=ACTION_PLAN_BEFORE
    ).update(name=ACTION_PLAN)
    DeadlineRule.objects.filter(trigger="graded", key="action_plan", description="").update(
        description=ACTION_PLAN_DESCRIPTION
    )


def unseed(apps, schema_editor):
    Framework = apps.get_model("inspections", "Framework")
    DeadlineRule = apps.get_model("inspections", "DeadlineRule")
    Framework.objects.filter(code="sif").update(last_starts_on=None)
    DeadlineRule.objects.filter(trigger="graded", key="report_publication").delete()
    DeadlineRule.objects.filter(trigger="graded", key="action_plan", name=ACTION_PLAN).update(
        name=ACTION_PLAN_BEFORE
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0006_cycle_rules")]

    operations = [migrations.RunPython(seed, unseed)]
