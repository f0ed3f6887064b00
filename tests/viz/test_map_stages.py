"""Issue 17 on the map: each constellation carries its stages, titled by its step in the
workspace's process, so the page can colour by the stage on the date shown."""

from __future__ import annotations

import datetime as dt

from constellation.graph import build_graph
from constellation.viz import build_map
from tests.viz.conftest import page_data


def test_constellations_carry_their_numbered_stages_oldest_first():
    G = build_graph(
        [
            {
                "id": "c",
                "kind": "constellation",
                "label": "Career CAN",
                "properties": {
                    "stages": [
                        {"stage": "prioritize_contributing_indicators", "reached": "2019-05-01"},
                        {"stage": "verify_outcomes_and_indicators", "reached": "2017-11-01"},
                    ]
                },
            },
            {"id": "d", "kind": "constellation", "label": "No stage"},
        ],
        as_of=dt.date(2020, 1, 1),
    )
    records = page_data(build_map(G, audit=False))["records"]
    assert records["c"]["stages"] == [
        ["2017-11-01", "1. Verify outcomes & indicators"],
        ["2019-05-01", "4. Prioritize contributing indicators"],
    ]
    assert "stages" not in records["d"]


def test_a_partnerships_own_stages_number_the_titles():
    G = build_graph(
        [
            {"id": "i", "kind": "initiative", "label": "I", "properties": {"stages": ["Plan"]}},
            {
                "id": "c",
                "kind": "constellation",
                "label": "C",
                "properties": {"stages": [{"stage": "Plan", "reached": "2019-05-01"}]},
            },
        ],
        as_of=dt.date(2020, 1, 1),
    )
    assert page_data(build_map(G, audit=False))["records"]["c"]["stages"] == [
        ["2019-05-01", "1. Plan"]
    ]
