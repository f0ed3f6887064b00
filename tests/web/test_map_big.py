"""A big map in a real Chromium against a real `constellation serve`: a generated workspace
just above `CLUSTER_ABOVE` opens grouped by community (one node per group drawn, the
members in the DataSet, hidden), a click on a group opens it, and ``#cluster=none`` opens
the whole drawing."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

from constellation.store import Store
from constellation.viz.map import CLUSTER_ABOVE

from ..browser import SCREENSHOTS
from ..serving import EXE, start_serve, stop

ROOT = pathlib.Path(__file__).resolve().parents[2]
SIZE = (CLUSTER_ABOVE or 0) + 300
MAP = "/api/workspaces/bench/map"


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A generated partnership of SIZE nodes (scripts/bench_network.py), imported with the
    CLI, served; yields (base URL, a reader's secret, the node count)."""
    folder = tmp_path_factory.mktemp("big")
    net = folder / "network.json"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_network.py"), "--nodes", str(SIZE),
         "--out", str(net)],
        check=True, capture_output=True,
    )  # fmt: skip
    db = f"sqlite:///{folder / 'big.db'}"
    subprocess.run([EXE, "import", str(net), "--db", db], check=True, capture_output=True)
    store = Store(db)
    with store.repository() as repo:
        _, secret = repo.create_token("viewer", None, "big map reader")
        count = repo.get_workspace("bench").nodes
    store.close()
    base, proc = start_serve(db, folder)
    yield base, secret, count
    stop(proc)


def _open(browser, base: str, secret: str, fragment: str = ""):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
    assert context.request.post(f"{base}/api/session", data={"token": secret}).ok
    pg = context.new_page()
    pg.problems = []
    pg.on("console", lambda m: pg.problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: pg.problems.append(f"uncaught: {e}"))
    pg.goto(f"{base}{MAP}{fragment}", timeout=180_000)
    pg.wait_for_function("() => window.mapReady === true", timeout=180_000)
    return context, pg


def _groups(pg) -> dict:
    return pg.evaluate(
        """() => {
        const records = window.constellationMap.data.records, out = {
          groups: [], shownGroups: [], records: 0, shownRecords: 0, hiddenMembers: 0, members: 0};
        const groups = window.constellationMap.groups();
        const closed = new Set(window.constellationMap.clusters());
        for (const n of window.network.body.data.nodes.get()) {
          if (n.kind === 'group') {
            out.groups.push(n.id);
            if (!n.hidden) out.shownGroups.push(n.id);
          }
          else if (records[n.id]) { out.records += 1; if (!n.hidden) out.shownRecords += 1; }
        }
        for (const id of closed) for (const m of groups[id].members) {
          out.members += 1;
          if (window.network.body.data.nodes.get(m).hidden) out.hiddenMembers += 1;
        }
        return out;
    }"""
    )


def test_a_big_map_opens_grouped_and_a_click_opens_a_group(browser, big):
    base, secret, count = big
    context, pg = _open(browser, base, secret)
    try:
        assert count > CLUSTER_ABOVE
        assert pg.locator("#cluster-by").input_value() == "community"
        g = _groups(pg)
        assert g["records"] == count  # every node of the map is in the DataSet
        assert len(g["shownGroups"]) >= 3
        assert g["members"] > count / 2 and g["hiddenMembers"] == g["members"]
        assert g["shownRecords"] == count - g["members"] - (count - g["records"]) - _filtered(pg)
        pg.screenshot(path=str(SCREENSHOTS / "map-big-clustered.png"))
        first = pg.evaluate("() => window.constellationMap.clusters()[0]")
        members = pg.evaluate("id => window.constellationMap.groups()[id].members", first)
        x, y = _on_screen(pg, first)
        pg.mouse.click(x, y)
        pg.wait_for_function(
            "id => !window.constellationMap.clusters().includes(id)", arg=first, timeout=60_000
        )
        assert pg.evaluate("id => window.network.body.data.nodes.get(id).hidden", first) is True
        shown = pg.evaluate(
            "ids => ids.filter(id => !window.network.body.data.nodes.get(id).hidden)", members
        )
        assert sorted(shown) == sorted(members)
        assert "Close the group" in pg.locator("#details").inner_text()
        pg.screenshot(path=str(SCREENSHOTS / "map-big-group-open.png"))
        assert pg.problems == []
    finally:
        context.close()


def test_cluster_none_opens_the_whole_drawing(browser, big):
    base, secret, count = big
    context, pg = _open(browser, base, secret, "#cluster=none")
    try:
        assert pg.locator("#cluster-by").input_value() == ""
        g = _groups(pg)
        assert g["shownGroups"] == [] and g["records"] == count
        assert g["shownRecords"] == count - _filtered(pg) > CLUSTER_ABOVE
        assert pg.problems == []
    finally:
        context.close()


def _filtered(pg) -> int:
    """How many nodes the page's default filters hide (disbanded groups, ended records)."""
    return pg.evaluate(
        "() => { const h = window.constellationMap.data.records;"
        " return Object.keys(h).filter(id => !window.constellationMap.passes(id)).length; }"
    )


def _on_screen(pg, node_id: str) -> tuple[float, float]:
    point = pg.evaluate(
        """id => { const net = window.network;
        net.focus(id, {scale: net.getScale(), animation: false}); net.redraw();
        const p = net.canvasToDOM(net.getPositions([id])[id]);
        return {x: p.x, y: p.y, at: net.getNodeAt(p)}; }""",
        node_id,
    )
    assert point["at"] == node_id
    box = pg.locator("#map").bounding_box()
    return box["x"] + point["x"], box["y"] + point["y"]
