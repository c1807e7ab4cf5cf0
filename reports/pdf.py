"""PDF documents: one function per document returns bytes; views and tasks both call it."""

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher


class OfflineFetcher(URLFetcher):
    """Serve files from the static directories and data: URLs; refuse everything else.

    Rendering must never reach the network: a pack may be built on a server with no way out,
    and a stray link in user text must not make the server fetch it.
    """

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"})
        self.refused: list[str] = []
        self.roots = [Path(p).resolve() for p in settings.STATICFILES_DIRS]

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme
        if scheme == "file":
            path = Path(unquote(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                self.refused.append(url)
                raise ValueError(f"Not a static file: {url}")
        elif scheme != "data":
            self.refused.append(url)
            raise ValueError(f"Network access is not allowed while rendering: {url}")
        return super().fetch(url, headers)


PDF_VARIANT = "pdf/ua-1"


def render_document(html: str) -> Document:
    """Lay our own HTML out in pages, tagged for PDF/UA-1, without network access."""
    base = Path(settings.STATICFILES_DIRS[0]).resolve()
    document = HTML(string=html, base_url=f"{base.as_uri()}/", url_fetcher=OfflineFetcher())
    return document.render(pdf_variant=PDF_VARIANT)


def html_to_pdf(html: str, *, progress: Callable[[int], None] | None = None) -> bytes:
    """Render tagged PDF/UA-1 from our own HTML, with fonts embedded and no network access."""
    document = render_document(html)
    # Laying out the pages is most of the work; writing the PDF is the rest.
    if progress:
        progress(80)
    return document.write_pdf(pdf_variant=PDF_VARIANT)
