"""Issue 17 on the pages, in headless Chromium against a real `constellation serve`: the
stewardship group's commitments page — by signer and by goal, status badges, stale ones
marked, progress notes with their dates — what the API says, shown as text."""

from __future__ import annotations

import httpx

from .conftest import XSS, shoot
from .test_pages import open_page

LA = "/api/workspaces/la-compact"
AS_OF = "2026-06-01"  # the README's date: the picture matches its example audit


def report(live, by, **more):
    return httpx.get(f"{live[0]}{LA}/commitments", params={"by": by} | more).json()


def shown_groups(page):
    cards = page.locator("#groups section.group")
    return [cards.nth(i).get_attribute("data-id") for i in range(cards.count())]


def test_by_signer_with_statuses_stale_marks_and_dated_notes(page, live):
    body = report(live, "signer", as_of=AS_OF)
    open_page(page, live, "commitments.html", as_of=AS_OF)
    assert page.locator("header.top nav a[aria-current=page]").inner_text() == "Commitments"
    assert page.locator("#by-signer").is_checked()
    assert shown_groups(page) == [g["subject"]["id"] for g in body["groups"]]
    summary = page.locator("#summary").inner_text()
    assert f"{body['total']} commitments of 9 signers on {AS_OF}" in summary
    assert f"{body['stale']} stale" in summary
    for group in body["groups"]:
        card = page.locator(f"#groups section.group[data-id='{group['subject']['id']}']")
        assert card.locator("h2").inner_text() == group["subject"]["label"]
        rows = card.locator("tbody tr")
        assert rows.count() == len(group["commitments"])
        for i, c in enumerate(group["commitments"]):
            row = rows.nth(i)
            assert row.get_attribute("data-commitment") == c["id"]
            assert row.get_attribute("data-edge") == c["edge"]
            cells = row.locator("td")
            assert cells.nth(0).inner_text().startswith(c["text"])
            assert cells.nth(1).inner_text() == (c["goal"]["label"] if c["goal"] else "none named")
            badge = cells.nth(2).locator(".badge.status")
            assert badge.inner_text() == c["status"].replace("_", " ")
            assert f"status-{c['status']}" in badge.get_attribute("class")
            stale = cells.nth(2).locator(".badge.stale")
            assert stale.count() == int(c["stale"])
            assert ("flag-stale" in (row.get_attribute("class") or "")) == c["stale"]
            if c["stale"]:
                assert stale.inner_text() == f"stale {c['months_since']} months"
            assert cells.nth(3).inner_text() == (c["last_progress"] or "none")
            notes = cells.nth(4).locator("li")
            assert [notes.nth(j).inner_text() for j in range(notes.count())] == [
                f"{n['date']} {n['note']}" for n in reversed(c["progress"])
            ]  # newest first, each with its date
    lapsed = page.locator("#lapsed").inner_text()
    assert "Every commitment withdrawn or stale" in lapsed
    assert [s["label"] for s in body["lapsed_signers"]] == ["University of Southern California"]
    assert "University of Southern California" in lapsed
    shoot(page, "commitments-by-signer")
    page.locator("section.group[data-id='csu-northridge']").scroll_into_view_if_needed()
    shoot(page, "commitments-stale")
    page.locator("#only-stale").check()
    page.evaluate("() => window.scrollTo(0, 0)")
    shoot(page, "commitments-only-stale")  # docs/commitments.png
    assert page.console_errors == []


def test_the_toggle_groups_by_goal_and_the_filter_keeps_the_stale(page, live):
    by_goal = report(live, "goal", as_of=AS_OF)
    open_page(page, live, "commitments.html", as_of=AS_OF)
    page.locator("#by-goal").check()
    page.wait_for_selector("#groups section.group[data-id='goal-1-high-school-graduation']")
    assert shown_groups(page) == [
        g["subject"]["id"] if g["subject"] else "" for g in by_goal["groups"]
    ]
    assert "by=goal" in page.url
    last = page.locator("#groups section.group").last
    assert last.locator("h2").inner_text() == "No goal named"
    assert last.locator("thead th").nth(1).inner_text() == "Signer"
    first_row = page.locator("#groups section.group").first.locator("tbody tr").first
    assert (
        first_row.locator("td").nth(1).inner_text()
        == (by_goal["groups"][0]["commitments"][0]["signer"]["label"])
    )
    shoot(page, "commitments-by-goal")

    page.locator("#only-stale").check()
    rows = page.locator("#groups tbody tr")
    stale = [
        (c["signer"]["id"], c["id"])
        for g in by_goal["groups"]
        for c in g["commitments"]
        if c["stale"]
    ]
    assert rows.count() == len(stale) == by_goal["stale"]
    assert [
        (rows.nth(i).get_attribute("data-signer"), rows.nth(i).get_attribute("data-commitment"))
        for i in range(rows.count())
    ] == stale
    assert "stale=1" in page.url
    page.reload()  # the view is in the address
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert page.locator("#by-goal").is_checked() and page.locator("#only-stale").is_checked()
    assert page.locator("#groups tbody tr").count() == len(stale)
    page.locator("#by-signer").check()
    page.wait_for_selector("#groups section.group[data-id='csu-northridge']")
    assert page.locator("#groups tbody tr").count() == len(stale)
    assert page.console_errors == []


def test_the_other_pages_link_to_it(page, live):
    open_page(page, live, "conveners.html")
    link = page.locator("header.top nav a", has_text="Commitments")
    assert link.get_attribute("href").startswith("commitments.html?")
    link.click()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert page.locator("h1").inner_text() == "Commitments"


def test_hostile_commitments_show_as_text_and_run_nothing(page, live):
    base, _, secret = live
    r = httpx.post(
        f"{base}{LA}/edges",
        json={
            "kind": "signs",
            "source": "xss-org",
            "target": "la-compact",
            "properties": {
                "date": "2020-01-01",
                "commitments": [
                    {
                        "text": XSS,
                        "strategy": XSS,
                        "progress": [{"date": "2021-01-01", "note": XSS}],
                    }
                ],
            },
        },
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert r.status_code == 201, r.text
    open_page(page, live, "commitments.html")
    row = page.locator("#groups tr[data-signer='xss-org']")
    assert row.locator("td").first.inner_text() == f"{XSS}\n{XSS}"
    assert XSS in row.locator("ul.notes li").inner_text()
    assert XSS in page.locator("#lapsed").inner_text()  # its one commitment is stale
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.locator("img[src=x]").count() == 0
    assert page.console_errors == []


def test_a_workspace_without_commitments_says_so(page, live):
    open_page(page, live, "commitments.html", w="achieve-escambia")
    assert page.locator("#groups").inner_text() == "No signer has commitments on record."
    assert page.locator(".error-box").count() == 0
    assert page.console_errors == []
