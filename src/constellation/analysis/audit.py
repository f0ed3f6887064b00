"""The audit: run the checks over a workspace graph, count, and score its health.

Health score (0–100)
--------------------
Every check has a *population*, the things it looks at (goals for `orphan_goals`,
active constellations for `leaderless_constellations`, …), and a *weight* (3 for the gaps
that stop work: orphan goals, leaderless groups; 2 for structural risks; 1 for hygiene).
A check's pass rate is ``1 − min(1, findings / population)``; the score is the weighted
mean of the pass rates of the checks that had something to look at, times 100, rounded.
A network with no findings scores 100; one where every goal is orphaned loses the whole
weight of that check, and no more, however many goals it has. Each check's *points lost*,
``100 × weight × (1 − pass rate) / total weight``, is what fixing all its findings would
gain: the points lost of all checks add up to 100 minus the score (before rounding).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
from pydantic import BaseModel, Field

# importing the families registers their checks
from constellation.analysis import (  # noqa: F401
    assessments,
    backbones,
    commitments,
    constellations,
    conveners,
    events,
    goals,
    network,
    quality,
    signers,
    stages,
    stewardship,
    ties,
)
from constellation.analysis.findings import SEVERITY_ORDER, AuditReport, Finding, Severity
from constellation.analysis.index import index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import CHECKS, check_ids, order_checks

FAMILIES = (
    "backbones",
    "constellations",
    "conveners",
    "goals",
    "network",
    "signers",
    "stewardship",
    "events",
    "assessments",
    "quality",
    "ties",
    "stages",
    "commitments",
)
"""The order the checks are listed and run in: the first eleven, then issue 13's, then
issue 17's."""
order_checks(FAMILIES)

if TYPE_CHECKING:
    from constellation.store.repository import Repository

__all__ = [
    "run_checks",
    "run_audit",
    "audit_workspace",
    "health_score",
    "health_breakdown",
    "compare_findings",
    "FindingChanges",
    "CHECKS",
]


def run_checks(
    G: nx.MultiDiGraph,
    params: AuditParams | dict[str, Any] | None = None,
    checks: Iterable[str] | None = None,
) -> list[Finding]:
    """Findings of the chosen checks (all by default), most severe first."""
    p = resolve(params)
    chosen = check_ids(checks) or list(CHECKS)
    index_of(G, fresh=True)
    findings = [f for c in chosen for f in CHECKS[c].function(G, p)]
    order = {c: i for i, c in enumerate(CHECKS)}
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], order[f.check]))
    return findings


def health_score(
    G: nx.MultiDiGraph, findings: list[Finding], checks: Iterable[str] | None = None
) -> dict[str, Any]:
    """The score and, per check, the numbers it is made of: its findings, population (and
    what that counts, `of`), pass rate, weight and points lost (see the module docstring)."""
    ix = index_of(G)
    per_check = Counter(f.check for f in findings)
    parts: dict[str, dict[str, Any]] = {}
    total_weight, weighted = 0.0, 0.0
    rates: dict[str, float] = {}
    for cid in checks or CHECKS:
        c = CHECKS[cid]
        population = c.population(ix)
        if population == 0:
            continue
        rate = rates[cid] = 1 - min(1.0, per_check[cid] / population)
        parts[cid] = {
            "findings": per_check[cid],
            "population": population,
            "of": c.population_label,
            "pass_rate": round(rate, 3),
            "weight": c.weight,
        }
        total_weight += c.weight
        weighted += c.weight * rate
    score = round(100 * weighted / total_weight) if total_weight else 100
    for cid, part in parts.items():
        part["points_lost"] = round(100 * part["weight"] * (1 - rates[cid]) / total_weight, 1)
    return {
        "score": score,
        "by_check": parts,
        "formula": "100 × weighted mean over checks of (1 − min(1, findings / population))",
    }


def health_breakdown(report: AuditReport) -> list[dict[str, Any]]:
    """Each scored check's term of the health score, the most points lost first: what the
    CLI's table and the Markdown print (``check``, ``title`` and the ``by_check`` figures).

    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "g", "kind": "goal", "label": "Graduation"}])
    >>> [(r["check"], r["points_lost"]) for r in health_breakdown(run_audit(G))]
    [('orphan_goals', 75.0), ('unmeasured_goals', 25.0)]
    """
    parts = report.summary["health"]["by_check"]
    order = {c: i for i, c in enumerate(CHECKS)}
    rows = [
        {"check": c, "title": CHECKS[c].title if c in CHECKS else c} | part
        for c, part in parts.items()
    ]
    rows.sort(key=lambda r: (-r["points_lost"], order.get(r["check"], len(order))))
    return rows


def run_audit(
    G: nx.MultiDiGraph,
    params: AuditParams | dict[str, Any] | None = None,
    checks: Iterable[str] | None = None,
    *,
    figures: bool = True,
) -> AuditReport:
    """Run the checks and summarise: counts by check and severity, network figures, health.

    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "g", "kind": "goal", "label": "Graduation"}])
    >>> report = run_audit(G)
    >>> report.summary["counts"]["by_check"]
    {'orphan_goals': 1, 'unmeasured_goals': 1}
    >>> report.summary["health"]["score"]
    0
    """
    p = resolve(params)
    chosen = list(checks) if checks else list(CHECKS)
    findings = run_checks(G, p, chosen)
    by_check = Counter(f.check for f in findings)
    by_severity = Counter(f.severity.value for f in findings)
    summary: dict[str, Any] = {
        "health": health_score(G, findings, chosen),
        "counts": {
            "total": len(findings),
            "by_check": {c: by_check[c] for c in chosen if by_check[c]},
            "by_severity": {s.value: by_severity[s.value] for s in Severity},
        },
        "checks": [{"id": c, "title": CHECKS[c].title, "family": CHECKS[c].family} for c in chosen],
        "params": p.model_dump(),
    }
    if figures:
        summary["network"] = network.network_figures(G, p)
        summary["tie_quality"] = ties.tie_quality_figures(G)
        summary["assessments"] = [
            h.model_dump(mode="json") for h in assessments.assessment_history(G)
        ]
    return AuditReport(
        workspace=G.graph["workspace"], as_of=G.graph["as_of"], summary=summary, findings=findings
    )


class FindingChanges(BaseModel):
    """Two audits' findings matched by their stable key."""

    appeared: list[Finding] = Field(description="Only in the later audit.")
    resolved: list[Finding] = Field(description="Only in the earlier audit.")
    persisting: int = Field(description="How many findings are in both.")


def compare_findings(before: AuditReport, after: AuditReport) -> FindingChanges:
    """Two audits' findings matched by their stable key: those that *appeared* (only in
    `after`), those *resolved* (only in `before`), and how many are *persisting*."""
    keys_before = {f.key for f in before.findings}
    keys_after = {f.key for f in after.findings}
    return FindingChanges(
        appeared=[f for f in after.findings if f.key not in keys_before],
        resolved=[f for f in before.findings if f.key not in keys_after],
        persisting=sum(1 for f in after.findings if f.key in keys_before),
    )


def audit_workspace(
    repo: Repository,
    workspace: str,
    as_of: dt.date | None = None,
    params: AuditParams | dict[str, Any] | None = None,
    checks: Iterable[str] | None = None,
) -> AuditReport:
    """Load the workspace as of a date and audit it: what the CLI and the API call."""
    from constellation.graph import load_graph

    return run_audit(load_graph(repo, workspace, as_of), params, checks)
