"""Security headers on the pages, the map and /docs of a real `constellation serve`, and
real Chromium running every page under the policy without one violation."""

from __future__ import annotations

import re

import httpx
import pytest

from ..browser import SCREENSHOTS
from .test_pages import PAGES

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


@pytest.fixture
def page(browser):
    """A page under the service's policy as served (the shared fixture bypasses it), which
    records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.console_errors = []
    pg.on("console", lambda m: pg.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.console_errors.append(f"uncaught: {e}"))
    yield pg
    context.close()


def violations(page) -> list[str]:
    """What the policy blocked: the page's own reports and the console's."""
    reported = page.evaluate("window.__csp || []")
    said = [m for m in page.console_errors if "Content Security Policy" in m]
    return reported + said


def assert_policy(headers, *, hashes: bool = False) -> str:
    csp = headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'self'"
    assert directives["connect-src"] == "'self'"
    assert ("'sha256-" in directives["script-src"]) is hashes
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert "strict-transport-security" not in headers  # only behind TLS, by a setting
    return csp


@pytest.mark.parametrize(
    "path",
    ["/", "/edit.html", "/app.js", "/api/workspaces", "/healthz", "/api/workspaces/nowhere"],
)
def test_every_response_carries_the_headers(live, path):
    base, _, _ = live
    assert_policy(httpx.get(f"{base}{path}").headers)


def test_the_map_names_its_inline_scripts_by_hash(live):
    base, _, _ = live
    r = httpx.get(f"{base}/api/workspaces/la-compact/map", timeout=60)
    assert r.status_code == 200
    assert_policy(r.headers, hashes=True)


@pytest.mark.parametrize("name", PAGES)
def test_each_page_runs_under_the_policy(page, live, name):
    base, _, _ = live
    page.add_init_script(WATCH)
    page.goto(f"{base}/{name}?w=la-compact")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_load_state("networkidle")
    assert violations(page) == []
    assert page.console_errors == []


def test_the_map_runs_under_its_policy_and_in_our_frame(page, live):
    base, _, _ = live
    page.add_init_script(WATCH)
    page.goto(f"{base}/api/workspaces/la-compact/map", timeout=60_000)
    page.wait_for_function("window.network !== undefined", timeout=60_000)
    assert violations(page) == []
    page.goto(f"{base}/map.html?w=la-compact")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    frame = page.frame_locator("#map")
    frame.locator("canvas").first.wait_for(timeout=60_000)
    assert violations(page) == []
    assert page.console_errors == []


def test_another_origin_cannot_frame_the_edit_page(page, live):
    """127.0.0.1 and localhost are different origins: the frame is refused."""
    base, _, _ = live
    other = base.replace("127.0.0.1", "localhost")
    page.set_content(f'<iframe id="f" src="{other}/edit.html"></iframe>')
    page.wait_for_timeout(1500)
    frame = page.frame_locator("#f")
    assert frame.locator("body[data-ready=true]").count() == 0


def test_docs_runs_its_start_up_script_from_a_file(page, live):
    base, _, _ = live
    r = httpx.get(f"{base}/docs")
    csp = r.headers["content-security-policy"]
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
    assert '<script src="/docs/start.js"></script>' in r.text
    assert "SwaggerUIBundle(" not in r.text  # no inline script
    start = httpx.get(f"{base}/docs/start.js")
    assert start.headers["content-type"].startswith("text/javascript")
    assert '"/openapi.json"' in start.text
    page.add_init_script(WATCH)
    page.goto(f"{base}/docs")
    page.wait_for_load_state("load")
    assert violations(page) == []


def test_docs_work_offline_and_show_every_operation(page, live):
    """Swagger UI's files come from the service itself: the page names no other address,
    the browser asks nothing of any other origin, and every operation is drawn."""
    base, _, _ = live
    html = httpx.get(f"{base}/docs").text
    addresses = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert len(addresses) == 4  # the icon, the styles, the bundle, the start-up script
    assert all(a.startswith("/") and not a.startswith("//") for a in addresses), addresses
    assert "http" not in html
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.add_init_script(WATCH)
    page.goto(f"{base}/docs")
    spec = httpx.get(f"{base}/openapi.json", timeout=120).json()
    operations = sum(
        1
        for item in spec["paths"].values()
        for verb in item
        if verb in {"get", "post", "put", "patch", "delete"}
    )
    page.wait_for_selector(".opblock-summary", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert page.locator(".opblock").count() == operations
    assert page.locator(".info .title").first.text_content().startswith("Constellation")
    assert [u for u in asked if not u.startswith(base) and not u.startswith("data:")] == []
    assert violations(page) == []
    assert page.console_errors == []
    page.screenshot(path=str(SCREENSHOTS / "api-docs.png"))


def test_the_partner_page_runs_under_the_policy(page, live):
    """Opened from its link, as a partner would: every card built, nothing blocked."""
    from constellation.store import Store

    base, db, _ = live
    store = Store(db)
    with store.repository() as repo:
        _, secret = repo.create_partner_link("la-compact", "unite-la")
    store.close()
    page.add_init_script(WATCH)
    page.goto(f"{base}/partner.html?w=la-compact#token={secret}")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    page.wait_for_load_state("networkidle")
    assert page.text_content("#org-title") == "UNITE-LA"
    assert violations(page) == []
    assert page.console_errors == []
