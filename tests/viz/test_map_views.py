"""Issue 14 in a real browser: legible labels, a stable layout, status styles, colour by a
field, views in the URL fragment, the table, the audit of the date shown, the changes mode
and the PNG picture. Maps written by `constellation map`, opened in headless Chromium."""

from __future__ import annotations

import datetime as dt

import pytest
from typer.testing import CliRunner

from constellation.analysis.audit import run_audit
from constellation.cli import app
from constellation.graph import load_graph
from constellation.store import Store
from constellation.viz import build_map
from constellation.viz.map import CHANGE_STYLES, STATUS_STYLES
from tests.viz.test_browser import AS_OF, MapPage


@pytest.fixture(scope="module")
def files(tmp_path_factory, demo_databases):
    folder = tmp_path_factory.mktemp("views")
    url = demo_databases.sqlite(folder / "views.db")
    out = {}
    for ws, day in (("la-compact", AS_OF), ("achieve-escambia", "2019-06-01")):
        out[ws] = folder / f"{ws}.html"
        result = CliRunner().invoke(
            app, ["map", "--db", url, "-w", ws, "--as-of", day, "--out", str(out[ws])]
        )
        assert result.exit_code == 0, result.stderr
    store = Store(url)
    yield store, out
    store.close()


@pytest.fixture
def la(browser, files):
    page = MapPage(browser, files[1]["la-compact"].as_uri())
    yield page
    page.close()


def drawn_labels(p: MapPage) -> list[dict]:
    """The labels vis-network drew, each with its box on the screen and its size there."""
    return p.js(
        """() => {
        const net = window.network, s = net.getScale(), out = [];
        for (const n of net.body.data.nodes.get({filter: n => !n.hidden})) {
          const lm = net.body.nodes[n.id].labelModule;
          if (!lm.visible()) continue;
          const top = lm.size.top + (lm.fontOptions.vadjust || 0);  // drawn moved by vadjust
          const a = net.canvasToDOM({x: lm.size.left, y: top});
          const b = net.canvasToDOM({x: lm.size.left + lm.size.width, y: top + lm.size.height});
          out.push({id: n.id, px: lm.fontOptions.size * s, l: a.x, t: a.y, r: b.x, b: b.y});
        }
        return out;
    }"""
    )


def test_labels_at_the_opening_view_are_legible_and_apart(la):
    labels = drawn_labels(la)
    ids = {x["id"] for x in labels}
    assert {"la-compact", "unite-la", "la-compact-stewardship-group"} <= ids
    assert len(labels) >= 10
    assert all(x["px"] >= 12 - 1e-6 for x in labels), labels
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            apart = a["r"] <= b["l"] or b["r"] <= a["l"] or a["b"] <= b["t"] or b["b"] <= a["t"]
            assert apart, (a, b)
    # zoomed in, more labels find room
    la.js("() => { window.network.moveTo({scale: window.network.getScale() * 2.5}); }")
    la.js("() => window.constellationMap.placeLabels()")
    la.js("() => new Promise(done => requestAnimationFrame(() => done()))")
    assert len(drawn_labels(la)) > 0
    la.shot("views-labels")
    assert la.problems == []


def test_two_loads_give_the_same_positions(browser, files):
    url = files[1]["la-compact"].as_uri()
    positions = []
    for _ in range(2):
        p = MapPage(browser, url)
        try:
            positions.append(p.js("() => window.network.getPositions()"))
            assert p.problems == []
        finally:
            p.close()
    assert positions[0] == positions[1] and len(positions[0]) > 50


def test_a_planned_and_an_active_constellation_look_different(browser, files):
    p = MapPage(browser, files[1]["achieve-escambia"].as_uri())
    try:
        planned, active = p.js(
            """() => ['graduation-rate-can', 'kindergarten-readiness-can'].map(
                id => window.network.body.data.nodes.get(id))"""
        )
        assert planned["opacity"] == STATUS_STYLES["planned"]["opacity"] < active["opacity"]
        assert (
            planned["shapeProperties"]["borderDashes"] == STATUS_STYLES["planned"]["borderDashes"]
        )
        assert active["shapeProperties"]["borderDashes"] is False
        p.shot("views-achieve-escambia")
        assert p.problems == []
    finally:
        p.close()


def test_colour_by_sector(la):
    la.page.select_option("#color-by", "sector")
    items = la.js("() => window.network.body.data.nodes.get()")
    records = la.js("() => window.constellationMap.data.records")
    by_sector: dict[str, set[str]] = {}
    for item in items:
        sector = (records[item["id"]].get("properties") or {}).get("sector")
        if sector:
            by_sector.setdefault(sector, set()).add(item["color"]["background"])
    assert len(by_sector) >= 5
    assert all(len(colours) == 1 for colours in by_sector.values()), by_sector
    assert len({next(iter(c)) for c in by_sector.values()}) == len(by_sector)
    assert "color=sector" in la.js("() => location.hash")
    assert "government" in la.page.locator("#legend-colour").inner_text()
    la.shot("views-colour-by-sector")
    assert la.problems == []


def test_a_url_fragment_opens_the_view_it_names(browser, files):
    url = (
        files[1]["la-compact"].as_uri() + "#color=sector&size=betweenness&focus=unite-la&view=table"
    )
    p = MapPage(browser, url)
    try:
        assert p.page.locator("#color-by").input_value() == "sector"
        assert p.page.locator("#size-by").input_value() == "betweenness"
        assert "Neighbourhood of UNITE-LA" in p.page.locator("#focus-status").inner_text()
        assert p.page.locator("#table-panel").is_visible()
        shown = p.visible_nodes()
        assert "unite-la" in shown and len(shown) < p.js(
            "() => window.network.body.data.nodes.length"
        )
        assert p.problems == []
    finally:
        p.close()


def test_the_table_lists_every_visible_node_and_follows_a_filter(la):
    page = la.page
    page.click("#toggle-table")
    rows = page.locator("#records-table tbody tr")
    assert {rows.nth(i).get_attribute("data-id") for i in range(rows.count())} == la.visible_nodes()
    page.locator("#legend-nodes input[data-kind=person]").uncheck()
    assert rows.count() == len(la.visible_nodes())
    assert {rows.nth(i).get_attribute("data-id") for i in range(rows.count())} == la.visible_nodes()
    page.locator("#records-table thead button", has_text="Ties").click()
    ties = la.js(
        "() => Array.from(document.querySelectorAll('#records-table tbody tr'))"
        ".map(r => Number(r.children[4].textContent) || 0)"
    )
    assert ties == sorted(ties, reverse=True) and ties[0] > ties[-1]  # the most ties first
    first = rows.nth(0).get_attribute("data-id")
    rows.nth(0).focus()
    page.keyboard.press("Enter")
    assert la.js("() => window.network.getSelectedNodes()") == [first]
    assert "view=table" in la.js("() => location.hash")
    la.shot("views-table")
    assert la.problems == []


def test_moving_the_date_shows_that_dates_audit(la, files):
    store = files[0]
    day = "2015-03-01"  # a date something changed on
    with store.repository() as repo:
        then = run_audit(load_graph(repo, "la-compact", dt.date.fromisoformat(day)), figures=False)
        now = run_audit(load_graph(repo, "la-compact", dt.date.fromisoformat(AS_OF)), figures=False)
    health = then.summary["health"]["score"]
    assert health != now.summary["health"]["score"]
    header = la.page.locator("#map-summary")
    assert f"health {now.summary['health']['score']}/100" in header.inner_text()
    la.page.locator("#filter-date").fill(day)
    la.page.locator("#filter-date").dispatch_event("change")
    la.page.wait_for_function("() => window.mapReady === true")
    assert f"as of {day}" in header.inner_text()
    assert f"health {health}/100" in header.inner_text()
    high = then.summary["counts"]["by_severity"]["high"]
    assert f"{high} high-severity finding" in header.inner_text()
    marked = {f.subjects[0].id for f in then.findings if f.severity.value == "high" and f.subjects}
    items = {n["id"]: n for n in la.js("() => window.network.body.data.nodes.get()")}
    assert marked and all(items[m]["shadow"]["enabled"] for m in marked if m in items)
    assert "as_of=2015-03-01" in la.js("() => location.hash")
    assert la.problems == []


def test_the_changes_mode_marks_what_was_added_and_what_ended(browser, files):
    store = files[0]
    since, until = "2015-01-01", AS_OF
    with store.repository() as repo:
        G = load_graph(repo, "la-compact", every_date=True)
    start, end = dt.date.fromisoformat(since), dt.date.fromisoformat(until)

    def valid(d, day):
        return (d.get("valid_from") or day) <= day <= (d.get("valid_to") or day)

    def change(d):
        was, now = valid(d, start), valid(d, end)
        return "added" if now and not was else "ended" if was and not now else None

    nodes = {n: change(d) for n, d in G.nodes(data=True)}
    ties = {k: change(d) for *_e, k, d in G.edges(keys=True, data=True)}
    added = sorted(n for n, c in nodes.items() if c == "added")
    ended = sorted(k for k, c in ties.items() if c == "ended")
    assert added and ended
    p = MapPage(browser, files[1]["la-compact"].as_uri() + f"#from={since}&to={until}")
    try:
        item = p.js("id => window.network.body.data.nodes.get(id)", added[0])
        assert item["label"].startswith(CHANGE_STYLES["added"]["badge"] + " ")
        assert item["borderWidth"] == CHANGE_STYLES["added"]["border"]
        tie = p.js("id => window.network.body.data.edges.get(id)", ended[0])
        assert tie["dashes"] == CHANGE_STYLES["ended"]["dashes"] and not tie["hidden"]
        text = p.page.locator("#changes-status").inner_text()
        assert f"{len(added)} nodes and" in text and f"{len(ended)} ties ended" in text
        p.shot("views-changes")
        assert p.problems == []
    finally:
        p.close()


def test_saving_the_picture_gives_a_png(la):
    with la.page.expect_download() as info:
        la.page.click("#save-png")
    path = info.value.path()
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert info.value.suggested_filename.endswith(".png")


def group_state(p: MapPage) -> dict:
    """The group nodes and the record nodes of the page's DataSet, shown or hidden."""
    return p.js(
        """() => {
        const items = window.network.body.data.nodes.get();
        const records = window.constellationMap.data.records;
        const out = {groups: [], shownGroups: [], records: 0, shownRecords: 0};
        for (const n of items) {
          if (n.kind === 'group') {
            out.groups.push(n.id);
            if (!n.hidden) out.shownGroups.push(n.id);
          }
          else if (records[n.id]) { out.records += 1; if (!n.hidden) out.shownRecords += 1; }
        }
        return out;
    }"""
    )


def test_grouping_by_community_draws_groups_that_open_on_a_click(la):
    page = la.page
    total = la.js("() => Object.keys(window.constellationMap.data.records).length")
    page.select_option("#cluster-by", "community")
    clusters = la.js("() => window.constellationMap.clusters()")
    assert len(clusters) >= 2
    state = group_state(la)
    assert sorted(state["shownGroups"]) == sorted(clusters)
    assert state["records"] == total  # every node still in the DataSet, the grouped hidden
    groups = la.js("() => window.constellationMap.groups()")
    members = {m for c in clusters for m in groups[c]["members"]}
    hidden = la.js(
        "ids => ids.filter(id => window.network.body.data.nodes.get(id).hidden)", sorted(members)
    )
    assert sorted(hidden) == sorted(members)
    assert state["shownRecords"] < total - len(members) + 1
    assert "cluster=community" in la.js("() => location.hash")
    la.shot("views-clusters")
    first = clusters[0]
    la.page.mouse.click(*la.node_point(first))
    la.settle()
    assert first not in la.js("() => window.constellationMap.clusters()")
    assert la.js("id => window.network.body.data.nodes.get(id).hidden", first) is True
    shown = la.visible_nodes()
    assert set(groups[first]["members"]) <= shown  # its members are drawn now
    assert "Close the group" in page.locator("#details").inner_text()
    page.locator("#details button", has_text="Close the group").click()
    assert first in la.js("() => window.constellationMap.clusters()")
    assert not set(groups[first]["members"]) & la.visible_nodes()
    page.select_option("#cluster-by", "")
    assert la.js("() => window.constellationMap.clusters()") == []
    assert group_state(la)["shownGroups"] == []
    assert la.problems == []


def test_search_opens_the_group_a_node_is_in(la):
    la.page.select_option("#cluster-by", "community")
    groups = la.js("() => window.constellationMap.groups()")
    closed = la.js("() => window.constellationMap.clusters()")
    inside = groups[closed[0]]["members"][0]
    label = la.js("id => window.constellationMap.data.records[id].label", inside)
    la.page.fill("#search", label)
    la.page.press("#search", "Enter")
    assert closed[0] not in la.js("() => window.constellationMap.clusters()")
    assert inside in la.visible_nodes()
    assert la.js("() => window.network.getSelectedNodes()") == [inside]
    assert la.problems == []


def test_a_map_above_the_threshold_opens_clustered(browser, files, tmp_path):
    store = files[0]
    with store.repository() as repo:
        G = load_graph(repo, "la-compact", dt.date.fromisoformat(AS_OF), every_date=True)
    path = tmp_path / "clustered.html"
    path.write_text(build_map(G, cluster_above=50), encoding="utf-8")
    p = MapPage(browser, path.as_uri())
    try:
        assert p.page.locator("#cluster-by").input_value() == "community"
        assert len(p.js("() => window.constellationMap.clusters()")) >= 2
        assert p.problems == []
    finally:
        p.close()


def test_presenting_steps_through_the_kept_views(la, files):
    page = la.page
    page.select_option("#color-by", "sector")
    page.click("#keep-view")
    la.js("() => window.constellationMap.setDay('2015-03-01')")
    page.click("#keep-view")
    assert page.locator("#saved-views option").count() == 2
    page.click("#present")
    assert la.js("() => document.body.classList.contains('presenting')")
    assert not page.locator("#controls").is_visible()
    assert page.locator("#present-title").inner_text().startswith("1 / 2")
    assert f"as of {AS_OF}" in page.locator("#map-summary").inner_text()
    la.shot("views-presenting")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => window.mapReady === true")
    assert page.locator("#present-title").inner_text().startswith("2 / 2")
    assert "as of 2015-03-01" in page.locator("#map-summary").inner_text()
    assert page.locator("#color-by").input_value() == "sector"
    page.keyboard.press("Escape")
    assert page.locator("#controls").is_visible()
    assert la.problems == []
