"""Cytoscape.js JSON export."""

from __future__ import annotations

import json

from tests.helpers.imports import do_export


def test_cytoscape_elements_with_kinds_colours_and_data(store, empty):
    with store.repository() as repo:
        repo.bulk_upsert(
            empty,
            [
                {"id": "unite", "kind": "organization", "label": "UNITE-LA", "tags": ["signer"]},
                {"id": "data", "kind": "constellation", "label": "<b>Data</b>"},
                {"id": "old", "kind": "goal", "label": "Archived goal"},
            ],
            [{"kind": "convenes", "source": "unite", "target": "data"}],
        )
        repo.archive_node(empty, "old")
    content, media_type, filename = do_export(store, empty, "cytoscape")
    assert (media_type, filename) == ("application/json", "ws.cyjs")
    doc = json.loads(content)
    nodes = {n["data"]["id"]: n for n in doc["elements"]["nodes"]}
    assert set(nodes) == {"unite", "data"}  # archived records are left out
    assert nodes["unite"]["classes"] == "organization"
    assert nodes["unite"]["data"]["label"] == "UNITE-LA"
    assert nodes["unite"]["data"]["color"].startswith("#")
    assert nodes["data"]["data"]["label"] == "<b>Data</b>"  # data, not markup: the page escapes
    [edge] = doc["elements"]["edges"]
    assert {k: edge["data"][k] for k in ("source", "target", "kind")} == {
        "source": "unite",
        "target": "data",
        "kind": "convenes",
    }
    assert edge["data"]["properties"] == {"role": "primary"}
