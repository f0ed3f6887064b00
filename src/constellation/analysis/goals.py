"""Goal checks: goals no active group works on, goals and indicators nobody measures."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from constellation.analysis.findings import Finding, Severity, make_key, subject
from constellation.analysis.index import index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = ["orphan_goals", "unmeasured_goals", "values_as_of"]


def values_as_of(G: nx.MultiDiGraph, indicator: str) -> tuple[list[dict[str, Any]], int]:
    """An indicator's values dated up to the graph's date, oldest first, and how many
    more are dated after it (known today, not on that day).

    >>> import datetime as dt
    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "i", "kind": "indicator", "label": "Graduation rate",
    ...     "properties": {"values": [{"date": "2019-06-01", "value": 80},
    ...                               {"date": "2017-06-01", "value": 76}]}}],
    ...     as_of=dt.date(2018, 1, 1))
    >>> values_as_of(G, "i")
    ([{'date': '2017-06-01', 'value': 76}], 1)
    """
    as_of = G.graph["as_of"].isoformat()
    every = sorted(G.nodes[indicator].get("values") or [], key=lambda v: str(v.get("date")))
    known = [v for v in every if str(v.get("date")) <= as_of]
    return known, len(every) - len(known)


@check(
    "orphan_goals",
    title="Orphan goals",
    weight=3,
    population=lambda ix: len(ix.nodes("goal")),
    population_label="goals",
)
def orphan_goals(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Goals that no active constellation advances, directly or through an indicator.

    A goal on the common agenda with nobody working on it is a gap the stewardship group
    should see (seed 002: two of Achieve Escambia's four networks were only "to launch in
    2019 or 2020"). Planned, forming, dormant and disbanded constellations do not count;
    the finding lists them as the groups that could take the goal up.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "g", "kind": "goal", "label": "Graduation Rate"},
    ...      {"id": "c", "kind": "constellation", "label": "Graduation Rate CAN",
    ...       "properties": {"status": "planned"}}],
    ...     [{"kind": "advances", "source": "c", "target": "g"}])
    >>> f = orphan_goals(G)[0]
    >>> f.message
    'No active constellation works on the goal Graduation Rate.'
    >>> f.evidence["inactive_constellations"]
    {'planned': 1}

    Notes
    -----
    O(E) over advances and measures edges.
    """
    resolve(params)
    ix = index_of(G)
    worked_on: dict[str, list[str]] = {g: [] for g in ix.nodes("goal")}
    for c in ix.nodes("constellation"):
        for goal in ix.goals_advanced(c):
            worked_on.setdefault(goal, []).append(c)
    findings = []
    for goal, groups in worked_on.items():
        if any(ix.status(c) == "active" for c in groups):
            continue
        statuses = Counter(ix.status(c) for c in groups)
        label = G.nodes[goal]["label"]
        waiting = [c for c in groups if ix.status(c) in ("planned", "forming")]
        if waiting:
            suggestion = (
                "Launch "
                + ", ".join(G.nodes[c]["label"] for c in waiting)
                + ", or find a convener who can."
            )
        elif groups:
            suggestion = "Revive a dormant group or form a new constellation for this goal."
        else:
            suggestion = "Find a magnetic attractor and a convener to form a constellation."
        findings.append(
            Finding(
                check="orphan_goals",
                severity=Severity.HIGH,
                subjects=[subject(G, goal)] + [subject(G, c) for c in groups],
                message=f"No active constellation works on the goal {label}.",
                evidence={
                    "active_constellations": 0,
                    "inactive_constellations": dict(statuses),
                    "indicators": len(ix.sources("measures", goal)),
                },
                suggestion=suggestion,
                key=make_key("orphan_goals", goal),
            )
        )
    return findings


@check(
    "unmeasured_goals",
    title="Unmeasured goals and indicators",
    weight=1,
    population=lambda ix: len(ix.nodes("goal")) + len(ix.nodes("indicator")),
    population_label="goals and indicators",
)
def unmeasured_goals(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Goals with no indicator, and indicators with no data.

    Shared measurement is a condition of collective impact: a goal nobody measures cannot
    show progress, and an indicator with no values is a measure in name only. As of a
    date, only the values dated up to it count (see `values_as_of`).

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "g", "kind": "goal", "label": "College access"},
    ...      {"id": "i", "kind": "indicator", "label": "Enrolment rate"}],
    ...     [{"kind": "measures", "source": "i", "target": "g"}])
    >>> [f.message for f in unmeasured_goals(G)]
    ['The indicator Enrolment rate has no data yet.']
    """
    resolve(params)
    ix = index_of(G)
    findings = []
    for goal in ix.nodes("goal"):
        if not ix.sources("measures", goal):
            findings.append(
                Finding(
                    check="unmeasured_goals",
                    severity=Severity.MEDIUM,
                    subjects=[subject(G, goal)],
                    message=f"The goal {G.nodes[goal]['label']} has no indicator to measure it.",
                    evidence={"indicators": 0},
                    suggestion="Agree on an outcome indicator, its baseline and target.",
                    key=make_key("unmeasured_goals", goal),
                )
            )
    for ind in ix.nodes("indicator"):
        values, later = values_as_of(G, ind)
        if not values:
            baseline = G.nodes[ind].get("baseline")
            findings.append(
                Finding(
                    check="unmeasured_goals",
                    severity=Severity.LOW,
                    subjects=[subject(G, ind)]
                    + [subject(G, g) for g in ix.targets("measures", ind)],
                    message=f"The indicator {G.nodes[ind]['label']} has no data yet.",
                    evidence={"values": 0, "values_after_date": later, "baseline": baseline},
                    suggestion="Record its latest dated value (data plan)."
                    if baseline is not None
                    else "Record a baseline and the latest dated value (data plan).",
                    key=make_key("unmeasured_goals", ind),
                )
            )
    return findings
