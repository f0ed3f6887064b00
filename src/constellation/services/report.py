"""The meeting packet of a workspace: `constellation report` and `GET …/report`."""

from __future__ import annotations

import datetime as dt

from constellation.analysis.indicators import IndicatorParams
from constellation.analysis.params import AuditParams
from constellation.analysis.timeline import yearly_dates
from constellation.errors import InvalidRecords, Problem
from constellation.graph import load_graph
from constellation.report import MEDIA_TYPES, ReportFormat
from constellation.report.packet import (
    DEFAULT_SINCE_DAYS,
    TREND_YEARS,
    Packet,
    build_packet,
    render_html,
)
from constellation.store import Repository

__all__ = ["ReportFormat", "meeting_packet", "packet_document", "MEDIA_TYPES"]


def _dates(as_of: dt.date | None, since: dt.date | None) -> tuple[dt.date, dt.date]:
    day = as_of or dt.date.today()
    if since is None:
        since = day - dt.timedelta(days=DEFAULT_SINCE_DAYS)
    if since >= day:
        raise InvalidRecords(
            [
                Problem(
                    f"since ({since}) must be before the packet's date ({day}); "
                    "leave it out for 90 days before",
                    field="since",
                )
            ]
        )
    if day.year - TREND_YEARS < 1:
        raise InvalidRecords([Problem("the date is too early for a health trend", field="as_of")])
    return day, since


def meeting_packet(
    repo: Repository,
    workspace: str,
    *,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    params: AuditParams | dict | None = None,
    indicator_params: IndicatorParams | dict | None = None,
    graphs=None,
) -> Packet:
    """Everything the packet shows, as of `as_of` (default today) with the changes since
    `since` (default 90 days before). `graphs`, a function of a date returning the
    workspace graph then (the API's cache), saves loading the graphs again."""
    day, since = _dates(as_of, since)
    load = graphs or (lambda d: load_graph(repo, workspace, d))
    name = repo.get_workspace(workspace, counts=False).name
    return build_packet(
        load(day),
        load(since),
        [load(d) for d in yearly_dates(day, TREND_YEARS)[:-1]],
        name=name,
        params=params,
        indicator_params=indicator_params,
    )


def packet_document(
    repo: Repository,
    workspace: str,
    *,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    format: ReportFormat | str = ReportFormat.html,
    params: AuditParams | dict | None = None,
    graphs=None,
) -> bytes:
    """The packet as a document: HTML (one self-contained page) or PDF (WeasyPrint).

    Asking for PDF where WeasyPrint cannot run raises `PdfUnavailable` before any work.
    """
    fmt = ReportFormat(format)
    if fmt == ReportFormat.pdf:
        from constellation.report.pdf import _weasyprint

        _weasyprint()  # fail fast, with what to install
    packet = meeting_packet(repo, workspace, as_of=as_of, since=since, params=params, graphs=graphs)
    html = render_html(packet)
    if fmt == ReportFormat.html:
        return html.encode("utf-8")
    from constellation.report.pdf import html_to_pdf

    return html_to_pdf(html)
