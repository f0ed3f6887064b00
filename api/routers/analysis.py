"""The audit and what is built on it: HTTP over `constellation.services`, cached per revision."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from api.cache import AnalysesDep, etag, not_modified
from api.schemas import AsOf, ProfileBody, WhatIfBody, problems
from constellation.analysis.commitments import CommitmentsReport
from constellation.analysis.conveners import ConvenerRow, GoalRow
from constellation.analysis.findings import AuditReport
from constellation.analysis.funding import FundingReport
from constellation.analysis.overlap import OverlapReport
from constellation.analysis.params import AuditParams
from constellation.analysis.recommend import Recommendation
from constellation.analysis.stages import StagesReport
from constellation.analysis.timeline import DiffResult, TrendPoint
from constellation.analysis.whatif import WhatIfResult
from constellation.services import audit as audits
from constellation.services import partners

router = APIRouter(
    prefix="/api/workspaces/{workspace}", tags=["analysis"], responses=problems(401, 404, 413, 422)
)

Checks = Annotated[
    list[str] | None,
    Query(alias="check", description="Run only these checks (repeat); all by default."),
]


def audit_params(request: Request) -> AuditParams:
    """Any threshold of AuditParams given as a query parameter, e.g. ?max_active_convened=5."""
    return audits.audit_params(
        {k: v for k, v in request.query_params.items() if k in AuditParams.model_fields}
    )


Params = Annotated[AuditParams, Depends(audit_params)]


@router.get(
    "/audit",
    response_model=AuditReport,
    summary="Structural-health audit (the same JSON as `constellation audit -f json`)",
    description="Thresholds: any field of the audit parameters as a query parameter "
    "(see `constellation checks`), e.g. `?max_active_convened=5&min_sectors=3`.",
)
def audit(
    net: AnalysesDep,
    params: Params,
    request: Request,
    response: Response,
    as_of: AsOf = None,
    check: Checks = None,
) -> AuditReport | Response:
    """With an ETag (the workspace's revision, the date, the query): a reader that sends it
    back as If-None-Match gets 304 and no body until something changes."""
    tag = etag(net, request)
    if not_modified(request, tag):
        return Response(status_code=304, headers={"ETag": tag})
    response.headers["ETag"] = tag
    return audits.audit(net, as_of, params, check)


@router.get(
    "/audit/diff",
    response_model=DiffResult,
    summary="What changed between two dates: records and findings",
)
def audit_diff(
    net: AnalysesDep,
    params: Params,
    date_from: Annotated[dt.date, Query(alias="from")],
    date_to: Annotated[dt.date, Query(alias="to")],
    check: Checks = None,
) -> DiffResult:
    return audits.diff(net, date_from, date_to, params, check)


@router.get(
    "/audit/trend",
    response_model=list[TrendPoint],
    summary="The health score at yearly points up to a date",
)
def audit_trend(
    net: AnalysesDep,
    params: Params,
    as_of: AsOf = None,
    years: Annotated[int, Query(ge=1, le=20)] = 5,
) -> list[TrendPoint]:
    return audits.trend(net, as_of, years, params)


@router.post(
    "/whatif",
    response_model=WhatIfResult,
    summary="If these organizations leave or stop convening, or these "
    "groups disband: what breaks? Nothing is written.",
)
def whatif(
    net: AnalysesDep, body: WhatIfBody, params: Params, check: Checks = None
) -> WhatIfResult:
    return audits.whatif(
        net,
        without=body.without,
        stop_convening=body.stop_convening,
        disband=body.disband,
        as_of=body.as_of,
        params=params,
        checks=check,
    )


@router.get(
    "/recommendations",
    response_model=list[Recommendation],
    summary="Constellations an organization could join, ranked and explained",
)
def recommendations(
    net: AnalysesDep,
    org: Annotated[str, Query(max_length=500, description="Id or exact label.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    as_of: AsOf = None,
) -> list[Recommendation]:
    return partners.recommend(net, org, limit=limit, as_of=as_of)


@router.post(
    "/recommendations",
    response_model=list[Recommendation],
    summary="Constellations that fit a described organization, ranked and explained",
)
def recommendations_for_profile(net: AnalysesDep, body: ProfileBody) -> list[Recommendation]:
    profile = body.model_dump(include={"label", "sector", "goals", "issue_areas", "partners"})
    return partners.recommend(net, profile=profile, limit=body.limit, as_of=body.as_of)


@router.get(
    "/conveners",
    response_model=list[ConvenerRow],
    summary="Who convenes what: one row per constellation, with its "
    "conveners' load, goals, status, partners and sectors",
)
def conveners(net: AnalysesDep, params: Params, as_of: AsOf = None) -> list[ConvenerRow]:
    return audits.conveners(net, as_of, params)


@router.get(
    "/conveners/by-goal",
    response_model=list[GoalRow],
    summary="Who convenes what, by goal: each goal with the constellations advancing it, "
    "their status and conveners (with their load); goals no active group advances first",
)
def conveners_by_goal(net: AnalysesDep, params: Params, as_of: AsOf = None) -> list[GoalRow]:
    return audits.conveners_goals(net, as_of, params)


@router.get(
    "/stages",
    response_model=StagesReport,
    summary="Where each network stands in its process (seed 002's seven steps, or the "
    "partnership's own), with the date each step was reached and whether it has stalled",
    description="`stalled_after_months` (default 12) as a query parameter sets when a "
    "network on one step is stalled, as for the `stalled_networks` check.",
)
def stages(net: AnalysesDep, params: Params, as_of: AsOf = None) -> StagesReport:
    return audits.stages(net, as_of, params)


@router.get(
    "/overlap",
    response_model=OverlapReport,
    summary="Who shares whom: for every pair of active constellations the member "
    "organizations they share, most shared first; for every organization its groups",
)
def overlap(net: AnalysesDep, as_of: AsOf = None) -> OverlapReport:
    return audits.overlap(net, as_of)


@router.get(
    "/commitments",
    response_model=CommitmentsReport,
    summary="The signers' institutional commitments, by signer or by goal: each with its "
    "status, progress notes, last progress and whether it is stale",
    description="`by=signer` (the default) or `by=goal`; `stale_commitment_months` (default "
    "12) as a query parameter sets when a commitment with no progress note is stale, as for "
    "the `stale_commitments` check. A commitment is changed through its signs tie: "
    "`PATCH …/edges/{edge}` with the whole `properties.commitments` list.",
)
def commitments(
    net: AnalysesDep,
    params: Params,
    as_of: AsOf = None,
    by: Annotated[
        Literal["signer", "goal"], Query(description="Group by signer or by goal.")
    ] = "signer",
) -> CommitmentsReport:
    return audits.commitments(net, as_of, by, params)


@router.get(
    "/funding",
    response_model=FundingReport,
    summary="Joint-funding opportunities, unfunded groups and co-funders",
)
def funding(
    net: AnalysesDep,
    funder: Annotated[str | None, Query(max_length=500, description="Id or exact label.")] = None,
    as_of: AsOf = None,
) -> FundingReport:
    return partners.funding(net, funder, as_of)
