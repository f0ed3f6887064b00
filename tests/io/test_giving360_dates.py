"""360Giving files as publishers write them: dates day first (DD/MM/YYYY, D/M/YYYY) or ISO,
several funders in one file, and a date that cannot be read named by row and column."""

from __future__ import annotations

import json

import pytest

from constellation.errors import InvalidRecords
from constellation.io.dates import DayReader
from tests.helpers.imports import do_import, state, xlsx
from tests.io.test_giving360 import ROWS, flat_csv


def row(grant_id, award, start, end, recipient="GB-CHC-1000001", funder="GB-CHC-2000002"):
    cells = list(ROWS[0])
    cells[0], cells[5], cells[6], cells[7] = grant_id, award, start, end
    cells[8], cells[11] = recipient, funder
    return cells


def test_day_first_csv_dates_are_read_as_british_publishers_write_them(store, empty):
    rows = [
        row("360G-a-1", "05/06/2014", "1/7/2014", "30/06/2016"),
        row("360G-a-2", "2015-02-03", "03.02.2015", "31-01-2017", funder="GB-COH-999"),
        row("360G-a-3", "12/12/2019 00:00", "", ""),
    ]
    report = do_import(store, empty, [("grants.csv", flat_csv(rows))])
    assert report.edges_created == ["360G-a-1", "360G-a-2", "360G-a-3"]
    with store.repository() as repo:
        one = repo.get_edge(empty, "360G-a-1")
        assert one.attributes["awardDate"] == "2014-06-05"  # 5 June, day first
        assert (one.properties["period_start"], one.properties["period_end"]) == (
            "2014-07-01",
            "2016-06-30",
        )
        assert (one.valid_from.isoformat(), one.valid_to.isoformat()) == (
            "2014-07-01",
            "2016-06-30",
        )
        two = repo.get_edge(empty, "360G-a-2")
        assert two.source == "GB-COH-999"  # a second funder in the same file
        assert (two.properties["period_start"], two.properties["period_end"]) == (
            "2015-02-03",
            "2017-01-31",
        )
        assert repo.get_edge(empty, "360G-a-3").valid_from.isoformat() == "2019-12-12"


def test_day_first_json_dates(store, empty):
    grant = {
        "id": "360G-j-1",
        "title": "Grant",
        "currency": "GBP",
        "amountAwarded": 100,
        "awardDate": "05/06/2014",
        "plannedDates": [{"startDate": "01/07/2014", "endDate": "2016-06-30T00:00:00Z"}],
        "recipientOrganization": [{"id": "GB-CHC-1", "name": "Trust"}],
        "fundingOrganization": [{"id": "GB-CHC-2", "name": "Fund"}],
    }
    do_import(store, empty, [("g.json", json.dumps({"grants": [grant]}).encode())])
    with store.repository() as repo:
        e = repo.get_edge(empty, "360G-j-1")
        assert e.attributes["awardDate"] == "2014-06-05"
        assert (e.properties["period_start"], e.properties["period_end"]) == (
            "2014-07-01",
            "2016-06-30",
        )


def test_a_date_that_cannot_be_read_names_row_and_column_and_nothing_is_written(store, empty):
    rows = [
        row("360G-b-1", "05/06/2014", "", ""),
        row("360G-b-2", "31/02/2014", "", ""),
        row("360G-b-3", "2014-06-05", "next spring", ""),
    ]
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("grants.csv", flat_csv(rows))])
    found = {(p.position, p.field, p.record) for p in info.value.problems}
    assert found == {
        ("grants.csv row 3, column Award Date", "Award Date", "360G-b-2"),
        (
            "grants.csv row 4, column Planned Dates:Start Date",
            "Planned Dates:Start Date",
            "360G-b-3",
        ),
    }
    messages = " ".join(p.message for p in info.value.problems)
    assert "'31/02/2014' is not a date on the calendar" in messages
    assert "'next spring' is not a date: write it as YYYY-MM-DD" in messages
    assert state(store, empty) == before


def test_a_file_mixing_conventions_reports_the_dates_that_read_two_ways(store, empty):
    rows = [
        row("360G-c-1", "06/25/2014", "", ""),  # only month first: 25 is no month
        row("360G-c-2", "05/06/2014", "", ""),  # 5 June or 6 May
        row("360G-c-3", "25/06/2014", "", ""),  # only day first: fine
        row("360G-c-4", "07/07/2014", "", ""),  # the same either way: fine
    ]
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("grants.csv", flat_csv(rows))])
    by_record = {p.record: p.message for p in info.value.problems}
    assert sorted(by_record) == ["360G-c-1", "360G-c-2"]
    assert "written month first" in by_record["360G-c-1"]
    assert "2014-06-05 (day first) or 2014-05-06 (month first)" in by_record["360G-c-2"]
    assert state(store, empty) == before


def test_the_day_reader_on_its_own():
    days = DayReader()
    read = lambda v: days.read(v, position="p", field="f")  # noqa: E731
    assert [read(v) for v in ("2014-06-05", "5/6/2014", "05.06.2014", "", None)] == [
        "2014-06-05",
        "2014-06-05",
        "2014-06-05",
        None,
        None,
    ]
    assert days.problems == []  # day first throughout: nothing read two ways is reported


def test_a_360giving_workbook_with_real_dates_and_day_first_text(store, empty):
    import datetime as dt

    from tests.io.test_giving360 import HEADER

    first = row("360G-x-1", "", "01/07/2014", "30/06/2016")
    first[5] = dt.datetime(2014, 6, 5)  # a date cell, as spreadsheets keep them
    first[4] = 25000  # a number cell
    second = row("360G-x-2", "05/06/2015", "", "", recipient="GB-CHC-3000003")
    book = xlsx(
        {"Notes": [["Published by the Gulf Coast Foundation"]], "grants": [HEADER, first, second]}
    )
    report = do_import(store, empty, [("grants.xlsx", book)])
    assert report.format == "360giving"
    assert report.edges_created == ["360G-x-1", "360G-x-2"]
    assert [n.position for n in report.notes] == ["grants.xlsx sheet Notes"]
    with store.repository() as repo:
        one = repo.get_edge(empty, "360G-x-1")
        assert one.attributes["awardDate"] == "2014-06-05"
        assert one.properties["amount"] == 25000
        assert (one.properties["period_start"], one.properties["period_end"]) == (
            "2014-07-01",
            "2016-06-30",
        )
        assert repo.get_edge(empty, "360G-x-2").attributes["awardDate"] == "2015-06-05"


def test_a_bad_date_in_a_workbook_names_its_sheet_row_and_column(store, empty):
    from tests.io.test_giving360 import HEADER

    book = xlsx({"grants": [HEADER, row("360G-y-1", "32/01/2015", "", "")]})
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("grants.xlsx", book)])
    assert [p.position for p in info.value.problems] == [
        "grants.xlsx sheet grants row 2, column Award Date"
    ]
    assert state(store, empty) == before


PUBLISHED = (
    "\ufeffIdentifier,Title,Description,Currency,Amount Awarded,Award Date,"
    "Planned Dates:Start Date,Planned Dates:End Date,Planned Dates:Duration (months),"
    "Recipient Org:Identifier,Recipient Org:Name,Recipient Org:Charity Number,"
    "Recipient Org:Postal Code,Funding Org:Identifier,Funding Org:Name,"
    "Beneficiary Location:Name,Beneficiary Location:Country Code,Grant Programme:Title,"
    "Last Modified,Data Source\r\n"
    "360G-wf-0001,Youth club,Running costs,GBP,5000,05/06/2014,01/07/2014,30/06/2015,12,"
    "GB-CHC-1000001,Escambia Data Trust,1000001,PE1 1AA,GB-CHC-9000009,Westfield Fund,"
    "Peterborough,GB,Communities,2014-06-05T10:00:00+00:00,https://example.org/grants\r\n"
    "360G-wf-0002,Youth club (year 2),Running costs,GBP,5500,1/7/2015,1/7/2015,30/6/2016,12,"
    "GB-CHC-1000001,ESCAMBIA DATA TRUST LTD,1000001,PE1 1AA,GB-CHC-9000009,Westfield Fund,"
    "Peterborough,GB,Communities,2015-07-01T10:00:00+00:00,https://example.org/grants\r\n"
    "360G-sf-0001,Library,Books,GBP,800,12/03/2016,,,,"
    "GB-CHC-1000001,Escambia Data Trust,1000001,PE1 1AA,GB-COH-0777,Southfield Trust,"
    "Cambridge,GB,,2016-03-12T10:00:00+00:00,https://example.org/grants\r\n"
).encode("utf-8")
"""A flat 360Giving file as publishers write it: a byte-order mark, CRLF, day-first dates with
and without leading zeros, ISO timestamps, two funders, one recipient spelled two ways under
one identifier, beneficiary locations."""


def test_a_published_shape_file_makes_one_node_per_identifier(store, empty):
    report = do_import(store, empty, [("grants.csv", PUBLISHED)])
    assert report.format == "360giving"
    assert sorted(report.nodes_created) == ["GB-CHC-1000001", "GB-CHC-9000009", "GB-COH-0777"]
    with store.repository() as repo:
        trust = repo.get_node(empty, "GB-CHC-1000001")
        assert trust.label == "Escambia Data Trust"
        assert trust.attributes["aliases"] == ["ESCAMBIA DATA TRUST LTD"]
        second = repo.get_edge(empty, "360G-wf-0002")
        assert second.attributes["awardDate"] == "2015-07-01"
        assert (second.properties["period_start"], second.properties["period_end"]) == (
            "2015-07-01",
            "2016-06-30",
        )
        assert second.attributes["beneficiaryLocation"] == [
            {"name": "Peterborough", "countryCode": "GB"}
        ]
        assert repo.get_edge(empty, "360G-sf-0001").source == "GB-COH-0777"
    again = do_import(store, empty, [("grants.csv", PUBLISHED)])
    assert again.counts()["nodes"]["unchanged"] == 3 and again.counts()["edges"]["unchanged"] == 3
