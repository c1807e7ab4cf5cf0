from django import template
from django.utils import timezone

from readiness.reporting import plan_report

register = template.Library()


@register.inclusion_tag("readiness/includes/plan_section.html", takes_context=True)
def self_evaluation_plan_section(context, council):
    """The dashboard's section on the self-evaluation plan: one query."""
    return {
        "council": council,
        "access": context.get("access"),
        "report": plan_report(council, timezone.localdate()),
    }


@register.inclusion_tag("readiness/includes/plan_pack.html")
def self_evaluation_plan_pack(council, today):
    """The scrutiny pack's section on the self-evaluation plan, in the pack's plain markup: one
    query."""
    return {"council": council, "today": today, "report": plan_report(council, today)}
