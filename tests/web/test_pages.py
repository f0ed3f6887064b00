"""The web pages in headless Chromium against a real `constellation serve`."""

from __future__ import annotations

import httpx
import pytest

from constellation.store import Store

from .conftest import XSS, shoot

PAGES = [
    "index.html",
    "map.html",
    "conveners.html",
    "commitments.html",
    "whatif.html",
    "changes.html",
    "find.html",
    "funding.html",
    "edit.html",
    "workspaces.html",
]


def open_page(page, live, name, **query):
    base, _, _ = live
    q = "&".join(f"{k}={v}" for k, v in ({"w": "la-compact"} | query).items())
    page.goto(f"{base}/{name}?{q}")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_load_state("networkidle")


def sign_in(page, live):
    _, _, secret = live
    page.fill("#token", secret)
    page.click("#signin button[type=submit]")
    # Signing in reloads the page; wait for the reloaded page to say so, not for the
    # network to settle (which can happen before the reload starts).
    page.wait_for_selector("#signed-in")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("name", PAGES)
def test_each_page_loads_without_console_errors(page, live, name):
    open_page(page, live, name)
    assert page.locator("header.top nav a[aria-current=page]").count() == 1
    assert page.locator(".error-box").count() == 0
    shoot(page, f"page-{name.removesuffix('.html')}")
    assert page.console_errors == []
    assert page.dialogs == []


def test_overview_shows_score_findings_and_assessments(page, live):
    open_page(page, live, "index.html")
    name = httpx.get(f"{live[0]}/api/workspaces/la-compact").json()["name"]
    assert page.text_content("#title") == f"{name}: overview"
    score = int(page.text_content("#score"))
    assert 0 <= score <= 100
    assert page.locator("#check-convener_overload .finding").count() >= 1
    assessments = httpx.get(f"{live[0]}/api/workspaces/la-compact/nodes?kind=assessment").json()
    assert assessments["total"] >= 2  # the demo assesses over several years
    assert page.locator("#assessments tbody tr").count() == assessments["total"]
    link = page.locator("#check-leaderless_constellations a").first.get_attribute("href")
    assert "map.html" in link and "focus=subsidized-jobs-workgroup" in link


def test_who_convenes_what_marks_and_filters(page, live):
    open_page(page, live, "conveners.html")
    rows = page.locator("#table tbody tr")
    total = rows.count()
    assert total == 15
    leaderless = page.locator("tr.flag-leaderless")
    assert leaderless.count() == 1 and "Subsidized Jobs Workgroup" in leaderless.text_content()
    assert page.locator("tr:has-text('L.A. Compact Data Workgroup') .badge.sev-medium").count() == 1
    page.check("#problems")
    shown = page.locator("#table tbody tr").count()
    assert 0 < shown < total
    assert all(("flag-" in (rows.nth(i).get_attribute("class") or "")) for i in range(shown))
    page.uncheck("#problems")
    page.select_option("#status", "dormant")
    assert page.locator("#table tbody tr").count() == 1
    assert "Joint Advocacy" in page.text_content("#table tbody")
    page.select_option("#status", "")
    page.click("th:has-text('Partners') button")
    first, last = (int(rows.nth(i).locator("td").nth(4).text_content()) for i in (0, total - 1))
    assert first <= last


def test_find_a_constellation_for_an_organization_and_a_profile(page, live):
    open_page(page, live, "find.html")
    page.select_option("#org", "lausd")
    page.click("#by-org button[type=submit]")
    page.wait_for_selector("#ranked li")
    items = page.locator("#ranked li")
    expected = httpx.get(
        f"{live[0]}/api/workspaces/la-compact/recommendations", params={"org": "lausd", "limit": 10}
    ).json()
    assert [items.nth(i).get_attribute("data-id") for i in range(items.count())] == [
        r["constellation"]["id"] for r in expected
    ]
    assert expected[0]["reason"] in items.first.text_content()
    page.select_option("#sector", "business")
    page.select_option("#goals", index=0)
    page.click("#by-profile button[type=submit]")
    page.wait_for_function("document.querySelector('#results h2').textContent.includes('your')")
    assert "business sector it lacks" in page.text_content("#ranked")
    shoot(page, "find-results")


def test_funding_page_shows_opportunities_with_amounts(page, live):
    open_page(page, live, "funding.html")
    page.wait_for_selector("#joint .entry")
    assert page.locator("#joint .entry").count() >= 1
    assert "USD" in page.text_content("#joint")
    funder = "california-community-foundation"
    expected = httpx.get(
        f"{live[0]}/api/workspaces/la-compact/funding", params={"funder": funder}
    ).json()
    page.select_option("#funder", funder)
    # a funder sees only the unfunded groups that fit its portfolio (in the demo, one fewer)
    page.wait_for_function(
        "n => document.querySelector('#unfunded h2').textContent === "
        "`Active constellations with no funding that fit California Community Foundation’s "
        "portfolio (${n})`",
        arg=len(expected["unfunded"]),
    )
    assert page.locator("#joint .entry").count() == len(expected["joint_opportunities"])
    assert page.locator("#unfunded .entry").count() == len(expected["unfunded"])
    shoot(page, "funding")


def test_an_edit_through_the_form_lands_in_the_database(page, live):
    base, db, _ = live
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.select_option("#f-kind", "organization")
    page.fill("#f-label", "Los Angeles Public Library")
    page.select_option("#f-sector", "government")
    page.fill("#f-staff_capacity", "1.5")
    page.click("#save-node")
    page.wait_for_selector("#node-saved")
    store = Store(db)
    with store.repository() as repo:
        saved = repo.find_node("la-compact", "Los Angeles Public Library")
        assert saved.properties == {"sector": "government", "staff_capacity": 1.5}
        assert repo.changes("la-compact", entity_id=saved.id)[0].actor.startswith("browser test")
    store.close()
    # change it again through the form (If-Match is sent from the ETag it read)
    page.fill("#find", "Los Angeles Public Library")
    page.press("#find", "Enter")
    page.wait_for_function(
        "document.querySelector('#f-label').value === 'Los Angeles Public Library'"
        " && document.querySelector('#f-kind').disabled"
    )
    page.fill("#f-staff_capacity", "2")
    page.click("#save-node")
    page.wait_for_selector("#node-saved:has-text('version 2')")
    store = Store(db)
    with store.repository() as repo:
        assert (
            repo.find_node("la-compact", "Los Angeles Public Library").properties["staff_capacity"]
            == 2
        )
    store.close()


def test_validation_errors_show_next_to_the_field(page, live):
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.select_option("#f-kind", "indicator")
    page.fill("#f-label", "Bad indicator")
    page.fill("#f-values", '[{"value": 3}]')  # a data point without its date
    page.click("#save-node")
    page.wait_for_selector("#err-node-form-values:not(:empty)")
    assert "required" in page.text_content("#err-node-form-values").lower()
    page.select_option("#f-kind", "organization")
    page.fill("#f-label", "")
    page.click("#save-node")
    page.wait_for_selector("#err-node-form-label:not(:empty)")
    shoot(page, "edit-validation")


def test_an_edge_through_the_form(page, live):
    _, db, _ = live
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.select_option("#e-kind", "participates_in")
    page.fill("#e-source", "Los Angeles Unified School District")  # type-ahead pickers
    page.press("#e-source", "Enter")
    page.fill("#e-target", "Health Sector Collaborative")
    page.press("#e-target", "Enter")
    page.click("#save-edge")
    page.wait_for_selector("#edge-saved")
    store = Store(db)
    with store.repository() as repo:
        assert repo.get_edge("la-compact", "lausd--participates_in--health-sector-collaborative")
    store.close()


def test_writes_without_a_token_are_refused_with_a_clear_message(page, live):
    open_page(page, live, "edit.html")
    page.fill("#f-label", "Anonymous attempt")
    page.click("#save-node")
    page.wait_for_selector(".error-box")
    assert "Sign in" in page.text_content(".error-box")


@pytest.mark.parametrize("name", ["conveners.html", "find.html", "edit.html", "index.html"])
def test_hostile_names_show_as_text_and_run_nothing(page, live, name):
    open_page(page, live, name)
    if name == "edit.html":
        page.fill("#find", XSS)
        page.press("#find", "Enter")
        page.wait_for_function("document.querySelector('#f-label').value.includes('onerror')")
        assert page.input_value("#f-label") == XSS
        assert page.input_value("#f-description") == XSS
    if name == "find.html":
        assert XSS in page.text_content("#org")
    if name == "conveners.html":
        page.select_option("#convener", "")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.locator("img[src=x]").count() == 0
    assert (
        page.evaluate(
            "() => [...document.querySelectorAll('*')].some("
            "e => e.getAttribute && e.getAttribute('onerror'))"
        )
        is False
    )


def test_upload_form_imports_a_file_and_reports_problems(page, live, tmp_path):
    _, db, _ = live
    good = tmp_path / "elements.csv"
    good.write_text("Label,Type\nWatts Labor Community Action Committee,Organization\n")
    bad = tmp_path / "broken.csv"
    bad.write_text("Label,Type\nSomeone,Planet\n")
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.set_input_files("#import-files", str(bad))
    page.click("#import-go")
    page.wait_for_selector("#import-problems li")
    assert "Planet" in page.text_content("#import-problems")
    page.set_input_files("#import-files", str(good))
    page.click("#import-go")
    page.wait_for_selector("#import-report")
    assert "Created 1 node(s)" in page.text_content("#import-report")
    store = Store(db)
    with store.repository() as repo:
        assert repo.find_node("la-compact", "Watts Labor Community Action Committee")
    store.close()
    shoot(page, "edit-import")
