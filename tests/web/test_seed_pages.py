"""Issue 13 on the pages: who could convene each leaderless group (the conveners page) and
each group's rubric levels over time (the overview), in headless Chromium."""

from __future__ import annotations

import httpx

from .conftest import shoot
from .test_pages import open_page


def test_the_conveners_page_suggests_who_could_lead_each_leaderless_group(page, live):
    open_page(page, live, "conveners.html")
    cards = page.locator("#candidates .card")
    assert cards.count() == 1
    card = cards.first
    assert card.get_attribute("data-id") == "subsidized-jobs-workgroup"
    api = httpx.get(
        f"{live[0]}/api/workspaces/la-compact/constellations/subsidized-jobs-workgroup/candidates",
        params={"limit": 3},
    ).json()
    items = card.locator("li")
    assert [items.nth(i).get_attribute("data-id") for i in range(items.count())] == [
        c["organization"]["id"] for c in api
    ]
    first = items.first.text_content()
    assert api[0]["organization"]["label"] in first and api[0]["reason"] in first
    assert "unite-la" not in [c["organization"]["id"] for c in api]
    for criterion in ("skills", "bandwidth", "fit", "content knowledge"):
        assert criterion in items.first.locator(".parts").text_content()
    card.scroll_into_view_if_needed()
    shoot(page, "conveners-candidates")
    assert page.console_errors == []


def test_the_overview_shows_each_groups_levels_over_time(page, live):
    open_page(page, live, "index.html")
    report = httpx.get(f"{live[0]}/api/workspaces/la-compact/audit").json()
    histories = report["summary"]["assessments"]
    cards = page.locator("#levels .level-history")
    assert cards.count() == len(histories) >= 2
    for history in histories:
        card = page.locator(f"#levels .level-history[data-id='{history['subject']['id']}']")
        assert card.locator(".trend div").count() == len(history["points"])
        assert history["subject"]["label"] in card.text_content()
    page.locator("#levels").scroll_into_view_if_needed()
    shoot(page, "overview-levels")
    assert page.console_errors == []


def test_the_edit_page_records_a_feedback_session_from_the_vocabulary(page, live):
    from constellation.store import Store

    from .test_pages import sign_in

    _, db, _ = live
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.select_option("#f-kind", "event")
    options = page.locator("#f-event_type option").all_text_contents()
    assert "stakeholder_feedback" in options and "inter_convener_meeting" in options
    page.fill("#f-label", "Parent listening session")
    page.select_option("#f-event_type", "stakeholder_feedback")
    page.fill("#f-date", "2026-04-16")
    page.fill("#f-stakeholders", '["parents", "community_members"]')
    page.click("#save-node")
    page.wait_for_selector("#node-saved")
    store = Store(db)
    with store.repository() as repo:
        saved = repo.find_node("la-compact", "Parent listening session")
    store.close()
    assert saved.kind == "event"
    assert saved.properties == {
        "event_type": "stakeholder_feedback",
        "date": "2026-04-16",
        "stakeholders": ["parents", "community_members"],
    }
    kinds = page.locator("#e-kind option").all_text_contents()
    assert "held for" in kinds and "attended" in kinds


def test_the_conveners_page_ranks_who_could_lead_a_new_constellation(page, live):
    open_page(page, live, "conveners.html")
    page.click("#describe button[type=submit]")
    page.wait_for_selector("#new-ranked .field-error")
    page.select_option("#new-goal", "goal-3-pathways-to-careers")
    page.click("#describe button[type=submit]")
    page.wait_for_selector("#new-ranked li")
    api = httpx.post(
        f"{live[0]}/api/workspaces/la-compact/constellations/candidates",
        json={"goals": ["goal-3-pathways-to-careers"], "limit": 5},
    ).json()
    items = page.locator("#new-ranked li")
    assert [items.nth(i).get_attribute("data-id") for i in range(items.count())] == [
        c["organization"]["id"] for c in api
    ]
    page.locator("#new-group").scroll_into_view_if_needed()
    shoot(page, "conveners-new-group")
    assert page.console_errors == []
