"""The edit page's partner links and requests to join, in Chromium: an editor makes a link
that opens the organization's page, revokes it, and decides a request to join."""

from __future__ import annotations

from constellation.store import Store

from .conftest import shoot
from .test_pages import open_page, sign_in


def test_an_editor_makes_a_link_that_opens_the_partner_page_and_revokes_it(page, live, browser):
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.fill("#link-org", "First 5 LA")
    page.click("#make-link")
    page.wait_for_selector("#link-url")
    url = page.input_value("#link-url")
    assert url.startswith(f"{live[0]}/partner.html?w=la-compact#token=cst_")
    row = page.locator("#links-table tbody tr").first
    assert "First 5 LA" in row.text_content() and row.get_attribute("data-state") == "active"
    page.locator("#links-card").scroll_into_view_if_needed()
    shoot(page, "edit-partner-links")

    partner = browser.new_context().new_page()
    partner.goto(url)
    partner.wait_for_selector("body[data-ready=true]", state="attached")
    assert partner.text_content("#org-title") == "First 5 LA"

    row.locator("button.revoke").click()
    page.wait_for_selector("#links-table tbody tr[data-state=revoked]")
    partner.reload()
    partner.wait_for_selector("body[data-ready=true]", state="attached")
    assert "no longer works" in partner.text_content("#status")
    partner.context.close()


def test_a_link_for_a_name_that_is_no_organization_says_so(page, live):
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.fill("#link-org", "Nobody At All")
    page.click("#make-link")
    page.wait_for_selector("#link-made .error-box")
    assert "Nobody At All" in page.text_content("#link-made .error-box")


def test_an_editor_accepts_a_request_to_join(page, live):
    store = Store(live[1])
    with store.repository(actor="test") as repo:
        asked = repo.ask_to_join("la-compact", "first-5-la", "health-sector-collaborative")
    store.close()
    open_page(page, live, "edit.html")
    sign_in(page, live)
    item = page.locator(f"#join-requests [data-request='{asked.id}']")
    assert "First 5 LA asks to join Health Sector Collaborative" in item.text_content()
    item.locator("input[type=date]").fill("2026-12-02")
    item.locator("button.accept").click()
    page.wait_for_selector(f"#join-requests li[data-request='{asked.id}'][data-state=accepted]")
    store = Store(live[1])
    with store.repository() as repo:
        ties = repo.query_edges(
            "la-compact",
            kind="participates_in",
            source="first-5-la",
            target="health-sector-collaborative",
        )
    store.close()
    assert [str(t.valid_from) for t in ties] == ["2026-12-02"]
