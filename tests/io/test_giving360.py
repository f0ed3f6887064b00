"""360Giving grants: the standard's JSON package and its flat CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest

from constellation.errors import InvalidRecords
from tests.helpers.imports import do_export, do_import, state

GRANTS = {
    "grants": [
        {
            "id": "360G-fdn-001",
            "title": "Data Workgroup seed grant",
            "description": "Seed funding for the shared data platform",
            "currency": "GBP",
            "amountAwarded": 25000,
            "awardDate": "2019-03-01",
            "plannedDates": [
                {"startDate": "2019-04-01T00:00:00+00:00", "endDate": "2021-03-31", "duration": 24}
            ],
            "recipientOrganization": [
                {
                    "id": "GB-CHC-1000001",
                    "name": "Escambia Data Trust",
                    "charityNumber": "1000001",
                    "url": "https://edt.org",
                }
            ],
            "fundingOrganization": [{"id": "GB-CHC-2000002", "name": "Gulf Coast Foundation"}],
            "grantProgramme": [{"title": "Collective Impact"}],
        },
        {
            "id": "360G-fdn-002",
            "title": "Early learning",
            "description": "Kindergarten readiness network",
            "currency": "GBP",
            "amountAwarded": 10000.5,
            "awardDate": "2020-01-15",
            "recipientOrganization": [{"id": "GB-CHC-3000003", "name": "Early Learning Coalition"}],
            "fundingOrganization": [{"id": "GB-CHC-2000002", "name": "Gulf Coast Foundation"}],
        },
        {
            "id": "360G-fdn-003",
            "title": "Bursary",
            "description": "A bursary",
            "currency": "GBP",
            "amountAwarded": 500,
            "awardDate": "2020-02-01",
            "recipientIndividual": {"id": "360G-fdn-ind-1", "name": "Individual Recipient"},
            "fundingOrganization": [{"id": "GB-CHC-2000002", "name": "Gulf Coast Foundation"}],
        },
    ]
}

HEADER = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Planned Dates:Start Date",
    "Planned Dates:End Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Recipient Org:Charity Number",
    "Funding Org:Identifier",
    "Funding Org:Name",
    "Grant Programme:Title",
]


def flat_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode()


ROWS = [
    [
        "360G-fdn-001",
        "Data Workgroup seed grant",
        "Seed funding",
        "GBP",
        "25000",
        "2019-03-01",
        "2019-04-01",
        "2021-03-31",
        "GB-CHC-1000001",
        "Escambia Data Trust",
        "1000001",
        "GB-CHC-2000002",
        "Gulf Coast Foundation",
        "Collective Impact",
    ],
    [
        "360G-fdn-002",
        "Early learning",
        "Readiness",
        "GBP",
        "10000",
        "2020-01-15",
        "",
        "",
        "GB-CHC-3000003",
        "Early Learning Coalition",
        "",
        "GB-CHC-2000002",
        "Gulf Coast Foundation",
        "",
    ],
]


def test_json_grants_become_funds_edges_between_organizations(store, empty):
    report = do_import(store, empty, [("grants.json", json.dumps(GRANTS).encode())])
    assert report.format == "360giving"
    assert sorted(report.nodes_created) == ["GB-CHC-1000001", "GB-CHC-2000002", "GB-CHC-3000003"]
    assert report.edges_created == ["360G-fdn-001", "360G-fdn-002"]
    assert [n.record for n in report.notes] == ["360G-fdn-003"]  # to an individual
    with store.repository() as repo:
        grant = repo.get_edge(empty, "360G-fdn-001")
        assert (grant.kind, grant.source, grant.target) == (
            "funds",
            "GB-CHC-2000002",
            "GB-CHC-1000001",
        )
        assert grant.properties == {
            "amount": 25000.0,
            "currency": "GBP",
            "title": "Data Workgroup seed grant",
            "purpose": "Seed funding for the shared data platform",
            "period_start": "2019-04-01",
            "period_end": "2021-03-31",
            "funding_type": "grant",
        }
        assert grant.valid_from.isoformat() == "2019-04-01"
        assert grant.valid_to.isoformat() == "2021-03-31"
        assert grant.attributes["awardDate"] == "2019-03-01"
        trust = repo.get_node(empty, "GB-CHC-1000001")
        assert trust.kind == "organization" and trust.label == "Escambia Data Trust"
        assert trust.properties == {"website": "https://edt.org"}
        assert trust.attributes == {"charityNumber": "1000001"}
        assert repo.get_edge(empty, "360G-fdn-002").valid_from.isoformat() == "2020-01-15"
    again = do_import(store, empty, [("grants.json", json.dumps(GRANTS).encode())])
    assert again.counts()["edges"]["unchanged"] == 2 and again.counts()["nodes"]["unchanged"] == 3


def test_flat_csv(store, empty):
    report = do_import(store, empty, [("grants.csv", flat_csv(ROWS))])
    assert report.format == "360giving"
    with store.repository() as repo:
        grant = repo.get_edge(empty, "360G-fdn-001")
        assert grant.properties["amount"] == 25000 and grant.properties["currency"] == "GBP"
        assert grant.attributes["grantProgramme"] == [{"title": "Collective Impact"}]
        assert repo.get_node(empty, "GB-CHC-1000001").attributes == {"charityNumber": "1000001"}
    assert do_import(store, empty, [("grants.csv", flat_csv(ROWS))]).counts()["edges"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 2,
    }


def test_bad_grants_are_listed_by_row_and_column(store, empty):
    rows = [
        list(ROWS[0]),
        list(ROWS[1]),
        list(ROWS[1]),
        list(ROWS[1]),
        list(ROWS[0]),
        list(ROWS[0]),
    ]
    rows[0][4] = "£25,000"
    rows[1][3] = "POUNDS"
    rows[2][0], rows[2][11] = "360G-fdn-009", ""
    rows[3][0] = ""
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("grants.csv", flat_csv(rows))])
    positions = {p.position for p in info.value.problems}
    assert positions == {
        "grants.csv row 2, column Amount Awarded",
        "grants.csv row 3, column Currency",
        "grants.csv row 4, column Funding Org:Identifier",
        "grants.csv row 5, column Identifier",
        "grants.csv row 7, column Identifier",
    }  # used twice
    assert state(store, empty) == before


def test_export_as_360giving_json(store, empty):
    do_import(store, empty, [("grants.json", json.dumps(GRANTS).encode())])
    content, media_type, filename = do_export(store, empty, "360giving")
    doc = json.loads(content)
    assert filename == "ws.360giving.json"
    first = next(g for g in doc["grants"] if g["id"] == "360G-fdn-001")
    assert first["amountAwarded"] == 25000 and first["currency"] == "GBP"
    assert first["fundingOrganization"] == [
        {"id": "GB-CHC-2000002", "name": "Gulf Coast Foundation"}
    ]
    assert first["plannedDates"] == [{"startDate": "2019-04-01", "endDate": "2021-03-31"}]
    assert do_import(store, "copy", [(filename, content)]).counts()["edges"]["created"] == 2
