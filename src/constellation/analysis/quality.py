"""Indicator quality: indicators a task force can work from (seed 002's "Review the data;
disaggregate by geography, race, gender"). An indicator with no data at all as of the date
is `unmeasured_goals`' finding, not this one's."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from constellation.analysis.findings import Finding, Severity, make_key, subject
from constellation.analysis.goals import values_as_of
from constellation.analysis.index import index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = ["indicator_quality", "task_forces"]

GAPS = {
    "baseline": "no baseline",
    "target": "no target",
    "disaggregation": "no disaggregation",
    "recent_value": "no value in the last {days} days",
}


def task_forces(G: nx.MultiDiGraph) -> list[str]:
    """Live constellations that are indicator task forces (seed 002's ITFs)."""
    ix = index_of(G)
    return [
        c for c in ix.live_constellations if G.nodes[c].get("constellation_type") == "task_force"
    ]


@check(
    "indicator_quality",
    title="Indicator quality",
    weight=1,
    population=lambda ix: len(ix.nodes("indicator")) + len(task_forces(ix.G)),
    population_label="indicators + indicator task forces",
)
def indicator_quality(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Indicators without a baseline, a target, disaggregation or a recent value, and task
    forces tied to no contributing indicator.

    Seed 002: an indicator task force reviews the data, "disaggregate[s] by geography, race,
    gender", and identifies "existing baseline metric(s) – Set goal(s)"; each works on a
    prioritized contributing indicator. One low finding per indicator listing what it lacks
    (the latest value counts only up to the audit date, and older than
    `indicator_value_within_days` is not recent; an indicator with no value at all is left
    to `unmeasured_goals`). A live task force that advances no contributing indicator is
    medium.

    Examples
    --------
    >>> import datetime as dt
    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "i", "kind": "indicator", "label": "Kindergarten readiness",
    ...     "properties": {"baseline": 52, "values": [{"date": "2022-08-01", "value": 54}]}}],
    ...     as_of=dt.date(2024, 6, 1))
    >>> indicator_quality(G)[0].message
    'The indicator Kindergarten readiness has no target, no disaggregation and no value in \
the last 365 days.'

    Notes
    -----
    O(N + E) over indicators, task forces and their advances edges.

    References
    ----------
    Seed 002, "Indicator Task Forces" (Achieve Escambia's Collective Action Networks).
    """
    p = resolve(params)
    ix = index_of(G)
    since = (G.graph["as_of"] - dt.timedelta(days=p.indicator_value_within_days)).isoformat()
    findings = []
    for ind in ix.nodes("indicator"):
        data = G.nodes[ind]
        values, _later = values_as_of(G, ind)
        gaps = []
        if data.get("baseline") is None:
            gaps.append("baseline")
        if data.get("target") is None:
            gaps.append("target")
        if not data.get("disaggregation"):
            gaps.append("disaggregation")
        if values and str(values[-1]["date"]) < since:
            gaps.append("recent_value")
        if not gaps:
            continue
        words = [GAPS[g].format(days=p.indicator_value_within_days) for g in gaps]
        findings.append(
            Finding(
                check="indicator_quality",
                severity=Severity.LOW,
                subjects=[subject(G, ind)] + [subject(G, g) for g in ix.targets("measures", ind)],
                message=f"The indicator {data['label']} has "
                + (words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1])
                + ".",
                evidence={
                    "reason": "indicator_gaps",
                    "gaps": gaps,
                    "values": len(values),
                    "latest_value": str(values[-1]["date"]) if values else None,
                    "indicator_value_within_days": p.indicator_value_within_days,
                },
                suggestion="Review the data with its task force: set the baseline and target, "
                "disaggregate by geography, race and gender, and record the latest value "
                "(seed 002).",
                key=make_key("indicator_quality", ind),
            )
        )
    for c in task_forces(G):
        contributing = [
            i
            for i in ix.targets("advances", c)
            if G.nodes[i]["kind"] == "indicator"
            and G.nodes[i].get("indicator_type", "outcome") == "contributing"
        ]
        if contributing:
            continue
        findings.append(
            Finding(
                check="indicator_quality",
                severity=Severity.MEDIUM,
                subjects=[subject(G, c)],
                message=f"The task force {G.nodes[c]['label']} works on no contributing indicator.",
                evidence={
                    "reason": "task_force_without_indicator",
                    "advances": len(ix.targets("advances", c)),
                },
                suggestion="Tie it to the prioritized contributing indicator it was set up for "
                "(seed 002: one task force per indicator).",
                key=make_key("indicator_quality", c),
            )
        )
    return findings
