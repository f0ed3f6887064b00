"""Issue 17 over HTTP: GET …/stages (where each network stands, what has stalled) and
GET …/overlap (who shares whom), on SQLite and PostgreSQL, with the mistakes people make."""

from __future__ import annotations

import pytest

from constellation.analysis.overlap import overlap
from constellation.analysis.stages import network_stages
from constellation.graph import load_graph
from tests.helpers.dates import TODAY

AE = "/api/workspaces/achieve-escambia"
LA = "/api/workspaces/la-compact"

pytestmark = pytest.mark.usefixtures("pinned_today")


def test_overlap_ranks_pairs_by_shared_partners_with_their_labels(client, app_store):
    r = client.get(f"{AE}/overlap")
    assert r.status_code == 200, r.text
    body = r.json()
    assert list(body) == [
        "workspace",
        "as_of",
        "measure",
        "constellations",
        "pairs",
        "pairs_sharing_nobody",
        "organizations",
    ]
    shared = [p["shared"] for p in body["pairs"]]
    assert shared == sorted(shared, reverse=True) and shared[0] == 5
    first = body["pairs"][0]
    assert {first["a"]["label"], first["b"]["label"]} == {
        "Career Readiness CAN",
        "Industry Certification Work Group",
    }
    assert [o["label"] for o in first["organizations"]] == [
        "CareerSource EscaRosa",
        "Escambia County School District",
        "Gulf Power Company",
        "Navy Federal Credit Union",
        "Pensacola State College",
    ]
    assert body["organizations"][0]["organization"]["label"] == "Escambia County School District"
    with app_store.repository() as repo:
        direct = overlap(load_graph(repo, "achieve-escambia", TODAY)).model_dump(mode="json")
    assert body == direct


def test_overlap_follows_a_write(client, tokens):
    before = client.get(f"{AE}/overlap").json()
    pair = ("Career Readiness CAN", "Kindergarten Readiness CAN")

    def shared(body):
        return next(
            p["shared"] for p in body["pairs"] if (p["a"]["label"], p["b"]["label"]) == pair
        )

    r = client.post(
        f"{AE}/edges",
        json={
            "kind": "participates_in",
            "source": "careersource-escarosa",
            "target": "kindergarten-readiness-can",
        },
        headers=tokens["editor"],
    )
    assert r.status_code == 201, r.text
    assert shared(client.get(f"{AE}/overlap").json()) == shared(before) + 1


def test_overlap_as_of_a_date_before_the_career_network(client):
    body = client.get(f"{AE}/overlap", params={"as_of": "2017-06-01"}).json()
    labels = {p["a"]["label"] for p in body["pairs"]} | {p["b"]["label"] for p in body["pairs"]}
    assert "Career Readiness CAN" not in labels and body["as_of"] == "2017-06-01"


def test_stages_say_where_each_network_stands(client, app_store):
    body = client.get(f"{AE}/stages").json()
    assert body["source"] == "seed 002" and len(body["process"]) == 7
    by_label = {n["constellation"]["label"]: n for n in body["networks"]}
    career = by_label["Career Readiness CAN"]
    assert career["stage"]["title"] == "Prioritize contributing indicators"
    assert career["stage"]["number"] == 4 and career["stage"]["note"] == "illustrative"
    assert career["stalled"] is True and career["illustrative"] is True
    assert by_label["VPK Quality Indicator Task Force"]["stalled"] is False  # the last step
    assert by_label["Academic Success CAN"]["stage"] is None
    with app_store.repository() as repo:
        direct = network_stages(load_graph(repo, "achieve-escambia", TODAY)).model_dump(mode="json")
    assert body == direct


def test_stages_take_the_stalled_threshold(client):
    stalled = {
        n["constellation"]["label"]
        for n in client.get(f"{AE}/stages", params={"stalled_after_months": 60}).json()["networks"]
        if n["stalled"]
    }
    assert stalled == {"Career Readiness CAN", "Industry Certification Work Group"}


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/overlap", {"as_of": "2017-13-01"}, 422, "as_of"),
        ("/stages", {"stalled_after_months": "0"}, 422, "params.stalled_after_months"),
        ("/stages", {"stalled_after_months": "a year"}, 422, "params.stalled_after_months"),
    ],
)
def test_bad_questions_are_422_naming_the_field(client, path, params, status, field):
    r = client.get(f"{AE}{path}", params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in r.text


@pytest.mark.parametrize("path", ["/overlap", "/stages"])
def test_a_private_or_missing_workspace_is_404(client, path):
    assert client.get(f"/api/workspaces/private{path}").status_code == 404
    assert client.get(f"/api/workspaces/nowhere{path}").status_code == 404
