"""The packet as PDF, laid out by WeasyPrint from the packet's HTML and print stylesheet.

WeasyPrint is a Python package (a dependency) but needs Pango and HarfBuzz from the
system (Debian: ``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b`` and a font such as
``fonts-dejavu-core``). Without them `html_to_pdf` raises `PdfUnavailable`, which says so.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, NoReturn

from constellation.errors import ConstellationError

__all__ = ["PdfUnavailable", "html_to_pdf", "pdf_available", "require_weasyprint"]

NEEDS = (
    "PDF output needs WeasyPrint (pip install 'weasyprint>=62') and its system libraries "
    "(Debian/Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b "
    "fonts-dejavu-core); use the HTML format, which prints the same"
)


class PdfUnavailable(ConstellationError):
    """PDF was asked for where WeasyPrint cannot run."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(f"{NEEDS} ({reason})")


def require_weasyprint() -> ModuleType:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: a missing Pango or HarfBuzz
        raise PdfUnavailable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    return weasyprint


def pdf_available() -> bool:
    try:
        require_weasyprint()
    except PdfUnavailable:
        return False
    return True


def html_to_pdf(html: str) -> bytes:
    """Lay the page out for print (its ``@media print`` rules) and return the PDF.

    Nothing is fetched: the page is self-contained, and any URL is refused.
    """
    weasyprint = require_weasyprint()

    def refuse(url: str, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError(f"the packet loads nothing; refused {url!r}")

    return weasyprint.HTML(string=html, url_fetcher=refuse, media_type="print").write_pdf()
