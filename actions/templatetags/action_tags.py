from django import template

from actions.models import RAG_MEANINGS, Rag, Status
from inspections.cycles import live_inspection

from ..carry import awaiting_decision

register = template.Library()

# Colour only reinforces the words: every tag carries its status or RAG as text.
STATUS_COLOURS = {
    Status.NOT_STARTED: "govuk-tag--grey",
    Status.IN_PROGRESS: "govuk-tag--purple",
    Status.BLOCKED: "govuk-tag--pink",
    Status.COMPLETE: "govuk-tag--teal",
}
# The plain GOV.UK tag is blue.
RAG_COLOURS = {
    Rag.RED: "govuk-tag--red",
    Rag.AMBER: "govuk-tag--orange",
    Rag.GREEN: "govuk-tag--green",
    Rag.BLUE: "",
}


@register.inclusion_tag("actions/includes/tag.html")
def status_tag(status: str):
    return {"label": Status(status).label, "colour": STATUS_COLOURS[Status(status)], "hint": ""}


@register.inclusion_tag("actions/includes/tag.html")
def rag_tag(rag: str):
    rag = Rag(rag)
    return {"label": rag.label, "colour": RAG_COLOURS[rag], "hint": RAG_MEANINGS[rag]}


@register.inclusion_tag("actions/includes/awaiting_decision.html", takes_context=True)
def awaiting_decision_banner(context, inspection):
    """The notice, on the live inspection's page and the council page, that open actions of the
    plans it superseded wait to be carried into its plan or closed (actions/carry.py)."""
    count = 0
    if (
        inspection is not None
        and inspection.is_graded
        and live_inspection(inspection.council) == inspection
    ):
        count = awaiting_decision(inspection).count()
    return {
        "awaiting_decision": count,
        "inspection": inspection,
        "council": context["council"],
        "access": context["access"],
    }
