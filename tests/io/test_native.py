"""Native JSON: the whole workspace, exported and re-imported with nothing lost."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from constellation.errors import InvalidRecords
from constellation.io import UnreadableFile
from tests.helpers.imports import do_export, do_import, state

_counter = itertools.count()

# any text a person can type: control characters other than tab and newline are refused on input
text = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"), max_size=20
)
label = text.filter(lambda s: s.strip() != "")
floats = st.floats(allow_nan=False, allow_infinity=False, width=64).filter(
    lambda x: x != 0 or math.copysign(1, x) > 0
)
scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | floats | text
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))

PROPS = {
    "organization": st.fixed_dictionaries(
        {},
        optional={
            "sector": st.sampled_from(["education", "business", "health", "non-profit"]),
            "staff_capacity": st.floats(0, 50, allow_nan=False),
            "website": label,
        },
    ),
    "constellation": st.fixed_dictionaries(
        {},
        optional={"status": st.sampled_from(["planned", "active", "dormant"]), "launched": dates},
    ),
    "goal": st.fixed_dictionaries({}, optional={"number": st.integers(0, 99)}),
    "person": st.fixed_dictionaries({}, optional={"title": label}),
}


@st.composite
def workspaces(draw):
    n = draw(st.integers(1, 8))
    nodes = []
    for i in range(n):
        kind = draw(st.sampled_from(sorted(PROPS)))
        start = draw(st.none() | dates)
        end = draw(st.none() | dates.filter(lambda d, start=start: start is None or d >= start))
        nodes.append(
            {
                "id": f"n{i}",
                "kind": kind,
                "label": draw(label),
                "properties": {
                    k: v.isoformat() if isinstance(v, dt.date) else v
                    for k, v in draw(PROPS[kind]).items()
                },
                "attributes": draw(st.dictionaries(text, json_values, max_size=3)),
                "tags": draw(st.lists(label, max_size=3)),
                "valid_from": start.isoformat() if start else None,
                "valid_to": end.isoformat() if end else None,
            }
        )
    edges = []
    for j in range(draw(st.integers(0, 8))):
        s, t = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        edges.append(
            {
                "id": f"e{j}",
                "kind": "related_to",
                "source": f"n{s}",
                "target": f"n{t}",
                "properties": {"relation": draw(label)},
                "attributes": draw(st.dictionaries(text, json_values, max_size=2)),
                "tags": draw(st.lists(label, max_size=2)),
            }
        )
    archived = draw(st.sets(st.integers(0, n - 1), max_size=n))
    bumped = draw(st.sets(st.integers(0, n - 1), max_size=n))
    return nodes, edges, archived, bumped


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=workspaces())
def test_export_import_export_gives_the_same_document(store, data):
    nodes, edges, archived, bumped = data
    a, b = f"a{next(_counter)}", f"b{next(_counter)}"
    with store.repository() as repo:
        repo.create_workspace(a, name="Round trip", description="made by Hypothesis")
        repo.bulk_upsert(a, nodes, edges)
        for i in bumped:
            repo.update_node(a, f"n{i}", {"attributes": {"bumped": True}})
        for i in archived:
            repo.archive_node(a, f"n{i}")
    first, media_type, filename = do_export(store, a, "native")
    assert media_type == "application/json" and filename == f"{a}.constellation.json"
    report = do_import(store, b, [(filename, first)])
    assert report.workspace_created and report.format == "native"
    second, _, _ = do_export(store, b, "native")
    doc_a, doc_b = json.loads(first), json.loads(second)
    assert doc_b["workspace"] == doc_a["workspace"] | {"slug": b}
    doc_a["workspace"]["slug"] = b
    assert doc_b == doc_a
    assert {n["version"] for n in doc_b["nodes"] if n["id"] in {f"n{i}" for i in bumped}} <= {2, 3}
    # and once more into the same workspace: nothing changes
    again = do_import(store, b, [(filename, first)])
    assert not (
        again.nodes_created or again.nodes_updated or again.edges_created or again.edges_updated
    )


def test_document_keeps_everything(store, empty):
    with store.repository() as repo:
        repo.bulk_upsert(
            empty,
            [
                {
                    "id": "unite",
                    "kind": "organization",
                    "label": "UNITE-LA",
                    "properties": {"sector": "business"},
                    "attributes": {"source": "seed 001"},
                    "tags": ["signer"],
                    "valid_from": "2010-01-01",
                },
                {"id": "data", "kind": "constellation", "label": "Data Workgroup"},
            ],
            [{"kind": "convenes", "source": "unite", "target": "data"}],
        )
        repo.archive_node(empty, "data")
    doc = json.loads(do_export(store, empty, "native")[0])
    assert doc["format"] == "constellation" and doc["version"] == 1
    unite = next(n for n in doc["nodes"] if n["id"] == "unite")
    assert unite["attributes"] == {"source": "seed 001"} and unite["tags"] == ["signer"]
    assert unite["valid_from"] == "2010-01-01" and unite["version"] == 1
    data = next(n for n in doc["nodes"] if n["id"] == "data")
    assert data["archived_at"] is not None and data["version"] == 2
    assert doc["edges"][0]["id"] == "unite--convenes--data"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": "other", "nodes": [], "edges": []}', "'other' format"),
        (b'{"format": "constellation", "version": 9, "nodes": []}', "version 9"),
        (b'{"format": "constellation", "nodes": {"a": 1}}', "must be a list"),
    ],
)
def test_broken_documents_are_refused_and_nothing_is_written(store, empty, content, message):
    before = state(store, empty)
    with pytest.raises(UnreadableFile, match=message):
        do_import(store, empty, [("backup.json", content)], format="native")
    assert state(store, empty) == before


def test_bad_records_are_listed_with_their_positions(store, empty):
    before = state(store, empty)
    doc = {
        "format": "constellation",
        "version": 1,
        "nodes": [
            {"id": "a", "kind": "organisation", "label": "Typo"},
            {"id": "b", "kind": "goal", "label": "Goal", "properties": {"number": -1}},
        ],
        "edges": [{"kind": "advances", "source": "b", "target": "ghost"}],
    }
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("backup.json", json.dumps(doc).encode())])
    found = {(p.position, p.field) for p in info.value.problems}
    assert ("backup.json nodes[0]", "kind") in found
    assert ("backup.json nodes[1]", "properties.number") in found
    assert ("backup.json edges[0]", "target") in found
    assert state(store, empty) == before


def test_refused_import_into_a_new_workspace_leaves_no_workspace(store):
    doc = {
        "format": "constellation",
        "nodes": [{"id": "a", "kind": "planet", "label": "X"}],
        "edges": [],
    }
    with pytest.raises(InvalidRecords):
        do_import(store, "fresh", [("b.json", json.dumps(doc).encode())])
    assert state(store, "fresh") is None
