"""What the workspaces page asks of the API, on both engines: make a workspace, rename it,
open it to the public and close it, delete it; a blank name is refused where it is given."""

from __future__ import annotations

from .test_api import is_problem

NEW = "/api/workspaces/pensacola-c2c"


def test_the_page_flow_make_rename_open_close_delete(client, tokens):
    admin = tokens["admin"]
    body = {"slug": "pensacola-c2c", "name": "  Pensacola Cradle to Career ", "public_read": False}
    made = client.post("/api/workspaces", json=body | {"description": "A test."}, headers=admin)
    assert made.status_code == 201
    assert made.json()["name"] == "Pensacola Cradle to Career"  # spaces around it dropped
    assert made.json()["nodes"] == 0 and made.json()["public_read"] is False
    assert "pensacola-c2c" in {
        w["slug"] for w in client.get("/api/workspaces", headers=admin).json()
    }
    assert "pensacola-c2c" not in {w["slug"] for w in client.get("/api/workspaces").json()}
    # renamed: the name changes, the id and everything else stay
    r = client.patch(NEW, json={"name": "Escambia C2C"}, headers=admin)
    assert r.status_code == 200
    assert (r.json()["name"], r.json()["slug"], r.json()["description"]) == (
        "Escambia C2C",
        "pensacola-c2c",
        "A test.",
    )
    # opened: anyone reads it; closed: an anonymous caller is answered as for a missing one
    assert client.patch(NEW, json={"public_read": True}, headers=admin).json()["public_read"]
    assert client.get(NEW).status_code == 200
    assert "pensacola-c2c" in {w["slug"] for w in client.get("/api/workspaces").json()}
    assert client.patch(NEW, json={"public_read": False}, headers=admin).status_code == 200
    is_problem(client.get(NEW), 404)
    # an editor may do none of it
    is_problem(client.patch(NEW, json={"name": "x"}, headers=tokens["editor"]), 403)
    is_problem(client.delete(NEW, headers=tokens["editor"]), 403)
    client.post(
        f"{NEW}/nodes", json={"kind": "organization", "label": "Someone"}, headers=admin
    ).raise_for_status()
    assert client.delete(NEW, headers=admin).status_code == 204
    is_problem(client.get(NEW, headers=admin), 404)
    # the id may be used again, and the new workspace starts empty
    again = client.post("/api/workspaces", json={"slug": "pensacola-c2c"}, headers=admin)
    assert again.status_code == 201 and again.json()["nodes"] == 0
    assert again.json()["name"] == "pensacola-c2c"  # no name given: the id


def test_a_blank_name_is_refused_and_nothing_changes(client, tokens):
    admin = tokens["admin"]
    r = client.post("/api/workspaces", json={"slug": "blank", "name": "   "}, headers=admin)
    problem = is_problem(r, 422)
    assert problem["errors"][0]["loc"][-1] == "name"
    is_problem(client.get("/api/workspaces/blank", headers=admin), 404)
    before = client.get("/api/workspaces/la-compact").json()["name"]
    r = client.patch("/api/workspaces/la-compact", json={"name": ""}, headers=admin)
    assert is_problem(r, 422)["errors"][0]["loc"][-1] == "name"
    assert client.get("/api/workspaces/la-compact").json()["name"] == before
