"""Presenting a served map in a real Chromium against a real `constellation serve`: Present
steps through the views saved for the workspace on the server first, then the views kept
in this browser."""

from __future__ import annotations

import httpx

from .conftest import shoot

MAP = "/api/workspaces/la-compact/map"


def _title(pg) -> str:
    return pg.locator("#present-title").inner_text()


def test_present_steps_through_the_servers_views_then_the_browsers(page, live):
    base, _, secret = live
    saved = httpx.put(
        f"{base}{MAP}/views/Funders by sector",
        json={"fragment": "color=sector&as_of=2015-03-01"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert saved.status_code == 201, saved.text
    page.goto(f"{base}{MAP}", timeout=120_000)
    page.wait_for_function("() => window.mapReady === true", timeout=60_000)
    page.select_option("#color-by", "status")
    page.click("#keep-view")
    assert page.locator("#saved-views option").count() == 1
    page.click("#present")
    page.wait_for_function(
        "() => document.getElementById('present-title').textContent.startsWith('1 / 2')"
    )
    page.wait_for_function("() => window.mapReady === true")
    assert _title(page) == "1 / 2: Funders by sector (saved for the workspace)"
    assert page.locator("#color-by").input_value() == "sector"
    assert "as of 2015-03-01" in page.locator("#map-summary").inner_text()
    shoot(page, "map-present-server-view")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.mapReady === true")
    assert _title(page).startswith("2 / 2: ") and _title(page).endswith("(kept in this browser)")
    assert page.locator("#color-by").input_value() == "status"
    page.keyboard.press("ArrowRight")  # and round again, the server's first
    page.wait_for_function("() => window.mapReady === true")
    assert _title(page).startswith("1 / 2: Funders by sector")
    page.keyboard.press("Escape")
    assert page.locator("#controls").is_visible()
    assert page.console_errors == []
