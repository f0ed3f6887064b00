"""Kumu: blueprint JSON, project export, spreadsheet layout as XLSX and as two CSV files."""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest

from constellation.errors import InvalidRecords
from constellation.io import UnreadableFile
from tests.helpers.imports import do_export, do_import, state, xlsx

MAPPING = (
    "kumu-mapping.yaml",
    b"""
node_kinds: {Person: person, Company: organization}
edge_kinds: {Investor: funds}
default_edge_kind: related_to
""",
)

ELEMENT_HEADER = [
    "Label",
    "Type",
    "Tags",
    "Description",
    "Attribution",
    "Board Affiliations",
    "Citizenship",
    "Education",
    "Email",
    "Home",
    "Image",
    "Influence",
    "Net Worth (Billions)",
    "Region",
    "Website",
]
CONNECTION_HEADER = ["From", "To", "Label", "Type", "Tags", "Description"]


def paypal_like() -> bytes:
    """A replica of the layout of Kumu's PayPal Mafia example workbook (the sample import
    file its documentation links to): same sheets and columns, a few of its rows."""

    def element(label, type_, tags=None, description=None, image=None, website=None, worth=None):
        row = [None] * len(ELEMENT_HEADER)
        row[0], row[1], row[2], row[3] = label, type_, tags, description
        row[10], row[14], row[12] = image, website, worth
        return row

    elements = [
        ELEMENT_HEADER,
        element(
            "Roelof Botha",
            "Person",
            "PayPal-Mafia",
            "Roelof Botha is a partner at Sequoia Capital.\n\nSource: "
            "[CrunchBase](http://www.crunchbase.com/person/roelof-botha)",
            image="http://example.org/roelof.jpg",
        ),
        element("Peter Thiel", "Person", "PayPal-Mafia|Founder", worth=2.2),
        element("Max Levchin", "Person", "PayPal-Mafia"),
        element("PayPal", "Company", "mafia-founded", website="http://paypal.com/"),
        element("Yelp", "Company", "mafia-founded"),
        element("Slide", "Company", None),
        element("Founders Fund", "Company", None),
    ]
    connections = [
        CONNECTION_HEADER,
        ["PayPal", "Peter Thiel", "", "Employee/Founder", None, None],
        ["Max Levchin", "Slide|Yelp", None, "Investor", None, None],
        ["Peter Thiel", "Yelp", None, "Investor", None, "Early investor"],
        ["Founders Fund", "Slide", None, "Investor", None, None],
    ]
    return xlsx(
        {
            "Elements": elements,
            "Connections": connections,
            "Notes (ignore)": [["anything", "at all"], ["=1+1"]],
        }
    )


def test_kumu_workbook_imports_with_a_mapping(store):
    report = do_import(store, "paypal", [("paypal-mafia.xlsx", paypal_like())], mapping=MAPPING)
    assert report.format == "kumu" and report.workspace_created
    assert report.counts()["nodes"]["created"] == 7
    assert report.counts()["edges"]["created"] == 5  # "Slide|Yelp" is two connections
    assert any("(ignore)" in n.message for n in report.notes)
    with store.repository() as repo:
        roelof = repo.find_node("paypal", "Roelof Botha")
        assert roelof.kind == "person" and roelof.tags == ["PayPal-Mafia"]
        assert roelof.attributes["Description"].startswith("Roelof Botha is a partner")
        assert roelof.attributes["Image"] == "http://example.org/roelof.jpg"
        thiel = repo.find_node("paypal", "Peter Thiel")
        assert thiel.tags == ["PayPal-Mafia", "Founder"]
        assert thiel.attributes["Net Worth (Billions)"] == 2.2
        paypal = repo.find_node("paypal", "PayPal")
        assert paypal.kind == "organization"
        assert paypal.properties["website"] == "http://paypal.com/"  # matches a property
        funds = repo.query_edges("paypal", kind="funds")
        assert [(e.source, e.target) for e in funds] == [("founders-fund", "slide")]
        related = repo.query_edges("paypal", kind="related_to")  # a person cannot fund
        assert {(e.source, e.target, e.properties["relation"]) for e in related} == {
            ("paypal", "peter-thiel", "Employee/Founder"),
            ("max-levchin", "slide", "Investor"),
            ("max-levchin", "yelp", "Investor"),
            ("peter-thiel", "yelp", "Investor"),
        }
        assert next(e for e in related if e.source == "peter-thiel").attributes == {
            "Description": "Early investor"
        }


def test_second_import_matches_by_label_and_type_and_changes_nothing(store):
    do_import(store, "paypal", [("paypal-mafia.xlsx", paypal_like())], mapping=MAPPING)
    before = state(store, "paypal")
    again = do_import(store, "paypal", [("paypal-mafia.xlsx", paypal_like())], mapping=MAPPING)
    assert again.counts() == {
        "nodes": {"created": 0, "updated": 0, "unchanged": 7},
        "edges": {"created": 0, "updated": 0, "unchanged": 5},
    }
    assert state(store, "paypal") == before


def test_unmapped_types_are_refused_with_their_rows_and_nothing_is_written(store, empty):
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("paypal-mafia.xlsx", paypal_like())])
    problems = {p.record: p for p in info.value.problems}
    company = problems["Company"]
    assert company.position == "paypal-mafia.xlsx sheet Elements rows 5-8, column Type"
    assert "node_kinds" in company.message and "default_node_kind" in company.message
    investor = problems["Investor"]
    assert investor.position == "paypal-mafia.xlsx sheet Connections rows 3-5, column Type"
    assert problems["Employee/Founder"].position.endswith("row 2, column Type")
    assert "Person" not in problems  # a type named like a kind maps by itself
    assert state(store, empty) == before


def test_endpoints_that_do_not_fit_are_refused_or_kept_as_related_to(store, empty):
    mapping = (
        "m.yaml",
        b"node_kinds: {Person: person, Company: organization}\n"
        b"edge_kinds: {Investor: funds, Employee/Founder: convenes}\n",
    )
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("paypal-mafia.xlsx", paypal_like())], mapping=mapping)
    misfit = next(p for p in info.value.problems if p.record == "Investor")
    assert "a funds edge goes from organization" in misfit.message
    assert "not from person to organization" in misfit.message
    assert "default_edge_kind: related_to" in misfit.message
    assert misfit.position == "paypal-mafia.xlsx sheet Connections rows 3-4, column Type"
    convenes = next(p for p in info.value.problems if p.record == "Employee/Founder")
    assert "maps to convenes" in convenes.message

    mapping = ("m.yaml", mapping[1] + b"default_edge_kind: related_to\n")
    report = do_import(store, empty, [("paypal-mafia.xlsx", paypal_like())], mapping=mapping)
    assert report.counts()["edges"]["created"] == 5
    with store.repository() as repo:
        kept = repo.query_edges(empty, kind="related_to")
        assert {e.properties["relation"] for e in kept} == {"Investor", "Employee/Founder"}
        assert len(repo.query_edges(empty, kind="funds")) == 1


def test_ids_match_across_imports_even_when_labels_change(store, empty):
    first = "ID,Label,Type\norg-1,Unite LA,Organization\ncan-1,Data Workgroup,Constellation\n"
    conns = "ID,From,To,Type\nc1,org-1,can-1,Convenes\n"
    do_import(store, empty, [("elements.csv", first.encode()), ("connections.csv", conns.encode())])
    renamed = first.replace("Unite LA", "UNITE-LA")
    report = do_import(
        store, empty, [("elements.csv", renamed.encode()), ("connections.csv", conns.encode())]
    )
    assert report.nodes_updated == ["org-1"] and report.edges_unchanged == ["c1"]
    with store.repository() as repo:
        assert repo.get_node(empty, "org-1").label == "UNITE-LA"
        assert repo.count_nodes(empty) == 2


def test_two_blank_rows_start_a_new_section(store, empty):
    sheet = [
        ["Label", "Type"],
        ["UNITE-LA", "Organization"],
        ["Data", "Constellation"],
        [None, None],
        [None, None],
        ["From", "To", "Type"],
        ["UNITE-LA", "Data", "convenes"],
    ]
    report = do_import(store, empty, [("one-sheet.xlsx", xlsx({"Sheet1": sheet}))])
    assert report.counts()["edges"]["created"] == 1


def test_blueprint_and_project_export_json(store, empty):
    blueprint = {
        "elements": [
            {
                "label": "A",
                "type": "Organization",
                "description": "First",
                "tags": ["one", "two"],
                "Favorite Dessert": "shave ice",
            },
            {"label": "B", "type": "Constellation"},
        ],
        "connections": [{"from": "A", "to": "B", "type": "participates in", "direction": "mutual"}],
    }
    report = do_import(store, empty, [("blueprint.json", json.dumps(blueprint).encode())])
    assert report.format == "kumu"
    with store.repository() as repo:
        a = repo.find_node(empty, "A")
        assert a.properties == {"description": "First"} and a.tags == ["one", "two"]
        assert a.attributes == {"Favorite Dessert": "shave ice"}
        edge = repo.query_edges(empty)[0]
        assert edge.kind == "participates_in" and edge.attributes == {"direction": "mutual"}

    project = {
        "name": "x",
        "elements": [
            {
                "_id": "elem-1",
                "attributes": {
                    "label": "Ohio",
                    "element type": "Organization",
                    "2010 population": 11536504,
                },
            },
            {"_id": "elem-2", "attributes": {"label": "Goal", "element type": "Goal"}},
        ],
        "connections": [
            {
                "_id": "conn-1",
                "direction": "directed",
                "from": "elem-1",
                "to": "elem-2",
                "attributes": {"connection type": "related"},
            }
        ],
        "loops": [{"_id": "loop-1"}],
        "maps": [],
    }
    mapping = ("m.yaml", b"default_edge_kind: related_to\n")
    report = do_import(
        store, "proj", [("project.json", json.dumps(project).encode())], mapping=mapping
    )
    assert report.nodes_created == ["elem-1", "elem-2"] and report.edges_created == ["conn-1"]
    assert any("loops" in n.message for n in report.notes)


def test_connections_naming_unknown_elements_are_refused(store, empty):
    elements = "Label,Type\nA,Organization\n"
    connections = "From,To,Type\nA,Nowhere,collaborates with\n"
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("e.csv", elements.encode()), ("c.csv", connections.encode())])
    problem = info.value.problems[0]
    assert problem.position == "c.csv row 2, column To" and "'Nowhere'" in problem.message
    assert state(store, empty) == before


def test_property_errors_name_the_column(store, empty):
    elements = "Label,Type,Sector\nA,Organization,outer space\n"
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("e.csv", elements.encode())])
    assert info.value.problems[0].position == "e.csv row 2, column Sector"
    assert info.value.problems[0].field == "properties.sector"


def _populate(store, workspace):
    with store.repository() as repo:
        repo.create_workspace(workspace, name="L.A. Compact")
        repo.bulk_upsert(
            workspace,
            [
                {
                    "id": "unite-la",
                    "kind": "organization",
                    "label": "UNITE-LA",
                    "properties": {"sector": "business", "description": "Convener"},
                    "attributes": {"Website": "https://unite-la.org"},
                    "tags": ["signer", "backbone"],
                },
                {
                    "id": "data",
                    "kind": "constellation",
                    "label": '=HYPERLINK("http://evil")',
                    "properties": {"status": "active", "launched": "2015-01-01"},
                    "valid_from": "2015-01-01",
                },
                {
                    "id": "grad",
                    "kind": "goal",
                    "label": "All students graduate",
                    "properties": {"number": 1},
                },
                {
                    "id": "x",
                    "kind": "person",
                    "label": "@someone",
                    "attributes": {"note": "-5 + 3"},
                },
            ],
            [
                {
                    "kind": "convenes",
                    "source": "unite-la",
                    "target": "data",
                    "properties": {"role": "co", "staff_time": 0.5},
                },
                {"kind": "advances", "source": "data", "target": "grad"},
                {
                    "kind": "related_to",
                    "source": "x",
                    "target": "grad",
                    "properties": {"relation": "Champion"},
                },
            ],
        )


@pytest.mark.parametrize("fmt", ["kumu", "kumu-xlsx", "kumu-csv"])
def test_export_then_import_gives_the_same_network(store, fmt):
    _populate(store, "la")
    content, media_type, filename = do_export(store, "la", fmt)
    report = do_import(store, "copy", [(filename, content)])
    assert report.format == "kumu"
    again = do_import(store, "la", [(filename, content)])
    assert again.counts() == {
        "nodes": {"created": 0, "updated": 0, "unchanged": 4},
        "edges": {"created": 0, "updated": 0, "unchanged": 3},
    }
    with store.repository() as repo:
        for a, b in zip(repo.query_nodes("la"), repo.query_nodes("copy"), strict=True):
            assert (a.id, a.kind, a.label, a.properties, a.attributes, a.tags, a.valid_from) == (
                b.id,
                b.kind,
                b.label,
                b.properties,
                b.attributes,
                b.tags,
                b.valid_from,
            )
        for a, b in zip(repo.query_edges("la"), repo.query_edges("copy"), strict=True):
            assert (a.id, a.kind, a.source, a.target, a.properties) == (
                b.id,
                b.kind,
                b.source,
                b.target,
                b.properties,
            )


def test_xlsx_export_layout_and_formula_escaping(store):
    _populate(store, "la")
    content, media_type, filename = do_export(store, "la", "kumu-xlsx")
    assert filename == "la.kumu.xlsx" and "spreadsheetml" in media_type
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Elements", "Connections"]
    elements = list(book["Elements"].values)
    assert elements[0][:5] == ("ID", "Label", "Type", "Description", "Tags")
    labels = {row[0]: row[1] for row in elements[1:]}
    assert labels["data"] == '\'=HYPERLINK("http://evil")'
    assert labels["x"] == "'@someone"
    assert all(cell.data_type != "f" for row in book["Elements"].iter_rows() for cell in row)
    connections = list(book["Connections"].values)
    assert connections[0][:4] == ("ID", "From", "To", "Type")
    unite = next(r for r in elements if r[0] == "unite-la")
    assert unite[2] == "Organization" and unite[4] == "signer|backbone"


def test_csv_export_escapes_formulas(store):
    _populate(store, "la")
    content, media_type, filename = do_export(store, "la", "kumu-csv")
    assert media_type == "application/zip"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert sorted(archive.namelist()) == ["connections.csv", "elements.csv"]
        text = archive.read("elements.csv").decode()
    assert "'=HYPERLINK" in text and "'@someone" in text and "'-5 + 3" in text
    assert "\n=" not in text and ",=" not in text


def test_damaged_and_hostile_workbooks_are_refused(store, empty):
    before = state(store, empty)
    with pytest.raises(UnreadableFile, match="damaged"):
        do_import(store, empty, [("broken.xlsx", b"PK\x03\x04" + b"\x00" * 200)])
    with pytest.raises(UnreadableFile, match=r"old Excel \(\.xls\)"):
        do_import(store, empty, [("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)])
    assert state(store, empty) == before


def test_workbook_whose_xml_declares_entities_is_refused(store, empty):
    source = zipfile.ZipFile(io.BytesIO(xlsx({"Elements": [["Label", "Type"], ["A", "Goal"]]})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + data
            archive.writestr(member, data)
    before = state(store, empty)
    with pytest.raises(UnreadableFile, match="billion laughs") as info:
        do_import(store, empty, [("laughs.xlsx", buffer.getvalue())])
    assert info.value.problems[0].position == "laughs.xlsx"
    assert state(store, empty) == before


def test_zip_bomb_posing_as_xlsx_is_refused(store, empty):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    before = state(store, empty)
    with pytest.raises(UnreadableFile, match="zip bombs") as info:
        do_import(store, empty, [("bomb.xlsx", buffer.getvalue())])
    assert info.value.problems[0].position == "bomb.xlsx"
    assert state(store, empty) == before


def test_a_sheet_with_no_kumu_header_is_refused(store, empty):
    with pytest.raises(InvalidRecords, match="needs an elements sheet"):
        do_import(
            store,
            empty,
            [("x.xlsx", xlsx({"Sheet1": [["Name", "Kind"], ["A", "B"]]}))],
            format="kumu",
        )


def test_attribute_names_that_look_like_formulas_are_escaped_as_headers(store):
    import openpyxl

    with store.repository() as repo:
        repo.create_workspace("hdr")
        repo.create_node(
            "hdr",
            {"kind": "organization", "label": "Org", "attributes": {"=cmd|' /C calc'!A0": "x"}},
        )
    content, _, _ = do_export(store, "hdr", "kumu-xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Elements"]
    header = [c for c in next(sheet.iter_rows(values_only=False))]
    assert all(c.data_type != "f" for c in header)
    assert "'=cmd|' /C calc'!A0" in [c.value for c in header]
    archive, _, _ = do_export(store, "hdr", "kumu-csv")
    import zipfile

    elements = zipfile.ZipFile(io.BytesIO(archive)).read("elements.csv").decode()
    assert elements.splitlines()[0].count("'=cmd") == 1
    # back in, the name is the one the user gave
    report = do_import(store, "hdr2", [("kumu.xlsx", content)])
    with store.repository() as repo:
        node = repo.get_node("hdr2", report.nodes_created[0])
    assert node.attributes == {"=cmd|' /C calc'!A0": "x"}


def test_control_characters_in_an_import_are_refused_with_their_row(store, empty):
    bad = b"Label,Type\nGood,Organization\nBad\x01Name,Organization\n"
    before = state(store, empty)
    with pytest.raises(InvalidRecords) as info:
        do_import(store, empty, [("elements.csv", bad)])
    problem = info.value.problems[0]
    assert "row 3" in problem.position and problem.field == "label"
    assert "control character" in problem.message
    assert state(store, empty) == before


@pytest.mark.parametrize("fmt", ["kumu-xlsx", "kumu-csv", "csv"])
def test_a_label_that_starts_with_an_apostrophe_survives_the_round_trip(store, empty, fmt):
    """Export adds one apostrophe before a formula-like text; import takes exactly one off,
    so a label the user wrote as ``'=quoted`` comes back as they wrote it."""
    with store.repository() as repo:
        repo.bulk_upsert(
            empty,
            [
                {"id": "q", "kind": "organization", "label": "'=quoted"},
                {"id": "g", "kind": "goal", "label": "'-minus goal"},
            ],
            [],
        )
    content, _, filename = do_export(store, empty, fmt)
    do_import(store, "copy", [(filename, content)])
    with store.repository() as repo:
        labels = sorted(n.label for n in repo.query_nodes("copy"))
    assert labels == ["'-minus goal", "'=quoted"]
