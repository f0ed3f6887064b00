"""An app per test database, the demo loaded, and a token of every kind."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from constellation.config import Settings
from constellation.demo import load_demo
from constellation.store import Store
from constellation.store.tokens import create_token


@pytest.fixture
def settings(db_url):
    return Settings(database_url=db_url, max_body_bytes=64 * 1024, max_upload_bytes=256 * 1024)


@pytest.fixture
def app_store(settings):
    store = Store(settings.database_url)
    with store.repository() as repo:
        load_demo(repo, "la-compact")
        load_demo(repo, "achieve-escambia")
        repo.create_workspace("private", name="A private network")
        repo.create_node("private", {"kind": "organization", "label": "Secret Org"})
    yield store
    store.close()


@pytest.fixture
def tokens(app_store):
    made = {}
    with app_store.session() as s:
        for name, role, ws in (
            ("viewer", "viewer", None),
            ("editor", "editor", None),
            ("admin", "admin", None),
            ("la_editor", "editor", "la-compact"),
            ("private_viewer", "viewer", "private"),
            ("la_admin", "admin", "la-compact"),
        ):
            made[name] = {"Authorization": f"Bearer {create_token(s, role, ws, name)[1]}"}
    return made


@pytest.fixture
def client(settings, app_store, tokens):
    app = create_app(settings, store=app_store)
    with TestClient(app) as c:
        yield c
