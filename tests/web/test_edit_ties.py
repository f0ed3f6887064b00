"""Ties over time on the edit page, in Chromium against a real `constellation serve`: a node's
ties listed, one changed (every property of its kind, its dates, its tags), ended on a day
(and gone from the map after it), archived, restored and deleted; nodes archived, restored
and deleted; each with If-Match and a clear answer when someone changed the record first;
pickers that search the whole workspace."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from constellation.errors import NotFound
from constellation.store import Store

from .conftest import shoot
from .test_pages import open_page, sign_in

WS = "la-compact"


def stored_edge(db, edge_id):
    store = Store(db)
    try:
        with store.repository() as repo:
            return repo.get_edge(WS, edge_id)
    finally:
        store.close()


def open_ties_of(page, name):
    page.fill("#tie-node", name)
    page.press("#tie-node", "Enter")
    page.wait_for_selector("#tie-list table")


def open_tie(page, edge_id):
    page.click(f"#tie-list tr[data-id='{edge_id}'] button.open-edge")
    page.wait_for_selector("#end-edge")
    page.wait_for_function(
        "id => document.querySelector('#edge-title').textContent.includes('version')", arg=edge_id
    )


def other_errors(page, *expected: int) -> list[str]:
    """The console errors but Chromium's note of each refusal the test asked for."""
    said = [f"status of {code} " for code in expected]
    return [
        e
        for e in page.console_errors
        if not (e.startswith("Failed to load resource") and any(s in e for s in said))
    ]


def api_headers(live):
    return {"Authorization": f"Bearer {live[2]}"}


def visible_map_edges(page, live, as_of):
    base = live[0]
    page.goto(f"{base}/map.html?w={WS}&as_of={as_of}")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_function(
        "() => { const w = document.getElementById('map').contentWindow;"
        " return w && w.mapReady === true; }",
        timeout=60_000,
    )
    return set(
        page.evaluate(
            "() => document.getElementById('map').contentWindow.network.body.data.edges"
            ".get({filter: e => !e.hidden}).map(e => e.id)"
        )
    )


def test_ending_a_tie_sets_valid_to_and_the_map_drops_it_after_that_day(page, live):
    _, db, _ = live
    tie = "unite-la--convenes--la-regional-stem-hub"
    before = stored_edge(db, tie)
    assert before.valid_to is None
    open_page(page, live, "edit.html")
    sign_in(page, live)
    open_ties_of(page, "UNITE-LA")
    assert page.get_attribute(f"#tie-list tr[data-id='{tie}']", "data-state") == "current"
    open_tie(page, tie)
    page.fill("#end-date", "2024-06-30")
    page.click("#end-edge")
    page.wait_for_selector("#edge-saved")
    assert "held until 2024-06-30" in page.text_content("#edge-saved")
    assert "as_of=2024-07-01" in page.get_attribute("#ended-map", "href")
    after = stored_edge(db, tie)
    assert after.valid_to == dt.date(2024, 6, 30)
    assert after.version == before.version + 1
    assert after.properties == before.properties  # ending changes the date alone
    # the list shows it ended
    page.wait_for_selector(f"#tie-list tr[data-id='{tie}'][data-state=ended]")
    shoot(page, "edit-tie-ended")
    # on the map: there on its last day, gone the day after
    assert tie in visible_map_edges(page, live, "2024-06-30")
    assert tie not in visible_map_edges(page, live, "2024-07-01")
    assert page.console_errors == []


def test_every_property_and_date_of_a_tie_changes_through_the_form(page, live):
    _, db, _ = live
    tie = "unite-la--convenes--la-educator-pathways-partnership"
    before = stored_edge(db, tie)
    assert before.properties["role"] == "primary" and "has_succession_plan" in before.properties
    open_page(page, live, "edit.html")
    sign_in(page, live)
    open_ties_of(page, "UNITE-LA")
    open_tie(page, tie)
    # the form is the kind's schema, filled with what is stored
    assert page.input_value("#e-role") == "primary"
    assert page.input_value("#e-staff_time") == "0.4"
    page.select_option("#e-role", "co")
    page.fill("#e-staff_time", "0.25")
    page.select_option("#e-has_succession_plan", "")  # cleared: removed
    page.fill("#e-trust", "3.5")
    page.fill("#e-valid_from", "2016-09-01")
    page.fill("#e-tags", "reviewed, 2024")
    page.click("#save-edge")
    page.wait_for_selector("#edge-saved")
    after = stored_edge(db, tie)
    assert after.properties["role"] == "co"
    assert after.properties["staff_time"] == 0.25
    assert after.properties["trust"] == 3.5
    assert "has_succession_plan" not in after.properties
    assert after.valid_from == dt.date(2016, 9, 1) and after.valid_to is None
    assert after.tags == ["reviewed", "2024"]
    assert after.version == before.version + 1
    # a value the kind refuses is shown at its field, and nothing is saved
    page.fill("#e-trust", "9")
    page.click("#save-edge")
    page.wait_for_selector("#err-edge-form-trust:not(:empty)")
    assert stored_edge(db, tie).version == after.version
    shoot(page, "edit-tie-form")
    assert other_errors(page, 422) == []


def test_a_change_made_meanwhile_is_answered_clearly_and_nothing_is_overwritten(page, live):
    base, db, _ = live
    tie = "unite-la--convenes--student-success-ihe-collaborative"
    open_page(page, live, "edit.html")
    sign_in(page, live)
    open_ties_of(page, "UNITE-LA")
    open_tie(page, tie)
    read = stored_edge(db, tie)
    # someone else changes the tie after the page read it
    r = httpx.patch(
        f"{base}/api/workspaces/{WS}/edges/{tie}",
        json={"properties": {"staff_time": 0.3}},
        headers=api_headers(live) | {"If-Match": f'"{read.version}"'},
    )
    assert r.status_code == 200
    page.fill("#e-staff_time", "0.9")
    page.click("#save-edge")
    page.wait_for_selector("#edge-conflict")
    text = page.text_content("#edge-conflict")
    assert "Nothing was saved" in text and "someone else changed this tie" in text
    assert f"version {read.version + 1}" in text
    assert stored_edge(db, tie).properties["staff_time"] == 0.3  # theirs kept
    # ending it from the stale form is refused the same way
    page.fill("#end-date", "2025-01-31")
    page.click("#end-edge")
    page.wait_for_selector("#edge-conflict")
    assert stored_edge(db, tie).valid_to is None
    shoot(page, "edit-tie-conflict")
    # load the current version: their value shows, and a change now goes through
    page.click("#edge-conflict-reload")
    page.wait_for_function("document.querySelector('#e-staff_time').value === '0.3'")
    page.fill("#e-staff_time", "0.9")
    page.click("#save-edge")
    page.wait_for_selector("#edge-saved")
    assert stored_edge(db, tie).properties["staff_time"] == 0.9
    assert other_errors(page, 412) == []


def test_a_tie_is_archived_restored_and_deleted(page, live):
    _, db, _ = live
    tie = "unite-la--convenes--joint-advocacy"
    open_page(page, live, "edit.html")
    sign_in(page, live)
    open_ties_of(page, "UNITE-LA")
    open_tie(page, tie)
    page.click("#archive-edge")
    page.wait_for_selector("#edge-saved:has-text('Archived')")
    assert stored_edge(db, tie).archived_at is not None
    page.wait_for_selector(f"#tie-list tr[data-id='{tie}'][data-state=archived]")
    page.click("#restore-edge")
    page.wait_for_selector("#edge-saved:has-text('Restored')")
    assert stored_edge(db, tie).archived_at is None
    page.click("#delete-edge")
    assert page.is_visible("#delete-edge-confirm")
    page.click("#confirm-delete-edge")
    page.wait_for_selector("#edge-saved:has-text('Deleted')")
    with pytest.raises(NotFound):
        stored_edge(db, tie)
    page.wait_for_function(
        "id => !document.querySelector(`#tie-list tr[data-id='${id}']`)", arg=tie
    )
    assert page.console_errors == []


def test_a_new_tie_through_the_pickers_and_a_duplicate_refused_with_a_link(page, live):
    _, db, _ = live
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.select_option("#e-kind", "participates_in")
    page.fill("#e-source", "Los Angeles Unified School District")
    page.press("#e-source", "Enter")
    page.fill("#e-target", "Workforce Systems Collaborative")
    page.press("#e-target", "Enter")
    page.fill("#e-valid_from", "2023-02-01")
    page.click("#save-edge")
    page.wait_for_selector("#edge-saved")
    made = stored_edge(db, "lausd--participates_in--workforce-systems-collaborative")
    assert made.valid_from == dt.date(2023, 2, 1)
    # the same tie again, at dates that overlap: refused, with where the existing one is
    page.click("#save-edge")
    page.wait_for_selector("#existing-tie")
    assert made.id in page.text_content("#existing-tie")
    assert "lausd" in page.get_attribute("#existing-tie", "href")
    page.click("#open-existing-tie")
    page.wait_for_selector("#end-edge")
    assert "version 1" in page.text_content("#edge-title")
    assert other_errors(page, 409) == []


def test_a_node_is_archived_restored_and_deleted_with_its_ties_once_asked(page, live):
    base, db, _ = live
    store = Store(db)
    with store.repository() as repo:
        repo.create_node(
            WS, {"kind": "organization", "label": "Short-lived Coalition", "id": "slc"}
        )
        repo.create_edge(
            WS, {"kind": "participates_in", "source": "slc", "target": "la-regional-stem-hub"}
        )
    store.close()
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.fill("#find", "Short-lived")
    page.press("#find", "Enter")
    page.wait_for_selector("#archive-node")
    # its ties are listed below at once
    page.wait_for_selector("#tie-list tr[data-id='slc--participates_in--la-regional-stem-hub']")
    page.click("#archive-node")
    page.wait_for_selector("#node-saved:has-text('Archived')")
    r = httpx.get(f"{base}/api/workspaces/{WS}/nodes/slc", headers=api_headers(live))
    assert r.json()["archived_at"] is not None
    page.click("#restore-node")
    page.wait_for_selector("#node-saved:has-text('Restored')")
    assert httpx.get(f"{base}/api/workspaces/{WS}/nodes/slc").json()["archived_at"] is None
    page.click("#delete-node")
    page.click("#confirm-delete-node")
    page.wait_for_selector("#confirm-delete-cascade")
    assert "still has ties" in page.text_content("#node-status")
    assert httpx.get(f"{base}/api/workspaces/{WS}/nodes/slc").status_code == 200
    page.click("#confirm-delete-cascade")
    page.wait_for_selector("#node-saved:has-text('Deleted Short-lived Coalition and its ties')")
    assert httpx.get(f"{base}/api/workspaces/{WS}/nodes/slc").status_code == 404
    with pytest.raises(NotFound):
        stored_edge(db, "slc--participates_in--la-regional-stem-hub")
    assert other_errors(page, 409) == []


def test_a_node_changed_meanwhile_is_answered_clearly(page, live):
    base, db, _ = live
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.fill("#find", "First 5 LA")
    page.press("#find", "Enter")
    page.wait_for_function("document.querySelector('#f-label').value === 'First 5 LA'")
    node = httpx.get(f"{base}/api/workspaces/{WS}/nodes/first-5-la").json()
    r = httpx.patch(
        f"{base}/api/workspaces/{WS}/nodes/first-5-la",
        json={"properties": {"staff_capacity": 7}},
        headers=api_headers(live) | {"If-Match": f'"{node["version"]}"'},
    )
    assert r.status_code == 200
    page.click("#archive-node")
    page.wait_for_selector("#node-conflict")
    assert "someone else changed this node" in page.text_content("#node-conflict")
    assert httpx.get(f"{base}/api/workspaces/{WS}/nodes/first-5-la").json()["archived_at"] is None
    # saving the stale form is refused the same way, theirs kept
    page.fill("#f-staff_capacity", "2")
    page.evaluate("document.querySelector('#node-status').textContent = ''")
    page.click("#save-node")
    page.wait_for_selector("#node-conflict")
    assert "Nothing was saved" in page.text_content("#node-conflict")
    stored = httpx.get(f"{base}/api/workspaces/{WS}/nodes/first-5-la").json()
    assert stored["properties"]["staff_capacity"] == 7
    page.click("#node-conflict-reload")
    page.wait_for_function("document.querySelector('#f-staff_capacity').value === '7'")
    assert other_errors(page, 412) == []


def test_the_pickers_search_past_the_first_thousand_nodes(page, live):
    _, db, _ = live
    store = Store(db)
    with store.repository() as repo:
        for i in range(1100):
            repo.create_node(
                WS, {"kind": "organization", "label": f"Filler Org {i:04d}", "id": f"filler-{i}"}
            )
    store.close()
    open_page(page, live, "edit.html")
    sign_in(page, live)
    # the last one made, past any first page of 1,000
    page.fill("#find", "Filler Org 1099")
    page.press("#find", "Enter")
    page.wait_for_function("document.querySelector('#f-label').value === 'Filler Org 1099'")
    page.fill("#tie-node", "Filler Org 1098")
    page.press("#tie-node", "Enter")
    page.wait_for_selector("#no-ties:has-text('Filler Org 1098 has no tie yet')")
    page.fill("#e-source", "Filler Org 10")
    page.wait_for_selector("#e-source-note:has-text('type more of the name')")
    assert page.console_errors == []
