"""The indicator-values CSV: dated values merged into existing indicators, all rows or none."""

from __future__ import annotations

import pytest

from constellation.errors import InvalidRecords
from constellation.io import detect_format, import_files

HEADER = "indicator,date,value,group,note\n"


@pytest.fixture
def ws(repo):
    repo.create_workspace("v")
    repo.bulk_upsert(
        "v",
        [
            {
                "id": "reading",
                "kind": "indicator",
                "label": "Reading on grade level",
                "properties": {
                    "unit": "percent",
                    "baseline": 50,
                    "values": [
                        {"date": "2020-01-01", "value": 50},
                        {"date": "2021-01-01", "value": 51, "note": "draft"},
                    ],
                },
                "tags": ["k12"],
                "attributes": {"owner": "data team"},
            },
            {"id": "g", "kind": "goal", "label": "Read"},
        ],
    )
    return repo


def test_values_are_added_and_replaced_by_date_and_group(ws):
    csv = (
        HEADER
        + "Reading on grade level,2021-01-01,52,,final\n"  # replaces the draft
        + 'reading,2022-01-01,"1,054",,\n'
        + "reading,2022-01-01,60.5,race: A,\n"
    ).encode()
    assert detect_format("values.csv", csv) == "indicator-values"
    report = import_files(ws, "v", [("values.csv", csv)])
    assert report.format == "indicator-values"
    assert report.nodes_updated == ["reading"]
    node = ws.get_node("v", "reading")
    assert node.properties["values"] == [
        {"date": "2020-01-01", "value": 50},
        {"date": "2021-01-01", "value": 52, "note": "final"},
        {"date": "2022-01-01", "value": 1054},
        {"date": "2022-01-01", "value": 60.5, "group": "race: A"},
    ]
    # what else the indicator holds is kept
    assert node.properties["baseline"] == 50 and node.properties["unit"] == "percent"
    assert node.tags == ["k12"] and node.attributes == {"owner": "data team"}
    again = import_files(ws, "v", [("values.csv", csv)])
    assert again.nodes_unchanged == ["reading"]


def test_a_wrong_row_is_named_and_nothing_is_written(ws):
    before = ws.get_node("v", "reading")
    csv = (
        HEADER
        + "reading,2022-01-01,53,,\n"
        + "reading,2022-02-30,54,,\n"
        + "reading,2022-03-01,lots,,\n"
        + "Read,2022-03-01,1,,\n"
        + "nobody,2022-03-01,1,,\n"
    ).encode()
    with pytest.raises(InvalidRecords) as caught:
        import_files(ws, "v", [("values.csv", csv)])
    found = {(p.position, p.message) for p in caught.value.problems}
    assert found == {
        ("values.csv row 3, column date", "'2022-02-30' is not a date; write it as YYYY-MM-DD"),
        ("values.csv row 4, column value", "'lots' is not a number"),
        ("values.csv row 5, column indicator", "'Read' is a goal, not an indicator"),
        (
            "values.csv row 6, column indicator",
            "no indicator 'nobody' in this workspace; add it first (the edit page, or import it)",
        ),
    }
    assert ws.get_node("v", "reading") == before


def test_a_file_without_the_columns_says_which(ws):
    with pytest.raises(InvalidRecords, match="value is missing"):
        import_files(
            ws,
            "v",
            [("values.csv", b"indicator,date\nreading,2022-01-01\n")],
            format="indicator-values",
        )
