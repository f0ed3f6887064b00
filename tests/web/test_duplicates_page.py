"""The duplicates page (list and merge) and the funding page's co-funders of shared grantees,
in headless Chromium against a real `constellation serve`."""

from __future__ import annotations

import pytest

from constellation.store import Store
from tests.analysis.test_cofunders import FUNDERS, GRANTEES, GRANTS
from tests.services.test_merge import twice
from tests.serving import start_serve, stop

from .conftest import shoot
from .test_pages import sign_in


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dupes")
    db = f"sqlite:///{folder / 'dupes.db'}"
    store = Store(db)
    with store.repository() as repo:
        twice(repo)
        repo.update_workspace("twice", public_read=True)
        repo.create_workspace("grants", public_read=True)
        repo.bulk_upsert("grants", FUNDERS + GRANTEES, GRANTS)
        _, secret = repo.create_token("editor", None, "browser test")
    store.close()
    base, proc = start_serve(db, folder)
    yield base, db, secret
    stop(proc)


def open_at(page, served, name, workspace):
    page.goto(f"{served[0]}/{name}?w={workspace}")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_load_state("networkidle")


def test_the_pairs_are_listed_and_an_editor_merges_one(page, served):
    open_at(page, served, "duplicates.html", "twice")
    assert page.locator("header.top nav a[aria-current=page]").text_content() == "Duplicates"
    rows = page.locator("#pairs tr.pair")
    assert rows.count() == 1
    assert "same name" in rows.first.text_content()
    assert page.locator("button.keep-b").is_disabled()  # anonymous: no merge
    sign_in(page, served)
    shoot(page, "duplicates")
    page.click("button.keep-b")  # keep "Los Angeles Unified School District"
    page.wait_for_selector("#merged")
    assert "LA Unified was merged into Los Angeles Unified School District" in page.text_content(
        "#merged"
    )
    page.wait_for_selector("#pairs h2:has-text('(0)')")
    store = Store(served[1])
    with store.repository() as repo:
        assert [n.id for n in repo.query_nodes("twice", kind="organization")].count(
            "la-unified"
        ) == 0
        assert repo.get_node("twice", "lausd").attributes["aliases"] == ["LA Unified"]
    store.close()
    assert page.console_errors == []


def test_the_funding_page_shows_co_funders_of_shared_grantees(page, served):
    open_at(page, served, "funding.html", "grants")
    page.wait_for_selector("#cofunders .entry")
    first = page.locator("#cofunders .entry").first
    assert "F1 and F2 both fund 2 of the same recipient(s): O1, O2." in first.text_content()
    assert first.locator("table.shared tbody tr").count() == 2
    assert "USD 300" in first.locator("table.shared tbody tr").first.text_content()
    page.select_option("#funder", "f1")
    page.wait_for_selector("#grantees h2:has-text('(3)')")
    assert "F2 (USD 300)" in page.locator("#grantees tr[data-id=o1]").text_content()
    # the grants have no dates: one undated row, F1's three grants
    page.wait_for_selector("#years h2:has-text('Its grants')")
    assert page.locator("#years tbody tr").count() == 1
    assert page.locator("#years tbody tr").text_content() == "undated3USD 350"
    shoot(page, "funding-cofunders")
    page.locator("#grantees").scroll_into_view_if_needed()
    shoot(page, "funding-grantees")
    assert page.console_errors == []


def test_an_import_on_the_edit_page_lists_what_it_matched(page, served, tmp_path):
    sheet = tmp_path / "elements.csv"
    sheet.write_text("ID,Label,Type\nk9,UCLA,Organization\n")
    open_at(page, served, "edit.html", "twice")
    sign_in(page, served)
    page.set_input_files("#import-files", str(sheet))
    page.click("#import-go")
    page.wait_for_selector("#import-matched li")
    assert page.text_content("#import-matched li") == "UCLA (k9) updated ucla, matched by label"
    store = Store(served[1])
    with store.repository() as repo:
        assert repo.get_node("twice", "ucla").attributes["identifiers"] == {"kumu": "k9"}
    store.close()
    shoot(page, "edit-import-matched")
