"""The map in a real browser: headless Chromium driven by Playwright.

The browser is the session-wide `browser` fixture of ``tests/conftest.py``: it skips, with
the reason, when Playwright or Chromium is missing, except in CI (``CI`` set), where that
fails the run.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

import pytest
from typer.testing import CliRunner

from constellation.cli import app
from constellation.graph import build_graph, load_graph
from constellation.store import Store
from constellation.viz import build_map, map_workspace, save_positions
from tests.browser import SCREENSHOTS
from tests.viz.conftest import PAYLOAD, hostile_records

AS_OF = "2017-05-23"  # the day of seed 001's panel


class MapPage:
    """A map opened in a fresh browser context, with everything that went wrong on it."""

    def __init__(self, browser, url: str, origin: str = "file://"):
        self.context = browser.new_context(viewport={"width": 1400, "height": 860})
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page = self.page
        page.on(
            "console",
            lambda m: (
                self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url}"))
        page.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((origin, "data:"))
                else self.problems.append(f"request elsewhere: {r.url}")
            ),
        )
        page.on("dialog", self._dialog)
        self.open(url)

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_function("() => window.mapReady === true", timeout=60_000)

    def js(self, script: str, arg=None):
        return self.page.evaluate(script, arg)

    def visible_nodes(self) -> set[str]:
        return set(
            self.js(
                "() => window.network.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)"
            )
        )

    def visible_edges(self) -> set[str]:
        return set(
            self.js(
                "() => window.network.body.data.edges.get({filter: e => !e.hidden}).map(e => e.id)"
            )
        )

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Bring a node into view and return where it is on the screen."""
        point = self.js(
            """(id) => {
            const net = window.network;
            net.focus(id, {scale: 1.6, animation: false});
            net.redraw();
            const p = net.canvasToDOM(net.getPositions([id])[id]);
            return {x: p.x, y: p.y, at: net.getNodeAt(p)};
        }""",
            node_id,
        )
        assert point["at"] == node_id, f"another node covers {node_id}: {point['at']}"
        box = self.page.locator("#map").bounding_box()
        return box["x"] + point["x"], box["y"] + point["y"]

    def click_node(self, node_id: str) -> str:
        self.page.mouse.click(*self.node_point(node_id))
        # vis-network selects the node and runs our click handler in the same task, so
        # once the selection shows, the details panel has been drawn (however slow the machine).
        self.page.wait_for_function(
            "id => window.network.getSelectedNodes().includes(id)", arg=node_id
        )
        return self.page.locator("#details").inner_text()

    def settle(self) -> None:
        """Let the page finish what its handlers put off to a later task (a double click is
        decided there)."""
        self.js("() => new Promise(done => setTimeout(done, 50))")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def maps(tmp_path_factory, demo_databases):
    """The demo and hostile networks in a SQLite file, and their maps written by the CLI."""
    folder = tmp_path_factory.mktemp("maps")
    url = demo_databases.sqlite(folder / "maps.db", ("la-compact",))
    store = Store(url)
    nodes, edges = hostile_records()
    with store.repository() as repo:
        repo.create_workspace("hostile", name=f"Hostile {PAYLOAD}")
        repo.bulk_upsert("hostile", nodes, edges)
    runner = CliRunner()
    files = {}
    for ws in ("la-compact", "hostile"):
        files[ws] = folder / f"{ws}.html"
        result = runner.invoke(
            app, ["map", "--db", url, "-w", ws, "--as-of", AS_OF, "--out", str(files[ws])]
        )
        assert result.exit_code == 0, result.stderr
    yield store, files
    store.close()


@pytest.fixture
def demo_page(browser, maps):
    page = MapPage(browser, maps[1]["la-compact"].as_uri())
    yield page
    page.close()


def test_the_demo_map_draws_every_node_without_errors(demo_page, maps):
    store = maps[0]
    with store.repository() as repo:
        G = load_graph(repo, "la-compact", dt.date.fromisoformat(AS_OF), every_date=True)
        now = load_graph(repo, "la-compact", dt.date.fromisoformat(AS_OF))
    p = demo_page
    assert p.js("() => window.network.body.data.nodes.length") == G.number_of_nodes()
    assert set(p.js("() => window.network.body.data.nodes.getIds()")) == set(G)
    assert p.js("() => window.network.body.data.edges.length") == G.number_of_edges()
    assert p.js("() => Object.keys(window.network.body.nodes).length") >= G.number_of_nodes()
    assert p.visible_nodes() == set(now)  # as of its date
    assert p.visible_edges() == {k for *_e, k in now.edges(keys=True)}
    assert p.js("() => document.querySelector('#map canvas') !== null")
    summary = p.page.locator("#map-summary").inner_text()
    assert f"{G.number_of_nodes()} nodes" in summary and "health" in summary
    assert "Convener overload" in p.page.locator("#details").inner_text()  # at a glance
    p.shot("la-compact")
    assert p.problems == []


def test_clicking_a_node_shows_its_details_and_findings(demo_page):
    text = demo_page.click_node("unite-la")
    assert "UNITE-LA" in text and "Organization" in text
    assert "Convener overload" in text and "convenes 5 active constellations" in text
    assert "Next step: Ask a partner to co-convene" in text
    assert "sector" in text and "business" in text  # properties
    assert "signer" in text  # tags
    demo_page.shot("la-compact-details")
    text = demo_page.click_node("subsidized-jobs-workgroup")
    assert "Leaderless constellations" in text and "nobody convenes it" in text
    assert demo_page.problems == []


def test_filters_hide_what_they_should(demo_page):
    p, page = demo_page, demo_page.page
    records = p.js("() => window.constellationMap.data.records")
    everything = p.visible_nodes()

    page.locator("#legend-nodes input[data-kind=person]").uncheck()
    shown = p.visible_nodes()
    assert shown == {n for n in everything if records[n]["kind"] != "person"}
    ties = {e["id"]: e for e in p.js("() => window.network.body.data.edges.get()")}
    assert not any(ties[e]["kind"] in ("represents", "member_of") for e in p.visible_edges())
    page.locator("#legend-nodes input[data-kind=person]").check()
    assert p.visible_nodes() == everything

    page.locator("#legend-edges input[data-edge-kind=convenes]").uncheck()
    assert not any(ties[e]["kind"] == "convenes" for e in p.visible_edges())
    page.locator("#legend-edges input[data-edge-kind=convenes]").check()

    page.select_option("#filter-goal", "goal-3-pathways-to-careers")
    shown = p.visible_nodes()
    assert "goal-3-pathways-to-careers" in shown and "la-regional-stem-hub" in shown
    assert all("goal-3-pathways-to-careers" in records[n].get("goals", []) for n in shown)
    assert len(shown) < len(everything)
    page.select_option("#filter-goal", "")
    page.select_option("#filter-area", "workforce")
    assert all("workforce" in records[n].get("areas", []) for n in p.visible_nodes())
    page.select_option("#filter-area", "")

    page.locator("#filter-status input[data-status=active]").uncheck()
    shown = p.visible_nodes()
    assert "la-regional-stem-hub" not in shown and "joint-advocacy" in shown  # dormant stays
    assert not any(
        records[n]["kind"] == "constellation" and records[n]["status"] == "active" for n in shown
    )
    page.locator("#filter-status input[data-status=active]").check()

    page.locator("#filter-date").fill("2014-01-01")
    page.locator("#filter-date").dispatch_event("change")
    shown = p.visible_nodes()
    assert "subsidized-jobs-workgroup" not in shown  # its record starts in 2015
    assert all(records[n].get("from", "") <= "2014-01-01" for n in shown)

    page.click("#show-all")
    assert p.visible_nodes() == everything
    p.shot("la-compact-filtered")
    assert p.problems == []


def test_the_date_filter_reads_each_group_status_on_that_day(browser, tmp_path):
    G = build_graph(
        [
            {
                "id": "d",
                "kind": "constellation",
                "label": "Dormant later",
                "properties": {"status": "dormant", "launched": "2020-01-01"},
            },
            {
                "id": "x",
                "kind": "constellation",
                "label": "Disbanded later",
                "properties": {
                    "status": "disbanded",
                    "launched": "2015-01-01",
                    "disbanded": "2021-01-01",
                },
            },
        ],
        workspace="dates",
        as_of=dt.date(2019, 1, 1),
    )
    path = tmp_path / "dates.html"
    path.write_text(build_map(G), encoding="utf-8")
    p = MapPage(browser, path.as_uri())
    try:
        page = p.page
        # disbanded groups are hidden until the status filter includes them (issue 14)
        page.locator("#filter-status input[data-status=disbanded]").check()
        expected = {
            "2019-06-01": {"d": "planned", "x": "active"},
            "2020-06-01": {"d": "dormant", "x": "active"},
            "2021-06-01": {"d": "dormant", "x": "disbanded"},
            "2014-06-01": {"d": "planned", "x": "planned"},
        }
        for day, statuses in expected.items():
            page.locator("#filter-date").fill(day)
            page.locator("#filter-date").dispatch_event("change")
            for node, status in statuses.items():
                text = " ".join(p.click_node(node).split())
                assert f"status (as of {day}) {status}" in text, (day, node, text)
        assert p.problems == []
    finally:
        p.close()


def test_search_and_neighbourhood_focus(demo_page):
    p, page = demo_page, demo_page.page
    page.fill("#search", "subsidized jobs workgroup")  # its meetings share the words
    page.press("#search", "Enter")
    assert "1 match" in page.locator("#search-status").inner_text()
    assert "Subsidized Jobs Workgroup" in page.locator("#details h2.name").inner_text()
    page.fill("#search", "no such name anywhere")
    page.press("#search", "Enter")
    assert "No node has that name" in page.locator("#search-status").inner_text()

    p.click_node("unite-la")
    page.get_by_role("button", name="Focus on its neighbours").click()
    neighbours = set(p.js("() => window.network.getConnectedNodes('unite-la')"))
    shown = p.visible_nodes()
    assert shown == ({"unite-la"} | neighbours) & shown and "unite-la" in shown
    assert 1 < len(shown) < len(p.js("() => window.network.body.data.nodes.getIds()"))
    assert "Neighbourhood of UNITE-LA" in page.locator("#focus-status").inner_text()
    p.shot("la-compact-focus")
    page.click("#show-all")
    assert not page.locator("#focus-status").is_visible()
    page.mouse.dblclick(*p.node_point("subsidized-jobs-workgroup"))
    page.wait_for_selector("#focus-status:has-text('Neighbourhood of Subsidized')")
    assert "Neighbourhood of Subsidized" in page.locator("#focus-status").inner_text()
    page.click("#show-all")
    assert p.problems == []


def test_the_xss_payload_is_inert(browser, maps):
    p = MapPage(browser, maps[1]["hostile"].as_uri())
    try:
        page = p.page
        assert page.title() == f"Hostile {PAYLOAD} \u2014 the map"
        assert PAYLOAD in page.locator("#map-title").inner_text()
        # the tooltip, as text
        page.mouse.move(*p.node_point("evil"))
        tooltip = page.locator("div.vis-tooltip")
        tooltip.wait_for(state="visible", timeout=5000)
        assert PAYLOAD in tooltip.inner_text()
        # the details: label, property, tag and attribute, as text
        text = p.click_node("evil")
        assert text.count(PAYLOAD) >= 4
        assert page.locator("#details .tags span").first.inner_text() == PAYLOAD
        text = p.click_node("group")
        p.settle()
        assert not page.locator("#focus-status").is_visible()  # two clicks, no double click
        assert "Group </script><script>alert(2)</script>" in text
        assert PAYLOAD in text  # magnetic attractor
        # and in the search box's suggestions and the search itself
        page.fill("#search", PAYLOAD)
        page.press("#search", "Enter")
        assert page.locator("#details h2.name").inner_text() == PAYLOAD
        p.shot("hostile")
        # nothing ran, nothing was injected
        assert p.dialogs == []
        assert p.js("() => document.querySelectorAll('img, [onerror], iframe, object').length") == 0
        assert p.js("() => document.querySelectorAll('script').length") == 3
        assert p.js("() => document.querySelectorAll('b').length") == 0
        assert p.problems == []
    finally:
        p.close()


def test_a_saved_layout_comes_back_in_the_same_browser(browser, maps):
    p = MapPage(browser, maps[1]["la-compact"].as_uri())
    try:
        p.js("() => window.network.moveNode('unite-la', 1234, -678)")
        p.page.click("#save-layout")
        assert "Saved in this browser" in p.page.locator("#layout-status").inner_text()
        stored = p.js("() => JSON.parse(localStorage.getItem('constellation-map:la-compact'))")
        assert stored["positions"]["unite-la"] == {"x": 1234, "y": -678}
        p.open(maps[1]["la-compact"].as_uri())
        assert p.js("() => window.network.getPositions(['unite-la'])['unite-la']") == {
            "x": 1234,
            "y": -678,
        }
        assert "restored" in p.page.locator("#layout-status").inner_text()
        p.page.click("#forget-layout")
        assert p.js("() => localStorage.getItem('constellation-map:la-compact')") is None
        assert p.problems == []
    finally:
        p.close()


@pytest.fixture
def served(maps):
    """The map served as the HTTP service will: GET the page, PUT positions to the store."""
    store = maps[0]
    save_url = "/api/workspaces/la-compact/map/positions"
    puts: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _send(self, code: int, body: bytes, kind: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            if urlparse(self.path).path != "/api/workspaces/la-compact/map":
                return self._send(404, b"{}", "application/json")
            with store.repository() as repo:
                html = map_workspace(
                    repo, "la-compact", dt.date.fromisoformat(AS_OF), save_url=save_url
                )
            self._send(200, html.encode("utf-8"), "text/html; charset=utf-8")

        def do_PUT(self):
            if self.path != save_url:
                return self._send(404, b"{}", "application/json")
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            puts.append(body)
            with store.repository(actor="browser") as repo:
                result = save_positions(repo, "la-compact", body["positions"])
            self._send(200, result.model_dump_json().encode(), "application/json")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", puts
    server.shutdown()
    server.server_close()
    with store.repository() as repo:  # leave the demo as it was for the other tests
        for node in repo.query_nodes("la-compact"):
            if "map_position" in node.attributes:
                repo.update_node("la-compact", node.id, {"attributes": {"map_position": None}})


def test_a_saved_layout_comes_back_from_the_server(browser, served):
    origin, puts = served
    url = origin + "/api/workspaces/la-compact/map"
    p = MapPage(browser, url, origin=origin)
    try:
        p.js("() => window.network.moveNode('unite-la', -321.0, 654.0)")
        p.page.click("#save-layout")
        p.page.wait_for_function(
            "() => document.getElementById('layout-status').textContent.startsWith('Saved for')"
        )
        assert puts and puts[-1]["positions"]["unite-la"] == {"x": -321.0, "y": 654.0}
        assert len(puts[-1]["positions"]) == p.js("() => window.network.body.data.nodes.length")
        p.close()
        p = MapPage(browser, url, origin=origin)  # a new browser profile: no localStorage
        assert p.js("() => window.constellationMap.data.meta.layout") == "saved"
        assert p.js("() => window.network.getPositions(['unite-la'])['unite-la']") == {
            "x": -321.0,
            "y": 654.0,
        }
        assert p.problems == []
    finally:
        p.close()


def test_a_large_map_opens_in_seconds_with_server_positions(browser, tmp_path):
    n = 2000
    nodes = [
        {"id": f"o{i}", "kind": "organization", "label": f"Organization {i}"}
        for i in range(n - 200)
    ]
    nodes += [{"id": f"c{i}", "kind": "constellation", "label": f"Group {i}"} for i in range(200)]
    edges = [
        {"kind": "participates_in", "source": f"o{i}", "target": f"c{(i * 7) % 200}"}
        for i in range(n - 200)
    ]
    edges += [
        {
            "kind": "participates_in",
            "source": f"o{(i * 13) % (n - 200)}",
            "target": f"c{(i * 3) % 200}",
        }
        for i in range(3 * n)
    ]
    path = tmp_path / "large.html"
    path.write_text(build_map(build_graph(nodes, edges)), encoding="utf-8")
    p = MapPage(browser, path.as_uri())
    try:
        assert p.js("() => window.network.body.data.nodes.length") == n
        assert p.js("() => window.constellationMap.data.meta.physics") is False
        assert p.js("() => window.network.physics.physicsEnabled") is False
        assert p.js("() => window.mapReadyMs") < 30_000
        p.shot("large-2000")
        assert p.problems == []
    finally:
        p.close()


def test_an_indicators_details_show_its_curve(demo_page):
    demo_page.click_node("foster-youth-employed-by-24")
    page = demo_page.page
    assert page.locator("#details section h2", has_text="Trend").count() == 1
    page.wait_for_function(
        "() => { const i = document.querySelector('#details img.chart');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert (
        page.locator("#details img.chart")
        .get_attribute("src")
        .startswith("data:image/svg+xml;base64,")
    )
    assert page.locator("#details img.chart").get_attribute("alt") == (
        "Turn-the-curve chart of Foster youth employed by age 24"
    )
    demo_page.shot("la-compact-indicator-details")
    assert demo_page.problems == []
