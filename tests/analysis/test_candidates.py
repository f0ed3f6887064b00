"""Convener candidates on hand-made graphs and on the demo's leaderless Subsidized Jobs
Workgroup: ranked on seed 001's four criteria, overloaded conveners never first."""

from __future__ import annotations

import pytest

from constellation.analysis.candidates import convener_candidates
from constellation.errors import InvalidQuestion, NotFound
from constellation.graph import load_graph
from tests.helpers.builders import G, edge, group, node, org
from tests.helpers.dates import TODAY


def workgroup(*, busy_capacity=0.5, trust=None):
    """A leaderless group with two partners; 'busy' already convenes four groups."""
    groups = [group(f"g{i}", has_charter=True, has_action_plan=True) for i in range(4)]
    return G(
        [
            org("busy", staff_capacity=busy_capacity, standing_in=["jobs"]),
            org("partner", staff_capacity=2),
            org("stranger", staff_capacity=2),
            node("jobs", "goal"),
            group("new"),
            *groups,
        ],
        [
            *[edge("convenes", "busy", g["id"]) for g in groups],
            *[edge("advances", g["id"], "jobs") for g in groups],
            edge("advances", "new", "jobs"),
            edge(
                "participates_in",
                "partner",
                "new",
                properties={"trust": trust} if trust else {},
            ),
            edge("participates_in", "stranger", "g0"),
        ],
    )


def ranked(candidates):
    return [c.organization.id for c in candidates]


def test_the_json_shape_the_issue_names():
    (first, *_) = convener_candidates(workgroup(), "new")
    data = first.model_dump(mode="json")
    assert list(data) == ["organization", "score", "criteria", "reason"]
    assert set(data["organization"]) == {"id", "label"}
    assert list(data["criteria"]) == ["skills", "bandwidth", "fit", "content_knowledge"]
    assert round(sum(c["points"] for c in data["criteria"].values()), 1) == data["score"]


def test_an_overloaded_convener_never_ranks_first_even_when_it_scores_highest():
    found = convener_candidates(workgroup(busy_capacity=100), "new")
    busy = next(c for c in found if c.organization.id == "busy")
    assert busy.criteria["bandwidth"].score == 0  # a fifth group: more than 3
    assert busy.criteria["bandwidth"].evidence["overloaded_now"]
    assert ranked(found)[-1] == "busy"
    assert busy.reason.startswith("Already overloaded")


def test_a_partner_with_spare_capacity_ranks_above_a_stranger():
    assert ranked(convener_candidates(workgroup(), "new"))[:2] == ["partner", "stranger"]


def test_trust_where_recorded_counts_in_fit():
    trusted = convener_candidates(workgroup(trust=4), "new")[0]
    doubted = convener_candidates(workgroup(trust=1), "new")[0]
    assert trusted.criteria["fit"].evidence["trust"] == 4
    assert trusted.criteria["fit"].score > doubted.criteria["fit"].score


def test_current_conveners_are_not_candidates():
    g = workgroup()
    assert "busy" not in ranked(convener_candidates(g, "g0"))


def test_a_described_constellation_that_does_not_exist_yet():
    found = convener_candidates(workgroup(), described={"goals": ["jobs"]})
    assert {"partner", "stranger", "busy"} == set(ranked(found))
    assert all(c.criteria["fit"].evidence["partner"] is False for c in found)
    with pytest.raises(InvalidQuestion, match="not a goal"):
        convener_candidates(workgroup(), described={"goals": ["busy"]})
    with pytest.raises(InvalidQuestion, match="at least one goal"):
        convener_candidates(workgroup(), described={})


def test_bad_questions_are_refused():
    with pytest.raises(NotFound):
        convener_candidates(workgroup(), "nope")
    with pytest.raises(InvalidQuestion, match="is an organization, not a constellation"):
        convener_candidates(workgroup(), "busy")
    with pytest.raises(InvalidQuestion, match="name a constellation"):
        convener_candidates(workgroup())


def test_content_knowledge_reads_standing_and_a_specialist_representative():
    g = G(
        [
            org("a", standing_in=["jobs"]),
            org("b"),
            node("p", "person", seniority="specialist", expertise=["jobs"]),
            node("jobs", "goal"),
            group("new"),
        ],
        [edge("advances", "new", "jobs"), edge("represents", "p", "b")],
    )
    found = {
        c.organization.id: c.criteria["content_knowledge"] for c in convener_candidates(g, "new")
    }
    assert found["a"].evidence["standing_in"] == ["jobs"] and found["a"].score == 0.5
    assert found["b"].evidence["specialists"] == ["p"] and found["b"].score == 0.3


def test_the_demo_subsidized_jobs_workgroup(demo_store, pinned_today):
    with demo_store.repository() as repo:
        g = load_graph(repo, "la-compact", TODAY)
    found = convener_candidates(g, "subsidized-jobs-workgroup", limit=100)
    order = ranked(found)
    unite = found[order.index("unite-la")]
    assert unite.criteria["bandwidth"].evidence["overloaded_now"]
    assert "already overloaded" in unite.reason.lower()
    partners = {
        c.organization.id
        for c in found
        if c.criteria["fit"].evidence["partner"] and c.criteria["bandwidth"].score > 0
    }
    assert partners  # some of its own partners have room to take it on
    assert all(order.index(p) < order.index("unite-la") for p in partners)
    assert found[0].organization.id in partners
    assert "already a partner" in found[0].reason
