"""The partner page in Chromium: an organization's people open the link they were sent,
correct their profile, leave a group, ask to join one; the group's convener accepts it on
its own page; a revoked link says so and shows nothing."""

from __future__ import annotations

import pytest

from constellation.store import Store

from .conftest import shoot

HOMEBOY = "homeboy-industries"
ALLIANCE = "alliance-for-childrens-rights"
OYC = "la-opportunity-youth-collaborative"


@pytest.fixture(scope="module")
def links(live):
    """A partner link for Homeboy Industries and one for the Alliance (which convenes OYC)."""
    store = Store(live[1])
    made = {}
    with store.repository() as repo:
        for org in (HOMEBOY, ALLIANCE):
            made[org] = repo.create_partner_link("la-compact", org)[1]
    store.close()
    return made


def open_link(page, live, secret: str) -> None:
    page.goto(f"{live[0]}/partner.html?w=la-compact#token={secret}")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_load_state("networkidle")


def stored(live, kind: str, ident: str):
    store = Store(live[1])
    with store.repository() as repo:
        record = getattr(repo, f"get_{kind}")("la-compact", ident)
    store.close()
    return record


def test_the_link_opens_its_organization_and_hides_its_secret(page, live, links):
    open_link(page, live, links[HOMEBOY])
    assert page.text_content("#org-title") == "Homeboy Industries"
    assert "#token" not in page.url  # out of the address bar, the history and screenshots
    rows = page.eval_on_selector_all("#groups tr[data-group]", "rs => rs.map(r => r.dataset.group)")
    assert sorted(rows) == [
        "jobs-for-foster-youth-program",
        "subsidized-jobs-workgroup",
        "youth-leadership",
    ]
    shoot(page, "partner-page")
    assert page.console_errors == []


def test_the_profile_is_corrected_through_the_page(page, live, links):
    open_link(page, live, links[HOMEBOY])
    page.fill("#p-website", "https://homeboyindustries.org")
    page.fill("#p-capacity", "2.5")
    page.click("#save-profile")
    page.wait_for_selector("#saved")
    assert page.text_content("#saved") == "Your profile is saved."
    org = stored(live, "node", HOMEBOY)
    assert org.properties["website"] == "https://homeboyindustries.org"
    assert org.properties["staff_capacity"] == 2.5
    assert page.input_value("#p-website") == "https://homeboyindustries.org"  # shown afresh
    assert page.console_errors == []


def test_it_leaves_a_group_on_a_day(page, live, links):
    open_link(page, live, links[HOMEBOY])
    row = page.locator("#groups tr[data-group=youth-leadership]")
    row.locator("input[type=date]").fill("2026-11-30")
    row.locator("button").click()
    page.wait_for_selector("#saved")
    assert "You left Youth Leadership on 2026-11-30." in page.text_content("#saved")
    tie = stored(live, "edge", "homeboy-industries--participates_in--youth-leadership")
    assert str(tie.valid_to) == "2026-11-30"
    left = page.locator("#groups tr[data-group=youth-leadership]")
    assert "Left on 2026-11-30" in left.text_content()


def test_it_asks_to_join_and_the_convener_accepts_on_its_own_page(page, live, links, browser):
    open_link(page, live, links[HOMEBOY])
    page.select_option("#join-group", OYC)
    page.fill("#join-message", "We place foster youth in jobs.")
    page.click("#join button[type=submit]")
    page.wait_for_selector("#saved")
    pending = page.locator("#requests li[data-state=pending]")
    assert "L.A. Opportunity Youth Collaborative" in pending.text_content()
    assert OYC not in page.eval_on_selector_all(
        "#join-group option", "os => os.map(o => o.value)"
    )  # asked once; not offered again while it waits

    convener = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    open_link(convener, live, links[ALLIANCE])
    card = convener.locator("#decide-card")
    assert card.is_visible()
    ask = card.locator(".finding").first
    assert "Homeboy Industries asks to join L.A. Opportunity Youth Collaborative" in (
        ask.text_content()
    )
    assert "We place foster youth in jobs." in ask.text_content()
    card.scroll_into_view_if_needed()
    shoot(convener, "partner-decide")
    ask.locator("input[type=date]").fill("2026-12-01")
    ask.locator("button.accept").click()
    convener.wait_for_selector("#saved")
    assert "No request waits for you." in convener.text_content("#to-decide")
    convener.context.close()

    store = Store(live[1])
    with store.repository() as repo:
        ties = repo.query_edges("la-compact", kind="participates_in", source=HOMEBOY, target=OYC)
    store.close()
    assert [str(t.valid_from) for t in ties] == ["2026-12-01"]
    page.reload()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_load_state("networkidle")
    assert page.locator(f"#groups tr[data-group={OYC}]").count() == 1
    assert page.locator("#requests li[data-state=accepted]").count() == 1


def test_a_revoked_link_says_so_and_shows_nothing(page, live):
    store = Store(live[1])
    with store.repository() as repo:
        info, secret = repo.create_partner_link("la-compact", "first-5-la")
        repo.revoke_token(info.prefix)
    store.close()
    open_link(page, live, secret)
    assert "no longer works" in page.text_content("#status")
    assert not page.locator("#profile-card").is_visible()


def test_without_its_link_the_page_says_where_it_opens_from(page, live):
    page.goto(f"{live[0]}/partner.html?w=la-compact")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    assert "opens from the link" in page.text_content("#status")
    assert page.console_errors == []


def test_a_commitment_is_updated_through_the_page(page, live):
    """CSU Dominguez Hills moves its teacher-preparation commitment on: a status and a
    dated note, saved on its signature of the compact."""
    store = Store(live[1])
    with store.repository() as repo:
        _, secret = repo.create_partner_link("la-compact", "csu-dominguez-hills")
    store.close()
    open_link(page, live, secret)
    item = page.locator("#commitments [data-commitment=teacher-preparation]")
    assert "Prepare high-quality teachers for LAUSD classrooms" in item.text_content()
    item.locator("select.c-status").select_option("fulfilled")
    item.locator("input.c-date").fill("2026-11-20")
    item.locator("input.c-note").fill("Fourth cohort placed")
    item.locator("button.c-save").click()
    page.wait_for_selector("#saved")
    tie = stored(live, "edge", "csu-dominguez-hills--signs--la-compact")
    mine = next(c for c in tie.properties["commitments"] if c["id"] == "teacher-preparation")
    assert mine["status"] == "fulfilled"
    assert mine["progress"][-1] == {"date": "2026-11-20", "note": "Fourth cohort placed"}
    others = [c for c in tie.properties["commitments"] if c["id"] != "teacher-preparation"]
    assert [c["status"] for c in others] == ["fulfilled"]  # the data sharing one, untouched
    item = page.locator("#commitments [data-commitment=teacher-preparation]")
    assert "Fourth cohort placed" in item.text_content()
    item.scroll_into_view_if_needed()
    shoot(page, "partner-commitments")
    assert page.console_errors == []
