"""What every import shares: the upload limit, format detection, the mapping file."""

from __future__ import annotations

import io
import zipfile

import pytest

from constellation.config import get_settings
from constellation.errors import InvalidRecords
from constellation.io import FileTooLarge, UnreadableFile, detect_format, load_mapping
from tests.helpers.imports import do_export, do_import, state


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setenv("CONSTELLATION_MAX_UPLOAD_BYTES", "1000")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_file_over_the_upload_limit_is_refused_before_it_is_read(store, empty, small_limit):
    before = state(store, empty)
    content = b"label,kind\n" + b"A,organization\n" * 100
    with pytest.raises(FileTooLarge) as info:
        do_import(store, empty, [("big.csv", content)])
    problem = info.value.problems[0]
    assert problem.position == "big.csv"
    assert "the largest file an import takes is 0.0 MiB" in problem.message
    assert "CONSTELLATION_MAX_UPLOAD_BYTES" in problem.message
    assert state(store, empty) == before


def test_zip_of_csv_files_is_checked_for_bombs(store, empty):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", b"label,kind\n" + b" " * (30 * 1024 * 1024))
    with pytest.raises(UnreadableFile, match="zip bombs"):
        do_import(store, empty, [("tables.zip", buffer.getvalue())])


def test_zip_with_other_files_is_refused(store, empty):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("run.exe", b"MZ")
    with pytest.raises(UnreadableFile, match="only CSV files"):
        do_import(store, empty, [("tables.zip", buffer.getvalue())])


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("x.json", b'{"format": "constellation", "nodes": [], "edges": []}', "native"),
        ("x.json", b'{"elements": [{"label": "A"}]}', "kumu"),
        ("x.json", b'{"grants": []}', "360giving"),
        ("x.graphml", b"<?xml version='1.0'?><graphml/>", "graphml"),
        ("x.xml", b"<gexf version='1.3'/>", "gexf"),
        ("x.csv", b"Label,Type\nA,B\n", "kumu"),
        ("x.csv", b"From,To\nA,B\n", "kumu"),
        ("x.csv", b"id,label,kind\na,A,goal\n", "csv"),
        ("x.csv", b"Identifier,Title,Amount Awarded\n", "360giving"),
    ],
)
def test_format_is_told_from_the_content(name, content, expected):
    assert detect_format(name, content) == expected


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("x.json", b'{"elements": {"nodes": []}}', "Cytoscape.js JSON"),
        ("x.json", b'{"people": []}', "not a format Constellation reads"),
        ("x.xml", b"<svg/>", "neither GraphML nor GEXF"),
        ("x.dat", b"\x00\x01binary", "cannot be told"),
    ],
)
def test_unknown_content_is_refused_with_a_hint(name, content, message):
    with pytest.raises(UnreadableFile, match=message):
        detect_format(name, content)


def test_files_of_different_formats_are_refused(store, empty):
    with pytest.raises(UnreadableFile, match="different formats"):
        do_import(store, empty, [("a.csv", b"Label\nA\n"), ("b.json", b'{"grants": []}')])


def test_mapping_file_mistakes_are_all_reported_with_their_keys():
    content = b"""
node_kinds: {Company: organisation}
edge_kinds: {Investor: pays}
default_node_kind: thing
colour: blue
"""
    with pytest.raises(UnreadableFile) as info:
        load_mapping("mapping.yaml", content)
    found = {p.field: p.message for p in info.value.problems}
    assert "'organisation' is not a node kind" in found["node_kinds"]
    assert "'pays' is not an edge kind" in found["edge_kinds"]
    assert "'thing' is not a node kind" in found["default_node_kind"]
    assert "colour" in found
    assert all(p.position == "mapping.yaml" for p in info.value.problems)


def test_mapping_file_that_is_not_yaml_is_refused():
    with pytest.raises(UnreadableFile, match="cannot be read"):
        load_mapping("mapping.yaml", b"node_kinds: [unclosed")
    with pytest.raises(UnreadableFile, match="must hold keys"):
        load_mapping("mapping.json", b"[1, 2]")
    assert load_mapping("mapping.json", b'{"node_kinds": {"Firm": "Organization"}}').node_kinds == {
        "Firm": "organization"
    }


def test_dry_run_writes_nothing_and_says_what_would_change(store, empty):
    content = b"Label,Type\nUNITE-LA,Organization\nData,Constellation\n"
    do_import(store, empty, [("e.csv", content[: content.index(b"Data")])])
    before = state(store, empty)
    report = do_import(store, empty, [("e.csv", content)], dry_run=True)
    assert report.dry_run and report.nodes_created == ["data"]
    assert report.nodes_unchanged == ["unite-la"]
    assert state(store, empty) == before
    report = do_import(store, "new-one", [("e.csv", content)], dry_run=True)
    assert report.workspace_created and len(report.nodes_created) == 2
    assert state(store, "new-one") is None


def test_export_of_an_unknown_format_or_workspace(store, empty):
    with pytest.raises(InvalidRecords, match="unknown export format 'pdf'"):
        do_export(store, empty, "pdf")
    from constellation.errors import NotFound

    with pytest.raises(NotFound):
        do_export(store, "nowhere", "native")
