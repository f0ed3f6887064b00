"""Partner recommendations on small hand-made graphs, and on the L.A. Compact demo."""

from __future__ import annotations

import datetime as dt

import pytest

from constellation.analysis.conveners import convener_load
from constellation.analysis.index import index_of
from constellation.analysis.recommend import PARTS, Profile, RecommendParams, recommend
from constellation.errors import InvalidRecords, NotFound
from tests.helpers.builders import LAST_YEAR, TODAY, G, edge, group, node, org  # noqa: F401

DEFAULTS = RecommendParams()


def by_id(recs):
    return {r.constellation.id: r for r in recs}


def part(recs, c, name):
    return by_id(recs)[c].parts[name]


# ------------------------------------------------------------------ membership, status


def test_groups_it_convenes_co_convenes_or_joins_are_left_out_others_are_not():
    g = G(
        [org("me"), group("joined"), group("led"), group("coled"), group("open")],
        [
            edge("participates_in", "me", "joined"),
            edge("convenes", "me", "led"),
            edge("convenes", "me", "coled", properties={"role": "co"}),
        ],
    )
    assert set(by_id(recommend(g, "me"))) == {"open"}


def test_disbanded_groups_are_never_recommended_dormant_ones_are():
    g = G([org("me"), group("gone", status="disbanded"), group("sleepy", status="dormant")])
    assert set(by_id(recommend(g, "me"))) == {"sleepy"}


def test_disbanded_by_date_is_left_out_only_from_that_date():
    nodes = [org("me"), group("g", disbanded="2024-01-01")]
    assert by_id(recommend(G(nodes, as_of=dt.date(2023, 6, 1)), "me"))
    assert not recommend(G(nodes, as_of=TODAY), "me")


def test_status_ranks_active_forming_planned_dormant_when_all_else_is_equal():
    statuses = ["dormant", "planned", "active", "forming"]
    g = G([org("me")] + [group(s, status=s) for s in statuses])
    recs = recommend(g, "me")
    assert [r.constellation.id for r in recs] == ["active", "forming", "planned", "dormant"]
    assert [r.parts["status"].score for r in recs] == [
        DEFAULTS.status_scores[s] for s in ("active", "forming", "planned", "dormant")
    ]
    assert recs[-1].reason.endswith("dormant: joining could help revive it.")


def test_membership_that_ended_last_year_no_longer_excludes_the_group():
    nodes = [org("me"), group("old")]
    edges = [edge("participates_in", "me", "old", valid_to=LAST_YEAR)]
    assert "old" in by_id(recommend(G(nodes, edges), "me"))
    assert "old" not in by_id(recommend(G(nodes, edges, as_of=dt.date(2023, 1, 1)), "me"))


# ------------------------------------------------------------------------- goal fit


def _goals_graph(extra_edges=()):
    return G(
        [
            org("me"),
            node("g1", "goal"),
            node("g2", "goal"),
            node("edu", "issue_area"),
            node("ind", "indicator"),
            group("direct"),
            group("via_indicator"),
            group("elsewhere"),
            group("mine"),
        ],
        [
            edge("advances", "direct", "g1"),
            edge("measures", "ind", "g2"),
            edge("advances", "via_indicator", "ind"),
            edge("participates_in", "me", "mine"),
            *extra_edges,
        ],
    )


def test_goal_fit_counts_goals_advanced_directly_and_through_an_indicator():
    recs = recommend(_goals_graph(), profile={"goals": ["g1", "g2"]})
    assert part(recs, "direct", "goal_fit").score == pytest.approx(0.5)
    assert part(recs, "via_indicator", "goal_fit").score == pytest.approx(0.5)
    assert part(recs, "elsewhere", "goal_fit").score == 0
    assert by_id(recs)["via_indicator"].evidence["matched_goals"] == ["g2"]


def test_goals_of_a_chosen_issue_area_count_only_through_in_area_edges():
    with_area = recommend(
        _goals_graph([edge("in_area", "g1", "edu")]), profile={"issue_areas": ["edu"]}
    )
    without = recommend(_goals_graph(), profile={"issue_areas": ["edu"]})
    assert part(with_area, "direct", "goal_fit").score == 1
    assert part(without, "direct", "goal_fit").score == 0


def test_an_existing_org_cares_about_its_groups_goals_and_its_backbone_areas_goals():
    from_group = recommend(_goals_graph([edge("advances", "mine", "g1")]), "me")
    from_backbone = recommend(
        _goals_graph([edge("in_area", "g2", "edu"), edge("backbone_for", "me", "edu")]), "me"
    )
    neither = recommend(_goals_graph(), "me")
    assert part(from_group, "direct", "goal_fit").score == 1
    assert part(from_backbone, "via_indicator", "goal_fit").score == 1
    assert all(r.parts["goal_fit"].score == 0 for r in neither)
    assert by_id(neither)["direct"].reason.startswith("We know none of your goals yet")


def test_a_signer_in_no_group_falls_back_on_the_goals_it_signed_up_to():
    nodes = [
        org("me"),
        org("busy"),
        node("compact", "initiative"),
        node("g1", "goal"),
        node("g2", "goal"),
        group("a"),
        group("mine"),
    ]
    edges = [
        edge("signs", "me", "compact"),
        edge("signs", "busy", "compact"),
        edge("pursues", "compact", "g1"),
        edge("advances", "a", "g1"),
        edge("advances", "mine", "g2"),
    ]
    idle = by_id(recommend(G(nodes, edges), "me"))["a"]
    assert idle.parts["goal_fit"].score == 1
    assert "the goals you signed up to" in idle.reason
    busy = G(nodes, edges + [edge("participates_in", "busy", "mine")])
    assert part(recommend(busy, "busy"), "a", "goal_fit").score == 0


# ----------------------------------------------------------------------- sector gap


def _sector_graph():
    return G(
        [
            org("me", "business"),
            org("h1", "health"),
            org("h2", "health"),
            org("edu", "education"),
            org("biz", "business"),
            group("single"),
            group("mixed"),
            group("has_business"),
            group("empty"),
        ],
        [
            edge("participates_in", "h1", "single"),
            edge("participates_in", "h2", "single"),
            edge("participates_in", "h1", "mixed"),
            edge("participates_in", "edu", "mixed"),
            edge("participates_in", "biz", "has_business"),
            edge("participates_in", "edu", "has_business"),
        ],
    )


def test_bringing_a_missing_sector_counts_more_for_a_single_sector_group():
    recs = recommend(_sector_graph(), "me")
    assert part(recs, "single", "sector_gap").score == 1
    assert part(recs, "mixed", "sector_gap").score == DEFAULTS.multi_sector_gap_score
    assert "single-sector group (health only)" in by_id(recs)["single"].reason
    assert "would bring the business sector it lacks" in by_id(recs)["mixed"].reason


def test_no_sector_gap_when_the_group_already_has_the_sector_or_the_sector_is_unknown():
    recs = recommend(_sector_graph(), "me")
    assert part(recs, "has_business", "sector_gap").score == 0
    assert "business" not in by_id(recs)["has_business"].reason
    unknown = recommend(_sector_graph(), profile={"partners": []})
    assert all(r.parts["sector_gap"].score == 0 for r in unknown)


def test_a_profile_sector_is_normalised_and_wins_over_the_recorded_one():
    recs = recommend(_sector_graph(), "me", profile={"sector": "Health"})
    assert part(recs, "single", "sector_gap").score == 0
    assert part(recs, "has_business", "sector_gap").score > 0


# ------------------------------------------------------------------- shared partners


def test_shared_partners_count_co_members_ties_funding_and_profile_partners():
    g = G(
        [
            org("me"),
            org("co"),
            org("tie"),
            org("funder"),
            org("named"),
            org("stranger"),
            org("loner"),
            group("mine"),
            group("target"),
        ],
        [
            edge("participates_in", "me", "mine"),
            edge("participates_in", "co", "mine"),
            edge("collaborates_with", "tie", "me"),
            edge("funds", "funder", "me"),
        ]
        + [
            edge("participates_in", o, "target")
            for o in ("co", "tie", "funder", "named", "stranger")
        ],
    )
    rec = by_id(recommend(g, "me", profile={"partners": ["named"]}))["target"]
    assert rec.evidence["shared_partner_ids"] == ["co", "funder", "named", "tie"]
    assert rec.parts["shared_partners"].score == 1
    assert "you already work with 4 of its members" in rec.reason
    alone = by_id(recommend(g, "loner"))
    assert alone["mine"].parts["shared_partners"].score == 0
    assert "you already work with" not in alone["mine"].reason


def test_a_tie_that_ended_last_year_is_no_longer_a_shared_partner():
    nodes = [org("me"), org("old"), group("target")]
    edges = [
        edge("collaborates_with", "me", "old", valid_to=LAST_YEAR),
        edge("participates_in", "old", "target"),
    ]
    assert part(recommend(G(nodes, edges), "me"), "target", "shared_partners").score == 0
    then = G(nodes, edges, as_of=dt.date(2023, 1, 1))
    assert part(recommend(then, "me"), "target", "shared_partners").score > 0


def test_shared_partner_score_saturates_at_partners_for_full_score():
    partners = [org(f"p{i}") for i in range(2)]
    g = G(
        [org("me"), *partners, group("t")],
        [edge("collaborates_with", "me", p["id"]) for p in partners]
        + [edge("participates_in", p["id"], "t") for p in partners],
    )
    assert part(recommend(g, "me"), "t", "shared_partners").score == pytest.approx(
        2 / DEFAULTS.partners_for_full_score, abs=1e-3
    )
    full = recommend(g, "me", params={"partners_for_full_score": 2})
    assert part(full, "t", "shared_partners").score == 1


# ------------------------------------------------------------------ convener capacity


def _convener_graph():
    partners = [org(f"p{i}") for i in range(3)]
    return G(
        [
            org("me"),
            org("roomy", staff_capacity=1),
            org("busy", staff_capacity=0.1),
            org("unknown"),
            *partners,
            group("has_room"),
            group("stretched"),
            group("leaderless"),
            group("unrecorded"),
            group("coled"),
        ],
        [
            edge("convenes", "roomy", "has_room"),
            edge("convenes", "busy", "stretched"),
            edge("convenes", "unknown", "unrecorded"),
            edge("convenes", "busy", "coled"),
            edge("convenes", "roomy", "coled", properties={"role": "co"}),
        ]
        + [
            edge("participates_in", p["id"], c)
            for p in partners
            for c in ("has_room", "stretched", "coled")
        ],
    )


def test_convener_capacity_uses_convener_load():
    g = _convener_graph()
    recs = recommend(g, "me")
    ix = index_of(g)
    roomy, busy = (convener_load(ix, o, DEFAULTS.audit) for o in ("roomy", "busy"))
    assert roomy["capacity"] - roomy["load"] >= 1 > busy["capacity"] - busy["load"]
    assert part(recs, "has_room", "convener_capacity").score == pytest.approx(
        (roomy["capacity"] - roomy["load"]) / roomy["capacity"], abs=1e-3
    )
    assert "its convener has room" in by_id(recs)["has_room"].reason
    assert part(recs, "stretched", "convener_capacity").score == 0
    assert "its convener is stretched" in by_id(recs)["stretched"].reason


def test_a_leaderless_group_is_an_opening_to_convene():
    recs = recommend(_convener_graph(), "me")
    assert part(recs, "leaderless", "convener_capacity").score == DEFAULTS.leaderless_score
    assert "nobody convenes it yet, an opening to lead it" in by_id(recs)["leaderless"].reason
    assert "nobody convenes" not in by_id(recs)["has_room"].reason


def test_unrecorded_capacity_gets_the_neutral_score_and_no_claim_in_the_reason():
    rec = by_id(recommend(_convener_graph(), "me"))["unrecorded"]
    assert rec.parts["convener_capacity"].score == DEFAULTS.unknown_capacity_score
    assert "convener" not in rec.reason


def test_a_co_convened_group_has_room_if_one_of_its_conveners_has():
    rec = by_id(recommend(_convener_graph(), "me"))["coled"]
    assert rec.evidence["conveners"] == 2
    assert {f["state"] for f in rec.evidence["convener_load"]} == {"room", "stretched"}
    assert rec.parts["convener_capacity"].score > 0
    assert "one of its conveners has room" in rec.reason


def test_a_convener_leading_too_many_groups_is_stretched_whatever_its_capacity():
    groups = [group(f"g{i}") for i in range(DEFAULTS.audit.max_active_convened + 1)]
    g = G(
        [org("me"), org("c", staff_capacity=10), *groups],
        [edge("convenes", "c", x["id"]) for x in groups],
    )
    assert all(r.parts["convener_capacity"].score == 0 for r in recommend(g, "me"))
    fewer = RecommendParams(audit={"max_active_convened": len(groups)})
    assert all(r.parts["convener_capacity"].score > 0 for r in recommend(g, "me", params=fewer))


# ------------------------------------------------------------------ score, reason, limits


def test_score_is_the_sum_of_the_weighted_parts_and_ranks_the_list():
    recs = recommend(_sector_graph(), "me", profile={"goals": []})
    for r in recs:
        assert set(r.parts) == set(PARTS)
        assert r.score == pytest.approx(sum(p.points for p in r.parts.values()), abs=0.05)
        assert 0 <= r.score <= 100
        for p in r.parts.values():
            assert p.points == pytest.approx(p.score * p.weight, abs=0.01)
    assert [r.score for r in recs] == sorted((r.score for r in recs), reverse=True)
    assert sum(DEFAULTS.weights().values()) == pytest.approx(100)


def test_weights_change_the_ranking():
    g = _sector_graph()
    only_sector = {
        "weight_goal_fit": 0,
        "weight_shared_partners": 0,
        "weight_convener_capacity": 0,
        "weight_status": 0,
        "weight_sector_gap": 1,
    }
    recs = recommend(g, "me", params=only_sector)
    assert recs[0].constellation.id in ("single", "empty")
    assert recs[0].score == 100
    assert by_id(recs)["has_business"].score == 0


def test_limit_caps_the_list():
    g = G([org("me")] + [group(f"g{i}") for i in range(5)])
    assert len(recommend(g, "me", limit=2)) == 2
    assert len(recommend(g, "me")) == 5


def test_the_reason_is_one_capitalised_sentence_that_ends_with_the_status():
    rec = recommend(_sector_graph(), "me")[0]
    assert rec.reason[0].isupper() and rec.reason.endswith("active.")
    assert rec.reason.count(".") == 1


# ------------------------------------------------------------------ profiles and errors


def test_a_profile_of_an_organization_not_in_the_graph():
    g = _goals_graph([edge("participates_in", "me", "direct")])
    profile = Profile(label="Newcomer", sector="labor", goals=["g1"], partners=["me"])
    rec = by_id(recommend(g, profile=profile))["direct"]
    assert rec.parts["goal_fit"].score == 1
    assert rec.evidence["shared_partner_ids"] == ["me"]
    assert "would bring the labor sector" in rec.reason
    assert "mine" in by_id(recommend(g, profile=profile))  # nothing is "its own" yet


def test_an_unknown_organization_is_not_found():
    with pytest.raises(NotFound) as err:
        recommend(_goals_graph(), "nobody")
    assert err.value.ident == "nobody" and err.value.what == "node"


def test_a_node_that_is_not_an_organization_is_refused_naming_the_field():
    with pytest.raises(InvalidRecords) as err:
        recommend(_goals_graph(), "g1")
    assert err.value.problems[0].field == "org"
    assert "not an organization" in err.value.problems[0].message


@pytest.mark.parametrize(
    "profile, field",
    [
        ({"goals": ["nope"]}, "profile.goals"),
        ({"goals": ["edu"]}, "profile.goals"),
        ({"issue_areas": ["g1"]}, "profile.issue_areas"),
        ({"partners": ["direct"]}, "profile.partners"),
        ({"sector": "astrology"}, "profile.sector"),
        ({"colour": "blue"}, "profile.colour"),
    ],
)
def test_a_profile_with_unknown_ids_or_fields_is_refused_naming_the_field(profile, field):
    with pytest.raises(InvalidRecords) as err:
        recommend(_goals_graph(), profile=profile)
    assert [p.field for p in err.value.problems] == [field]


def test_neither_an_organization_nor_a_profile_is_refused():
    with pytest.raises(InvalidRecords):
        recommend(_goals_graph())


# --------------------------------------------------------------------------- the demo


def test_recommendations_on_the_la_compact_demo(tmp_path, demo_databases):
    from constellation.graph import load_graph
    from constellation.store import Store

    store = Store(demo_databases.sqlite(tmp_path / "d.db", ("la-compact",)))
    with store.repository() as repo:
        g = load_graph(repo, "la-compact", as_of=dt.date(2017, 5, 23))
    store.close()
    ix = index_of(g)
    for who in ("lausd", "united-way-greater-la", "aala"):
        recs = recommend(g, who, limit=50)
        own = set(ix.targets("convenes", who)) | set(ix.targets("participates_in", who))
        assert recs and not own & {r.constellation.id for r in recs}
        assert all(ix.status(r.constellation.id) != "disbanded" for r in recs)
        assert [r.score for r in recs] == sorted((r.score for r in recs), reverse=True)
    # AALA signs the Compact but takes part in nothing: it is pointed at the Compact's goals
    top = recommend(g, "aala")[0]
    assert top.parts["goal_fit"].score > 0 and "signed up to" in top.reason
    # the Subsidized Jobs Workgroup has no convener: an opening
    leaderless = by_id(recommend(g, "lausd", limit=50))["subsidized-jobs-workgroup"]
    assert "nobody convenes it" in leaderless.reason
