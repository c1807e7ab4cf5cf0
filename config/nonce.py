"""The Content-Security-Policy nonce (django-csp) in templates, as ``csp_nonce``.

django-csp names it CSP_NONCE; django-htmx's ``{% htmx_script %}`` and Django's own CSP support
read ``csp_nonce``. The nonce is lazy: it is made, and named in the header, only if a template
uses it.
"""

from django.http import HttpRequest


def csp_nonce(request: HttpRequest) -> dict:
    """Context processor: ``csp_nonce`` for the inline scripts of the page."""
    return {"csp_nonce": getattr(request, "csp_nonce", "")}
