"""Issue 17 on the pages, in headless Chromium against a real `constellation serve`: the
conveners page's stage column and "who shares whom" panel, its link to the map focused on
both groups of a pair, and the overview's stages."""

from __future__ import annotations

import httpx

from .conftest import shoot
from .test_map_page import _frame
from .test_pages import open_page

AE = "/api/workspaces/achieve-escambia"


def test_the_conveners_page_shows_who_shares_whom_and_links_a_pair_to_the_map(page, live):
    base = live[0]
    report = httpx.get(f"{base}{AE}/overlap").json()
    open_page(page, live, "conveners.html", w="achieve-escambia")
    rows = page.locator("#overlap tbody tr")
    assert rows.count() == len(report["pairs"]) > 0
    for i, pair in enumerate(report["pairs"]):
        row = rows.nth(i)
        assert (row.get_attribute("data-a"), row.get_attribute("data-b")) == (
            pair["a"]["id"],
            pair["b"]["id"],
        )
    first, top = rows.first, report["pairs"][0]
    cells = first.locator("td")
    assert cells.nth(0).inner_text() == str(top["shared"])
    assert cells.nth(1).inner_text() == f"{top['a']['label']} + {top['b']['label']}"
    assert cells.nth(3).inner_text() == ", ".join(o["label"] for o in top["organizations"])
    summary = page.locator("#overlap-summary").inner_text()
    assert f"{len(report['pairs'])} pairs of the {report['constellations']}" in summary
    spread = page.locator("#overlap .spread li")
    assert spread.count() == sum(1 for s in report["organizations"] if s["count"] > 1)

    stages = {
        n["constellation"]["id"]: n for n in httpx.get(f"{base}{AE}/stages").json()["networks"]
    }
    career = page.locator("#table tr[data-id=career-readiness-can]").inner_text()
    assert "4/7 Prioritize contributing indicators" in career
    assert stages["career-readiness-can"]["stalled"] and "stalled" in career
    vpk = page.locator("#table tr[data-id=vpk-quality-itf]").inner_text()
    assert "7/7 Continually improve" in vpk and "stalled" not in vpk
    planned = page.locator("#table tr[data-id=academic-success-can]").inner_text()
    assert "not recorded" in planned
    shoot(page, "conveners-stages")

    page.evaluate("() => document.querySelector('#overlap h2').scrollIntoView()")
    shoot(page, "conveners-overlap")
    assert page.console_errors == []

    first.locator("a.pair-map").click()
    page.wait_for_selector("body[data-ready=true]", state="attached")
    frame = _frame(page)
    note = frame.locator("#focus-status").inner_text()
    assert note == f"Neighbourhood of {top['a']['label']} and {top['b']['label']} (1 step)."
    shown = page.evaluate(
        "() => { const w = document.getElementById('map').contentWindow;"
        " return w.network.body.data.nodes.get({filter: (n) => !n.hidden}).map((n) => n.id); }"
    )
    members = {top["a"]["id"], top["b"]["id"]} | {o["id"] for o in top["organizations"]}
    assert members <= set(shown)
    shoot(page, "map-pair-focus")

    frame.locator("#color-by").select_option("stage")
    legend = frame.locator("#legend-colour").inner_text()
    for n in stages.values():
        if n["stage"] and n["constellation"]["id"] in shown:
            assert f"{n['stage']['number']}. {n['stage']['title']}" in legend
    assert "color=stage" in page.evaluate(
        "() => document.getElementById('map').contentWindow.location.hash"
    )
    shoot(page, "map-pair-stage")
    assert page.console_errors == []


def test_the_overview_says_where_every_network_stands(page, live):
    base = live[0]
    open_page(page, live, "index.html", w="achieve-escambia")
    as_of = httpx.get(f"{base}{AE}/audit").json()["as_of"]
    stages = httpx.get(f"{base}{AE}/stages", params={"as_of": as_of}).json()
    rows = page.locator("#stage-table tbody tr")
    assert [rows.nth(i).get_attribute("data-id") for i in range(rows.count())] == [
        n["constellation"]["id"] for n in stages["networks"]
    ]
    for i, n in enumerate(stages["networks"]):
        text = rows.nth(i).inner_text()
        if n["stage"]:
            assert n["stage"]["title"] in text and n["stage"]["reached"] in text
            done = rows.nth(i).locator(".steps span.done").count()
            assert done == n["stage"]["number"]
        assert ("stalled" in text) == n["stalled"]
    page.locator("#stages").scroll_into_view_if_needed()
    shoot(page, "overview-stages")
    assert page.console_errors == []
