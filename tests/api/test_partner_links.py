"""Partner links: one organization's people keep its record and ties, ask to join a group,
and touch nothing else; the group's convener decides; expiry and revocation stop a link."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from sqlalchemy import update

from constellation.store.tables import Token

WS = "/api/workspaces/la-compact"
HOMEBOY = "homeboy-industries"
ALLIANCE = "alliance-for-childrens-rights"  # convenes la-opportunity-youth-collaborative
OYC = "la-opportunity-youth-collaborative"


def link(client, tokens, organization: str, **body) -> dict[str, str]:
    r = client.post(
        f"{WS}/partner-links", json={"organization": organization, **body}, headers=tokens["editor"]
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["url"].endswith(f"/partner.html?w=la-compact#token={made['secret']}")
    return {"Authorization": f"Bearer {made['secret']}"}


def read(client, path: str, headers=None) -> tuple[dict, str]:
    r = client.get(f"{WS}/{path}", headers=headers or {})
    assert r.status_code == 200, r.text
    return r.json(), r.headers.get("ETag", "")


def test_the_link_corrects_its_profile_and_the_log_names_the_organization(client, tokens):
    homeboy = link(client, tokens, "Homeboy Industries")  # a label is enough
    _, tag = read(client, f"nodes/{HOMEBOY}")
    r = client.patch(
        f"{WS}/nodes/{HOMEBOY}",
        json={"properties": {"website": "https://homeboyindustries.org", "staff_capacity": 2}},
        headers=homeboy | {"If-Match": tag},
    )
    assert r.status_code == 200, r.text
    assert r.json()["properties"]["website"] == "https://homeboyindustries.org"
    changes = client.get(f"{WS}/nodes/{HOMEBOY}/changes", headers=tokens["editor"]).json()
    assert changes[0]["action"] == "update"
    assert changes[0]["actor"].startswith("Homeboy Industries (partner link ")
    # as everyone: a stale version is refused
    r = client.patch(
        f"{WS}/nodes/{HOMEBOY}",
        json={"properties": {"website": "https://example.org"}},
        headers=homeboy | {"If-Match": tag},
    )
    assert r.status_code == 412


def test_the_page_view_shows_its_groups_signature_and_what_it_may_join(client, tokens):
    view, _ = read(client, "partner", link(client, tokens, HOMEBOY))
    assert view["organization"]["id"] == HOMEBOY
    groups = {g["constellation"]["id"]: g["role"] for g in view["groups"]}
    assert groups == {
        "jobs-for-foster-youth-program": "participates_in",
        "subsidized-jobs-workgroup": "participates_in",
        "youth-leadership": "participates_in",
    }
    assert [r["person"]["id"] for r in view["representatives"]] == ["homeboy-workforce-director"]
    open_ids = {g["id"] for g in view["open_groups"]}
    assert OYC in open_ids and not open_ids & set(groups)
    assert view["expires_at"] is not None  # 90 days unless told


def test_the_link_touches_nothing_outside_its_organization(client, tokens, app_store):
    """Every other record, every other workspace and every admin route answers the link
    as it answers an anonymous caller; nothing changes."""
    homeboy = link(client, tokens, HOMEBOY)
    _, tag = read(client, f"nodes/{ALLIANCE}")
    tie = "homeboy-industries--participates_in--youth-leadership"
    _, tie_tag = read(client, f"edges/{tie}")
    asks = [
        ("PATCH", f"{WS}/nodes/{ALLIANCE}", {"properties": {"website": "x"}}, tag),
        ("DELETE", f"{WS}/nodes/{HOMEBOY}", None, None),
        ("POST", f"{WS}/nodes/{HOMEBOY}/archive", None, None),
        ("POST", f"{WS}/edges/{tie}/archive", None, tie_tag),
        ("DELETE", f"{WS}/edges/{tie}", None, tie_tag),
        (
            "POST",
            f"{WS}/edges",
            {"kind": "participates_in", "source": HOMEBOY, "target": OYC},
            None,
        ),
        ("POST", f"{WS}/nodes", {"kind": "organization", "label": "Shell Co"}, None),
        ("PATCH", WS, {"name": "Hijacked"}, None),
        ("GET", f"{WS}/partner-links", None, None),
        ("POST", f"{WS}/map/positions", {}, None),
        ("PUT", f"{WS}/map/views/mine", {"fragment": "x"}, None),
        ("GET", "/api/workspaces/private", None, None),
        ("GET", "/api/workspaces/private/nodes/secret-org", None, None),
        ("POST", "/api/workspaces", {"slug": "mine", "name": "Mine"}, None),
    ]
    anonymous, partner = [], []
    for method, path, body, etag in asks:
        headers = {"If-Match": etag} if etag else {}
        anonymous.append(client.request(method, path, json=body, headers=headers).status_code)
        r = client.request(method, path, json=body, headers=headers | homeboy)
        partner.append(r.status_code)
    assert partner == anonymous
    assert set(partner) <= {401, 404, 405}
    assert read(client, f"nodes/{ALLIANCE}")[1] == tag
    assert read(client, f"edges/{tie}")[1] == tie_tag
    names = {n["label"] for n in client.get(f"{WS}/nodes?limit=1000").json()["items"]}
    assert "Shell Co" not in names
    # who changed what is not for it to read, as for an anonymous reader
    changes = client.get(f"{WS}/changes", headers=homeboy).json()
    assert changes and {c["actor"] for c in changes} == {None}


def test_it_leaves_a_group_by_ending_the_tie(client, tokens):
    homeboy = link(client, tokens, HOMEBOY)
    tie = "homeboy-industries--participates_in--youth-leadership"
    _, tag = read(client, f"edges/{tie}")
    r = client.patch(
        f"{WS}/edges/{tie}", json={"valid_to": "2026-11-30"}, headers=homeboy | {"If-Match": tag}
    )
    assert r.status_code == 200, r.text
    assert r.json()["valid_to"] == "2026-11-30"
    view, _ = read(client, "partner", homeboy)
    left = {g["constellation"]["id"]: g["ended"] for g in view["groups"]}
    assert left["youth-leadership"] is True and left["subsidized-jobs-workgroup"] is False
    # a tie cannot be moved: to another organization, or to another group (joining it
    # without asking)
    _, tag = read(client, f"edges/{tie}")
    for end, other in (("source", ALLIANCE), ("target", OYC)):
        r = client.patch(
            f"{WS}/edges/{tie}", json={end: other}, headers=homeboy | {"If-Match": tag}
        )
        assert r.status_code == 401, end
    assert read(client, f"edges/{tie}")[1] == tag


def test_a_request_to_join_reaches_the_convener_and_accepted_becomes_the_tie(client, tokens):
    homeboy, alliance = link(client, tokens, HOMEBOY), link(client, tokens, ALLIANCE)
    r = client.post(
        f"{WS}/join-requests",
        json={"constellation": "L.A. Opportunity Youth Collaborative", "message": "We hire."},
        headers=homeboy,
    )
    assert r.status_code == 201, r.text
    asked = r.json()
    assert (asked["organization"], asked["constellation"], asked["state"]) == (
        HOMEBOY,
        OYC,
        "pending",
    )
    again = client.post(f"{WS}/join-requests", json={"constellation": OYC}, headers=homeboy)
    assert again.status_code == 409 and asked["id"] in again.json()["detail"]

    waiting, _ = read(client, "partner", alliance)
    assert [r["id"] for r in waiting["to_decide"]] == [asked["id"]]
    # only the group's convener (or an editor) decides: not the one who asks
    mine = client.post(f"{WS}/join-requests/{asked['id']}/accept", headers=homeboy)
    assert mine.status_code == 401

    r = client.post(
        f"{WS}/join-requests/{asked['id']}/accept",
        json={"valid_from": "2026-12-01"},
        headers=alliance,
    )
    assert r.status_code == 200, r.text
    accepted = r.json()
    assert accepted["state"] == "accepted" and accepted["decided_by"].startswith(
        "Alliance for Children's Rights (partner link "
    )
    tie, _ = read(client, f"edges/{accepted['edge']}")
    assert (tie["kind"], tie["source"], tie["target"], tie["valid_from"]) == (
        "participates_in",
        HOMEBOY,
        OYC,
        "2026-12-01",
    )
    twice = client.post(f"{WS}/join-requests/{asked['id']}/decline", headers=alliance)
    assert twice.status_code == 409 and "already accepted" in twice.json()["detail"]
    view, _ = read(client, "partner", homeboy)
    assert OYC in {g["constellation"]["id"] for g in view["groups"]}
    assert view["requests"][0]["state"] == "accepted"
    logged = client.get(f"{WS}/changes", headers=tokens["editor"]).json()
    made = next(c for c in logged if c["entity"] == "edge" and c["entity_id"] == tie["id"])
    assert made["actor"].startswith("Alliance for Children's Rights (partner link ")


def test_an_editor_declines_a_request_and_nothing_is_made(client, tokens):
    homeboy = link(client, tokens, HOMEBOY)
    asked = client.post(f"{WS}/join-requests", json={"constellation": OYC}, headers=homeboy).json()
    before = client.get(f"{WS}/edges?kind=participates_in&limit=1000").json()["total"]
    r = client.post(
        f"{WS}/join-requests/{asked['id']}/decline",
        json={"reason": "Full for this year."},
        headers=tokens["editor"],
    )
    assert r.status_code == 200 and r.json()["state"] == "declined"
    assert r.json()["reason"] == "Full for this year."
    assert client.get(f"{WS}/edges?kind=participates_in&limit=1000").json()["total"] == before
    listed = client.get(f"{WS}/join-requests?state=declined", headers=tokens["editor"]).json()
    assert [x["id"] for x in listed] == [asked["id"]]


def test_it_adds_a_representative_and_corrects_their_title(client, tokens):
    homeboy = link(client, tokens, HOMEBOY)
    r = client.post(f"{WS}/nodes", json={"kind": "person", "label": "Rosa Reyes"}, headers=homeboy)
    assert r.status_code == 201, r.text
    person = r.json()["id"]
    r = client.post(
        f"{WS}/edges",
        json={
            "kind": "represents",
            "source": person,
            "target": HOMEBOY,
            "properties": {"title": "Director of Partnerships"},
        },
        headers=homeboy,
    )
    assert r.status_code == 201, r.text
    view, _ = read(client, "partner", homeboy)
    titles = {
        x["person"]["label"]: x["tie"]["properties"].get("title") for x in view["representatives"]
    }
    assert titles["Rosa Reyes"] == "Director of Partnerships"
    # a person of another organization is not its to change
    _, tag = read(client, "nodes/carrie-lemmon")
    r = client.patch(
        f"{WS}/nodes/carrie-lemmon", json={"label": "X"}, headers=homeboy | {"If-Match": tag}
    )
    assert r.status_code == 401


def test_a_revoked_link_stops_at_once(client, tokens):
    homeboy = link(client, tokens, HOMEBOY)
    assert client.get(f"{WS}/partner", headers=homeboy).status_code == 200
    prefix = homeboy["Authorization"].split("_")[1]
    r = client.post(f"{WS}/partner-links/{prefix}/revoke", headers=tokens["editor"])
    assert r.status_code == 200 and r.json()["state"] == "revoked"
    assert client.get(f"{WS}/partner", headers=homeboy).status_code == 401
    links = client.get(f"{WS}/partner-links", headers=tokens["editor"]).json()
    assert {x["prefix"]: x["state"] for x in links}[prefix] == "revoked"


def test_an_expired_link_stops_within_a_second(client, tokens, app_store):
    homeboy = link(client, tokens, HOMEBOY, expires=str(dt.date.today()))
    assert client.get(f"{WS}/partner", headers=homeboy).status_code == 200  # remembered now
    prefix = homeboy["Authorization"].split("_")[1]
    with app_store.session() as s:  # its moment comes, as the clock would bring it
        s.execute(
            update(Token)
            .where(Token.prefix == prefix)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(milliseconds=1))
        )
        s.commit()
    time.sleep(1.1)
    r = client.get(f"{WS}/partner", headers=homeboy)
    assert r.status_code == 401
    links = client.get(f"{WS}/partner-links", headers=tokens["editor"]).json()
    assert {x["prefix"]: x["state"] for x in links}[prefix] == "expired"


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        ({"organization": "No Such Org"}, 404, "No Such Org"),
        ({"organization": "youth-leadership"}, 422, "organization"),
        ({"organization": HOMEBOY, "expires": "2001-01-01"}, 422, "expires"),
        ({"organization": HOMEBOY, "expires": "soon"}, 422, "expires"),
    ],
)
def test_a_bad_link_request_says_what_is_wrong_and_makes_nothing(
    client, tokens, body, status, says
):
    r = client.post(f"{WS}/partner-links", json=body, headers=tokens["editor"])
    assert r.status_code == status, r.text
    problem = r.json()
    where = problem["detail"] if status == 404 else [e["loc"][-1] for e in problem["errors"]]
    assert says in where
    assert client.get(f"{WS}/partner-links", headers=tokens["editor"]).json() == []


def test_a_grant_is_its_funders_to_change_not_the_grantees(client, tokens):
    r = client.post(
        f"{WS}/edges",
        json={
            "kind": "funds",
            "source": "california-community-foundation",
            "target": HOMEBOY,
            "properties": {"amount": 50000, "currency": "USD"},
        },
        headers=tokens["editor"],
    )
    assert r.status_code == 201, r.text
    grant, tag = r.json()["id"], r.headers["ETag"]
    grantee = link(client, tokens, HOMEBOY)
    r = client.patch(
        f"{WS}/edges/{grant}",
        json={"properties": {"amount": 500000}},
        headers=grantee | {"If-Match": tag},
    )
    assert r.status_code == 401 and "funder" in r.json()["detail"]
    funder = link(client, tokens, "california-community-foundation")
    r = client.patch(
        f"{WS}/edges/{grant}",
        json={"properties": {"amount": 60000}},
        headers=funder | {"If-Match": tag},
    )
    assert r.status_code == 200 and r.json()["properties"]["amount"] == 60000
