"""GET …/dedupe, POST …/nodes/{keep}/merge, and GET …/funding on a grants-only network."""

from __future__ import annotations

import pytest

from tests.helpers.store import snapshot
from tests.services.test_merge import twice

W = "/api/workspaces/twice"


@pytest.fixture
def dup(app_store):
    with app_store.repository() as repo:
        twice(repo)
    return app_store


def test_dedupe_lists_the_pairs_with_score_and_reasons(client, tokens, dup):
    r = client.get(f"{W}/dedupe", headers=tokens["viewer"])
    assert r.status_code == 200
    assert r.json() == {
        "pairs": [
            {
                "a": {"id": "la-unified", "label": "LA Unified"},
                "b": {"id": "lausd", "label": "Los Angeles Unified School District"},
                "score": 0.95,
                "reasons": ["same name"],
                "details": ["both read “los angeles unified” once normalised"],
            }
        ]
    }
    bad = client.get(f"{W}/dedupe", params={"kind": "planet"}, headers=tokens["viewer"])
    assert bad.status_code == 422 and "'planet' is no node kind" in bad.json()["detail"]


def test_an_editor_merges_and_the_change_log_shows_it(client, tokens, dup):
    body = {"other": "LA Unified"}
    assert (
        client.post(f"{W}/nodes/lausd/merge", json=body, headers=tokens["viewer"]).status_code
        == 403
    )
    dry = client.post(
        f"{W}/nodes/lausd/merge", json=body | {"dry_run": True}, headers=tokens["editor"]
    )
    assert dry.status_code == 200 and dry.json()["dry_run"] is True
    assert client.get(f"{W}/nodes/la-unified", headers=tokens["viewer"]).status_code == 200
    r = client.post(f"{W}/nodes/lausd/merge", json=body, headers=tokens["editor"])
    assert r.status_code == 200
    assert r.json()["moved"] == ["e3", "e4", "e7"] and r.json()["aliases"] == ["LA Unified"]
    assert client.get(f"{W}/nodes/la-unified", headers=tokens["viewer"]).status_code == 404
    log = client.get(f"{W}/nodes/lausd/changes", headers=tokens["viewer"]).json()
    assert "merge" in [c["action"] for c in log]


def test_a_merge_of_two_kinds_is_a_422_and_writes_nothing(client, tokens, dup):
    before = snapshot(dup, "twice")
    r = client.post(f"{W}/nodes/lausd/merge", json={"other": "data"}, headers=tokens["editor"])
    assert r.status_code == 422
    assert "are of different kinds" in r.json()["detail"]
    assert snapshot(dup, "twice") == before


def test_funding_on_a_grants_only_network(client, tokens, app_store):
    from tests.analysis.test_cofunders import FUNDERS, GRANTEES, GRANTS

    with app_store.repository() as repo:
        repo.create_workspace("grants")
        repo.bulk_upsert("grants", FUNDERS + GRANTEES, GRANTS)
    r = client.get(
        "/api/workspaces/grants/funding", params={"funder": "F1"}, headers=tokens["viewer"]
    )
    assert r.status_code == 200
    data = r.json()
    assert [[s["id"] for s in f["subjects"]] for f in data["co_funders"]] == [
        ["f1", "f2", "o1", "o2"],
        ["f1", "f3", "o3"],
    ]
    assert data["co_funders"][0]["evidence"]["shared_recipients"] == ["o1", "o2"]
    assert [(g["id"], [o["id"] for o in g["other_funders"]]) for g in data["grantees"]] == [
        ("o1", ["f2"]),
        ("o2", ["f2"]),
        ("o3", ["f3"]),
    ]
