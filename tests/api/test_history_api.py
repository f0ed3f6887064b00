"""A record's history and going back to an older version (`POST …/versions/{n}/restore`: an
ordinary edit with a new version, never a rewrite of the log); the change log's filters, its
labels and before → after fields; the diff's ties by label. SQLite and PostgreSQL both."""

from __future__ import annotations

import datetime as dt

from .test_api import LA, is_problem


def etag(record: dict) -> dict[str, str]:
    return {"If-Match": f'"{record["version"]}"'}


def made(client, tokens, path: str, body: dict) -> dict:
    r = client.post(f"{LA}/{path}", json=body, headers=tokens["editor"])
    assert r.status_code == 201, r.text
    return r.json()


def changed(client, tokens, path: str, record: dict, body: dict) -> dict:
    r = client.patch(
        f"{LA}/{path}/{record['id']}", json=body, headers=tokens["editor"] | etag(record)
    )
    assert r.status_code == 200, r.text
    return r.json()


def test_restoring_an_older_version_of_a_node_brings_its_values_back_as_a_new_version(
    client, tokens
):
    v1 = made(
        client,
        tokens,
        "nodes",
        {
            "kind": "organization",
            "label": "Harbor Literacy Project",
            "properties": {"sector": "non-profit", "staff_capacity": 2},
            "tags": ["reading"],
        },
    )
    v2 = changed(
        client,
        tokens,
        "nodes",
        v1,
        {
            "label": "Harbor Literacy",
            "properties": {"staff_capacity": 5, "website": "https://h.example"},
        },
    )
    v3 = changed(
        client, tokens, "nodes", v2, {"tags": ["reading", "adult"], "valid_to": "2025-06-30"}
    )
    assert v3["version"] == 3
    url = f"{LA}/nodes/{v1['id']}"
    r = client.post(f"{url}/versions/1/restore", headers=tokens["editor"] | etag(v3))
    assert r.status_code == 200, r.text
    back = r.json()
    assert back["version"] == 4 and r.headers["ETag"] == '"4"'
    assert back["label"] == "Harbor Literacy Project"
    assert back["properties"] == v1["properties"]  # the website added since is gone
    assert back["tags"] == ["reading"] and back["valid_to"] is None
    assert client.get(url).json() == back
    # logged as an ordinary edit: every older version is still in the history
    log = client.get(f"{url}/changes", headers=tokens["editor"]).json()
    assert [(c["action"], c["version"]) for c in log] == [
        ("update", 4),
        ("update", 3),
        ("update", 2),
        ("create", 1),
    ]
    assert log[0]["before"]["label"] == "Harbor Literacy" and log[0]["actor"].startswith("editor")
    fields = {c["field"]: (c["before"], c["after"]) for c in log[0]["changed"]}
    assert fields == {
        "label": ("Harbor Literacy", "Harbor Literacy Project"),
        "valid_to": ("2025-06-30", None),
        "tags": (["reading", "adult"], ["reading"]),
        "properties.staff_capacity": (5, 2),
        "properties.website": ("https://h.example", None),
    }
    # going back to a later version again works the same way
    again = client.post(f"{url}/versions/3/restore", headers=tokens["editor"] | etag(back)).json()
    assert again["version"] == 5 and again["label"] == "Harbor Literacy"
    assert again["properties"] == v3["properties"] and again["valid_to"] == "2025-06-30"


def test_restoring_an_older_version_of_a_tie_brings_back_its_ends_and_dates(client, tokens):
    org = made(client, tokens, "nodes", {"kind": "organization", "label": "Tide Pool Tutors"})
    tie = made(
        client,
        tokens,
        "edges",
        {
            "kind": "participates_in",
            "source": org["id"],
            "target": "la-regional-stem-hub",
            "valid_from": "2018-01-01",
        },
    )
    moved = changed(
        client,
        tokens,
        "edges",
        tie,
        {"target": "la-educator-pathways-partnership", "valid_to": "2024-12-31"},
    )
    r = client.post(
        f"{LA}/edges/{tie['id']}/versions/1/restore", headers=tokens["editor"] | etag(moved)
    )
    assert r.status_code == 200, r.text
    back = r.json()
    assert back["version"] == 3
    assert (back["target"], back["valid_from"], back["valid_to"]) == (
        "la-regional-stem-hub",
        "2018-01-01",
        None,
    )
    log = client.get(f"{LA}/edges/{tie['id']}/changes").json()
    assert log[0]["label"] == "Tide Pool Tutors → L.A. Regional STEM Hub"
    assert log[0]["actor"] is None  # anonymous readers of a public workspace: not who


def test_a_restore_is_refused_as_any_edit_is(client, tokens):
    node = made(client, tokens, "nodes", {"kind": "organization", "label": "Versioned Org"})
    now = changed(client, tokens, "nodes", node, {"label": "Versioned Org Renamed"})
    url = f"{LA}/nodes/{node['id']}"
    stale = is_problem(
        client.post(f"{url}/versions/1/restore", headers=tokens["editor"] | etag(node)), 412
    )
    assert "version 2, not 1" in stale["detail"]
    is_problem(client.post(f"{url}/versions/1/restore", headers=tokens["editor"]), 428)
    missing = is_problem(
        client.post(f"{url}/versions/9/restore", headers=tokens["editor"] | etag(now)), 404
    )
    assert "version 9" in missing["detail"]
    is_problem(client.post(f"{url}/versions/0/restore", headers=tokens["editor"] | etag(now)), 422)
    is_problem(client.post(f"{url}/versions/1/restore", headers=tokens["viewer"] | etag(now)), 403)
    is_problem(client.post(f"{url}/versions/1/restore", headers=etag(now)), 401)
    is_problem(
        client.post(
            f"{LA}/nodes/never-was/versions/1/restore", headers=tokens["editor"] | etag(now)
        ),
        404,
    )
    assert client.get(url).json() == now  # nothing of the refused ones was written


def test_a_version_whose_end_is_gone_says_why_and_changes_nothing(client, tokens):
    gone = made(client, tokens, "nodes", {"kind": "organization", "label": "Short-lived Org"})
    tie = made(
        client,
        tokens,
        "edges",
        {"kind": "participates_in", "source": gone["id"], "target": "la-regional-stem-hub"},
    )
    moved = changed(client, tokens, "edges", tie, {"source": "lausd"})
    r = client.delete(f"{LA}/nodes/{gone['id']}", headers=tokens["editor"] | etag(gone))
    assert r.status_code == 204, r.text
    problem = is_problem(
        client.post(
            f"{LA}/edges/{tie['id']}/versions/1/restore", headers=tokens["editor"] | etag(moved)
        ),
        422,
    )
    assert gone["id"] in problem["detail"] or gone["id"] in str(problem.get("errors"))
    assert client.get(f"{LA}/edges/{tie['id']}").json() == moved
    # the change log still names the deleted end by the label it had
    log = client.get(f"{LA}/edges/{tie['id']}/changes").json()
    assert log[-1]["label"] == "Short-lived Org → L.A. Regional STEM Hub"


def test_the_change_log_is_filtered_by_record_sort_who_and_day(client, tokens):
    node = made(client, tokens, "nodes", {"kind": "organization", "label": "Filtered Org"})
    changed(client, tokens, "nodes", node, {"properties": {"sector": "labor"}})
    url = f"{LA}/changes"
    mine = client.get(url, params={"record": node["id"]}).json()
    assert [(c["action"], c["label"]) for c in mine] == [
        ("update", "Filtered Org"),
        ("create", "Filtered Org"),
    ]
    assert mine[0]["changed"] == [{"field": "properties.sector", "before": None, "after": "labor"}]
    edges = client.get(url, params={"entity": "edge", "limit": 20}).json()
    assert len(edges) == 20 and {c["entity"] for c in edges} == {"edge"}
    assert all(" → " in c["label"] for c in edges)
    # who: signed-in readers only (anonymous readers see no names, so cannot ask by them)
    by_editor = client.get(url, params={"actor": "EDITOR"}, headers=tokens["viewer"]).json()
    assert {c["entity_id"] for c in by_editor} == {node["id"]}
    assert client.get(url, params={"actor": "nobody-such"}, headers=tokens["viewer"]).json() == []
    refused = is_problem(client.get(url, params={"actor": "editor"}), 401)
    assert "sign in" in refused["detail"]
    # the day it was made on (UTC)
    today = dt.datetime.now(dt.UTC).date()
    assert client.get(url, params={"record": node["id"], "since": str(today)}).json() == mine
    tomorrow = str(today + dt.timedelta(days=1))
    assert client.get(url, params={"since": tomorrow}).json() == []
    assert client.get(url, params={"record": node["id"], "until": str(today)}).json() == mine
    yesterday = str(today - dt.timedelta(days=1))
    assert client.get(url, params={"record": node["id"], "until": yesterday}).json() == []
    swapped = is_problem(client.get(url, params={"since": tomorrow, "until": yesterday}), 422)
    assert "swap" in swapped["detail"] or "swap" in str(swapped.get("errors"))
    is_problem(client.get(url, params={"entity": "planet"}), 422)
    is_problem(client.get(url, params={"since": "01/05/2024"}), 422)
    # paging: the second page goes on where the first stopped
    first = client.get(url, params={"limit": 3}).json()
    second = client.get(url, params={"limit": 3, "offset": 3}).json()
    both = client.get(url, params={"limit": 6}).json()
    assert first + second == both
    history = client.get(f"{LA}/nodes/{node['id']}/changes", params={"offset": 1}).json()
    assert [c["action"] for c in history] == ["create"]


def test_the_diff_names_ties_by_label_and_checks_by_title(client):
    d = client.get(f"{LA}/audit/diff", params={"from": "2015-01-01", "to": "2019-01-01"}).json()
    labels = {
        n["id"]: n["label"]
        for n in client.get(f"{LA}/nodes", params={"limit": 1000}).json()["items"]
    }
    assert d["edges"]["added"]
    for tie in d["edges"]["added"] + d["edges"]["ended"]:
        assert tie["source_label"] == labels[tie["source"]]
        assert tie["target_label"] == labels[tie["target"]]
    checks = {c["id"]: c["title"] for c in client.get(f"{LA}/audit").json()["summary"]["checks"]}
    assert d["checks"] == checks
