"""Named map views saved per workspace: editors save, change (with If-Match) and delete them,
everyone who can read the workspace lists and opens them, and each save is in the change log."""

from __future__ import annotations

import pytest

from tests.api.test_api import LA, is_problem

pytestmark = pytest.mark.usefixtures("pinned_today")

VIEWS = f"{LA}/map/views"
FRAGMENT = "color=sector&focus=unite-la&as_of=2017-06-01"


def test_an_editor_saves_a_view_and_every_reader_lists_and_opens_it(client, tokens):
    assert client.get(VIEWS).json() == {"workspace": "la-compact", "views": []}
    r = client.put(
        f"{VIEWS}/By sector", json={"fragment": "#" + FRAGMENT}, headers=tokens["editor"]
    )
    assert r.status_code == 201, r.text
    assert r.headers["ETag"] == '"1"'
    saved = r.json()
    assert saved["name"] == "By sector" and saved["fragment"] == FRAGMENT  # '#' dropped
    assert saved["version"] == 1 and saved["updated_by"].startswith("editor (")

    listed = client.get(VIEWS, headers=tokens["viewer"]).json()["views"]
    assert [(v["name"], v["fragment"], v["version"]) for v in listed] == [
        ("By sector", FRAGMENT, 1)
    ]
    anonymous = client.get(f"{VIEWS}/By sector")  # la-compact is public
    assert anonymous.status_code == 200 and anonymous.json()["fragment"] == FRAGMENT
    assert anonymous.json()["updated_by"] is None  # who saved it is for signed-in readers
    assert anonymous.headers["ETag"] == '"1"'


def test_the_served_map_offers_saving_to_editors_and_the_list_to_everyone(client, tokens):
    anonymous = client.get(f"{LA}/map").text
    assert f'"views_url":"{VIEWS}"' in anonymous and '"views_editable":false' in anonymous
    editor = client.get(f"{LA}/map", headers=tokens["editor"]).text
    assert '"views_editable":true' in editor
    assert "Save this view as" in editor


def test_a_view_changes_only_with_the_version_read_and_every_save_is_logged(client, tokens):
    editor = tokens["editor"]
    client.put(f"{VIEWS}/meeting", json={"fragment": "color=status"}, headers=editor)
    is_problem(client.put(f"{VIEWS}/meeting", json={"fragment": "color=goal"}, headers=editor), 428)
    stale = client.put(
        f"{VIEWS}/meeting", json={"fragment": "color=goal"}, headers=editor | {"If-Match": '"7"'}
    )
    is_problem(stale, 412)
    assert client.get(f"{VIEWS}/meeting").json()["fragment"] == "color=status"
    r = client.put(
        f"{VIEWS}/meeting", json={"fragment": "color=goal"}, headers=editor | {"If-Match": '"1"'}
    )
    assert r.status_code == 200 and r.json()["version"] == 2 and r.headers["ETag"] == '"2"'
    assert client.get(f"{VIEWS}/meeting").json()["fragment"] == "color=goal"

    log = client.get(f"{LA}/changes", headers=editor).json()
    entries = log["items"] if isinstance(log, dict) else log
    views = [c for c in entries if c["entity"] == "map_view" and c["entity_id"] == "meeting"]
    assert [(c["action"], c["version"], c["after"]) for c in views] == [
        ("update", 2, {"fragment": "color=goal"}),
        ("create", 1, {"fragment": "color=status"}),
    ]
    assert views[0]["before"] == {"fragment": "color=status"}
    assert views[0]["actor"].startswith("editor (")


def test_a_view_is_deleted_with_its_version(client, tokens):
    editor = tokens["editor"]
    client.put(f"{VIEWS}/old", json={"fragment": "size=betweenness"}, headers=editor)
    is_problem(client.delete(f"{VIEWS}/old", headers=editor | {"If-Match": '"3"'}), 412)
    assert client.delete(f"{VIEWS}/old", headers=editor | {"If-Match": '"1"'}).status_code == 204
    assert client.get(VIEWS).json()["views"] == []
    is_problem(client.get(f"{VIEWS}/old"), 404)
    is_problem(client.delete(f"{VIEWS}/old", headers=editor | {"If-Match": '"2"'}), 404)
    # the name can be used again, and its versions go on from the delete
    again = client.put(f"{VIEWS}/old", json={"fragment": "color=kind"}, headers=editor)
    assert again.status_code == 201 and again.json()["version"] == 3


def test_viewers_and_anonymous_callers_cannot_save_and_private_views_stay_hidden(client, tokens):
    body = {"fragment": "color=sector"}
    is_problem(client.put(f"{VIEWS}/mine", json=body, headers=tokens["viewer"]), 403)
    is_problem(client.put(f"{VIEWS}/mine", json=body), 401)
    is_problem(client.delete(f"{VIEWS}/mine", headers=tokens["viewer"]), 403)
    assert client.get(VIEWS).json()["views"] == []

    private = "/api/workspaces/private/map/views"
    r = client.put(f"{private}/secret", json=body, headers=tokens["editor"])
    assert r.status_code == 201, r.text
    missing = client.get("/api/workspaces/nowhere/map/views")
    for path in (private, f"{private}/secret"):
        hidden = is_problem(client.get(path), 404)
        assert hidden["detail"] == missing.json()["detail"].replace("nowhere", "private")
    listed = client.get(private, headers=tokens["private_viewer"]).json()["views"]
    assert [v["name"] for v in listed] == ["secret"]


@pytest.mark.parametrize(
    "name,fragment,field",
    [
        ("  ", "color=sector", "name"),
        ("-dash first", "color=sector", "name"),
        ("ok", "color=sector&<script>", "fragment"),
        ("ok", "color=sector view", "fragment"),
    ],
)
def test_a_bad_name_or_fragment_is_refused_and_nothing_is_saved(
    client, tokens, name, fragment, field
):
    r = client.put(f"{VIEWS}/{name}", json={"fragment": fragment}, headers=tokens["editor"])
    body = is_problem(r, 422)
    assert field in r.text and body["detail"]
    assert client.get(VIEWS).json()["views"] == []
    is_problem(
        client.put(f"{VIEWS}/ok", json={"fragment": "x" * 4001}, headers=tokens["editor"]), 422
    )
