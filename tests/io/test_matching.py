"""Re-importing an organization from another source updates the node the workspace holds:
matched by identifier first, then by alias or exact label; what matched is reported."""

from __future__ import annotations

import json

from tests.helpers.imports import do_import


def grants(recipient_id, recipient_name):
    return json.dumps(
        {
            "grants": [
                {
                    "id": "360G-x-1",
                    "title": "Grant",
                    "currency": "USD",
                    "amountAwarded": 500,
                    "awardDate": "01/04/2026",
                    "recipientOrganization": [{"id": recipient_id, "name": recipient_name}],
                    "fundingOrganization": [{"id": "GB-CHC-2000002", "name": "Gulf Coast Fund"}],
                }
            ]
        }
    ).encode()


def stored(store, empty, *nodes):
    with store.repository() as repo:
        repo.bulk_upsert(empty, list(nodes))


def org(id, label, **attributes):
    return {"id": id, "kind": "organization", "label": label, "attributes": attributes}


def test_a_360giving_recipient_is_matched_by_its_ein_and_again_by_its_org_id(store, empty):
    stored(store, empty, org("lausd", "Los Angeles Unified School District", ein="95-6000001"))
    report = do_import(store, empty, [("g.json", grants("US-EIN-956000001", "LAUSD"))])
    assert [(m.incoming, m.node, m.by) for m in report.matched] == [
        ("US-EIN-956000001", "lausd", "identifier")
    ]
    assert sorted(report.nodes_created) == ["GB-CHC-2000002"]
    with store.repository() as repo:
        assert repo.get_edge(empty, "360G-x-1").target == "lausd"
        node = repo.get_node(empty, "lausd")
        assert node.label == "Los Angeles Unified School District"
        assert node.attributes["aliases"] == ["LAUSD"]
        assert node.attributes["identifiers"] == {"org-id": "US-EIN-956000001"}
        assert node.attributes["ein"] == "95-6000001"
    again = do_import(store, empty, [("g.json", grants("US-EIN-956000001", "LAUSD"))])
    assert again.counts()["nodes"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert [(m.node, m.by) for m in again.matched] == [("lausd", "identifier")]


def test_kumu_rows_with_their_own_ids_match_by_label_or_alias_then_by_that_id(store, empty):
    stored(
        store,
        empty,
        org("unite-la", "UNITE-LA"),
        org("ccf", "California Community Foundation", aliases=["CCF"]),
    )
    sheet = (
        b"ID,Label,Type\nk1,UNITE-LA,Organization\nk2,CCF,Organization\nk3,New Org,Organization\n"
    )
    report = do_import(store, empty, [("elements.csv", sheet)], format="kumu")
    assert [(m.incoming, m.node, m.by) for m in report.matched] == [
        ("k1", "unite-la", "label"),
        ("k2", "ccf", "alias"),
    ]
    assert report.nodes_created == ["k3"]
    with store.repository() as repo:
        assert repo.get_node(empty, "ccf").attributes["identifiers"] == {"kumu": "k2"}
    renamed = sheet.replace(b"k1,UNITE-LA", b"k1,Unite LA")
    again = do_import(store, empty, [("elements.csv", renamed)], format="kumu")
    assert [(m.incoming, m.node, m.by) for m in again.matched] == [
        ("k1", "unite-la", "identifier"),
        ("k2", "ccf", "identifier"),
    ]
    with store.repository() as repo:
        assert repo.get_node(empty, "unite-la").attributes["aliases"] == ["Unite LA"]


def test_two_rows_of_one_file_with_their_own_ids_and_one_label_stay_two_records(store, empty):
    stored(store, empty, org("cc", "Community Coalition"))
    sheet = (
        b"ID,Label,Type\nk1,Community Coalition,Organization\nk2,Community Coalition,Organization\n"
    )
    report = do_import(store, empty, [("elements.csv", sheet)], format="kumu")
    assert report.matched == []
    assert sorted(report.nodes_created) == ["k1", "k2"]


def test_the_mapping_names_the_column_that_holds_the_identifier(store, empty):
    stored(store, empty, org("lausd", "Los Angeles Unified School District", ein="956000001"))
    nodes = b"id,label,kind,EIN\nrow-1,L.A. Unified,organization,95-6000001\n"
    report = do_import(
        store, empty, [("nodes.csv", nodes)], format="csv", mapping={"identifiers": {"EIN": "ein"}}
    )
    assert [(m.incoming, m.node, m.by) for m in report.matched] == [
        ("row-1", "lausd", "identifier")
    ]
    with store.repository() as repo:
        node = repo.get_node(empty, "lausd")
        # a CSV's own row id names nothing outside its file: it is not kept as an identifier
        assert node.attributes["identifiers"] == {"ein": "95-6000001"}
        assert "EIN" not in node.attributes


def test_the_import_command_lists_what_it_matched(tmp_path, sqlite_url):
    from typer.testing import CliRunner

    from constellation.cli import app
    from constellation.store import Store

    store = Store(sqlite_url)
    with store.repository() as repo:
        repo.create_workspace("ws")
        repo.bulk_upsert(
            "ws", [org("lausd", "Los Angeles Unified School District", ein="956000001")]
        )
    store.close()
    path = tmp_path / "g.json"
    path.write_bytes(grants("US-EIN-956000001", "LAUSD"))
    done = CliRunner().invoke(app, ["import", str(path), "--db", sqlite_url, "-w", "ws"])
    assert done.exit_code == 0, done.output
    assert "'LAUSD' (US-EIN-956000001) updated lausd, matched by identifier" in done.stdout


def test_a_row_without_an_id_matches_an_alias_and_leaves_no_made_up_identifier(store, empty):
    stored(store, empty, org("lausd", "Los Angeles Unified School District", aliases=["LAUSD"]))
    report = do_import(store, empty, [("elements.csv", b"Label,Type\nLAUSD,Organization\n")])
    assert [(m.incoming, m.node, m.by) for m in report.matched] == [("LAUSD", "lausd", "alias")]
    assert report.nodes_created == []
    with store.repository() as repo:
        assert "identifiers" not in repo.get_node(empty, "lausd").attributes
