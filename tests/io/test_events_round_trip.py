"""The records issue 13 adds (events, tie quality, convener criteria) go out and come back in
every format that both exports and imports: the formats read the vocabulary, not a list."""

from __future__ import annotations

import pytest

from tests.helpers.imports import do_export, do_import

NODES = [
    {
        "id": "unite",
        "kind": "organization",
        "label": "UNITE-LA",
        "properties": {
            "sector": "business",
            "has_stable_capacity": True,
            "standing_in": ["workforce"],
        },
    },
    {
        "id": "lemmon",
        "kind": "person",
        "label": "Carrie Lemmon",
        "properties": {"seniority": "direct_report", "expertise": ["workforce"]},
    },
    {"id": "jobs", "kind": "constellation", "label": "Subsidized Jobs Workgroup"},
    {
        "id": "session",
        "kind": "event",
        "label": "Youth feedback session",
        "properties": {
            "event_type": "stakeholder_feedback",
            "date": "2024-03-14",
            "stakeholders": ["students", "parents"],
        },
    },
]
EDGES = [
    {
        "kind": "convenes",
        "source": "unite",
        "target": "jobs",
        "properties": {
            "role": "co",
            "representative": "lemmon",
            "skills": True,
            "bandwidth": False,
            "trust": 3.5,
            "value_power": 2.0,
        },
    },
    {"kind": "held_for", "source": "session", "target": "jobs"},
    {
        "kind": "attended",
        "source": "lemmon",
        "target": "session",
        "properties": {"role": "convener"},
    },
    {"kind": "attended", "source": "unite", "target": "session"},
]

# formats that both export and import, with the name their file is imported under
ROUND_TRIPS = [
    ("native", "native"),
    ("graphml", "graphml"),
    ("gexf", "gexf"),
    ("csv", "csv"),
    ("kumu", "kumu"),
    ("kumu-xlsx", "kumu"),
]


def records(store, workspace):
    with store.repository() as repo:
        nodes = {n.id: (n.kind, n.label, n.properties) for n in repo.query_nodes(workspace)}
        edges = {(e.kind, e.source, e.target): e.properties for e in repo.query_edges(workspace)}
    return nodes, edges


@pytest.mark.parametrize(("export", "read_as"), ROUND_TRIPS)
def test_events_and_tie_quality_survive_a_round_trip(store, export, read_as):
    with store.repository() as repo:
        repo.create_workspace("src")
        repo.bulk_upsert("src", NODES, EDGES)
    content, _media, filename = do_export(store, "src", export)
    do_import(store, "back", [(filename, content)], format=read_as)
    assert records(store, "back") == records(store, "src")
    nodes, edges = records(store, "back")
    assert nodes["session"][0] == "event"
    assert nodes["session"][2]["stakeholders"] == ["students", "parents"]
    assert edges[("convenes", "unite", "jobs")]["trust"] == 3.5


def test_an_event_tied_to_what_it_cannot_belong_to_is_refused(store):
    from constellation.errors import InvalidRecords

    with store.repository() as repo:
        repo.create_workspace("w")
    with pytest.raises(InvalidRecords, match="held_for"), store.repository() as repo:
        repo.bulk_upsert("w", NODES, [{"kind": "held_for", "source": "session", "target": "unite"}])
    assert records(store, "w") == ({}, {})
