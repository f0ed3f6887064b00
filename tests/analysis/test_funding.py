"""Joint-funding opportunities on small hand-made graphs, and on the L.A. Compact demo."""

from __future__ import annotations

import datetime as dt

import pytest

from constellation.analysis.findings import Finding, make_key
from constellation.analysis.funding import (
    UNKNOWN_CURRENCY,
    FundingReport,
    funding_opportunities,
)
from constellation.errors import InvalidRecords, NotFound
from tests.helpers.builders import LAST_YEAR, TODAY, G, edge, group, node, org  # noqa: F401


def funds(source, target, amount=1000, currency="USD", funding_type="grant", **extra):
    props = {"amount": amount, "currency": currency, "funding_type": funding_type}
    return edge(
        "funds",
        source,
        target,
        properties={k: v for k, v in props.items() if v is not None},
        **extra,
    )


def on_goal(groups, goal="g1"):
    return [edge("advances", c, goal) for c in groups]


def join(org_id, *groups):
    return [edge("participates_in", org_id, c) for c in groups]


BASE = [
    org("lausd"),
    org("ucla"),
    org("f1", "philanthropy"),
    org("f2", "philanthropy"),
    node("g1", "goal"),
    node("g2", "goal"),
    node("edu", "issue_area"),
    group("a"),
    group("b"),
    group("c"),
]


def constellations_of(finding: Finding) -> list[str]:
    return finding.evidence["constellations"]


# ------------------------------------------------------------------- joint opportunities


def test_groups_on_one_goal_sharing_a_partner_are_a_joint_opportunity():
    report = funding_opportunities(G(BASE, on_goal("ab") + join("lausd", "a", "b")))
    [f] = report.joint_opportunities
    assert f.check == "joint_opportunity" and f.severity.value == "info"
    assert constellations_of(f) == ["a", "b"]
    assert f.evidence["goal"] == "g1"
    assert f.evidence["shared_partners"] == {"lausd": ["a", "b"]}
    assert [s.id for s in f.subjects] == ["g1", "a", "b"]
    assert f.key == make_key("joint_opportunity", "g1", "a", "b")


def test_no_opportunity_without_enough_shared_partners():
    unshared = G(BASE, on_goal("ab") + join("lausd", "a") + join("ucla", "b"))
    assert not funding_opportunities(unshared).joint_opportunities
    one_shared = G(BASE, on_goal("ab") + join("lausd", "a", "b"))
    assert not funding_opportunities(
        one_shared, params={"min_shared_partners": 2}
    ).joint_opportunities


def test_no_opportunity_for_groups_on_different_goals():
    g = G(
        BASE, [edge("advances", "a", "g1"), edge("advances", "b", "g2")] + join("lausd", "a", "b")
    )
    assert not funding_opportunities(g).joint_opportunities


def test_a_goal_reached_through_an_indicator_counts():
    g = G(
        BASE + [node("ind", "indicator")],
        [edge("measures", "ind", "g1"), edge("advances", "a", "ind"), edge("advances", "b", "g1")]
        + join("lausd", "a", "b"),
    )
    assert [constellations_of(f) for f in funding_opportunities(g).joint_opportunities] == [
        ["a", "b"]
    ]


def test_one_funder_jointly_funding_two_of_them_means_no_opportunity():
    shared = on_goal("ab") + join("lausd", "a", "b")
    joint = G(
        BASE,
        shared + [funds("f1", "a", funding_type="joint"), funds("f1", "b", funding_type="joint")],
    )
    report = funding_opportunities(joint)
    assert not report.joint_opportunities
    assert any("already share joint funding from F1" in n for n in report.notes)
    # a plain grant to both, or joint grants from two different funders, is not joint funding
    grants = G(BASE, shared + [funds("f1", "a"), funds("f1", "b")])
    assert len(funding_opportunities(grants).joint_opportunities) == 1
    two = G(
        BASE,
        shared + [funds("f1", "a", funding_type="joint"), funds("f2", "b", funding_type="joint")],
    )
    assert len(funding_opportunities(two).joint_opportunities) == 1


def test_clusters_are_connected_components_of_sharing_partners():
    nodes = BASE + [group("d"), group("e"), org("x"), org("y")]
    edges = (
        on_goal("abcde")
        + join("lausd", "a", "b")
        + join("ucla", "b", "c")
        + join("x", "d", "e")
        + join("y", "a")
    )
    found = funding_opportunities(G(nodes, edges)).joint_opportunities
    assert [constellations_of(f) for f in found] == [["a", "b", "c"], ["d", "e"]]
    assert found[0].evidence["shared_partners"] == {"lausd": ["a", "b"], "ucla": ["b", "c"]}


def test_groups_that_are_not_active_take_no_part():
    nodes = BASE + [group("d", status="dormant"), group("e", status="disbanded")]
    g = G(nodes, on_goal("ade") + join("lausd", "a", "d", "e"))
    assert not funding_opportunities(g).joint_opportunities


def test_each_groups_funding_is_summed_per_currency_never_across():
    g = G(
        BASE,
        on_goal("ab")
        + join("lausd", "a", "b")
        + [
            funds("f1", "a", 100, "USD"),
            funds("f2", "a", 50, "usd"),
            funds("f2", "a", 70, "EUR"),
            funds("f1", "a", None),
            funds("f1", "a", 5, None),
        ],
    )
    [f] = funding_opportunities(g).joint_opportunities
    a = f.evidence["funding"]["a"]
    assert a["totals"] == {"EUR": 70.0, "USD": 150.0, UNKNOWN_CURRENCY: 5.0}
    assert a["amount_unknown"] == 1 and a["grants"] == 5
    assert a["funders"] == ["f1", "f2"]
    assert f.evidence["funding"]["b"]["totals"] == {} and f.evidence["unfunded"] == ["b"]
    assert "F1, F2" in f.suggestion


# ------------------------------------------------------------------------------ unfunded


def test_active_groups_without_funding_are_listed_funded_and_inactive_ones_are_not():
    nodes = BASE + [group("d", status="dormant")]
    report = funding_opportunities(G(nodes, [funds("f1", "a")]))
    assert [f.subjects[0].id for f in report.unfunded] == ["b", "c"]
    assert all(
        f.check == "unfunded_constellation" and f.severity.value == "low" for f in report.unfunded
    )
    assert report.unfunded[0].key == make_key("unfunded_constellation", "b")


def test_funding_that_ended_last_year_no_longer_counts():
    ended = [funds("f1", "a", valid_to=LAST_YEAR)]
    now = funding_opportunities(G(BASE, ended))
    assert "a" in [f.subjects[0].id for f in now.unfunded]
    then = funding_opportunities(G(BASE, ended, as_of=dt.date(2023, 1, 1)))
    assert "a" not in [f.subjects[0].id for f in then.unfunded]


def test_a_grant_period_that_ended_counts_as_past_even_without_valid_to():
    over = funds("f1", "a")
    over["properties"]["period_end"] = LAST_YEAR
    assert "a" in [f.subjects[0].id for f in funding_opportunities(G(BASE, [over])).unfunded]
    running = funds("f1", "a")
    running["properties"]["period_end"] = "2030-12-31"
    assert "a" not in [f.subjects[0].id for f in funding_opportunities(G(BASE, [running])).unfunded]


def test_the_funders_listed_are_the_organizations_that_fund_something_now():
    over = funds("f2", "b", amount=5)
    over["properties"]["period_end"] = LAST_YEAR
    g = G(BASE, [funds("f1", "a", amount=300), funds("f1", "lausd", amount=200), over])
    whole = funding_opportunities(g)
    assert [(f.id, f.grants, f.totals) for f in whole.funders] == [("f1", 2, {"USD": 500.0})]
    # the same list whoever the report looks from, so a picker can switch between them
    assert funding_opportunities(g, "f2").funders == whole.funders
    assert funding_opportunities(G(BASE, [])).funders == []


def test_with_a_funder_only_groups_that_fit_its_portfolio_are_listed():
    g = G(
        BASE + [group("d")],
        [
            funds("f1", "a"),
            edge("advances", "a", "g1"),
            edge("advances", "b", "g1"),
            edge("advances", "c", "g2"),
        ],
    )
    report = funding_opportunities(g, "f1")
    [f] = report.unfunded
    assert f.subjects[0].id == "b"
    assert f.evidence["matching_goals"] == ["g1"]
    assert "G1" in f.message and "F1" in f.message


def test_a_group_fits_a_portfolio_through_an_issue_area():
    g = G(
        BASE,
        [
            funds("f1", "a"),
            edge("advances", "a", "g1"),
            edge("advances", "b", "g2"),
            edge("in_area", "g1", "edu"),
            edge("in_area", "g2", "edu"),
        ],
    )
    [f] = funding_opportunities(g, "f1").unfunded
    assert f.subjects[0].id == "b"
    assert f.evidence["matching_goals"] == [] and f.evidence["matching_issue_areas"] == ["edu"]
    assert "Edu" in f.message
    no_area = G(BASE, [funds("f1", "a"), edge("advances", "a", "g1"), edge("advances", "b", "g2")])
    assert not funding_opportunities(no_area, "f1").unfunded


def test_funding_an_organization_counts_the_goals_of_its_groups():
    g = G(
        BASE,
        [
            funds("f1", "lausd"),
            edge("participates_in", "lausd", "a"),
            edge("advances", "a", "g1"),
            edge("advances", "b", "g1"),
            edge("advances", "c", "g2"),
        ],
    )
    assert [f.subjects[0].id for f in funding_opportunities(g, "f1").unfunded] == ["a", "b"]


def test_a_funder_that_funds_nothing_yet_is_told_so_and_sees_every_unfunded_group():
    g = G(BASE, [funds("f1", "a"), edge("advances", "b", "g1")])
    report = funding_opportunities(g, "f2")
    assert any(n.startswith("F2 funds nothing on 2024-06-01") for n in report.notes)
    assert [f.subjects[0].id for f in report.unfunded] == ["b", "c"]
    assert not report.co_funders
    assert not any("funds nothing" in n for n in funding_opportunities(g, "f1").notes)


def test_a_network_with_no_current_funding_says_so():
    report = funding_opportunities(G(BASE, [funds("f1", "a", valid_to=LAST_YEAR)]))
    assert any("No funding is current on 2024-06-01" in n for n in report.notes)
    assert not any(
        "No funding" in n for n in funding_opportunities(G(BASE, [funds("f1", "a")])).notes
    )


# ---------------------------------------------------------------------------- co-funders


def test_funders_of_the_same_goal_are_co_funders_with_their_totals():
    g = G(
        BASE,
        [
            funds("f1", "a", 100, "USD"),
            funds("f2", "b", 80, "EUR"),
            funds("f2", "c", 20, "USD"),
            edge("advances", "a", "g1"),
            edge("advances", "b", "g1"),
            edge("advances", "c", "g2"),
        ],
    )
    [f] = funding_opportunities(g).co_funders
    assert f.check == "co_funders" and f.key == make_key("co_funders", "f1", "f2")
    assert f.evidence["shared_goals"] == ["g1"]
    assert f.evidence["overlap_share"] == pytest.approx(1 / 2)
    assert f.evidence["funders"]["f1"]["totals"] == {"USD": 100.0}
    assert f.evidence["funders"]["f2"]["totals"] == {"EUR": 80.0, "USD": 20.0}
    assert [s.id for s in f.subjects[:2]] == ["f1", "f2"]


def test_funders_of_different_goals_are_not_co_funders():
    g = G(
        BASE,
        [
            funds("f1", "a"),
            funds("f2", "b"),
            edge("advances", "a", "g1"),
            edge("advances", "b", "g2"),
        ],
    )
    assert not funding_opportunities(g).co_funders


def test_with_a_funder_only_the_others_overlapping_with_it_are_listed_it_first():
    nodes = BASE + [org("f3", "philanthropy")]
    g = G(nodes, [funds("f1", "a"), funds("f2", "b"), funds("f3", "c")] + on_goal("abc"))
    assert len(funding_opportunities(g).co_funders) == 3
    found = funding_opportunities(g, "f2").co_funders
    assert [[s.id for s in f.subjects[:2]] for f in found] == [["f2", "f1"], ["f2", "f3"]]


def test_funding_that_ended_makes_no_co_funder():
    g = G(BASE, [funds("f1", "a", valid_to=LAST_YEAR), funds("f2", "b")] + on_goal("ab"))
    assert not funding_opportunities(g).co_funders


# ------------------------------------------------------------------------- shape, errors


def test_the_report_has_the_three_lists_of_findings_and_notes_as_json():
    report = funding_opportunities(G(BASE, on_goal("ab") + join("lausd", "a", "b")))
    assert isinstance(report, FundingReport)
    dumped = report.model_dump(mode="json")
    assert set(dumped) == {
        "joint_opportunities",
        "unfunded",
        "co_funders",
        "grantees",
        "by_year",
        "funders",
        "notes",
    }
    assert dumped["joint_opportunities"][0]["subjects"][0] == {
        "id": "g1",
        "kind": "goal",
        "label": "G1",
    }


def test_an_unknown_funder_is_not_found():
    with pytest.raises(NotFound) as err:
        funding_opportunities(G(BASE), "nobody")
    assert err.value.ident == "nobody"


def test_a_funder_that_is_not_an_organization_is_refused_naming_the_field():
    with pytest.raises(InvalidRecords) as err:
        funding_opportunities(G(BASE), "a")
    assert err.value.problems[0].field == "funder"


def test_bad_params_are_refused_naming_the_field():
    with pytest.raises(InvalidRecords) as err:
        funding_opportunities(G(BASE), params={"min_shared_partners": 0})
    assert err.value.problems[0].field == "params.min_shared_partners"


# --------------------------------------------------------------------------- the demo


def test_funding_on_the_la_compact_demo(tmp_path, demo_databases, pinned_today):
    from constellation.graph import load_graph
    from constellation.store import Store

    bechtel = "sd-bechtel-jr-foundation"
    store = Store(demo_databases.sqlite(tmp_path / "d.db", ("la-compact",)))
    with store.repository() as repo:
        # seed 001: Bechtel's joint-funding grant (2015) was renewed in 2016
        mid_2016 = load_graph(repo, "la-compact", as_of=dt.date(2016, 6, 1))
        today = load_graph(repo, "la-compact")
        # the demo's last grants end on 2027-12-31
        after_the_grants = load_graph(repo, "la-compact", as_of=dt.date(2028, 6, 1))
    store.close()

    report = funding_opportunities(mid_2016)
    funders = {
        f
        for opp in report.joint_opportunities
        for grants in opp.evidence["funding"].values()
        for f in grants["funders"]
    }
    assert bechtel in funders
    assert report.joint_opportunities
    laepp = [
        o
        for o in report.joint_opportunities
        if "la-educator-pathways-partnership" in o.evidence["constellations"]
    ]
    assert laepp and "S.D. Bechtel, Jr. Foundation" in laepp[0].suggestion

    mine = funding_opportunities(mid_2016, bechtel)
    assert not any("funds nothing" in n for n in mine.notes)
    assert all(
        f.evidence["matching_goals"] or f.evidence["matching_issue_areas"] for f in mine.unfunded
    )

    # while the demo's grants run (today is pinned to 2026-06-01) co-funders are found
    now = funding_opportunities(today)
    assert now.co_funders
    assert not any("No funding is current" in n for n in now.notes)
    # once they have all ended, the report explains, not stays silent
    later = funding_opportunities(after_the_grants)
    assert later.co_funders == []
    assert any("No funding is current" in n for n in later.notes)
