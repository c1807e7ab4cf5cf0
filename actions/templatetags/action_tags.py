from django import template

from actions.models import RAG_MEANINGS, Rag, Status

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
