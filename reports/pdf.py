"""PDF documents: one function per document returns bytes; views and tasks both call it."""

import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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

# Laying out a pack builds a tree of hundreds of thousands of boxes that live until the PDF is
# written. Python's collector would scan the whole heap again and again as that tree grows; one
# full collection for every hundred young ones, rather than every ten, made packs of 200 and 800
# actions 9% and 13% faster, for 37 MB and 3 MB more at the peak (bench/pdf_pack.py). Thresholds
# are per process, so renders in several threads share one change, undone when the last ends.
FULL_COLLECTION_EVERY = 100
_collector_lock = threading.Lock()
_collector_users = 0
_collector_thresholds: tuple[int, ...] = ()


@contextmanager
def fewer_full_collections() -> Iterator[None]:
    global _collector_users, _collector_thresholds
    with _collector_lock:
        if _collector_users == 0:
            _collector_thresholds = gc.get_threshold()
            young, middle, _ = _collector_thresholds
            gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
        _collector_users += 1
    try:
        yield
    finally:
        with _collector_lock:
            _collector_users -= 1
            if _collector_users == 0:
                gc.set_threshold(*_collector_thresholds)


def render_document(html: str) -> Document:
    """Lay our own HTML out in pages, tagged for PDF/UA-1, without network access."""
    base = Path(settings.STATICFILES_DIRS[0]).resolve()
    document = HTML(string=html, base_url=f"{base.as_uri()}/", url_fetcher=OfflineFetcher())
    return document.render(pdf_variant=PDF_VARIANT)


def html_to_pdf(html: str, *, progress: Callable[[int], None] | None = None) -> bytes:
    """Render tagged PDF/UA-1 from our own HTML, with fonts embedded and no network access."""
    with fewer_full_collections():
        document = render_document(html)
        # Laying out the pages is most of the work; writing the PDF is the rest.
        if progress:
            progress(80)
        return document.write_pdf(pdf_variant=PDF_VARIANT)
