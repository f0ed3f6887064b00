"""What-if: the findings after a change compared with before, without writing anything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from constellation.analysis.audit import compare_findings, run_audit
from constellation.analysis.findings import AuditReport, Finding
from constellation.analysis.params import AuditParams, resolve
from constellation.errors import InvalidQuestion, NotFound, Problem

__all__ = ["Scenario", "WhatIfResult", "what_if", "apply_scenario"]


class Scenario(BaseModel):
    """A change to try: organizations that leave, conveners that stop, groups that disband."""

    without: list[str] = Field(
        default_factory=list, description="Organizations (or people) that leave entirely."
    )
    stop_convening: list[str] = Field(
        default_factory=list, description="Organizations that stop convening, but stay as partners."
    )
    disband: list[str] = Field(default_factory=list, description="Constellations that disband.")


class HealthAndCounts(BaseModel):
    health: int = Field(description="The health score (0-100).")
    counts: dict[str, Any] = Field(description="Findings: total, by_check, by_severity.")

    @classmethod
    def of(cls, report: AuditReport) -> HealthAndCounts:
        return cls(health=report.summary["health"]["score"], counts=report.summary["counts"])


class WhatIfResult(BaseModel):
    """The audit before and after a scenario: what breaks and what is resolved."""

    workspace: str
    as_of: dt.date
    scenario: Scenario
    before: HealthAndCounts
    after: HealthAndCounts
    appeared: list[Finding] = Field(description="What breaks.")
    resolved: list[Finding] = Field(description="What is no longer a finding.")


def apply_scenario(G: nx.MultiDiGraph, scenario: Scenario) -> nx.MultiDiGraph:
    """A changed copy of G; G itself is untouched."""
    problems = []
    for field in ("without", "stop_convening", "disband"):
        for node in getattr(scenario, field):
            if node not in G:
                raise NotFound("node", node, G.graph.get("workspace"))
            kind = G.nodes[node]["kind"]
            if field == "stop_convening" and kind != "organization":
                problems.append(
                    Problem(
                        f"{node!r} is a {kind}; only organizations convene",
                        field=field,
                        record=node,
                    )
                )
            if field == "disband" and kind != "constellation":
                problems.append(
                    Problem(
                        f"{node!r} is a {kind}; only constellations disband",
                        field=field,
                        record=node,
                    )
                )
    if problems:
        raise InvalidQuestion(problems)
    H = G.copy()
    H.graph.pop("_index", None)
    H.graph.pop("_topology", None)
    H.remove_nodes_from(scenario.without)
    stopping = set(scenario.stop_convening)
    stopped = [
        (s, t, k)
        for s, t, k, kind in H.edges(keys=True, data="kind")
        if kind == "convenes" and s in stopping
    ]
    H.remove_edges_from(stopped)
    # they stay in the group as partners
    H.add_edges_from(
        (s, t, f"{k} (now a partner)", {"kind": "participates_in"}) for s, t, k in stopped
    )
    for c in scenario.disband:
        H.nodes[c]["status"] = "disbanded"
    return H


def what_if(
    G: nx.MultiDiGraph,
    scenario: Scenario | dict[str, Any],
    params: AuditParams | dict[str, Any] | None = None,
    checks: Iterable[str] | None = None,
) -> WhatIfResult:
    """Audit G before and after the scenario and say what breaks and what is resolved.

    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "u", "kind": "organization", "label": "UNITE-LA"},
    ...      {"id": "c", "kind": "constellation", "label": "Data Workgroup"}],
    ...     [{"kind": "convenes", "source": "u", "target": "c"}])
    >>> result = what_if(G, {"stop_convening": ["u"]})
    >>> [f.check for f in result.appeared]
    ['leaderless_constellations']
    """
    p = resolve(params)
    scenario = scenario if isinstance(scenario, Scenario) else Scenario(**scenario)
    before = run_audit(G, p, checks, figures=False)
    after_graph = apply_scenario(G, scenario)
    after = run_audit(after_graph, p, checks, figures=False)
    changed = compare_findings(before, after)
    return WhatIfResult(
        workspace=G.graph["workspace"],
        as_of=G.graph["as_of"],
        scenario=scenario,
        before=HealthAndCounts.of(before),
        after=HealthAndCounts.of(after),
        appeared=changed.appeared,
        resolved=changed.resolved,
    )
