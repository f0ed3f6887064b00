"""A real `constellation serve` and a real headless Chromium for the web pages.

The browser itself is the session-wide `browser` fixture of ``tests/conftest.py``.
"""

from __future__ import annotations

import pathlib

import pytest

from constellation.store import Store

from ..browser import SCREENSHOTS
from ..serving import start_serve, stop

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and uncaught exceptions, and any dialog."""
    # Playwright's wait_for_function evaluates its string in the page, which the service's
    # policy (no 'unsafe-eval') forbids; test_security_headers.py runs the pages under it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    pg.console_errors = []
    pg.dialogs = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(f"uncaught: {e}"))

    def on_dialog(dialog):
        pg.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    yield pg
    context.close()


def shoot(pg, name: str) -> pathlib.Path:
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=False)
    return path


@pytest.fixture(scope="module")
def live(tmp_path_factory, demo_databases):
    """The demo served by the real command on a free port, with a hostile label planted and an
    editor token made. Yields (base URL, database URL, token)."""
    folder = tmp_path_factory.mktemp("live")
    db = demo_databases.sqlite(folder / "live.db")
    store = Store(db)
    with store.repository() as repo:
        repo.create_node(
            "la-compact",
            {
                "kind": "organization",
                "label": XSS,
                "id": "xss-org",
                "properties": {"description": XSS, "sector": "community"},
                "tags": [XSS],
            },
        )
        repo.create_edge(
            "la-compact",
            {"kind": "participates_in", "source": "xss-org", "target": "la-regional-stem-hub"},
        )
    with store.repository() as repo:
        _, secret = repo.create_token("editor", None, "browser test")
    store.close()
    base, proc = start_serve(db, folder)
    yield base, db, secret
    stop(proc)
