"""Issue 17 over HTTP: GET …/commitments by signer and by goal, and a signer's commitments
changed through the ordinary PATCH of its signs tie (the whole list replaced, If-Match; a bad
item 422 naming properties.commitments.N.field, nothing changed), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from constellation.analysis.commitments import commitments_report
from constellation.graph import load_graph
from tests.helpers.dates import TODAY

LA = "/api/workspaces/la-compact"
CSUN = f"{LA}/edges/csu-northridge--signs--la-compact"

pytestmark = pytest.mark.usefixtures("pinned_today")


def rows(body):
    return [c for g in body["groups"] for c in g["commitments"]]


def test_anyone_may_read_the_commitments_of_a_public_workspace_by_signer(client, app_store):
    r = client.get(f"{LA}/commitments")  # no token: la-compact is public
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == [
        "workspace",
        "as_of",
        "by",
        "stale_commitment_months",
        "total",
        "by_status",
        "stale",
        "groups",
        "lapsed_signers",
    ]
    assert (body["by"], body["as_of"], body["stale_commitment_months"]) == (
        "signer",
        TODAY.isoformat(),
        12,
    )
    labels = [g["subject"]["label"] for g in body["groups"]]
    assert labels == sorted(labels, key=str.lower) and len(labels) == 9
    usc = next(g for g in body["groups"] if g["subject"]["id"] == "usc")
    assert [(c["id"], c["status"], c["stale"]) for c in usc["commitments"]] == [
        ("teacher-preparation", "withdrawn", False),
        ("data-sharing", "not_started", True),
    ]
    assert [s["id"] for s in body["lapsed_signers"]] == ["usc"]
    csun = next(c for c in rows(body) if c["signer"]["id"] == "csu-northridge" and c["stale"])
    assert csun["signer"] == {
        "id": "csu-northridge",
        "kind": "organization",
        "label": "California State University, Northridge",
    }
    assert csun["goal"] == {
        "id": "goal-2-college-access-and-success",
        "kind": "goal",
        "label": "All students have access to and are prepared for success in college",
    }
    assert csun["edge"] == "csu-northridge--signs--la-compact"
    assert (csun["last_progress"], csun["months_since"]) == ("2025-02-10", 15)
    assert [n["date"] for n in csun["progress"]] == ["2022-08-30", "2025-02-10"]
    with app_store.repository() as repo:
        direct = commitments_report(load_graph(repo, "la-compact", TODAY)).model_dump(mode="json")
    assert body == direct


def test_by_goal_in_the_agendas_order_with_the_goalless_last(client):
    body = client.get(f"{LA}/commitments", params={"by": "goal"}).json()
    assert body["by"] == "goal"
    assert [g["subject"] and g["subject"]["id"] for g in body["groups"]] == [
        "goal-1-high-school-graduation",
        "goal-2-college-access-and-success",
        "goal-3-pathways-to-careers",
        None,
    ]
    assert [c["signer"]["id"] for c in body["groups"][-1]["commitments"]] == ["unite-la"]
    goal_2 = body["groups"][1]
    assert goal_2["by_status"]["fulfilled"] == 4 and goal_2["stale"] == 2
    assert body["total"] == sum(len(g["commitments"]) for g in body["groups"]) == 14


def test_the_stale_line_is_a_parameter(client):
    body = client.get(f"{LA}/commitments", params={"stale_commitment_months": 240}).json()
    assert body["stale_commitment_months"] == 240 and body["stale"] == 0
    assert body["lapsed_signers"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"by": "sector"}, "by"),
        ({"stale_commitment_months": "0"}, "params.stale_commitment_months"),
        ({"stale_commitment_months": "a year"}, "params.stale_commitment_months"),
        ({"as_of": "2026-02-30"}, "as_of"),
    ],
)
def test_bad_questions_are_422_naming_the_field(client, params, field):
    r = client.get(f"{LA}/commitments", params=params)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in r.text


def test_a_private_or_missing_workspace_is_404(client):
    assert client.get("/api/workspaces/private/commitments").status_code == 404
    assert client.get("/api/workspaces/nowhere/commitments").status_code == 404


def test_a_patch_of_the_signs_tie_replaces_the_list(client, tokens):
    before = client.get(f"{LA}/commitments").json()
    read = client.get(CSUN)
    etag, edge = read.headers["ETag"], read.json()
    listed = edge["properties"]["commitments"]
    teachers = listed[0] | {
        "progress": listed[0]["progress"]
        + [{"date": "2026-05-20", "note": "Redesigned first year launched"}]
    }
    r = client.patch(
        CSUN,
        json={"properties": {"commitments": [teachers]}},  # data sharing left out: removed
        headers=tokens["la_editor"] | {"If-Match": etag},
    )
    assert r.status_code == 200, r.text
    assert [c["id"] for c in r.json()["properties"]["commitments"]] == ["teacher-preparation"]
    assert r.json()["properties"]["date"] == "2008-01-01"  # the tie's other properties stay
    assert r.headers["ETag"] != etag
    after = client.get(f"{LA}/commitments").json()  # the cached report follows the write
    csun = [c for c in rows(after) if c["signer"]["id"] == "csu-northridge"]
    assert [(c["id"], c["stale"], c["last_progress"]) for c in csun] == [
        ("teacher-preparation", False, "2026-05-20")
    ]
    assert after["total"] == before["total"] - 1 and after["stale"] == before["stale"] - 1
    # the old ETag is spent
    again = client.patch(
        CSUN,
        json={"properties": {"commitments": []}},
        headers=tokens["la_editor"] | {"If-Match": etag},
    )
    assert again.status_code == 412


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        ({"text": "b", "status": "done"}, "properties.commitments.1.status", "in_progress"),
        ({"text": "b", "goal": "goal-9"}, "properties.commitments.1.goal", "no node 'goal-9'"),
        ({"text": "b", "goal": "usc"}, "properties.commitments.1.goal", "not a goal"),
        ({"id": "a", "text": "b"}, "properties.commitments.1.id", "taken by commitment 0"),
        (
            {"text": "b", "progress": [{"note": "x"}]},
            "properties.commitments.1.progress.0.date",
            "",
        ),
        ({"status": "fulfilled"}, "properties.commitments.1.text", "required"),
    ],
)
def test_a_bad_item_is_422_naming_its_field_and_changes_nothing(
    client, tokens, app_store, bad, field, words
):
    read = client.get(CSUN)
    with app_store.repository() as repo:
        revision = repo.revision("la-compact")
    r = client.patch(
        CSUN,
        json={"properties": {"commitments": [{"id": "a", "text": "a"}, bad]}},
        headers=tokens["la_editor"] | {"If-Match": read.headers["ETag"]},
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    [error] = problem["errors"]
    assert error["field"] == field and words in error["msg"]
    assert error["loc"] == ["body", *field.split(".")]
    assert error["record"] == "csu-northridge--signs--la-compact"
    assert problem["detail"].startswith("Nothing was changed")
    unchanged = client.get(CSUN)
    assert unchanged.json() == read.json() and unchanged.headers["ETag"] == read.headers["ETag"]
    with app_store.repository() as repo:
        assert repo.revision("la-compact") == revision


def test_reading_is_not_writing(client, tokens):
    r = client.patch(CSUN, json={"properties": {"commitments": []}}, headers={"If-Match": '"1"'})
    assert r.status_code == 401
    r = client.patch(
        CSUN,
        json={"properties": {"commitments": []}},
        headers=tokens["viewer"] | {"If-Match": '"1"'},
    )
    assert r.status_code == 403
