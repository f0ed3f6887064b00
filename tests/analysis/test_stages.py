"""Issue 17: where each network stands in seed 002's process (or its partnership's own), and
`stalled_networks` — where it fires, where it must not, the edges of its window."""

from __future__ import annotations

import datetime as dt

import pytest

from constellation import vocabulary as vocab
from constellation.analysis.audit import run_audit
from constellation.analysis.stages import add_months, network_stages, stalled_networks
from constellation.vocabulary import PropertyError, validate_properties
from tests.helpers.builders import TODAY, G, group, node


def staged(id, *stages, status="active"):
    """A group with these (stage, reached) pairs."""
    return group(id, status, stages=[{"stage": s, "reached": d} for s, d in stages])


def ids(findings):
    return [f.subjects[0].id for f in findings]


def test_the_process_is_seed_002s_seven_steps_in_order():
    titles = [t for _, t in vocab.PROCESS_STEPS]
    assert len(titles) == 7
    assert titles[0] == "Verify outcomes & indicators" and titles[-1] == "Continually improve"
    # each name is what its title normalises to, give or take the seed's punctuation
    for name, title in vocab.PROCESS_STEPS:
        assert vocab.stage_name(title).startswith(name)


def test_stages_are_validated_and_normalised_as_people_write_them():
    props = validate_properties(
        "constellation",
        {"stages": [{"stage": "Map Moving Trains", "reached": "2020-01-01", "note": "x"}]},
    )
    assert props["stages"] == [{"stage": "map_moving_trains", "reached": "2020-01-01", "note": "x"}]
    with pytest.raises(PropertyError) as bad:
        validate_properties("constellation", {"stages": [{"stage": "map moving trains"}]})
    assert bad.value.errors == [("stages.0.reached", "Field required")]
    with pytest.raises(PropertyError) as twice:
        validate_properties("initiative", {"stages": ["Plan", "Do", "plan"]})
    assert "stages named twice: Plan, plan" in str(twice.value)
    plan_do = {"stages": ["Plan", "Do"]}
    assert validate_properties("initiative", plan_do) == plan_do


def test_where_a_network_stands_is_the_latest_stage_reached_by_the_date():
    g = G(
        [
            staged(
                "back",
                ("verify_outcomes_and_indicators", "2020-01-01"),
                ("identify_partner_outcomes", "2021-01-01"),
                ("map_moving_trains", "2023-09-01"),  # went back a step
                ("continually_improve", "2030-01-01"),  # after the date: not known yet
            ),
            group("none"),
        ]
    )
    report = network_stages(g)
    back, none = report.networks
    assert back.stage.stage == "map_moving_trains" and back.stage.number == 2
    assert back.stage.reached == dt.date(2023, 9, 1)
    assert back.months_on_stage == 9  # 2023-09-01 to 2024-06-01
    assert [e.stage for e in back.history] == [
        "verify_outcomes_and_indicators",
        "identify_partner_outcomes",
        "map_moving_trains",
    ]
    assert none.stage is None and none.history == [] and not none.stalled
    assert report.source == "seed 002" and len(report.process) == 7


def test_networks_are_listed_furthest_along_first():
    g = G(
        [
            group("unrecorded"),
            staged("early", ("map moving trains", "2024-01-01")),
            staged("late", ("align resources & action", "2024-01-01")),
        ]
    )
    assert [n.constellation.id for n in network_stages(g).networks] == [
        "late",
        "early",
        "unrecorded",
    ]


def test_stalled_after_twelve_months_on_one_step_by_default():
    exactly = add_months(dt.date(2023, 6, 1), 12)
    assert exactly == TODAY
    g = G(
        [
            staged("on_the_day", ("map_moving_trains", "2023-06-01")),  # 12 months to the day
            staged("a_day_more", ("map_moving_trains", "2023-05-31")),
            staged("long", ("map_moving_trains", "2021-01-01")),
        ]
    )
    found = {f.subjects[0].id: f for f in stalled_networks(g)}
    assert set(found) == {"a_day_more", "long"}
    assert found["a_day_more"].severity.value == "low"
    assert found["long"].severity.value == "medium"  # more than twice the limit
    assert found["long"].evidence == {
        "stage": "map_moving_trains",
        "title": "Map moving trains",
        "step": 2,
        "steps": 7,
        "reached": "2021-01-01",
        "months_on_stage": 41,
        "next_stage": "identify_partner_outcomes",
        "stalled_after_months": 12,
    }
    assert "Identify partner outcomes" in found["long"].suggestion
    assert ids(stalled_networks(g)) == ["long", "a_day_more"]  # longest first


def test_the_parameter_moves_the_line():
    g = G([staged("c", ("map_moving_trains", "2022-06-01"))])
    assert ids(stalled_networks(g)) == ["c"]
    assert stalled_networks(g, {"stalled_after_months": 36}) == []


def test_continual_improvement_never_stalls_nor_do_groups_at_rest_or_unrecorded():
    g = G(
        [
            staged("improving", ("continually_improve", "2015-01-01")),
            staged("dormant", ("map_moving_trains", "2015-01-01"), status="dormant"),
            staged("forming", ("map_moving_trains", "2015-01-01"), status="forming"),
            group("unrecorded", launched="2015-01-01"),
        ]
    )
    assert stalled_networks(g) == []
    report = run_audit(g, checks=["stalled_networks"])
    assert report.summary["health"]["by_check"]["stalled_networks"]["population"] == 1


def test_a_partnership_declares_its_own_stages():
    g = G(
        [
            node("compact", "initiative", stages=["Plan", "Do", "Check", "Act"]),
            staged("doing", ("do", "2020-01-01")),
            staged("acting", ("act", "2020-01-01")),  # its last stage: ongoing
            staged("odd", ("map moving trains", "2020-01-01")),  # not one of its stages
        ]
    )
    report = network_stages(g)
    assert report.source == "initiative Compact"
    assert [s.title for s in report.process] == ["Plan", "Do", "Check", "Act"]
    by_id = {n.constellation.id: n for n in report.networks}
    assert (by_id["doing"].stage.number, by_id["doing"].stage.title) == (2, "Do")
    assert by_id["odd"].stage.number is None and by_id["odd"].stage.title == "Map moving trains"
    found = {f.subjects[0].id: f for f in stalled_networks(g)}
    assert set(found) == {"doing", "odd"}
    assert found["doing"].message == (
        "Doing has been on step 2 of 4 (Do) for 53 months, since 2020-01-01."
    )
    assert found["odd"].evidence["next_stage"] is None


def test_illustrative_dates_are_said_so():
    g = G(
        [
            group(
                "made_up",
                stages=[
                    {"stage": "map_moving_trains", "reached": "2024-01-01", "note": "illustrative"}
                ],
            ),
            staged("real", ("map_moving_trains", "2024-01-01")),
        ]
    )
    by_id = {n.constellation.id: n for n in network_stages(g).networks}
    assert by_id["made_up"].illustrative and not by_id["real"].illustrative


def test_the_escambia_demo_shows_its_stalled_networks(demo_store, pinned_today):
    from constellation.analysis.audit import audit_workspace

    with demo_store.repository() as repo:
        report = audit_workspace(repo, "achieve-escambia", checks=["stalled_networks"])
    assert {f.subjects[0].label: f.evidence["step"] for f in report.findings} == {
        "Industry Certification Work Group": 3,
        "Career Readiness CAN": 4,
        "Developmental Screening Indicator Task Force": 5,
    }


def test_the_end_of_the_calendar_is_not_an_error():
    g = G([staged("c", ("map_moving_trains", "9999-06-01"))], as_of=dt.date(9999, 12, 31))
    assert stalled_networks(g, {"stalled_after_months": 600}) == []
    assert network_stages(g).networks[0].months_on_stage == 6
