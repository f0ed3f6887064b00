"""The meeting packet: one document for a stewardship meeting, and the charts it holds.

Kept light: the CLI imports this module to parse its options; the work is in `packet`,
`charts` and `pdf`.
"""

from enum import StrEnum

__all__ = ["ReportFormat", "MEDIA_TYPES"]


class ReportFormat(StrEnum):
    html = "html"
    pdf = "pdf"


MEDIA_TYPES = {ReportFormat.html: "text/html; charset=utf-8", ReportFormat.pdf: "application/pdf"}
