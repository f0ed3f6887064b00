"""The shared test helpers do what the tests rely on: a demo copy is what loading the demo
gives, and each copy is its test's own."""

from __future__ import annotations

import datetime as dt

from constellation.demo import DEMOS
from constellation.store import Store
from tests.helpers.demo import load


def contents(store: Store) -> dict:
    """Every record of every workspace, and the change log's length, timestamps aside."""
    out = {}
    with store.repository() as repo:
        for ws in repo.list_workspaces():
            nodes = repo.query_nodes(ws.slug, include_archived=True)
            edges = repo.query_edges(ws.slug, include_archived=True)
            out[ws.slug] = (
                ws.name,
                ws.public_read,
                ws.revision,
                [n.model_dump(exclude={"created_at", "updated_at"}) for n in nodes],
                [e.model_dump(exclude={"created_at", "updated_at"}) for e in edges],
                [(c.entity, c.entity_id, c.action, c.actor) for c in repo.changes(ws.slug)],
            )
    return out


def test_a_demo_copy_holds_what_loading_the_demo_gives(db_url, demo_databases, tmp_path):
    loaded = load(Store(f"sqlite:///{tmp_path / 'loaded.db'}"), DEMOS, "cli")
    copy = Store(demo_databases.copy_to(db_url, actor="cli"))
    try:
        assert set(contents(copy)) == set(DEMOS)
        assert contents(copy) == contents(loaded)
        with copy.repository() as repo:  # the key sequences run on past the copied rows
            added = repo.create_node("la-compact", {"kind": "goal", "label": "A new goal"})
        assert added.version == 1
    finally:
        loaded.close()
        copy.close()


def test_each_copy_is_its_own(demo_databases, tmp_path):
    first = Store(demo_databases.sqlite(tmp_path / "first.db", ("la-compact",)))
    with first.repository() as repo:
        repo.delete_workspace("la-compact")
    first.close()
    second = Store(demo_databases.sqlite(tmp_path / "second.db", ("la-compact",)))
    with second.repository() as repo:
        assert [w.slug for w in repo.list_workspaces()] == ["la-compact"]
    second.close()


def test_today_is_pinned(pinned_today):
    assert dt.date.today() == pinned_today
    assert dt.datetime.now(dt.UTC).date() == pinned_today
