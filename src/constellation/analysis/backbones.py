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
    """Issue areas that more than one organization claims to be the backbone for.

    A backbone supports the whole civic infrastructure of an issue area; seed 004 warns
    against having several in one area ("a body that has nine backbones is really going
    to struggle"). One finding per issue area, listing every claimant.

    Parameters
    ----------
    G : the workspace graph (see `constellation.graph.load_graph`).
    params : thresholds; this check has none.

    Returns
    -------
    One high-severity finding per issue area with two or more backbones.

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

    Notes
    -----
    O(E) over the backbone_for edges.

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
        scopes = defaultdict(list)
        for s, data in claims:
            scopes[data.get("initiative") or data.get("geography") or "(whole workspace)"].append(s)
        names = ", ".join(G.nodes[o]["label"] for o in orgs)
        findings.append(
            Finding(
                check="duplicate_backbones",
                severity=Severity.HIGH,
                subjects=[subject(G, area)] + [subject(G, o) for o in orgs],
                message=f"{len(orgs)} organizations claim to be the backbone for "
                f"{G.nodes[area]['label']}: {names}.",
                evidence={
                    "issue_area": area,
                    "backbones": len(orgs),
                    "claimants": orgs,
                    "by_scope": {k: sorted(v) for k, v in scopes.items()},
                },
                suggestion="Agree on one backbone for this issue area; the others can lead as "
                "conveners of the constellations that fit their strengths.",
                key=make_key("duplicate_backbones", area),
            )
        )
    return findings
