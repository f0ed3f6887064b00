"""Backbone checks: one backbone per issue area (seed 004)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from constellation.analysis.findings import Finding, Severity, make_key, subject
from constellation.analysis.index import index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = ["duplicate_backbones"]


@check(
    "duplicate_backbones",
    title="Duplicate backbones",
    weight=2,
    population=lambda ix: len({t for t in ix.into["backbone_for"]}),
    population_label="issue areas with a backbone",
)
def duplicate_backbones(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Issue areas that more than one organization claims to be the backbone for, in the
    same community.

    A backbone supports the whole civic infrastructure of an issue area; seed 004 warns
    against having several in one area *within one community* ("a body that has nine
    backbones is really going to struggle") and embraces one backbone per issue. A claim
    (`backbone_for`) may be scoped by its `initiative` and `geography`; two claims collide
    unless they name different initiatives or different geographies. A claim with neither
    is for the whole workspace and collides with every other claim in its area.

    Parameters
    ----------
    G : the workspace graph (see `constellation.graph.load_graph`).
    params : thresholds; this check has none.

    Returns
    -------
    One high-severity finding per issue area where claims collide, listing the colliding
    claimants; an info finding for an area claimed by several organizations in separate
    initiatives or geographies only (not duplicates).

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "edu", "kind": "issue_area", "label": "Education"},
    ...      {"id": "a", "kind": "organization", "label": "A"},
    ...      {"id": "b", "kind": "organization", "label": "B"}],
    ...     [{"kind": "backbone_for", "source": "a", "target": "edu"},
    ...      {"kind": "backbone_for", "source": "b", "target": "edu"}])
    >>> [f.message for f in duplicate_backbones(G)]
    ['2 organizations claim to be the backbone for Education: A, B.']
    >>> G = build_graph(
    ...     [{"id": "edu", "kind": "issue_area", "label": "Education"},
    ...      {"id": "a", "kind": "organization", "label": "A"},
    ...      {"id": "b", "kind": "organization", "label": "B"}],
    ...     [{"kind": "backbone_for", "source": "a", "target": "edu",
    ...       "properties": {"geography": "Pensacola"}},
    ...      {"kind": "backbone_for", "source": "b", "target": "edu",
    ...       "properties": {"geography": "Los Angeles"}}])
    >>> [(f.severity.value, f.evidence["colliding"]) for f in duplicate_backbones(G)]
    [('info', [])]

    Notes
    -----
    O(C²) over the C claims of each issue area.

    References
    ----------
    Seed 004, "The role of the backbone vs. the role of the convener" (StriveTogether).
    """
    resolve(params)
    ix = index_of(G)
    findings = []
    for area, claims in ix.into["backbone_for"].items():
        orgs = sorted({s for s, _ in claims}, key=lambda n: G.nodes[n]["label"])
        if len(orgs) < 2:
            continue
        scoped = [(s, data.get("initiative"), data.get("geography")) for s, data in claims]
        colliding = {
            x
            for i, (x, xi, xg) in enumerate(scoped)
            for y, yi, yg in scoped[i + 1 :]
            if x != y and _same(xi, yi) and _same(xg, yg)
            for x in (x, y)
        }
        scopes = defaultdict(list)
        for s, initiative, geography in scoped:
            scope = " / ".join(p for p in (initiative, geography) if p) or "(whole workspace)"
            scopes[scope].append(s)
        evidence = {
            "issue_area": area,
            "backbones": len(orgs),
            "claimants": orgs,
            "colliding": sorted(colliding),
            "by_scope": {k: sorted(set(v)) for k, v in sorted(scopes.items())},
        }
        label = G.nodes[area]["label"]
        if colliding:
            names = ", ".join(G.nodes[o]["label"] for o in orgs if o in colliding)
            findings.append(
                Finding(
                    check="duplicate_backbones",
                    severity=Severity.HIGH,
                    subjects=[subject(G, area)] + [subject(G, o) for o in orgs if o in colliding],
                    message=f"{len(colliding)} organizations claim to be the backbone for "
                    f"{label}: {names}.",
                    evidence=evidence,
                    suggestion="Agree on one backbone for this issue area; the others can lead "
                    "as conveners of the constellations that fit their strengths.",
                    key=make_key("duplicate_backbones", area),
                )
            )
        else:
            findings.append(
                Finding(
                    check="duplicate_backbones",
                    severity=Severity.INFO,
                    subjects=[subject(G, area)] + [subject(G, o) for o in orgs],
                    message=f"{len(orgs)} organizations are backbones for {label}, each in its "
                    f"own initiative or geography ({', '.join(sorted(scopes))}): not duplicates.",
                    evidence=evidence,
                    suggestion="Nothing to do; record the scope of any new claim, so that a "
                    "second backbone in one community shows.",
                    key=make_key("duplicate_backbones", area, "scoped"),
                )
            )
    return findings


def _same(a: str | None, b: str | None) -> bool:
    """Two scopes overlap unless both are named and differ (an unnamed scope is everywhere)."""
    return a is None or b is None or a == b
