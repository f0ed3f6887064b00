"""Signer checks: commitments on paper that show up nowhere in the work."""

from __future__ import annotations

from typing import Any

import networkx as nx

from constellation.analysis.findings import Finding, Severity, make_key, subject
from constellation.analysis.index import index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = ["disengaged_signers"]


@check(
    "disengaged_signers",
    title="Disengaged signers",
    weight=1,
    population=lambda ix: 2 * len(ix.out["signs"]),
    population_label="signers × two tests",
)
def disengaged_signers(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Signers in no active or forming constellation, or with nobody on the stewardship group.

    Seed 001: signers "provide high level commitment on behalf of an agency", and the
    stewardship group is made of "senior staff/deputies representing Compact signers".
    Convening or joining a forming constellation counts as taking part: the group is
    being built, and the signer is in it.
    A signer missing from both the work and the stewardship group gets two findings,
    since each has its own remedy.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "i", "kind": "initiative", "label": "Compact"},
    ...      {"id": "s", "kind": "stewardship_group", "label": "Stewards"},
    ...      {"id": "o", "kind": "organization", "label": "City"}],
    ...     [{"kind": "signs", "source": "o", "target": "i"}])
    >>> sorted(f.evidence["reason"] for f in disengaged_signers(G))
    ['in_no_constellation', 'no_stewardship_representative']
    """
    resolve(params)
    ix = index_of(G)
    stewards = set(ix.nodes("stewardship_group"))
    findings = []
    for org in sorted(ix.out["signs"]):
        label = G.nodes[org]["label"]
        active = [
            c
            for c in ix.targets("convenes", org) + ix.targets("participates_in", org)
            if ix.is_live(c)
        ]
        if not active:
            findings.append(
                Finding(
                    check="disengaged_signers",
                    severity=Severity.MEDIUM,
                    subjects=[subject(G, org)] + [subject(G, i) for i in ix.targets("signs", org)],
                    message=f"{label} signed the shared agenda but takes part in no active "
                    f"constellation.",
                    evidence={"reason": "in_no_constellation", "constellations": 0},
                    suggestion="Show it the constellations that fit its work (partner "
                    "recommendations) and invite it to join one.",
                    key=make_key("disengaged_signers", org, "in_no_constellation"),
                )
            )
        people = ix.sources("represents", org)
        seated = [p for p in people if set(ix.targets("member_of", p)) & stewards]
        if stewards and not seated:
            findings.append(
                Finding(
                    check="disengaged_signers",
                    severity=Severity.LOW,
                    subjects=[subject(G, org)],
                    message=f"{label} signed the shared agenda but nobody represents it on the "
                    f"stewardship group.",
                    evidence={
                        "reason": "no_stewardship_representative",
                        "representatives": len(people),
                    },
                    suggestion="Ask it to name a senior deputy to the stewardship group.",
                    key=make_key("disengaged_signers", org, "no_stewardship_representative"),
                )
            )
    return findings
