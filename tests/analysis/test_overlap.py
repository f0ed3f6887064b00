"""Issue 17: who shares whom — the partners pairs of active constellations share, ranked by
how many, and the groups each organization is in."""

from __future__ import annotations

import itertools

from networkx.algorithms import bipartite

from constellation.analysis.index import index_of
from constellation.analysis.overlap import overlap
from tests.helpers.builders import G, edge, group, node, org


def network():
    """Big shares 3 of its 6 members with Small (all of Small); Other shares 1 with Big and
    nobody with Small; Old is dormant and shares everyone; Lone has nobody in common."""
    orgs = [org(o) for o in ("a", "b", "c", "d", "e", "f", "z")]
    groups = [
        group("big"),
        group("small"),
        group("other"),
        group("old", "dormant"),
        group("lone"),
        group("empty"),
    ]
    ties = [
        edge("convenes", "a", "big"),
        *(edge("participates_in", o, "big") for o in "bcdef"),
        edge("participates_in", "a", "small"),
        edge("convenes", "b", "small"),
        edge("participates_in", "c", "small"),
        edge("participates_in", "f", "other"),
        edge("convenes", "z", "other"),
        *(edge("participates_in", o, "old") for o in "abc"),
        edge("convenes", "z", "lone"),
        edge("participates_in", "z", "lone"),  # convening and partnering: one member
        edge("represents", "p1", "a"),
        edge("represents", "p2", "a"),
    ]
    people = [node("p1", "person"), node("p2", "person")]
    return G(orgs + groups + people, ties)


def test_pairs_are_ranked_by_shared_partners_with_each_groups_share():
    report = overlap(network())
    pairs = [(p.a.id, p.b.id, p.shared) for p in report.pairs]
    assert pairs == [
        ("big", "small", 3),
        ("lone", "other", 1),  # z; Jaccard 1/2 beats Big + Other's 1/7
        ("big", "other", 1),
    ]
    top = report.pairs[0]
    assert [o.label for o in top.organizations] == ["A", "B", "C"]
    assert [(o.role_in_a, o.role_in_b) for o in top.organizations] == [
        ("convener", "partner"),
        ("partner", "convener"),
        ("partner", "partner"),
    ]
    assert (top.members_a, top.members_b) == (6, 3)
    assert (top.share_of_a, top.share_of_b, top.jaccard) == (0.5, 1.0, 0.5)


def test_only_active_groups_with_members_count():
    report = overlap(network())
    named = {p.a.id for p in report.pairs} | {p.b.id for p in report.pairs}
    assert "old" not in named and "empty" not in named
    assert report.constellations == 4  # big, small, other, lone
    assert report.pairs_sharing_nobody == 6 - 3


def test_the_count_is_the_bipartite_projections_weight():
    g = network()
    ix = index_of(g)
    members = {c: ix.members(c) for c in ix.active_constellations if ix.members(c)}
    B = bipartite_graph(members)
    projected = bipartite.weighted_projected_graph(B, list(members))
    for p in overlap(g).pairs:
        assert projected[p.a.id][p.b.id]["weight"] == p.shared
    for x, y in itertools.combinations(members, 2):
        assert projected.has_edge(x, y) == bool(members[x] & members[y])


def bipartite_graph(members):
    import networkx as nx

    B = nx.Graph()
    B.add_edges_from((o, c) for c, orgs in members.items() for o in orgs)
    return B


def test_every_organization_with_the_groups_it_spreads_across():
    spread = {s.organization.id: s for s in overlap(network()).organizations}
    assert set(spread) == {"a", "b", "c", "d", "e", "f", "z"}
    assert [s.organization.id for s in overlap(network()).organizations][:2] == ["a", "b"]
    a = spread["a"]
    assert a.count == 2 and a.representatives == 2
    assert [(c.id, c.role) for c in a.constellations] == [("big", "convener"), ("small", "partner")]
    assert [(c.id, c.role) for c in spread["z"].constellations] == [
        ("lone", "convener"),
        ("other", "convener"),
    ]


def test_an_empty_workspace_has_no_pairs():
    report = overlap(G([]))
    assert report.pairs == [] and report.organizations == [] and report.constellations == 0
    assert report.pairs_sharing_nobody == 0
