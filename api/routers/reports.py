"""Indicator trends, their charts and the meeting packet: HTTP over the report services."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from api.cache import AnalysesDep
from api.deps import ReadWs
from api.problems import HTTPProblem
from api.schemas import AsOf, problems
from constellation.analysis.indicators import IndicatorReport, IndicatorTrend
from constellation.report import MEDIA_TYPES, ReportFormat
from constellation.report.pdf import PdfUnavailable
from constellation.services.indicators import indicator_chart, indicator_report, one_indicator
from constellation.services.report import map_picture, packet_document

router = APIRouter(
    prefix="/api/workspaces/{workspace}", tags=["reports"], responses=problems(401, 404, 413, 422)
)

Window = Annotated[
    int, Query(ge=2, le=50, description="Fit the forecast on this many latest values.")
]
IndicatorId = Annotated[str, Path(max_length=500, description="Id or exact label.")]


@router.get(
    "/indicators",
    response_model=IndicatorReport,
    summary="Every indicator's trend (the same JSON as `constellation indicators -f json`)",
)
def indicators(
    cache: AnalysesDep,
    goal: Annotated[str | None, Query(max_length=500, description="Id or exact label.")] = None,
    as_of: AsOf = None,
    window: Window = 3,
) -> IndicatorReport:
    return indicator_report(cache, as_of, goal=goal, params={"forecast_window": window})


@router.get(
    "/indicators/{indicator}",
    response_model=IndicatorTrend,
    summary="One indicator's trend: the entry `GET …/indicators` lists for it",
)
def indicator(
    cache: AnalysesDep, indicator: IndicatorId, as_of: AsOf = None, window: Window = 3
) -> IndicatorTrend:
    return one_indicator(cache, indicator, as_of, params={"forecast_window": window})


@router.get(
    "/indicators/{indicator}/chart.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
    summary="One indicator's turn-the-curve chart as SVG: history, groups, baseline, "
    "forecast, target",
)
def indicator_chart_svg(
    cache: AnalysesDep, indicator: IndicatorId, as_of: AsOf = None, window: Window = 3
) -> Response:
    svg = indicator_chart(cache, indicator, as_of, params={"forecast_window": window})
    return Response(svg, media_type="image/svg+xml")


@router.get(
    "/report",
    response_class=Response,
    responses={
        200: {"content": {"text/html": {}, "application/pdf": {}}},
        501: {"description": "PDF asked for where WeasyPrint cannot run"},
    },
    summary="The meeting packet (the same document as `constellation report`)",
    description="Health and its trend, findings by severity, who convenes what, the map, "
    "the indicator curves by goal, funding and the changes since `since` (default 90 days "
    "before `as_of`). HTML is one self-contained page that prints a section per page; "
    "`format=pdf` needs WeasyPrint and its system libraries on the server.",
)
def report(
    workspace: ReadWs,
    cache: AnalysesDep,
    as_of: AsOf = None,
    since: Annotated[
        dt.date | None, Query(description="Changes since this date (default 90 days before).")
    ] = None,
    format: Annotated[ReportFormat, Query(description="html or pdf.")] = ReportFormat.html,
) -> Response:
    day = as_of or dt.date.today()
    try:
        document = packet_document(cache, day, since, format=format)
    except PdfUnavailable as exc:
        text = str(exc)
        raise HTTPProblem(501, text[0].upper() + text[1:] + ".", title="PDF unavailable") from None
    headers = {}
    if format == ReportFormat.pdf:
        headers["Content-Disposition"] = f'inline; filename="{workspace}-packet-{day}.pdf"'
    return Response(document, media_type=MEDIA_TYPES[format], headers=headers)


@router.get(
    "/map.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
    summary="The map as of a date as a static SVG picture (the one in the meeting packet)",
)
def map_svg(cache: AnalysesDep, as_of: AsOf = None) -> Response:
    return Response(map_picture(cache, as_of), media_type="image/svg+xml")
