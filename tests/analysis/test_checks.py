"""Each check on small hand-made graphs: where it must fire, where it must not, edge cases."""

from __future__ import annotations

import datetime as dt

import pytest

from constellation.analysis.backbones import duplicate_backbones
from constellation.analysis.constellations import (
    dormant_constellations,
    missing_plans,
    narrow_constellations,
    unaligned_constellations,
)
from constellation.analysis.conveners import convener_overload, leaderless_constellations
from constellation.analysis.goals import orphan_goals, unmeasured_goals
from constellation.analysis.network import single_points_of_failure
from constellation.analysis.params import AuditParams
from constellation.analysis.signers import disengaged_signers
from tests.helpers.builders import LAST_YEAR, TODAY, G, edge, group, node, org  # noqa: F401

ALL_PLANS = {
    "has_charter": True,
    "has_action_plan": True,
    "has_data_plan": True,
    "has_disparities_plan": True,
}


def ids(findings, position=0):
    return sorted(f.subjects[position].id for f in findings)


# ----------------------------------------------------------------- duplicate_backbones


def test_duplicate_backbones_fires_once_per_area_listing_every_claimant():
    g = G(
        [node("edu", "issue_area"), node("health", "issue_area"), org("a"), org("b"), org("c")],
        [
            edge("backbone_for", "a", "edu"),
            edge("backbone_for", "b", "edu"),
            edge("backbone_for", "c", "edu"),
            edge("backbone_for", "c", "health"),
        ],
    )
    findings = duplicate_backbones(g)
    assert len(findings) == 1
    assert findings[0].subjects[0].id == "edu"
    assert findings[0].evidence["claimants"] == ["a", "b", "c"]
    assert findings[0].severity == "high"


def test_one_backbone_per_area_is_fine():
    g = G(
        [node("edu", "issue_area"), node("health", "issue_area"), org("a"), org("b")],
        [edge("backbone_for", "a", "edu"), edge("backbone_for", "b", "health")],
    )
    assert duplicate_backbones(g) == []


def test_a_backbone_claim_that_ended_last_year_does_not_count():
    g = G(
        [node("edu", "issue_area"), org("a"), org("b")],
        [edge("backbone_for", "a", "edu"), edge("backbone_for", "b", "edu", valid_to="2023-06-30")],
    )
    assert duplicate_backbones(g) == []


# ----------------------------------------------------------------- orphan_goals


def test_orphan_goal_fires_when_only_inactive_groups_advance_it():
    g = G(
        [
            node("g1", "goal"),
            node("g2", "goal"),
            group("planned", "planned"),
            group("dormant", "dormant"),
            group("gone", "disbanded"),
            group("forming", "forming"),
        ],
        [edge("advances", c, "g1") for c in ("planned", "dormant", "gone", "forming")],
    )
    findings = orphan_goals(g)
    assert ids(findings) == ["g1", "g2"]
    g1 = next(f for f in findings if f.subjects[0].id == "g1")
    assert g1.evidence["inactive_constellations"] == {
        "planned": 1,
        "dormant": 1,
        "disbanded": 1,
        "forming": 1,
    }
    assert "Launch" in g1.suggestion


def test_goal_advanced_by_an_active_group_directly_or_through_an_indicator_is_not_orphan():
    g = G(
        [node("g1", "goal"), node("g2", "goal"), node("i2", "indicator"), group("c1"), group("c2")],
        [edge("advances", "c1", "g1"), edge("advances", "c2", "i2"), edge("measures", "i2", "g2")],
    )
    assert orphan_goals(g) == []


def test_a_group_launched_after_the_audit_date_does_not_count_yet():
    g = G([node("g1", "goal"), group("c1", launched="2025-01-01")], [edge("advances", "c1", "g1")])
    assert ids(orphan_goals(g)) == ["g1"]
    later = G(
        [node("g1", "goal"), group("c1", launched="2025-01-01")],
        [edge("advances", "c1", "g1")],
        as_of=dt.date(2025, 6, 1),
    )
    assert orphan_goals(later) == []


def test_a_group_disbanded_before_the_audit_date_does_not_count():
    g = G([node("g1", "goal"), group("c1", disbanded="2023-12-31")], [edge("advances", "c1", "g1")])
    assert ids(orphan_goals(g)) == ["g1"]


# ----------------------------------------------------------------- convener_overload


def _convening(n_groups, partners_each=0, capacity=None, role="primary"):
    nodes = [org("u", **({"staff_capacity": capacity} if capacity is not None else {}))]
    edges = []
    for i in range(n_groups):
        nodes.append(group(f"c{i}"))
        edges.append(edge("convenes", "u", f"c{i}", properties={"role": role}))
        for j in range(partners_each):
            nodes.append(org(f"p{i}-{j}"))
            edges.append(edge("participates_in", f"p{i}-{j}", f"c{i}"))
    return G(nodes, edges)


def test_convener_overload_fires_above_the_count_threshold():
    f = convener_overload(_convening(4))[0]
    assert f.evidence["active_constellations"] == 4
    assert f.subjects[0].id == "u"


def test_convener_overload_fires_on_load_beyond_capacity():
    # 2 groups × 6 partners = load 12; capacity 1 FTE × 10 = 10
    f = convener_overload(_convening(2, partners_each=6, capacity=1))[0]
    assert (f.evidence["load"], f.evidence["capacity"]) == (12, 10)
    assert f.severity == "medium"


def test_convener_within_limits_is_fine():
    assert convener_overload(_convening(3, partners_each=3, capacity=1)) == []


def test_co_convening_weighs_less():
    # as co-convener the load is 2 × 6 × 0.5 = 6, within a capacity of 10
    assert convener_overload(_convening(2, partners_each=6, capacity=1, role="co")) == []


def test_only_active_groups_count_toward_overload():
    g = _convening(4)
    g.nodes["c0"]["status"] = "disbanded"
    assert convener_overload(g) == []


def test_overload_thresholds_are_parameters_and_findings_rank_by_load():
    g = G(
        [org("a"), org("b")] + [group(f"c{i}") for i in range(4)] + [org("p1"), org("p2")],
        [
            edge("convenes", "a", "c0"),
            edge("convenes", "a", "c1"),
            edge("convenes", "b", "c2"),
            edge("convenes", "b", "c3"),
            edge("participates_in", "p1", "c2"),
            edge("participates_in", "p2", "c3"),
        ],
    )
    assert convener_overload(g) == []
    findings = convener_overload(g, AuditParams(max_active_convened=1))
    assert [f.subjects[0].id for f in findings] == ["b", "a"]


# ----------------------------------------------------------------- leaderless


def test_leaderless_fires_for_active_and_forming_groups_only():
    g = G([group("a"), group("f", "forming"), group("p", "planned"), group("d", "disbanded")])
    findings = leaderless_constellations(g)
    assert ids(findings) == ["a", "f"]
    assert {f.subjects[0].id: f.severity for f in findings} == {"a": "high", "f": "medium"}


def test_a_co_convened_group_is_not_leaderless():
    g = G(
        [group("c"), org("a"), org("b")],
        [
            edge("convenes", "a", "c", properties={"role": "co"}),
            edge("convenes", "b", "c", properties={"role": "co"}),
        ],
    )
    assert leaderless_constellations(g) == []


def test_a_convener_who_stopped_last_year_leaves_the_group_leaderless():
    g = G([group("c"), org("a")], [edge("convenes", "a", "c", valid_to="2023-12-31")])
    assert ids(leaderless_constellations(g)) == ["c"]


# ----------------------------------------------------------------- unaligned


def test_unaligned_fires_for_live_groups_without_goals():
    g = G(
        [
            group("a"),
            group("b"),
            group("gone", "disbanded"),
            node("g", "goal"),
            node("i", "indicator"),
        ],
        [edge("advances", "b", "i")],
    )
    assert ids(unaligned_constellations(g)) == ["a"]


# ----------------------------------------------------------------- narrow


def test_narrow_fires_for_thin_and_single_sector_groups():
    g = G(
        [
            group("thin"),
            group("single"),
            group("fine"),
            org("a", "health"),
            org("b", "health"),
            org("c", "health"),
            org("d", "business"),
        ],
        [
            edge("convenes", "a", "thin"),
            *[edge("participates_in", x, "single") for x in "abc"],
            *[edge("participates_in", x, "fine") for x in "abd"],
        ],
    )
    findings = {f.subjects[0].id: f for f in narrow_constellations(g)}
    assert set(findings) == {"thin", "single"}
    assert findings["thin"].severity == "medium"  # thin and single-sector
    assert findings["single"].evidence["sectors"] == ["health"]


def test_narrow_thresholds_are_parameters():
    g = G(
        [group("c"), org("a", "health"), org("b", "labor")],
        [edge("participates_in", "a", "c"), edge("participates_in", "b", "c")],
    )
    assert ids(narrow_constellations(g)) == ["c"]
    assert narrow_constellations(g, {"min_partners": 2}) == []


# ----------------------------------------------------------------- dormant


def test_dormant_fires_for_marked_and_quiet_groups():
    g = G(
        [
            group("marked", "dormant"),
            group("quiet", last_activity="2022-01-01"),
            group("busy", last_activity="2024-05-01"),
            group("gone", "disbanded", last_activity="2010-01-01"),
        ]
    )
    findings = {f.subjects[0].id: f for f in dormant_constellations(g)}
    assert set(findings) == {"marked", "quiet"}
    assert findings["quiet"].evidence["days_quiet"] == (TODAY - dt.date(2022, 1, 1)).days


def test_dormant_threshold_is_a_parameter():
    g = G([group("quiet", last_activity="2024-01-01")])
    assert dormant_constellations(g) == []
    assert ids(dormant_constellations(g, {"dormant_after_days": 30})) == ["quiet"]


# ----------------------------------------------------------------- missing_plans


def test_missing_plans_lists_what_is_missing_and_grades_it():
    g = G(
        [
            group("none"),
            group("no-disparities", **(ALL_PLANS | {"has_disparities_plan": False})),
            group("all", **ALL_PLANS),
            group("planned", "planned"),
        ]
    )
    findings = {f.subjects[0].id: f for f in missing_plans(g)}
    assert set(findings) == {"none", "no-disparities"}
    assert findings["none"].severity == "medium"
    assert findings["none"].evidence["missing"] == [
        "charter",
        "action plan",
        "data plan",
        "disparities plan",
    ]
    assert findings["no-disparities"].severity == "low"


# ----------------------------------------------------------------- unmeasured


def test_unmeasured_goals_and_empty_indicators():
    g = G(
        [
            node("g1", "goal"),
            node("g2", "goal"),
            node("i1", "indicator"),
            node("i2", "indicator", values=[{"date": "2020-01-01", "value": 58}]),
        ],
        [edge("measures", "i1", "g1"), edge("measures", "i2", "g1")],
    )
    findings = unmeasured_goals(g)
    assert {(f.subjects[0].id, f.severity) for f in findings} == {("g2", "medium"), ("i1", "low")}


# ----------------------------------------------------------------- signers


def _signers(extra_nodes=(), extra_edges=()):
    return G(
        [
            node("compact", "initiative"),
            node("sg", "stewardship_group"),
            org("a"),
            org("b"),
            group("c"),
            node("deputy", "person"),
            *extra_nodes,
        ],
        [
            edge("signs", "a", "compact"),
            edge("signs", "b", "compact"),
            edge("participates_in", "a", "c"),
            edge("represents", "deputy", "a"),
            edge("member_of", "deputy", "sg"),
            *extra_edges,
        ],
    )


def test_signer_in_nothing_and_unrepresented_gets_two_findings():
    findings = disengaged_signers(_signers())
    assert {(f.subjects[0].id, f.evidence["reason"]) for f in findings} == {
        ("b", "in_no_constellation"),
        ("b", "no_stewardship_representative"),
    }


def test_signer_in_a_disbanded_group_only_takes_part_in_nothing():
    g = _signers([group("old", "disbanded")], [edge("participates_in", "b", "old")])
    reasons = {f.evidence["reason"] for f in disengaged_signers(g) if f.subjects[0].id == "b"}
    assert "in_no_constellation" in reasons


def test_engaged_signers_are_fine():
    g = _signers(
        [node("rep", "person")],
        [
            edge("convenes", "b", "c"),
            edge("represents", "rep", "b"),
            edge("member_of", "rep", "sg"),
        ],
    )
    assert disengaged_signers(g) == []


# ----------------------------------------------------------------- single points of failure


def test_sole_convener_without_succession_plan_is_a_single_point_of_failure():
    g = G(
        [
            org("u"),
            org("v", has_succession_plan=True),
            org("a"),
            org("b"),
            group("c1"),
            group("c2"),
            group("c3"),
            group("co"),
        ],
        [
            edge("convenes", "u", "c1"),
            edge("convenes", "u", "c2"),
            edge("convenes", "v", "c3"),
            edge("convenes", "a", "co"),
            edge("convenes", "b", "co"),
        ],
    )
    sole = [f for f in single_points_of_failure(g) if f.evidence["reason"] == "sole_convener"]
    assert [f.subjects[0].id for f in sole] == ["u"]
    assert sole[0].evidence["constellations"] == ["c1", "c2"]
    assert sole[0].severity == "high"


def test_cut_points_are_found_with_their_split():
    # two groups joined only through the broker
    g = G(
        [org("broker"), org("a"), org("b"), group("c1"), group("c2"), org("x"), org("y")],
        [
            edge("convenes", "a", "c1"),
            edge("participates_in", "x", "c1"),
            edge("participates_in", "broker", "c1"),
            edge("participates_in", "broker", "c2"),
            edge("convenes", "b", "c2"),
            edge("participates_in", "y", "c2"),
        ],
    )
    cuts = {
        f.subjects[0].id: f
        for f in single_points_of_failure(g)
        if f.evidence["reason"] == "cut_point"
    }
    assert "broker" in cuts
    assert cuts["broker"].evidence["parts_after"] == 2
    assert cuts["broker"].evidence["cut_off"] == 3


def test_a_well_knit_network_has_no_cut_points():
    g = G(
        [org("a"), org("b"), group("c")],
        [
            edge("convenes", "a", "c"),
            edge("convenes", "b", "c"),
            edge("collaborates_with", "a", "b"),
        ],
    )
    assert [f for f in single_points_of_failure(g) if f.evidence["reason"] == "cut_point"] == []


@pytest.mark.parametrize(
    "check",
    [
        duplicate_backbones,
        orphan_goals,
        convener_overload,
        leaderless_constellations,
        unaligned_constellations,
        narrow_constellations,
        dormant_constellations,
        missing_plans,
        unmeasured_goals,
        disengaged_signers,
        single_points_of_failure,
    ],
)
def test_every_check_handles_an_empty_graph_and_keys_are_stable(check):
    assert check(G([])) == []
    g = G(
        [
            node("g", "goal"),
            group("c"),
            org("u"),
            node("edu", "issue_area"),
            org("v"),
            node("i", "initiative"),
        ],
        [
            edge("convenes", "u", "c"),
            edge("backbone_for", "u", "edu"),
            edge("backbone_for", "v", "edu"),
            edge("signs", "v", "i"),
        ],
    )
    first = [f.key for f in check(g)]
    assert first == [
        f.key
        for f in check(
            G(
                [
                    node("g", "goal"),
                    group("c"),
                    org("u"),
                    node("edu", "issue_area"),
                    org("v"),
                    node("i", "initiative"),
                ],
                [
                    edge("convenes", "u", "c"),
                    edge("backbone_for", "u", "edu"),
                    edge("backbone_for", "v", "edu"),
                    edge("signs", "v", "i"),
                ],
                as_of=dt.date(2030, 1, 1),
            )
        )
    ]
    assert len(set(first)) == len(first)


def _ring_of_groups():
    """Three clusters of groups and partners strung together by two broker organizations."""
    nodes, edges = [org("b1"), org("b2")], []
    for k in range(3):
        for i in range(3):
            nodes.append(group(f"c{k}{i}"))
            nodes.append(org(f"o{k}{i}"))
            edges.append(edge("convenes", f"o{k}{i}", f"c{k}{i}"))
            edges.append(edge("participates_in", f"o{k}{(i + 1) % 3}", f"c{k}{i}"))
    edges += [
        edge("participates_in", "b1", "c00"),
        edge("participates_in", "b1", "c10"),
        edge("participates_in", "b2", "c11"),
        edge("participates_in", "b2", "c20"),
    ]
    return G(nodes, edges)


def test_igraph_path_agrees_with_networkx_on_the_same_network():
    from constellation.analysis.network import network_figures

    exact = _ring_of_groups()
    forced = _ring_of_groups()
    big = AuditParams(exact_measures_up_to=0)
    a = {f.key: f.evidence for f in single_points_of_failure(exact)}
    b = {f.key: f.evidence for f in single_points_of_failure(forced, big)}
    assert a == b and any(k.endswith("b1:cut_point") for k in a)
    fa, fb = network_figures(exact), network_figures(forced, big)
    assert fb["measures"]["method"] == "igraph" and not fb["measures"]["approximate"]
    for key in ("density", "components", "nodes", "edges"):
        assert fa[key] == fb[key]
    assert fa["brokers"] == fb["brokers"]
    assert sum(fa["communities"]["sizes"]) == sum(fb["communities"]["sizes"]) == 20


def test_sampled_betweenness_is_marked_approximate():
    from constellation.analysis.network import network_figures

    figures = network_figures(
        _ring_of_groups(), AuditParams(exact_measures_up_to=0, betweenness_exact_up_to=0)
    )
    assert figures["measures"]["approximate"] is True
    assert "sampled" in figures["measures"]["note"]
    assert figures["brokers"], "the brokers are still named"


def test_a_second_convenes_edge_between_the_same_pair_counts_once():
    g = G(
        [org("u"), group("c0"), group("c1")],
        [
            edge("convenes", "u", "c0", id="a"),
            edge("convenes", "u", "c0", id="b"),
            edge("convenes", "u", "c1", id="c"),
            edge("convenes", "u", "c1", id="d"),
        ],
    )
    assert convener_overload(g, {"max_active_convened": 1})[0].evidence["constellations"] == [
        "c0",
        "c1",
    ]
    sole = [f for f in single_points_of_failure(g) if f.evidence["reason"] == "sole_convener"]
    assert sole and sole[0].evidence["constellations"] == ["c0", "c1"]


def test_forming_groups_count_in_the_population_of_the_checks_that_judge_them():
    from constellation.analysis.audit import run_audit

    g = G(
        [
            group("led"),
            org("u"),
            group("f1", "forming"),
            group("f2", "forming"),
            node("goal", "goal"),
        ],
        [
            edge("convenes", "u", "led"),
            edge("convenes", "u", "f1"),
            edge("convenes", "u", "f2"),
            *[edge("advances", c, "goal") for c in ("led", "f1", "f2")],
        ],
    )
    g.nodes["f2"]["status"] = "forming"
    parts = run_audit(g).summary["health"]["by_check"]
    assert parts["leaderless_constellations"]["population"] == 3
    assert parts["unaligned_constellations"]["population"] == 3


def test_status_follows_the_dates_of_a_group_disbanded_since():
    later = {"status": "disbanded", "launched": "2015-01-01", "disbanded": "2020-06-01"}
    then = G(
        [node("g", "goal"), group("c", **later)],
        [edge("advances", "c", "g")],
        as_of=dt.date(2018, 1, 1),
    )
    assert then.nodes["c"]["status"] == "active" and orphan_goals(then) == []
    now = G([node("g", "goal"), group("c", **later)], [edge("advances", "c", "g")])
    assert now.nodes["c"]["status"] == "disbanded" and ids(orphan_goals(now)) == ["g"]
