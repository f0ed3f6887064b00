"""Leadership checks: conveners that meet seed 000's qualifications, and a stewardship group
that keeps seed 001's three documents and seats the signers."""

from __future__ import annotations

from typing import Any

import networkx as nx

from constellation import vocabulary as vocab
from constellation.analysis.findings import Finding, Severity, label_list, make_key, subject
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = [
    "DOCUMENTS",
    "QUALIFICATIONS",
    "convener_qualifications",
    "qualifications",
    "representatives",
    "stewardship_documents",
]

QUALIFICATIONS = {
    "board_support": "a letter of support from its board and senior management",
    "representative": "an appointed representative",
    "seniority": "a representative who is the CEO, a direct report or a specialist",
    "primary_contact": "a designated primary point of contact",
    "succession_plan": "a succession plan for its representatives",
}
"""Seed 000's desired qualifications of a convener, as the check names them."""

DOCUMENTS = {
    "has_guiding_principles": "guiding principles",
    "has_bylaws": "lightweight bylaws",
    "has_goals_document": "overarching goals",
}
"""Seed 001: the stewardship group's three documents, by property."""


def _convened(ix: Index) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for c in ix.active_constellations:
        for org in ix.conveners(c):
            found.setdefault(org, []).append(c)
    return found


def representatives(ix: Index, org: str, groups: list[str] | None = None) -> list[str]:
    """The people who represent an organization in its groups: those its convenes ties to
    `groups` name as `representative`, or failing that everyone who `represents` it."""
    named = []
    for c in groups or ():
        person = ix.conveners(c).get(org, {}).get("representative")
        if person and person in ix.G and person not in named:
            named.append(person)
    return named or sorted(set(ix.sources("represents", org)))


def qualifications(ix: Index, org: str, groups: list[str]) -> dict[str, bool | None]:
    """Whether a convener meets each of `QUALIFICATIONS`: True, False, or None (not recorded).

    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "u", "kind": "organization", "label": "UNITE-LA",
    ...       "properties": {"has_board_support": True}},
    ...      {"id": "p", "kind": "person", "label": "Paola Santana",
    ...       "properties": {"seniority": "direct_report"}},
    ...      {"id": "c", "kind": "constellation", "label": "Workforce Systems"}],
    ...     [{"kind": "convenes", "source": "u", "target": "c"},
    ...      {"kind": "represents", "source": "p", "target": "u"}])
    >>> qualifications(index_of(G), "u", ["c"])
    {'board_support': True, 'representative': True, 'seniority': True, \
'primary_contact': None, 'succession_plan': None}
    """
    G = ix.G
    data = G.nodes[org]
    people = representatives(ix, org, groups)
    seniorities = [G.nodes[p].get("seniority") for p in people]
    contacts = [d.get("primary_contact") for _, d in ix.into["represents"].get(org, ())]
    plans = [data.get("has_succession_plan")] + [
        ix.conveners(c).get(org, {}).get("has_succession_plan") for c in groups
    ]
    return {
        "board_support": data.get("has_board_support"),
        "representative": bool(people),
        "seniority": True
        if any(s in vocab.QUALIFIED_SENIORITY for s in seniorities)
        else (None if not people or all(s is None for s in seniorities) else False),
        "primary_contact": True
        if any(contacts)
        else (False if any(c is False for c in contacts) else None),
        "succession_plan": True
        if any(plans)
        else (False if any(p is False for p in plans) else None),
    }


@check(
    "convener_qualifications",
    title="Convener qualifications unmet",
    weight=1,
    population=lambda ix: len(_convened(ix)),
    population_label="conveners of active constellations",
)
def convener_qualifications(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Conveners of active constellations that lack seed 000's desired qualifications.

    Seed 000 asks that a convener appoint a representative, provide a letter of support
    from its board and senior management, have a succession plan for its representatives
    and designate a primary point of contact, and that its representative be "preferred
    CEO, direct report to CEO or a specialist with deep expertise in the outcome area".
    One finding per convener listing what it lacks (see `qualifications`): medium when a
    qualification is recorded as missing (no representative, a representative below that
    seniority, a board that gave no support …), low when the records only do not say.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "s", "kind": "organization", "label": "Starbucks",
    ...       "properties": {"has_board_support": True, "has_succession_plan": True}},
    ...      {"id": "p", "kind": "person", "label": "A. Manager",
    ...       "properties": {"seniority": "staff"}},
    ...      {"id": "c", "kind": "constellation", "label": "100k Opportunities"}],
    ...     [{"kind": "convenes", "source": "s", "target": "c"},
    ...      {"kind": "represents", "source": "p", "target": "s",
    ...       "properties": {"primary_contact": True}}])
    >>> f = convener_qualifications(G)[0]
    >>> f.message
    'Starbucks, convener of 100k Opportunities, lacks a representative who is the CEO, a \
direct report or a specialist.'
    >>> f.evidence["missing"], f.severity.value
    (['seniority'], 'medium')

    Notes
    -----
    O(E) over convenes and represents edges.

    References
    ----------
    Seed 000, "Desired qualifications" (Cradle to Career, Collaborative Action Network
    convener).
    """
    resolve(params)
    ix = index_of(G)
    findings = []
    for org, groups in sorted(_convened(ix).items(), key=lambda t: G.nodes[t[0]]["label"]):
        groups = sorted(groups)
        met = qualifications(ix, org, groups)
        lacking = [q for q, ok in met.items() if not ok]
        if not lacking:
            continue
        missing = [q for q in lacking if met[q] is False]
        unknown = [q for q in lacking if met[q] is None]
        what = [QUALIFICATIONS[q] for q in missing]
        if unknown:
            what.append("a record of " + _join([QUALIFICATIONS[q] for q in unknown]))
        findings.append(
            Finding(
                check="convener_qualifications",
                severity=Severity.MEDIUM if missing else Severity.LOW,
                subjects=[subject(G, org)] + [subject(G, c) for c in groups],
                message=f"{G.nodes[org]['label']}, convener of "
                f"{label_list(G, groups, most=3)}, lacks {_join(what)}.",
                evidence={
                    "missing": missing,
                    "not_recorded": unknown,
                    "representatives": representatives(ix, org, groups),
                    "constellations": groups,
                },
                suggestion="Go through seed 000's convener qualifications with it: appoint a "
                "senior representative and a primary contact, obtain its board's letter of "
                "support, agree a succession plan; record what it has.",
                key=make_key("convener_qualifications", org),
            )
        )
    return findings


@check(
    "stewardship_documents",
    title="Stewardship group incomplete",
    weight=1,
    population=lambda ix: len(ix.nodes("stewardship_group")) * (2 if ix.out["signs"] else 1),
    population_label="stewardship groups × the tests that apply",
)
def stewardship_documents(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Stewardship groups without their three documents, or with no member from a signer.

    Seed 001: the stewardship group keeps "3 documents: 1. Guiding principles/assumptions
    about the magnetic attractor 2. Lightweight bylaws describing how partners will work
    together 3. Partnership's overarching goals", and its members are "senior staff/deputies
    representing Compact signers". A missing (or unrecorded) document is low; a group none
    of whose members represents an organization that signs is medium (where anything is
    signed at all).

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "s", "kind": "stewardship_group", "label": "Stewards",
    ...                   "properties": {"has_guiding_principles": True}},
    ...                  {"id": "o", "kind": "organization", "label": "City"},
    ...                  {"id": "i", "kind": "initiative", "label": "Compact"}],
    ...                 [{"kind": "signs", "source": "o", "target": "i"}])
    >>> sorted((f.evidence["reason"], f.severity.value) for f in stewardship_documents(G))
    [('missing_documents', 'low'), ('no_signer_members', 'medium')]

    Notes
    -----
    O(E) over member_of, represents and signs edges.
    """
    resolve(params)
    ix = index_of(G)
    signers = set(ix.out["signs"])
    findings = []
    for group in ix.nodes("stewardship_group"):
        data = G.nodes[group]
        label = data["label"]
        missing = [name for prop, name in DOCUMENTS.items() if not data.get(prop)]
        if missing:
            findings.append(
                Finding(
                    check="stewardship_documents",
                    severity=Severity.LOW,
                    subjects=[subject(G, group)],
                    message=f"{label} has no {_join(missing, 'or')} on record.",
                    evidence={
                        "reason": "missing_documents",
                        "missing": missing,
                        "not_recorded": [n for p, n in DOCUMENTS.items() if data.get(p) is None],
                    },
                    suggestion="Draft the missing documents with the group (seed 001: guiding "
                    "principles, lightweight bylaws, overarching goals) and record them.",
                    key=make_key("stewardship_documents", group, "missing_documents"),
                )
            )
        members = ix.sources("member_of", group)
        seated = {o for p in members for o in ix.targets("represents", p)} & signers
        if signers and not seated:
            findings.append(
                Finding(
                    check="stewardship_documents",
                    severity=Severity.MEDIUM,
                    subjects=[subject(G, group)],
                    message=f"None of the {len(members)} members of {label} represents a signer.",
                    evidence={
                        "reason": "no_signer_members",
                        "members": len(members),
                        "signers": len(signers),
                    },
                    suggestion="Seat senior deputies of the signers on the stewardship group.",
                    key=make_key("stewardship_documents", group, "no_signer_members"),
                )
            )
    return findings


def _join(items: list[str], conjunction: str = "and") -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
