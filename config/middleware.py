"""Middleware of our own."""

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
