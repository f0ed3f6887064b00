"""Indicator trends on hand-made series; every expected number is worked out in a comment."""

from __future__ import annotations

import datetime as dt

import pytest

from constellation.analysis.indicators import indicator_trend, indicator_trends
from constellation.graph import build_graph


def series(*pairs, group=None):
    return [{"date": f"{year}-01-01", "value": v, "group": group} for year, v in pairs]


READING = {
    "id": "reading",
    "kind": "indicator",
    "label": "Reading on grade level",
    "properties": {
        "unit": "percent",
        "baseline": 50,
        "baseline_date": "2018-01-01",
        "target": 60,
        "target_date": "2024-01-01",
        "values": series((2018, 50), (2019, 52), (2020, 54), (2021, 56)),
    },
}
ABSENCE = {
    "id": "absence",
    "kind": "indicator",
    "label": "Chronic absence",
    "properties": {
        "unit": "percent",
        "baseline": 20,
        "target": 10,
        "target_date": "2024-01-01",
        "values": series((2018, 20), (2019, 19), (2020, 17), (2021, 16)),
    },
}
GRADUATION = {
    "id": "graduation",
    "kind": "indicator",
    "label": "Graduation",
    "properties": {
        "unit": "percent",
        "baseline": 70,
        "values": series((2018, 70), (2021, 75))
        + series((2018, 80), (2021, 88), group="race: A")
        + series((2018, 62), (2021, 64), group="race: B")
        + series((2018, 72), (2021, 73), group="geography: North")
        + series((2018, 70), (2021, 72), group="geography: South"),
    },
}
GOALS = [
    {"id": "g1", "kind": "goal", "label": "Read"},
    {"id": "g2", "kind": "goal", "label": "Graduate"},
]
MEASURES = [
    {"kind": "measures", "source": "reading", "target": "g1"},
    {"kind": "measures", "source": "absence", "target": "g2"},
    {"kind": "measures", "source": "graduation", "target": "g2"},
]
TODAY = dt.date(2022, 6, 1)


@pytest.fixture
def G():
    return build_graph([READING, ABSENCE, GRADUATION, *GOALS], MEASURES, as_of=TODAY)


def test_a_series_that_reaches_its_target(G):
    t = indicator_trend(G, "reading").model_dump(mode="json")
    # the last three values (2019: 52, 2020: 54, 2021: 56) rise 2 a year exactly,
    # so on 2024-01-01 the line is at 56 + 3 × 2 = 62, past the target 60
    assert t["forecast"]["slope_per_year"] == 2.0
    assert t["forecast"]["window"] == 3
    assert t["forecast"]["start"] == {
        "date": "2021-01-01",
        "value": 56.0,
        "group": None,
        "note": None,
    }
    assert t["forecast"]["end"]["date"] == "2024-01-01"
    assert t["forecast"]["value_at_target_date"] == 62.0
    assert t["reaches_target"] is True
    assert t["latest"]["value"] == 56.0
    assert t["change_since_baseline"] == 6.0  # 56 − 50
    assert t["distance_to_target"] == 4.0  # 60 − 56 still to go
    assert t["target_met"] is False
    assert t["direction"] == "higher"
    assert [g["id"] for g in t["goals"]] == ["g1"]
    assert t["widest_gap"] is None


def test_a_series_that_misses_its_target_lower_is_better(G):
    t = indicator_trend(G, "absence")
    # a target (10) below the baseline (20): lower is better.
    # last three: x = 2019, 2020, 2021, y = 19, 17, 16; mean x 2020, mean y 52/3;
    # slope = ((−1)(19 − 52/3) + (1)(16 − 52/3)) / 2 = (−5/3 − 4/3) / 2 = −1.5 a year;
    # on 2024-01-01: 52/3 − 1.5 × 4 = 11.333…, still above 10: it misses
    assert t.direction == "lower"
    assert t.forecast.slope_per_year == -1.5
    assert t.forecast.value_at_target_date == pytest.approx(11.3333, abs=1e-4)
    assert t.reaches_target is False
    assert t.change_since_baseline == -4.0  # 16 − 20
    assert t.distance_to_target == 6.0  # 16 − 10 still to come down
    assert "the trend misses it by 2024-01-01" in t.status


def test_a_disaggregated_series_with_a_widening_gap(G):
    t = indicator_trend(G, "graduation")
    # the whole-population series ignores the groups: 70 then 75
    assert [p.value for p in t.values] == [70.0, 75.0]
    assert [g.group for g in t.groups] == [
        "geography: North",
        "geography: South",
        "race: A",
        "race: B",
    ]
    by_key = {g.key: g for g in t.gaps}
    # race on 2021-01-01: A 88, B 64, gap 24; on 2018-01-01: 80 − 62 = 18 → widening
    race = by_key["race"]
    assert (race.best, race.worst, race.gap, race.earlier_gap) == ("A", "B", 24.0, 18.0)
    assert race.trend == "widening" and race.widening is True
    assert race.message == (
        "the gap between A and B (race) is 24 points and widening (it was 18 on 2018-01-01)"
    )
    # geography: 2021 South 72 vs North 73 is 1; 2018 North 72 vs South 70 was 2 → narrowing
    geo = by_key["geography"]
    assert (geo.best, geo.worst, geo.gap, geo.earlier_gap) == ("North", "South", 1.0, 2.0)
    assert geo.trend == "narrowing" and geo.widening is False
    assert t.widest_gap == race
    # no target: nothing to reach or to go
    assert t.reaches_target is None and t.distance_to_target is None


def test_values_after_the_date_are_not_read():
    G = build_graph([READING], as_of=dt.date(2020, 6, 1))
    t = indicator_trend(G, "reading")
    assert t.latest.value == 54.0  # 2021's 56 is not known yet
    # the last three known (50, 52, 54) still rise 2 a year: 54 + 4 × 2 = 62 in 2024
    assert t.forecast.value_at_target_date == 62.0


def test_no_data_and_a_single_value_give_no_forecast():
    one = {
        "id": "one",
        "kind": "indicator",
        "label": "One",
        "properties": {"baseline": 3, "values": series((2017, 3))},
    }
    none = {"id": "none", "kind": "indicator", "label": "None", "properties": {}}
    G = build_graph([one, none], as_of=TODAY)
    by_id = {t.id: t for t in indicator_trends(G)}
    assert by_id["one"].forecast is None and by_id["one"].change_since_baseline == 0.0
    assert by_id["none"].latest is None and by_id["none"].status == "no data yet"


def test_by_goal_and_window(G):
    assert [t.id for t in indicator_trends(G, "g2")] == ["absence", "graduation"]
    # over all four values (2018..2021: 20, 19, 17, 16): mean x 2019.5, mean y 18;
    # slope = (−1.5·2 − 0.5·1 + 0.5·(−1) + 1.5·(−2)) / 5 = −7/5 = −1.4
    t = indicator_trend(G, "absence", {"forecast_window": 4})
    assert t.forecast.slope_per_year == -1.4
