"""Saved views on a served map, in a real Chromium against a real `constellation serve`: an
editor saves the view they are looking at under a name, and a viewer opens it from the list."""

from __future__ import annotations

import httpx
import pytest

from constellation.store import Store

from ..browser import SCREENSHOTS
from .conftest import shoot

MAP = "/api/workspaces/la-compact/map"


def _signed_in(browser, base: str, secret: str):
    """A page of a fresh browser context signed in with `secret` (the HttpOnly cookie)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    answer = context.request.post(f"{base}/api/session", data={"token": secret})
    assert answer.ok, answer.text()
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(f"uncaught: {e}"))
    return context, pg


def _ready(pg) -> None:
    pg.wait_for_function("() => window.mapReady === true", timeout=60_000)


@pytest.fixture
def viewer_secret(live):
    _, db, _ = live
    store = Store(db)
    with store.repository() as repo:
        _, secret = repo.create_token("viewer", None, "browser viewer")
    store.close()
    return secret


def test_an_editor_saves_a_view_and_a_viewer_opens_it_from_the_list(browser, live, viewer_secret):
    base, _, editor_secret = live
    context, editor = _signed_in(browser, base, editor_secret)
    try:
        editor.goto(f"{base}{MAP}#color=sector&focus=unite-la")
        _ready(editor)
        assert editor.locator("#view-save").is_visible()
        editor.fill("#view-name", "UNITE-LA by sector")
        editor.click("#save-view")
        editor.wait_for_function(
            "() => document.getElementById('shared-views-status').textContent.startsWith('Saved')"
        )
        assert editor.locator("#shared-view-list").input_value() == "UNITE-LA by sector"
        editor.locator("#shared-views").scroll_into_view_if_needed()
        editor.locator("#shared-views").screenshot(path=str(SCREENSHOTS / "saved-views-save.png"))
        assert editor.console_errors == []
    finally:
        context.close()

    (saved,) = httpx.get(f"{base}{MAP}/views").json()["views"]
    assert saved["name"] == "UNITE-LA by sector"
    assert "color=sector" in saved["fragment"] and "focus=unite-la" in saved["fragment"]

    context, viewer = _signed_in(browser, base, viewer_secret)
    try:
        viewer.goto(f"{base}{MAP}")
        _ready(viewer)
        assert viewer.locator("#color-by").input_value() == "kind"
        assert viewer.locator("#shared-views").is_visible()
        assert not viewer.locator("#view-save").is_visible()  # viewers list and open only
        viewer.wait_for_selector(
            "#shared-view-list option[value='UNITE-LA by sector']", state="attached"
        )
        viewer.select_option("#shared-view-list", "UNITE-LA by sector")
        viewer.click("#open-shared-view")
        viewer.wait_for_function(
            "() => window.mapReady === true"
            " && document.getElementById('color-by').value === 'sector'",
            timeout=60_000,
        )
        assert "focus=unite-la" in viewer.evaluate("() => window.location.hash")
        assert "Neighbourhood of UNITE-LA" in viewer.locator("#focus-status").inner_text()
        viewer.locator("#shared-views").scroll_into_view_if_needed()
        viewer.locator("#shared-views").screenshot(path=str(SCREENSHOTS / "saved-views-open.png"))
        shoot(viewer, "saved-views-opened")
        assert viewer.console_errors == []
    finally:
        context.close()
