"""Hostile input answers 4xx, never 500, and changes nothing: lone surrogates, NUL and
non-characters in ids, labels, properties, file names; and a bounded property-based fuzz
(Hypothesis) of every importer and of the JSON bodies. `scripts/soak.py` runs it longer."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from constellation.config import Settings
from constellation.io import IMPORT_FORMATS
from constellation.store import Store
from tests.helpers.store import snapshot

WS = "w"
EXAMPLES = 60  # per fuzz test in the suite; scripts/soak.py runs thousands
# every character, lone surrogates and non-characters included
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=30)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """An app over one SQLite file with a small workspace, and an editor's token."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile') / 'h.db'}"
    store = Store(url)
    with store.repository() as repo:
        repo.create_workspace(WS)
        repo.create_node(WS, {"kind": "organization", "label": "UNITE-LA", "id": "unite-la"})
        _, secret = repo.create_token("editor", None, "fuzz")
    app = create_app(Settings(database_url=url), store=store)
    with TestClient(app, raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        yield client, store
    store.close()


def post_json(client: TestClient, path: str, raw: str):
    return client.post(path, content=raw.encode(), headers={"Content-Type": "application/json"})


def assert_refused_cleanly(r, before, store, status: int = 422):
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"]
    assert snapshot(store, WS) == before


def test_a_lone_surrogate_id_in_an_import_is_a_422_that_names_it(hostile):
    client, store = hostile
    before = snapshot(store, WS)
    native = '{"nodes": [{"id": "a\\ud800b", "kind": "organization", "label": "X"}], "edges": []}'
    r = client.post(
        f"/api/workspaces/{WS}/import",
        files={"files": ("nodes.json", native.encode(), "application/json")},
    )
    assert_refused_cleanly(r, before, store)
    assert "a\\ud800b" in r.json()["detail"]


@pytest.mark.parametrize(
    "field,value,words",
    [
        ("label", "a\\u0000b", "control character"),
        ("label", "a\\ud800", "valid string"),
        ("label", "a\\uffffb", "U+FFFF"),
        ("label", "a\\ufdd0b", "U+FDD0"),
        ("id", "x\\udfff", "valid string"),
        ("tags", ["ok", "a\\ufffe"], "U+FFFE"),
    ],
)
def test_nul_surrogates_and_non_characters_in_a_body_are_422(hostile, field, value, words):
    client, store = hostile
    before = snapshot(store, WS)
    body = {"kind": "organization", "label": "Fine", field: value}
    # json.dumps would double the backslashes: the escapes go on the wire as JSON's own
    raw = json.dumps(body).replace("\\\\u", "\\u")
    r = post_json(client, f"/api/workspaces/{WS}/nodes", raw)
    assert_refused_cleanly(r, before, store)
    assert words in r.json()["detail"]


def test_a_property_with_a_non_character_is_422(hostile):
    client, store = hostile
    before = snapshot(store, WS)
    raw = '{"kind": "organization", "label": "Fine", "attributes": {"note": "x\\uffff"}}'
    r = post_json(client, f"/api/workspaces/{WS}/nodes", raw)
    assert_refused_cleanly(r, before, store)


@pytest.mark.parametrize("name", ["a\x00b.csv", "a\ufffe.csv", "\x1bevil.csv"])
def test_a_file_name_with_nul_or_a_non_character_is_422(hostile, name):
    client, store = hostile
    before = snapshot(store, WS)
    boundary = "xyz"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"'
        "\r\nContent-Type: text/csv\r\n\r\nid,label,kind\r\nn1,N,organization\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    r = client.post(
        f"/api/workspaces/{WS}/import",
        content=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert_refused_cleanly(r, before, store)
    assert "file name" in r.json()["detail"]


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(
    fmt=st.sampled_from(IMPORT_FORMATS),
    name=st.sampled_from(["n.csv", "n.json", "n.graphml", "n.gexf", "n.xlsx", "n.cyjs", "x"]),
    content=st.one_of(
        st.binary(max_size=300),
        ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.builds(
            lambda a, b, c: f"id,label,kind\n{a},{b},{c}\n".encode("utf-8", "surrogatepass"),
            ANY_TEXT,
            ANY_TEXT,
            st.sampled_from(["organization", "goal", "nope", ""]),
        ),
        st.builds(
            lambda i, label: json.dumps(
                {"nodes": [{"id": i, "kind": "organization", "label": label}], "edges": []}
            ).encode(),
            ANY_TEXT,
            ANY_TEXT,
        ),
    ),
)
def test_fuzzed_imports_never_answer_5xx(hostile, fmt, name, content):
    client, store = hostile
    r = client.post(
        f"/api/workspaces/{WS}/import",
        files={"files": (name, content, "application/octet-stream")},
        data={"format": fmt, "dry_run": "true"},
    )
    assert r.status_code < 500, r.text
    if r.status_code >= 400:
        assert r.headers["content-type"] == "application/problem+json"


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)


@FUZZ
@given(
    route=st.sampled_from(
        [
            ("POST", f"/api/workspaces/{WS}/nodes"),
            ("PATCH", f"/api/workspaces/{WS}/nodes/unite-la"),
            ("POST", f"/api/workspaces/{WS}/edges"),
            ("POST", f"/api/workspaces/{WS}/whatif"),
            ("POST", f"/api/workspaces/{WS}/recommendations"),
            ("POST", "/api/session"),
        ]
    ),
    body=st.one_of(
        JSON_VALUE,
        st.fixed_dictionaries(
            {"kind": st.sampled_from(["organization", "goal", "convenes", "x"])},
            optional={
                "label": JSON_VALUE,
                "id": JSON_VALUE,
                "source": JSON_VALUE,
                "target": JSON_VALUE,
                "properties": JSON_VALUE,
                "tags": JSON_VALUE,
                "valid_from": JSON_VALUE,
            },
        ),
    ),
)
def test_fuzzed_json_bodies_never_answer_5xx(hostile, route, body):
    client, store = hostile
    method, path = route
    # ensure_ascii writes lone surrogates as \ud800 escapes, as a hostile client would
    raw = json.dumps(body, ensure_ascii=True, allow_nan=True)
    r = client.request(
        method, path, content=raw.encode(), headers={"Content-Type": "application/json"}
    )
    assert r.status_code < 500, r.text
