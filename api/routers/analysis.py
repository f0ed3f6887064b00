"""The audit and what is built on it: HTTP over the library's analysis, cached per revision."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from api.cache import AnalysesDep
from api.deps import ReadWs, RepoDep
from api.schemas import ProfileBody, WhatIfBody, problems
from constellation.analysis.audit import CHECKS
from constellation.analysis.conveners import who_convenes_what
from constellation.analysis.findings import AuditReport
from constellation.analysis.funding import FundingReport, funding_opportunities
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.recommend import Recommendation, recommend
from constellation.analysis.timeline import diff_graphs, trend_points, yearly_dates
from constellation.analysis.whatif import Scenario, what_if
from constellation.errors import InvalidRecords, Problem

router = APIRouter(
    prefix="/api/workspaces/{workspace}", tags=["analysis"], responses=problems(401, 404, 413, 422)
)

AsOf = Annotated[dt.date | None, Query(description="The date to look at (default today).")]
Checks = Annotated[
    list[str] | None,
    Query(alias="check", description="Run only these checks (repeat); all by default."),
]


def audit_params(request: Request) -> AuditParams:
    """Any threshold of AuditParams given as a query parameter, e.g. ?max_active_convened=5."""
    return resolve({k: v for k, v in request.query_params.items() if k in AuditParams.model_fields})


Params = Annotated[AuditParams, Depends(audit_params)]


def _checks(checks: list[str] | None) -> list[str] | None:
    unknown = [c for c in checks or [] if c not in CHECKS]
    if unknown:
        raise InvalidRecords(
            [
                Problem(f"unknown check {c!r}; the checks are: " + ", ".join(CHECKS), field="check")
                for c in unknown
            ]
        )
    return checks or None


@router.get(
    "/audit",
    response_model=AuditReport,
    summary="Structural-health audit (the same JSON as `constellation audit -f json`)",
    description="Thresholds: any field of the audit parameters as a query parameter "
    "(see `constellation checks`), e.g. `?max_active_convened=5&min_sectors=3`.",
)
def audit(cache: AnalysesDep, params: Params, as_of: AsOf = None, check: Checks = None):
    return cache.audit(as_of or dt.date.today(), params, _checks(check))


@router.get("/audit/diff", summary="What changed between two dates: records and findings")
def audit_diff(
    cache: AnalysesDep,
    params: Params,
    date_from: Annotated[dt.date, Query(alias="from")],
    date_to: Annotated[dt.date, Query(alias="to")],
    check: Checks = None,
) -> dict[str, Any]:
    return diff_graphs(cache.graph(date_from), cache.graph(date_to), params, _checks(check))


@router.get("/audit/trend", summary="The health score at yearly points up to a date")
def audit_trend(
    cache: AnalysesDep,
    params: Params,
    as_of: AsOf = None,
    years: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[dict[str, Any]]:
    end = as_of or dt.date.today()
    if end.year - years < 1:
        raise InvalidRecords(
            [
                Problem(
                    "the trend would reach back before year 1; pick a later as_of or fewer years",
                    field="years",
                )
            ]
        )
    return trend_points(cache.audit(day, params) for day in yearly_dates(end, years))


@router.post(
    "/whatif",
    summary="If these organizations leave or stop convening, or these "
    "groups disband: what breaks? Nothing is written.",
)
def whatif(
    workspace: ReadWs,
    body: WhatIfBody,
    repo: RepoDep,
    cache: AnalysesDep,
    params: Params,
    check: Checks = None,
) -> dict[str, Any]:
    checks = _checks(check)
    if not (body.without or body.stop_convening or body.disband):
        raise InvalidRecords(
            [Problem("say what changes: without, stop_convening or disband", field="without")]
        )
    scenario = Scenario(
        without=repo.find_node_ids(workspace, body.without),
        stop_convening=repo.find_node_ids(workspace, body.stop_convening),
        disband=repo.find_node_ids(workspace, body.disband),
    )
    return what_if(cache.graph(body.as_of or dt.date.today()), scenario, params, checks)


@router.get(
    "/recommendations",
    response_model=list[Recommendation],
    summary="Constellations an organization could join, ranked and explained",
)
def recommendations(
    workspace: ReadWs,
    repo: RepoDep,
    cache: AnalysesDep,
    org: Annotated[str, Query(max_length=500, description="Id or exact label.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    as_of: AsOf = None,
):
    node = repo.find_node(workspace, org).id
    return recommend(cache.graph(as_of or dt.date.today()), org=node, limit=limit)


@router.post(
    "/recommendations",
    response_model=list[Recommendation],
    summary="Constellations that fit a described organization, ranked and explained",
)
def recommendations_for_profile(
    workspace: ReadWs, body: ProfileBody, repo: RepoDep, cache: AnalysesDep
):
    profile = body.model_dump(include={"label", "sector", "goals", "issue_areas", "partners"})
    for field in ("goals", "issue_areas", "partners"):
        profile[field] = repo.find_node_ids(workspace, profile[field])
    return recommend(cache.graph(body.as_of or dt.date.today()), profile=profile, limit=body.limit)


@router.get(
    "/conveners",
    summary="Who convenes what: one row per constellation, with its "
    "conveners' load, goals, status, partners and sectors",
)
def conveners(cache: AnalysesDep, params: Params, as_of: AsOf = None) -> list[dict[str, Any]]:
    day = as_of or dt.date.today()
    return cache.get(
        "conveners",
        day,
        params.model_dump_json(),
        make=lambda: who_convenes_what(cache.graph(day), params),
    )


@router.get(
    "/funding",
    response_model=FundingReport,
    summary="Joint-funding opportunities, unfunded groups and co-funders",
)
def funding(
    workspace: ReadWs,
    repo: RepoDep,
    cache: AnalysesDep,
    funder: Annotated[str | None, Query(max_length=500, description="Id or exact label.")] = None,
    as_of: AsOf = None,
):
    node = repo.find_node(workspace, funder).id if funder else None
    day = as_of or dt.date.today()
    return cache.get(
        "funding", day, node, make=lambda: funding_opportunities(cache.graph(day), node)
    )
