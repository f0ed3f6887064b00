"""Every route × method × kind of caller, generated from the app's own routes (its OpenAPI
document): each caller is refused exactly as its row says, or gets past the access checks.
A new route without a row in ACCESS fails the test."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.app import create_app
from api.deps import COOKIE
from constellation.config import Settings
from constellation.store import Store
from constellation.store.tables import Token

# what a route needs: nothing, a caller (anyone; a bad token is refused), to read, write or
# manage the workspace, or an admin token for every workspace
NONE, CALLER, READ, WRITE, MANAGE, ADMIN = "none", "caller", "read", "write", "manage", "admin"
# and for partner links: to write a record (an editor, or a partner link its own), the
# partner page's own view, to ask to join (a partner link or an editor), to be signed in,
# to decide a request (an editor, or a partner link that convenes the group)
RECORD, PARTNER, ASK, SIGNED, DECIDE = "record", "partner", "ask", "signed", "decide"
W = "/api/workspaces/{workspace}"
ACCESS = {
    ("GET", "/healthz"): NONE,
    ("GET", "/api/schema"): NONE,
    ("GET", "/api/formats"): NONE,
    ("GET", "/api/session"): CALLER,
    ("POST", "/api/session"): NONE,
    ("DELETE", "/api/session"): NONE,
    ("GET", "/api/workspaces"): CALLER,
    ("POST", "/api/workspaces"): ADMIN,
    ("GET", W): READ,
    ("PATCH", W): MANAGE,
    ("DELETE", W): MANAGE,
    ("GET", f"{W}/changes"): READ,
    ("GET", f"{W}/audit"): READ,
    ("GET", f"{W}/audit/diff"): READ,
    ("GET", f"{W}/audit/trend"): READ,
    ("POST", f"{W}/whatif"): READ,
    ("GET", f"{W}/recommendations"): READ,
    ("POST", f"{W}/recommendations"): READ,
    ("GET", f"{W}/conveners"): READ,
    ("GET", f"{W}/conveners/by-goal"): READ,
    ("GET", f"{W}/stages"): READ,
    ("GET", f"{W}/overlap"): READ,
    ("GET", f"{W}/commitments"): READ,
    ("GET", f"{W}/funding"): READ,
    ("POST", f"{W}/constellations/candidates"): READ,
    ("GET", f"{W}/constellations/{{constellation}}/candidates"): READ,
    ("GET", f"{W}/dedupe"): READ,
    ("POST", f"{W}/nodes/{{keep}}/merge"): WRITE,
    ("GET", f"{W}/indicators"): READ,
    ("GET", f"{W}/indicators/{{indicator}}"): READ,
    ("GET", f"{W}/indicators/{{indicator}}/chart.svg"): READ,
    ("GET", f"{W}/report"): READ,
    ("GET", f"{W}/map.svg"): READ,
    ("GET", f"{W}/map"): READ,
    ("GET", f"{W}/map/audit"): READ,
    ("PUT", f"{W}/map/positions"): WRITE,
    ("GET", f"{W}/map/views"): READ,
    ("GET", f"{W}/map/views/{{name}}"): READ,
    ("PUT", f"{W}/map/views/{{name}}"): WRITE,
    ("DELETE", f"{W}/map/views/{{name}}"): WRITE,
    ("POST", f"{W}/import"): WRITE,
    ("GET", f"{W}/jobs/{{job_id}}"): WRITE,
    ("GET", f"{W}/export"): READ,
    ("GET", f"{W}/partner"): PARTNER,
    ("GET", f"{W}/partner-links"): WRITE,
    ("POST", f"{W}/partner-links"): WRITE,
    ("POST", f"{W}/partner-links/{{prefix}}/revoke"): WRITE,
    ("POST", f"{W}/join-requests"): ASK,
    ("GET", f"{W}/join-requests"): SIGNED,
    ("POST", f"{W}/join-requests/{{request_id}}/accept"): DECIDE,
    ("POST", f"{W}/join-requests/{{request_id}}/decline"): DECIDE,
    **{
        (method, f"{W}/{entity}{suffix}"): need
        for entity in ("nodes", "edges")
        for method, suffix, need in (
            ("GET", "", READ),
            ("POST", "", RECORD),
            ("GET", "/{record_id}", READ),
            ("PATCH", "/{record_id}", RECORD),
            ("DELETE", "/{record_id}", RECORD),
            ("POST", "/{record_id}/archive", RECORD),
            ("POST", "/{record_id}/restore", RECORD),
            ("POST", "/{record_id}/versions/{version}/restore", RECORD),
            ("GET", "/{record_id}/changes", READ),
        )
    },
    ("GET", f"{W}/nodes/{{record_id}}/neighbourhood"): READ,
}

CALLERS = [
    "anonymous",
    "viewer",
    "editor",
    "admin",
    "other",
    "revoked",
    "foreign_cookie",
    "partner",
    "other_partner",
    "expired_partner",
]
IN_WS = (READ, WRITE, MANAGE, RECORD, PARTNER, ASK, SIGNED, DECIDE)
"""The needs of routes inside a workspace: a caller that cannot see it gets 404 for each."""
REFUSED = {
    # caller: the answer for each need it does not meet (None: it gets past)
    "anonymous": {**dict.fromkeys(IN_WS, 404), ADMIN: 401},
    "viewer": {WRITE: 403, MANAGE: 403, ADMIN: 403, RECORD: 403, PARTNER: 403, ASK: 403}
    | {DECIDE: 403},
    "editor": {MANAGE: 403, ADMIN: 403, PARTNER: 403},
    "admin": {PARTNER: 403},
    # a token of another workspace
    "other": {**dict.fromkeys(IN_WS, 404), ADMIN: 403},
    "revoked": {CALLER: 401, **dict.fromkeys(IN_WS, 401), ADMIN: 401},
    "foreign_cookie": {},  # an editor's cookie on a write from another site: 403, below
    # a partner link for the private workspace's Secret Org: reads it; writes as below
    "partner": {WRITE: 401, MANAGE: 401, ADMIN: 401},
    # a partner link of another workspace is anonymous here
    "other_partner": {**dict.fromkeys(IN_WS, 404), ADMIN: 401},
    "expired_partner": {CALLER: 401, **dict.fromkeys(IN_WS, 401), ADMIN: 401},
}
PARTNER_RECORD = {
    # the record routes, for the partner link of secret-org (the record every route is
    # asked for): it changes its organization and adds people and ties (these bodies are
    # empty: 422, past the access checks); never archives, restores or deletes
    "PATCH": None,
    "POST": None,
    "DELETE": 401,
    "archive": 401,
    "restore": 401,
}
SAFE = {"GET", "HEAD", "OPTIONS"}


def expected(caller: str, method: str, path: str, need: str) -> int | None:
    if caller == "foreign_cookie":
        if need == NONE or method in SAFE:
            return REFUSED["editor"].get(need)
        return 403
    if caller == "partner" and need == RECORD:
        return (
            PARTNER_RECORD[path.rsplit("/", 1)[-1] if method == "POST" else method]
            if (path.endswith(("/archive", "/restore")))
            else PARTNER_RECORD[method]
        )
    return REFUSED.get(caller, REFUSED["editor"]).get(need)


def operations(app) -> list[tuple[str, str]]:
    """(method, path) of every route, the workspace's own DELETE last (it ends the rest)."""
    found = [
        (method.upper(), path)
        for path, ops in app.openapi()["paths"].items()
        for method in ops
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    return sorted(found, key=lambda op: op == ("DELETE", W))


@pytest.fixture
def world(tmp_path):
    """A private workspace with a node, and a token for each caller."""
    url = f"sqlite:///{tmp_path / 'access.db'}"
    store = Store(url)
    secrets = {}
    with store.repository() as repo:
        repo.create_workspace("private", name="Private")
        repo.create_workspace("elsewhere")
        repo.create_node("private", {"kind": "organization", "label": "Secret Org"})
        for name, role, ws in (
            ("viewer", "viewer", None),
            ("editor", "editor", None),
            ("admin", "admin", None),
            ("other", "editor", "elsewhere"),
            ("revoked", "editor", None),
            ("foreign_cookie", "editor", None),
        ):
            _, secrets[name] = repo.create_token(role, ws, name)
        repo.revoke_token(_prefix(secrets["revoked"]))
        repo.create_node("elsewhere", {"kind": "organization", "label": "Other Org"})
        _, secrets["partner"] = repo.create_partner_link("private", "secret-org")
        _, secrets["other_partner"] = repo.create_partner_link("elsewhere", "other-org")
        _, secrets["expired_partner"] = repo.create_partner_link("private", "secret-org")
        expired = _prefix(secrets["expired_partner"])
        repo.session.execute(  # expired a second ago: as the clock would have done it
            update(Token)
            .where(Token.prefix == expired)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    app = create_app(Settings(database_url=url, require_if_match=False), store=store)
    yield app, secrets
    store.close()


def _prefix(secret: str) -> str:
    return secret.split("_")[1]


def test_every_route_has_a_row(world):
    app, _ = world
    missing = [op for op in operations(app) if op not in ACCESS]
    assert missing == [], f"routes with no row in ACCESS: {missing}"
    gone = [op for op in ACCESS if op not in operations(app)]
    assert gone == [], f"rows for routes that no longer exist: {gone}"


def fill(path: str) -> str:
    return re.sub(
        r"\{(\w+)\}",
        lambda m: {
            "workspace": "private",
            "record_id": "secret-org",
            "keep": "secret-org",
            "version": "1",
        }.get(m.group(1), "secret-org"),
        path,
    )


@pytest.mark.parametrize("caller", CALLERS)
def test_each_caller_is_refused_exactly_as_its_row_says(world, caller):
    app, secrets = world
    wrong: list[str] = []
    with TestClient(app, raise_server_exceptions=False) as client:
        headers = {}
        if caller == "foreign_cookie":
            client.cookies.set(COOKIE, secrets[caller])
            headers = {"Origin": "http://evil.example"}
        elif caller != "anonymous":
            headers = {"Authorization": f"Bearer {secrets[caller]}"}
        for method, path in operations(app):
            need = ACCESS[(method, path)]
            body = None if method in SAFE else {}
            r = client.request(method, fill(path), headers=headers, json=body)
            want = expected(caller, method, path, need)
            hidden = r.status_code == 404 and r.json().get("detail", "").startswith("No workspace")
            got_past = r.status_code not in (401, 403) and not hidden
            if want is None and not got_past:
                wrong.append(f"{method} {path}: {r.status_code}, expected to get past")
            if want is not None and r.status_code != want:
                wrong.append(f"{method} {path}: {r.status_code}, expected {want}")
            assert r.status_code < 500, f"{method} {path}: {r.text}"
    assert wrong == [], "\n".join(wrong)
