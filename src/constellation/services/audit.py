"""The audit and the questions built on it: the findings on a date, what changed between
two dates, the health over the years, what breaks if something changes, who convenes what,
where each network stands in its process, which groups share whom, and where the signers'
commitments stand.

Each function validates its question (check ids, thresholds, names), runs the analysis on a
`Network` and returns a typed result; the CLI renders it and the API returns it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Literal

from constellation.analysis.commitments import CommitmentsReport, commitments_report
from constellation.analysis.conveners import (
    ConvenerRow,
    GoalRow,
    conveners_by_goal,
    who_convenes_what,
)
from constellation.analysis.findings import AuditReport
from constellation.analysis.overlap import OverlapReport
from constellation.analysis.overlap import overlap as shared_members
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check_ids
from constellation.analysis.stages import StagesReport, network_stages
from constellation.analysis.timeline import (
    DiffResult,
    TrendPoint,
    diff_graphs,
    trend_points,
    yearly_dates,
)
from constellation.analysis.whatif import Scenario, WhatIfResult, what_if
from constellation.errors import InvalidQuestion, Problem
from constellation.services.network import Network

__all__ = [
    "audit_params",
    "check_ids",
    "audit",
    "diff",
    "trend",
    "whatif",
    "conveners",
    "conveners_goals",
    "stages",
    "overlap",
    "commitments",
    "COMMITMENT_GROUPINGS",
]


def audit_params(values: Mapping[str, Any] | AuditParams | None) -> AuditParams:
    """Thresholds from their names and values (strings from a command line or a query are
    converted); an unknown or bad one is refused naming ``params.<name>``."""
    if isinstance(values, AuditParams):
        return values
    unknown = [k for k in values or {} if k not in AuditParams.model_fields]
    if unknown:
        known = ", ".join(AuditParams.model_fields)
        raise InvalidQuestion(
            [
                Problem(f"unknown threshold; the thresholds are: {known}", field=f"params.{k}")
                for k in unknown
            ]
        )
    return resolve(dict(values or {}))


def audit(
    net: Network,
    as_of: dt.date | None = None,
    params: AuditParams | None = None,
    checks: list[str] | None = None,
) -> AuditReport:
    """The findings and the health score as of a date."""
    return net.audit(as_of, params or AuditParams(), check_ids(checks))


def diff(
    net: Network,
    date_from: dt.date,
    date_to: dt.date,
    params: AuditParams | None = None,
    checks: list[str] | None = None,
) -> DiffResult:
    """Records added and ended, findings appeared and resolved, between two dates."""
    chosen = check_ids(checks)
    return diff_graphs(net.graph(date_from), net.graph(date_to), params, chosen)


def trend(
    net: Network,
    as_of: dt.date | None = None,
    years: int = 5,
    params: AuditParams | None = None,
) -> list[TrendPoint]:
    """The health score on the same day of each of the last `years` years."""
    end = as_of or dt.date.today()
    if end.year - years < 1:
        raise InvalidQuestion(
            [
                Problem(
                    "the trend would reach back before year 1; pick a later as_of or fewer years",
                    field="years",
                )
            ]
        )
    p = params or AuditParams()
    return trend_points(net.audit(day, p) for day in yearly_dates(end, years))


def whatif(
    net: Network,
    *,
    without: list[str] | None = None,
    stop_convening: list[str] | None = None,
    disband: list[str] | None = None,
    as_of: dt.date | None = None,
    params: AuditParams | None = None,
    checks: list[str] | None = None,
) -> WhatIfResult:
    """The audit before and after organizations leave or stop convening, or groups
    disband; the names are ids or labels. Nothing is written."""
    chosen = check_ids(checks)
    if not (without or stop_convening or disband):
        raise InvalidQuestion(
            [Problem("say what changes: without, stop_convening or disband", field="without")]
        )
    scenario = Scenario(
        without=net.node_ids(without),
        stop_convening=net.node_ids(stop_convening, "organization"),
        disband=net.node_ids(disband, "constellation"),
    )
    return what_if(net.graph(as_of), scenario, params, chosen)


def conveners(
    net: Network, as_of: dt.date | None = None, params: AuditParams | None = None
) -> list[ConvenerRow]:
    """One row per constellation: its conveners and their load, goals, status, partners."""
    day = as_of or dt.date.today()
    p = params or AuditParams()
    return net.get(
        "conveners", day, p.model_dump_json(), make=lambda: who_convenes_what(net.graph(day), p)
    )


def conveners_goals(
    net: Network, as_of: dt.date | None = None, params: AuditParams | None = None
) -> list[GoalRow]:
    """Who convenes what, by goal: each goal, the constellations advancing it and their
    conveners; goals no active group advances first."""
    day = as_of or dt.date.today()
    p = params or AuditParams()
    return net.get(
        "conveners-by-goal",
        day,
        p.model_dump_json(),
        make=lambda: conveners_by_goal(net.graph(day), p),
    )


def stages(
    net: Network, as_of: dt.date | None = None, params: AuditParams | None = None
) -> StagesReport:
    """Where every constellation stands in its process (seed 002's steps or the
    partnership's own), and which have stalled."""
    day = as_of or dt.date.today()
    p = params or AuditParams()
    return net.get(
        "stages", day, p.model_dump_json(), make=lambda: network_stages(net.graph(day), p)
    )


def overlap(net: Network, as_of: dt.date | None = None) -> OverlapReport:
    """The partners every pair of active constellations shares, and the groups every
    organization is in."""
    day = as_of or dt.date.today()
    return net.get("overlap", day, make=lambda: shared_members(net.graph(day)))


COMMITMENT_GROUPINGS = ("signer", "goal")
"""What the commitments can be grouped by."""


def commitments(
    net: Network,
    as_of: dt.date | None = None,
    by: str = "signer",
    params: AuditParams | None = None,
) -> CommitmentsReport:
    """Every signer's commitments, by signer or by the goal they serve, with their status,
    last progress and whether they are stale (`stale_commitment_months`)."""
    if by not in COMMITMENT_GROUPINGS:
        raise InvalidQuestion(
            [
                Problem(
                    f"group commitments by {' or '.join(COMMITMENT_GROUPINGS)}, not {by!r}",
                    field="by",
                )
            ]
        )
    day = as_of or dt.date.today()
    p = params or AuditParams()
    grouping: Literal["signer", "goal"] = "goal" if by == "goal" else "signer"
    return net.get(
        "commitments",
        day,
        grouping,
        p.model_dump_json(),
        make=lambda: commitments_report(net.graph(day), grouping, p),
    )
