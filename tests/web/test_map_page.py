"""The web page's map (map.html) against a real `constellation serve`: the view in the URL
fragment and ``view=table`` reach the map inside the frame, and the map served at
``GET …/map`` opens the same positions on every load."""

from __future__ import annotations

from .conftest import shoot
from .test_pages import open_page


def _frame(page):
    frame = page.frame_locator("#map")
    page.wait_for_function(
        "() => { const w = document.getElementById('map').contentWindow;"
        " return w && w.mapReady === true; }",
        timeout=60_000,
    )
    return frame


def test_the_map_page_passes_its_view_to_the_map(page, live):
    base, _, _ = live
    page.goto(f"{base}/map.html?w=la-compact&view=table#color=sector&focus=unite-la")
    page.wait_for_selector("body[data-ready=true]", state="attached")
    frame = _frame(page)
    assert frame.locator("#color-by").input_value() == "sector"
    assert "Neighbourhood of UNITE-LA" in frame.locator("#focus-status").inner_text()
    rows = frame.locator("#records-table tbody tr")
    assert rows.count() >= 2
    inner = page.evaluate("() => document.getElementById('map').contentWindow.location.hash")
    assert "view=table" in inner and "color=sector" in inner
    shoot(page, "page-map-table")
    assert page.console_errors == []


def test_the_served_map_opens_with_the_same_positions_every_time(page, live):
    open_page(page, live, "map.html")
    _frame(page)
    script = "() => document.getElementById('map').contentWindow.network.getPositions()"
    first = page.evaluate(script)
    page.reload()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    _frame(page)
    assert page.evaluate(script) == first and len(first) > 50
    assert page.console_errors == []
