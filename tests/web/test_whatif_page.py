"""The what-if page in headless Chromium against a real `constellation serve`: the question
picked with type-ahead pickers, kept in the address, and opened again from it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from urllib.parse import unquote, urlsplit

import httpx

from constellation.store import Store

from ..browser import SCREENSHOTS
from .conftest import shoot
from .test_pages import open_page


def alone_convened(base: str, workspace: str, org: str) -> dict[str, str]:
    """The active or forming constellations `org` alone convenes today, by id → label, from
    the records the service lists (what leaderless_constellations would then find)."""
    today = dt.date.today().isoformat()
    api = f"{base}/api/workspaces/{workspace}"
    ties = httpx.get(
        f"{api}/edges", params={"kind": "convenes", "as_of": today, "limit": 1000}
    ).json()
    conveners: dict[str, set[str]] = defaultdict(set)
    for tie in ties["items"]:
        conveners[tie["target"]].add(tie["source"])
    groups = httpx.get(
        f"{api}/nodes", params={"kind": "constellation", "as_of": today, "limit": 1000}
    ).json()["items"]
    return {
        g["id"]: g["label"]
        for g in groups
        if conveners.get(g["id"]) == {org}
        and g["properties"].get("status") in ("active", "forming")
    }


def listed(page) -> dict[str, str]:
    items = page.locator("#leaderless-list li")
    said = (items.nth(i) for i in range(items.count()))
    return {
        li.get_attribute("data-id"): li.text_content().removesuffix(" on the map") for li in said
    }


def wait_answered(page):
    page.wait_for_selector("body[data-answered]", state="attached")
    page.wait_for_load_state("networkidle")


def test_unite_la_leaving_lists_the_groups_it_alone_convenes(page, live, browser):
    base = live[0]
    expected = alone_convened(base, "la-compact", "unite-la")
    assert expected  # the demo has groups only UNITE-LA convenes
    open_page(page, live, "whatif.html")
    assert page.locator("header.top nav a[aria-current=page]").text_content() == "What if"
    page.fill("#pick-without", "UNITE")
    page.click("#pick-without-options li[data-id=unite-la]")
    page.wait_for_selector("#leaderless-list li")
    assert listed(page) == expected
    assert page.locator("#pick-without-chosen li[data-id=unite-la]").count() == 1
    query = urlsplit(page.url).query
    assert "without=unite-la" in query.split("&")
    answer = httpx.post(
        f"{base}/api/workspaces/la-compact/whatif", json={"without": ["unite-la"]}
    ).json()
    assert page.text_content("#health-before") == str(answer["before"]["health"])
    assert page.text_content("#health-after") == str(answer["after"]["health"])
    assert page.locator("#appeared .finding").count() == len(answer["appeared"])
    assert page.locator("#resolved-list .finding").count() == len(answer["resolved"])
    # the map link focuses on what breaks
    href = page.get_attribute("#leaderless a:has-text('Show them all on the map')", "href")
    path, _, fragment = href.partition("#")
    assert path.startswith("map.html?") and "w=la-compact" in path
    assert set(unquote(fragment.removeprefix("focus=")).split(",")) == set(expected)
    # the whole page, the README's picture (docs/whatif.png is a copy of it)
    page.screenshot(path=str(SCREENSHOTS / "whatif.png"), full_page=True)
    assert page.console_errors == []

    # the address, opened afresh, gives the same answer
    other = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    fresh = other.new_page()
    fresh.goto(f"{base}/whatif.html?{query}")
    fresh.wait_for_selector("body[data-ready=true]", state="attached")
    wait_answered(fresh)
    assert listed(fresh) == expected
    assert (
        fresh.locator("#pick-without-chosen li[data-id=unite-la]")
        .text_content()
        .startswith("UNITE-LA")
    )
    assert fresh.text_content("#health-after") == str(answer["after"]["health"])
    other.close()


def test_removing_the_last_choice_clears_the_answer_and_the_address(page, live):
    open_page(page, live, "whatif.html", disband="joint-advocacy")
    wait_answered(page)
    assert page.is_visible("#result")
    assert "disband=joint-advocacy" in page.url
    page.click("#pick-disband-chosen li[data-id=joint-advocacy] button.remove")
    page.wait_for_selector("#empty")
    assert page.is_hidden("#result")
    assert "disband" not in page.url
    assert page.console_errors == []


def test_an_unknown_id_in_the_address_is_said_plainly(page, live):
    base = live[0]
    expected = alone_convened(base, "la-compact", "unite-la")
    open_page(page, live, "whatif.html", without="no-such-org,unite-la", disband="unite-la")
    wait_answered(page)
    said = page.text_content("#address-problems")
    assert "“no-such-org” leaves, but it is not in this workspace" in said
    assert "“unite-la” disbands, but it is an organization; only constellations disband." in said
    assert "leaves them out" in said
    # the rest of the question is answered, and the pickers are there to fix it
    assert listed(page) == expected
    assert page.is_visible("#pick-without")
    assert page.locator("#pick-without-chosen li.problem[data-id=no-such-org]").count() == 1
    shoot(page, "whatif-unknown")


def test_a_bad_date_in_the_address_says_the_shape(page, live):
    open_page(page, live, "whatif.html", without="unite-la", as_of="1/2/2024")
    wait_answered(page)
    assert "use YYYY-MM-DD, e.g. 2024-05-01" in page.text_content("#status")
    assert page.locator("#leaderless-list li").count() >= 1


def test_the_pickers_search_the_whole_of_a_large_workspace(page, live):
    """Past the 1,000 records a page of the list holds: the picker asks the service."""
    base, db, _ = live
    store = Store(db)
    with store.repository() as repo:
        repo.create_workspace("big", public_read=True)
        repo.bulk_upsert(
            "big",
            [
                {"id": f"org-{i:04d}", "kind": "organization", "label": f"Organization {i:04d}"}
                for i in range(1, 1201)
            ],
        )
    store.close()
    page.goto(f"{base}/whatif.html?w=big")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.fill("#pick-stop_convening", "Organization")
    page.wait_for_selector("#pick-stop_convening-options li")
    note = page.text_content("#pick-stop_convening-note")
    assert note == "20 of 1200 shown: type more of the name."
    page.fill("#pick-stop_convening", "1150")
    page.wait_for_selector("#pick-stop_convening-options li[data-id=org-1150]")
    page.press("#pick-stop_convening", "Enter")
    page.wait_for_selector("#pick-stop_convening-chosen li[data-id=org-1150]")
    wait_answered(page)
    assert "stop_convening=org-1150" in page.url
    assert page.console_errors == []


def test_a_misspelt_name_in_a_picker_offers_the_closest(page, live):
    base = live[0]
    open_page(page, live, "whatif.html")
    page.fill("#pick-without", "Los Angeles Unified Scool Distrct")
    note = page.locator("#pick-without-note")
    note.locator("button.link").first.wait_for()
    assert " ".join(note.text_content().split()) == (
        "Nothing called “Los Angeles Unified Scool Distrct”. "
        "Did you mean Los Angeles Unified School District?"
    )
    page.screenshot(path=str(SCREENSHOTS / "picker-did-you-mean.png"))
    note.locator("button.link", has_text="Los Angeles Unified School District").click()
    chosen = page.locator("#pick-without-chosen li")
    assert chosen.count() == 1
    lausd = httpx.get(
        f"{base}/api/workspaces/la-compact/nodes", params={"q": "Los Angeles Unified School"}
    ).json()["items"][0]["id"]
    assert chosen.first.get_attribute("data-id") == lausd
