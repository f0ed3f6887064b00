"""The meeting packet of a workspace: `constellation report` and ``GET …/report``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from constellation.analysis.params import AuditParams
from constellation.errors import InvalidQuestion, Problem
from constellation.report import MEDIA_TYPES, ReportFormat
from constellation.services.network import Network

if TYPE_CHECKING:
    from constellation.report.packet import Packet

__all__ = [
    "ReportFormat",
    "meeting_packet",
    "packet_document",
    "packet_dates",
    "map_picture",
    "MEDIA_TYPES",
]


def packet_dates(as_of: dt.date | None, since: dt.date | None) -> tuple[dt.date, dt.date]:
    """The packet's date (default today) and `since` (default 90 days before), checked."""
    from constellation.report.packet import DEFAULT_SINCE_DAYS, TREND_YEARS

    day = as_of or dt.date.today()
    if day.year - TREND_YEARS < 1:
        raise InvalidQuestion(
            [Problem("the date is too early for a health trend; pick a later one", field="as_of")]
        )
    if since is None:
        since = day - dt.timedelta(days=DEFAULT_SINCE_DAYS)
    if since >= day:
        raise InvalidQuestion(
            [
                Problem(
                    f"since ({since}) must be before the packet's date ({day}); "
                    f"leave it out for {DEFAULT_SINCE_DAYS} days before",
                    field="since",
                )
            ]
        )
    return day, since


def meeting_packet(
    net: Network,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    *,
    params: AuditParams | None = None,
) -> Packet:
    """Everything the packet shows (a `constellation.report.packet.Packet`), as of `as_of`
    with the changes since `since`."""
    from constellation.analysis.timeline import yearly_dates
    from constellation.report.packet import TREND_YEARS, build_packet

    day, since = packet_dates(as_of, since)
    name = net.repo.get_workspace(net.workspace, counts=False).name
    return build_packet(
        net.graph(day),
        net.graph(since),
        [net.graph(d) for d in yearly_dates(day, TREND_YEARS)[:-1]],
        name=name,
        params=params,
    )


def packet_document(
    net: Network,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
    *,
    format: ReportFormat | str = ReportFormat.html,
    params: AuditParams | None = None,
) -> bytes:
    """The packet as a document: HTML (one self-contained page) or PDF (WeasyPrint).

    Asking for PDF where WeasyPrint cannot run raises `PdfUnavailable` before any work.
    """
    try:
        fmt = ReportFormat(format)
    except ValueError:
        raise InvalidQuestion(
            [Problem(f"format must be html or pdf, not {format!r}", field="format")]
        ) from None
    if fmt == ReportFormat.pdf:
        from constellation.report.pdf import require_weasyprint

        require_weasyprint()  # fail fast, saying what to install
    day, since = packet_dates(as_of, since)
    key = (params or AuditParams()).model_dump_json()

    def make() -> bytes:
        from constellation.report.packet import render_html

        html = render_html(meeting_packet(net, day, since, params=params))
        if fmt == ReportFormat.html:
            return html.encode("utf-8")
        from constellation.report.pdf import html_to_pdf

        return html_to_pdf(html)

    return net.get("report", day, since, fmt.value, key, make=make)


def map_picture(net: Network, as_of: dt.date | None = None) -> str:
    """The map as of a date as one static ``<svg>`` (the packet's picture, and
    ``GET …/map.svg``): the interactive map's colours, shapes and marks."""
    from constellation.viz.svg import map_svg

    day = as_of or dt.date.today()
    name = net.repo.get_workspace(net.workspace, counts=False).name
    return net.get(
        "map-picture",
        day,
        make=lambda: map_svg(
            net.graph(day), net.audit(day, AuditParams()), title=f"{name} on {day}"
        ),
    )
