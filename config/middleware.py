"""Middleware of our own."""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers


def private_pages(get_response):
    """A response drawn from someone's session is kept by no browser or proxy cache.

    Council officers share computers: Back after signing out must not show a council's
    figures, and Back after saving an update must not show the figures from before it.
    Responses that read no session (health checks, static files) are left as they are; the
    session middleware adds Vary: Cookie to the others.
    """

    def middleware(request):
        response = get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response

    return middleware


def friendly_method_not_allowed(get_response):
    """An address that only takes a form's POST, opened in the browser, gets a page that says
    so, instead of the browser's bare "HTTP ERROR 405".

    After a refused form the address bar shows such an address (a refused bulk assignment or
    pack cover is shown from its POST); a bookmark, a reload or a new tab then asks for it
    with GET. The status stays 405 with its Allow header; htmx and other requests that are
    not a page view keep Django's empty answer.
    """

    def middleware(request):
        response = get_response(request)
        if (
            response.status_code == 405
            and request.method in ("GET", "HEAD")
            and not response.content
            and not request.headers.get("HX-Request")
        ):
            page = render(request, "405.html", status=405)
            page["Allow"] = response.get("Allow", "")
            return page
        return response

    return middleware
