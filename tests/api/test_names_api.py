"""Names that forgive, over HTTP: a misspelt `org=` or `funder=` is a 404 whose problem offers
the closest names (`did_you_mean`); an unknown workspace offers the workspaces the caller may
read and never a private one; a date in another shape says the shape to use."""

from __future__ import annotations

import pytest

LA = "/api/workspaces/la-compact"

pytestmark = pytest.mark.usefixtures("pinned_today")


def test_a_misspelt_organization_is_a_404_with_the_closest_name(client):
    r = client.get(f"{LA}/recommendations", params={"org": "Los Angeles Unified School Distric"})
    assert r.status_code == 404
    body = r.json()
    assert body["did_you_mean"] == ["Los Angeles Unified School District"]
    assert body["detail"] == (
        "No organization 'Los Angeles Unified School Distric' in workspace 'la-compact'; "
        "did you mean 'Los Angeles Unified School District'?"
    )


def test_a_misspelt_funder_is_a_404_with_the_closest_name(client):
    r = client.get(f"{LA}/funding", params={"funder": "California Comunity Foundation"})
    assert r.status_code == 404
    assert r.json()["did_you_mean"] == ["California Community Foundation"]


def test_a_name_with_nothing_near_guesses_nothing(client):
    r = client.get(f"{LA}/recommendations", params={"org": "Zzyzx Qwerty"})
    assert r.status_code == 404
    assert "did_you_mean" not in r.json()


def test_an_unknown_workspace_offers_only_what_the_caller_may_read(client, tokens):
    anonymous = client.get("/api/workspaces/la-compac/audit").json()
    assert anonymous["did_you_mean"] == ["la-compact"]
    assert anonymous["detail"] == (
        "No workspace 'la-compac'; did you mean 'la-compact'? "
        "(the workspaces: achieve-escambia, la-compact)."
    )
    admin = client.get("/api/workspaces/privat/audit", headers=tokens["admin"]).json()
    assert admin["did_you_mean"] == ["private"]
    assert "private" in admin["detail"]


def test_a_private_workspace_answers_anonymous_callers_as_a_missing_one_does(client):
    private = client.get("/api/workspaces/private/audit")
    missing = client.get("/api/workspaces/privat/audit")
    assert private.status_code == missing.status_code == 404
    assert "did_you_mean" not in private.json() and "did_you_mean" not in missing.json()
    assert "private" not in missing.json()["detail"].replace("'privat'", "")
    assert private.json()["detail"].replace("'private'", "'X'") == missing.json()["detail"].replace(
        "'privat'", "'X'"
    )


@pytest.mark.parametrize("day", ["2017/05/23", "23-05-2017", "2017-13-01"])
def test_a_date_in_another_shape_says_the_shape_to_use(client, day):
    r = client.get(f"{LA}/audit", params={"as_of": day})
    assert r.status_code == 422
    body = r.json()
    message = f"{day!r} is not a date: use YYYY-MM-DD, e.g. 2024-05-01"
    assert body["errors"][0]["msg"] == message
    assert message in body["detail"]
