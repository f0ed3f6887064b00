"""The workspaces page (web/workspaces.html) in Chromium against a real `constellation serve`:
an admin makes a workspace, renames it, opens it to the public and closes it, and deletes it
once its name is typed; other callers see the list and no buttons."""

from __future__ import annotations

import httpx
import pytest

from constellation.store import Store

from .conftest import shoot
from .test_pages import open_page, sign_in


@pytest.fixture(scope="module")
def admin_secret(live):
    store = Store(live[1])
    with store.repository() as repo:
        _, secret = repo.create_token("admin", None, "page admin")
    store.close()
    return secret


def sign_in_as_admin(page, live, secret):
    page.fill("#token", secret)
    page.click("#signin button[type=submit]")
    page.wait_for_selector("#signed-in:has-text('admin')")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_load_state("networkidle")


def as_admin(live, secret, slug):
    return httpx.get(
        f"{live[0]}/api/workspaces/{slug}", headers={"Authorization": f"Bearer {secret}"}
    )


def row(slug):
    return f"#ws-list tr[data-slug='{slug}']"


def test_an_admin_makes_a_workspace_from_the_page(page, live, admin_secret):
    open_page(page, live, "workspaces.html")
    sign_in_as_admin(page, live, admin_secret)
    assert page.locator("header.top nav a[href^='workspaces.html']").count() == 1
    page.fill("#ws-name", "Pensacola Cradle to Career")
    assert page.input_value("#ws-slug") == "pensacola-cradle-to-career"  # made from the name
    page.fill("#ws-description", "Escambia County's cradle-to-career partnership.")
    page.check("#ws-public")
    page.click("#ws-create-go")
    page.wait_for_selector("#ws-created")
    assert "Made Pensacola Cradle to Career" in page.text_content("#ws-created")
    made = httpx.get(f"{live[0]}/api/workspaces/pensacola-cradle-to-career")  # public: no token
    assert made.status_code == 200
    assert made.json()["name"] == "Pensacola Cradle to Career"
    assert made.json()["description"] == "Escambia County's cradle-to-career partnership."
    page.wait_for_selector(row("pensacola-cradle-to-career") + "[data-public=true]")
    # the same id again is refused at its field
    page.fill("#ws-name", "Pensacola again")
    page.fill("#ws-slug", "pensacola-cradle-to-career")
    page.click("#ws-create-go")
    page.wait_for_selector("#err-ws-create-slug:not(:empty)")
    assert "already has the id" in page.text_content("#err-ws-create-slug")
    # an id that cannot go in an address is refused at its field too
    page.fill("#ws-slug", "Not An Id")
    page.click("#ws-create-go")
    page.wait_for_function(
        "document.querySelector('#err-ws-create-slug').textContent.includes('match')"
    )
    assert as_admin(live, admin_secret, "pensacola-again").status_code == 404
    shoot(page, "workspaces-create")


def test_an_admin_renames_closes_and_opens_a_workspace(page, live, admin_secret):
    store = Store(live[1])
    with store.repository() as repo:
        repo.create_workspace("river-city", name="River City Compact", public_read=True)
    store.close()
    open_page(page, live, "workspaces.html")
    sign_in_as_admin(page, live, admin_secret)
    page.click(row("river-city") + " button.rename")
    page.fill("#ws-edit-name", "River City Education Compact")
    page.click("#ws-edit-save")
    page.wait_for_selector("#ws-saved")
    got = as_admin(live, admin_secret, "river-city").json()
    assert got["name"] == "River City Education Compact" and got["slug"] == "river-city"
    assert "River City Education Compact" in page.text_content(row("river-city"))
    # close it: anonymous readers no longer see it
    page.click(row("river-city") + " button.visibility")
    page.wait_for_selector(row("river-city") + "[data-public=false]")
    assert "closed" in page.text_content("#ws-saved")
    assert httpx.get(f"{live[0]}/api/workspaces/river-city").status_code == 404
    # and open it again
    page.click(row("river-city") + " button.visibility")
    page.wait_for_selector(row("river-city") + "[data-public=true]")
    assert httpx.get(f"{live[0]}/api/workspaces/river-city").status_code == 200
    # a blank name is refused at its field, the old one kept
    page.click(row("river-city") + " button.rename")
    page.fill("#ws-edit-name", "")
    page.click("#ws-edit-save")
    page.wait_for_selector("#err-ws-edit-name:not(:empty)")
    assert (
        as_admin(live, admin_secret, "river-city").json()["name"] == "River City Education Compact"
    )
    assert [e for e in page.console_errors if "status of 422" not in e] == []


def test_delete_asks_for_the_name_to_be_typed(page, live, admin_secret):
    store = Store(live[1])
    with store.repository() as repo:
        repo.create_workspace("to-go", name="Pilot Network")
        repo.create_node("to-go", {"kind": "organization", "label": "Pilot Org"})
    store.close()
    open_page(page, live, "workspaces.html")
    sign_in_as_admin(page, live, admin_secret)
    page.click(row("to-go") + " button.delete")
    assert "1 nodes" in page.text_content("#ws-delete")
    assert page.is_disabled("#ws-delete-go")
    page.fill("#ws-delete-name", "Pilot")  # not the whole name
    assert page.is_disabled("#ws-delete-go")
    page.fill("#ws-delete-name", "to-go")  # the id is not the name
    assert page.is_disabled("#ws-delete-go")
    shoot(page, "workspaces-delete")
    assert as_admin(live, admin_secret, "to-go").status_code == 200
    page.fill("#ws-delete-name", "Pilot Network")
    assert page.is_enabled("#ws-delete-go")
    page.click("#ws-delete-go")
    page.wait_for_selector("#ws-saved:has-text('Deleted Pilot Network')")
    assert as_admin(live, admin_secret, "to-go").status_code == 404
    assert page.locator(row("to-go")).count() == 0
    assert page.console_errors == []


def test_an_editor_sees_the_list_and_no_buttons(page, live):
    open_page(page, live, "workspaces.html")
    assert page.locator(row("la-compact")).count() == 1
    sign_in(page, live)  # an editor token
    assert page.locator(row("la-compact")).count() == 1
    assert page.locator("#ws-list tbody button").count() == 0  # (the headers sort)
    assert page.is_hidden("#ws-create")
    assert "needs an admin token" in page.text_content("#create-needs")
    # the menu offers the page to admins only (and on the page itself)
    open_page(page, live, "index.html")
    assert page.locator("header.top nav a[href^='workspaces.html']").count() == 0
    assert page.console_errors == []
