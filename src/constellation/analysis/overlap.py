"""Who shares whom: the two-mode network of organizations × active constellations.

Seed 001: "Convener agencies coordinate with other conveners to promote alignment between
constellations." Two groups that draw on the same partners are the ones whose conveners
should talk; an organization spread across many groups is where they meet.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import networkx as nx
from networkx.algorithms import bipartite
from pydantic import BaseModel, Field

from constellation.analysis.findings import Subject, subject
from constellation.analysis.index import Index, index_of

__all__ = ["SharedMember", "SharedPair", "Membership", "Spread", "OverlapReport", "overlap"]

Role = Literal["convener", "partner"]

MEASURE = (
    "shared: the number of member organizations (conveners and partners) two active "
    "constellations have in common, which is the weight of the bipartite projection onto "
    "constellations; ties broken by Jaccard similarity, then by label"
)


class SharedMember(Subject):
    """An organization two groups share, and its role in each."""

    role_in_a: Role
    role_in_b: Role


class SharedPair(BaseModel):
    """Two active constellations and the member organizations they share."""

    a: Subject
    b: Subject
    shared: int = Field(description="Member organizations in both: the ranking measure.")
    organizations: list[SharedMember] = Field(description="The shared organizations, by label.")
    members_a: int = Field(description="Member organizations of a (conveners and partners).")
    members_b: int
    share_of_a: float = Field(description="shared / members_a: how much of a's membership.")
    share_of_b: float
    jaccard: float = Field(description="shared / members of either.")


class Membership(Subject):
    """A constellation an organization is in, and how."""

    role: Role


class Spread(BaseModel):
    """An organization and the active constellations it spreads its people across."""

    organization: Subject
    count: int
    constellations: list[Membership] = Field(description="By label.")
    representatives: int = Field(description="People on record as representing it.")


class OverlapReport(BaseModel):
    """`GET …/overlap` and `constellation overlap --format json`."""

    workspace: str
    as_of: dt.date
    measure: str = Field(description="What pairs are ranked by.")
    constellations: int = Field(description="Active constellations with at least one member.")
    pairs: list[SharedPair] = Field(
        description="Every pair of active constellations that shares a member organization, "
        "most shared first."
    )
    pairs_sharing_nobody: int = Field(description="Pairs of those constellations that share none.")
    organizations: list[Spread] = Field(
        description="Every organization in an active constellation, most groups first."
    )


def _role(ix: Index, org: str, c: str) -> Role:
    return "convener" if org in ix.conveners(c) else "partner"


def overlap(G: nx.MultiDiGraph) -> OverlapReport:
    """The partners every pair of active constellations shares, ranked by how many, and the
    groups every organization is in.

    Membership is convening or taking part (`Index.members`). The pairs are the edges of the
    bipartite projection of organizations × constellations onto the constellations, whose
    weight is the number of shared organizations; that count is the ranking (see `MEASURE`).

    >>> from constellation.graph import build_graph
    >>> orgs = [{"id": o, "kind": "organization", "label": o.upper()} for o in "uvw"]
    >>> groups = [{"id": c, "kind": "constellation", "label": c} for c in ("Data", "STEM")]
    >>> ties = [("u", "convenes", "Data"), ("v", "participates_in", "Data"),
    ...         ("u", "participates_in", "STEM"), ("v", "participates_in", "STEM"),
    ...         ("w", "participates_in", "STEM")]
    >>> G = build_graph(orgs + groups,
    ...                 [{"kind": k, "source": s, "target": t} for s, k, t in ties])
    >>> pair = overlap(G).pairs[0]
    >>> pair.shared, [o.label for o in pair.organizations], pair.share_of_a, pair.share_of_b
    (2, ['U', 'V'], 1.0, 0.667)
    >>> pair.organizations[0].role_in_a, pair.organizations[0].role_in_b
    ('convener', 'partner')

    Notes
    -----
    O(Σ d²) over the organizations' numbers of groups d, as any projection.
    """
    ix = index_of(G)
    members = {c: ix.members(c) for c in ix.active_constellations}
    members = {c: m for c, m in members.items() if m}
    B = nx.Graph()
    B.add_nodes_from(members, bipartite=1)
    B.add_edges_from((org, c) for c, orgs in members.items() for org in orgs)
    # networkx refuses to project an empty graph
    projected = bipartite.weighted_projected_graph(B, list(members)) if members else nx.Graph()

    pairs = []
    for x, y, weight in projected.edges(data="weight"):
        a, b = sorted((x, y), key=lambda n: (G.nodes[n]["label"].lower(), n))
        common = members[a] & members[b]
        union = len(members[a] | members[b])
        pairs.append(
            SharedPair(
                a=subject(G, a),
                b=subject(G, b),
                shared=weight,
                organizations=[
                    SharedMember(
                        **subject(G, o).model_dump(),
                        role_in_a=_role(ix, o, a),
                        role_in_b=_role(ix, o, b),
                    )
                    for o in sorted(common, key=lambda o: (G.nodes[o]["label"].lower(), o))
                ],
                members_a=len(members[a]),
                members_b=len(members[b]),
                share_of_a=round(weight / len(members[a]), 3),
                share_of_b=round(weight / len(members[b]), 3),
                jaccard=round(weight / union, 3),
            )
        )
    pairs.sort(key=lambda p: (-p.shared, -p.jaccard, p.a.label.lower(), p.b.label.lower()))

    groups_of: dict[str, list[str]] = {}
    for c, orgs in members.items():
        for org in orgs:
            groups_of.setdefault(org, []).append(c)
    spread = [
        Spread(
            organization=subject(G, org),
            count=len(groups),
            constellations=[
                Membership(**subject(G, c).model_dump(), role=_role(ix, org, c))
                for c in sorted(groups, key=lambda c: (G.nodes[c]["label"].lower(), c))
            ],
            representatives=len(set(ix.sources("represents", org))),
        )
        for org, groups in groups_of.items()
    ]
    spread.sort(key=lambda s: (-s.count, s.organization.label.lower(), s.organization.id))
    n = len(members)
    return OverlapReport(
        workspace=G.graph["workspace"],
        as_of=G.graph["as_of"],
        measure=MEASURE,
        constellations=n,
        pairs=pairs,
        pairs_sharing_nobody=n * (n - 1) // 2 - len(pairs),
        organizations=spread,
    )
