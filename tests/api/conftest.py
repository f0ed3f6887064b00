"""An app per test database, holding a copy of the demo, and a token of every kind."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from constellation.config import Settings


@pytest.fixture
def settings(db_url):
    return Settings(database_url=db_url, max_body_bytes=64 * 1024, max_upload_bytes=256 * 1024)


@pytest.fixture
def app_store(settings, demo_store):
    """The demo (at the settings' database) and a private workspace beside it."""
    with demo_store.repository() as repo:
        repo.create_workspace("private", name="A private network")
        repo.create_node("private", {"kind": "organization", "label": "Secret Org"})
    return demo_store


@pytest.fixture
def tokens(app_store):
    made = {}
    with app_store.repository() as repo:
        for name, role, ws in (
            ("viewer", "viewer", None),
            ("editor", "editor", None),
            ("admin", "admin", None),
            ("la_editor", "editor", "la-compact"),
            ("private_viewer", "viewer", "private"),
            ("la_admin", "admin", "la-compact"),
        ):
            made[name] = {"Authorization": f"Bearer {repo.create_token(role, ws, name)[1]}"}
    return made


@pytest.fixture
def client(settings, app_store, tokens):
    app = create_app(settings, store=app_store)
    with TestClient(app) as c:
        yield c
