"""Fixtures for the map: the demo network, a hostile network, and reading a page's data."""

from __future__ import annotations

import json
import re

import pytest

PAYLOAD = "<img src=x onerror=alert(1)>"
"""Must show as text and run nothing wherever it appears."""

_DATA = re.compile(r'<script type="application/json" id="map-data">(.*?)</script>', re.DOTALL)


def page_data(html: str) -> dict:
    """The JSON the page is built from, as the page reads it."""
    found = _DATA.findall(html)
    assert len(found) == 1, "the page has exactly one data block"
    return json.loads(found[0])


@pytest.fixture
def demo(db_url, demo_databases):
    """A store holding both demo networks (loaded by actor 'test'): this test's own copy."""
    from constellation.store import Store

    store = Store(demo_databases.copy_to(db_url, actor="test"))
    yield store
    store.close()


def hostile_records() -> tuple[list[dict], list[dict]]:
    """A small network whose label, properties, tags and attributes carry the payload."""
    nodes = [
        {
            "id": "evil",
            "kind": "organization",
            "label": PAYLOAD,
            "properties": {"description": PAYLOAD, "sector": "community"},
            "tags": [PAYLOAD, "plain"],
            "attributes": {"note": PAYLOAD, PAYLOAD: "key too"},
        },
        {
            "id": "group",
            "kind": "constellation",
            "label": "Group </script><script>alert(2)</script>",
            "properties": {"status": "active", "magnetic_attractor": PAYLOAD},
        },
        {"id": "goal", "kind": "goal", "label": "Goal \" ' & <b>bold</b>"},
    ]
    edges = [
        {"id": "e1", "kind": "convenes", "source": "evil", "target": "group"},
        {
            "id": "e2",
            "kind": "advances",
            "source": "group",
            "target": "goal",
            "properties": {"note": PAYLOAD},
        },
    ]
    return nodes, edges


@pytest.fixture
def hostile(store):
    """A workspace named with the payload, holding `hostile_records`."""
    nodes, edges = hostile_records()
    with store.repository(actor="test") as repo:
        repo.create_workspace("hostile", name=f"Hostile {PAYLOAD}")
        repo.bulk_upsert("hostile", nodes, edges)
    return store
