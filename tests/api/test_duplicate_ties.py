"""No silent duplicate ties: a second tie of one kind between the same two nodes at dates
that overlap the first is refused with 409 naming the first; ties that follow each other in
time are allowed, and so is every grant; an import keeps all its ties and lists the twins."""

from __future__ import annotations

import json

WS = "/api/workspaces/la-compact"
TIE = "homeboy-industries--participates_in--youth-leadership"


def count(client, kind: str) -> int:
    return client.get(f"{WS}/edges?kind={kind}&limit=1").json()["total"]


def test_a_second_membership_at_the_same_dates_is_refused_with_the_first(client, tokens):
    before = count(client, "participates_in")
    r = client.post(
        f"{WS}/edges",
        json={
            "kind": "participates_in",
            "source": "homeboy-industries",
            "target": "youth-leadership",
        },
        headers=tokens["editor"],
    )
    assert r.status_code == 409, r.text
    problem = r.json()
    assert problem["existing_id"] == TIE
    assert problem["existing"] == f"{WS}/edges/{TIE}"
    assert (
        f"already has a participates_in tie to 'youth-leadership' at those dates: '{TIE}'"
        in (problem["detail"])
    )
    assert count(client, "participates_in") == before


def test_ties_that_follow_each_other_in_time_are_allowed(client, tokens):
    tag = client.get(f"{WS}/edges/{TIE}").headers["ETag"]
    r = client.patch(
        f"{WS}/edges/{TIE}",
        json={"valid_to": "2020-12-31"},
        headers=tokens["editor"] | {"If-Match": tag},
    )
    assert r.status_code == 200
    body = {"kind": "participates_in", "source": "homeboy-industries", "target": "youth-leadership"}
    overlapping = client.post(
        f"{WS}/edges", json=body | {"valid_from": "2020-06-01"}, headers=tokens["editor"]
    )
    assert overlapping.status_code == 409
    again = client.post(
        f"{WS}/edges", json=body | {"valid_from": "2021-01-01"}, headers=tokens["editor"]
    )
    assert again.status_code == 201, again.text
    assert again.json()["id"] == f"{TIE}-2"


def test_every_grant_is_its_own_tie(client, tokens):
    grant = {
        "kind": "funds",
        "source": "california-community-foundation",
        "target": "homeboy-industries",
        "properties": {"amount": 10000, "currency": "USD"},
    }
    first = client.post(f"{WS}/edges", json=grant, headers=tokens["editor"])
    second = client.post(f"{WS}/edges", json=grant, headers=tokens["editor"])
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_an_import_keeps_every_tie_and_lists_the_twins(client, tokens):
    native = {
        "nodes": [],
        "edges": [
            {"id": "twin-a", "kind": "participates_in", "source": "homeboy-industries",
             "target": "la-regional-stem-hub", "valid_from": "2019-01-01"},
            {"id": "twin-b", "kind": "participates_in", "source": "homeboy-industries",
             "target": "la-regional-stem-hub", "valid_from": "2020-01-01"},
            {"id": "later", "kind": "participates_in", "source": "homeboy-industries",
             "target": "joint-advocacy", "valid_from": "2019-01-01", "valid_to": "2019-12-31"},
            {"id": "again", "kind": "participates_in", "source": "homeboy-industries",
             "target": "joint-advocacy", "valid_from": "2020-01-01"},
            {"id": "repeat-of-stored", "kind": "participates_in", "source": "homeboy-industries",
             "target": "youth-leadership"},
        ],
    }  # fmt: skip
    r = client.post(
        f"{WS}/import",
        files={"files": ("ties.json", json.dumps(native).encode(), "application/json")},
        headers=tokens["editor"],
    )
    assert r.status_code == 200, r.text
    report = r.json()
    assert sorted(report["edges_created"]) == sorted(e["id"] for e in native["edges"])
    assert report["possible_duplicates"] == [[TIE, "repeat-of-stored"], ["twin-a", "twin-b"]]
