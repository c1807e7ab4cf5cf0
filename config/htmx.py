"""Whether a request wants a fragment of a page, for htmx to swap in, or the whole page."""

from django.http import HttpRequest


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request wants the fragment it targets, except when htmx restores a page from
    history: that request must get the whole page, header and filters included."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def fragment(request: HttpRequest) -> dict:
    """Context processor: `fragment` is true where a template renders for an htmx swap."""
    return {"fragment": wants_fragment(request)}
