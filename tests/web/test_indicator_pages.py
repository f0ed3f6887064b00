"""The indicator curves on the overview, and the edit page's form for a dated value."""

from __future__ import annotations

import httpx

from constellation.store import Store

from .conftest import shoot
from .test_pages import open_page, sign_in


def test_the_overview_shows_every_indicator_curve(page, live):
    base = live[0]
    open_page(page, live, "index.html")
    listed = httpx.get(f"{base}/api/workspaces/la-compact/indicators").json()["indicators"]
    figures = page.locator("#indicators figure.curve")
    assert figures.count() == len(listed)
    # the charts load lazily, as a reader scrolls to them (the overview's tables come first)
    for chart in page.locator("#indicators img").all():
        chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.querySelectorAll('#indicators img')].every(i => i.complete)"
    )
    widths = page.eval_on_selector_all("#indicators img", "imgs => imgs.map(i => i.naturalWidth)")
    assert len(widths) == len(listed) and min(widths) > 100  # every chart loaded and drawn
    first = page.locator("#indicators figure.curve").first
    assert first.get_attribute("data-indicator") == listed[0]["id"]
    assert listed[0]["label"] in first.text_content()
    page.locator("#indicators").scroll_into_view_if_needed()
    shoot(page, "overview-indicators")
    assert page.console_errors == []


def test_a_dated_value_through_the_form_lands_on_the_indicator(page, live):
    _, db, _ = live
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.select_option("#v-indicator", "foster-youth-hs-graduation")
    page.fill("#v-date", "2024-05-23")
    page.fill("#v-value", "66.5")
    page.fill("#v-group", "gender: Female")
    page.click("#save-value")
    page.wait_for_selector("#value-saved")
    assert "66.5 on 2024-05-23 for gender: Female" in page.text_content("#value-saved")
    store = Store(db)
    with store.repository() as repo:
        values = repo.get_node("la-compact", "foster-youth-hs-graduation").properties["values"]
    store.close()
    assert {"date": "2024-05-23", "value": 66.5, "group": "gender: Female"} in values
    count = len(values)

    # the same date and group again: replaced, not added twice
    page.fill("#v-value", "67")
    page.click("#save-value")
    page.wait_for_selector("#value-saved:has-text('67 on 2024-05-23')")
    store = Store(db)
    with store.repository() as repo:
        values = repo.get_node("la-compact", "foster-youth-hs-graduation").properties["values"]
    store.close()
    assert len(values) == count
    assert [v["value"] for v in values if v["date"] == "2024-05-23"] == [67]
    shoot(page, "edit-dated-value")


def test_the_value_form_says_what_is_missing(page, live):
    open_page(page, live, "edit.html")
    sign_in(page, live)
    page.select_option("#v-indicator", "foster-youth-hs-graduation")
    page.fill("#v-date", "2024-05-23")
    page.click("#save-value")
    page.wait_for_selector("#err-value-form-value:not(:empty)")
    assert page.text_content("#err-value-form-value") == "Give the value (a number)."
    assert "Nothing was saved" in page.text_content("#value-status")
