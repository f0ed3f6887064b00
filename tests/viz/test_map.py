"""The map page as built by the library, on both engines: data, styles, marks, safety, layout."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from constellation import vocabulary as vocab
from constellation.graph import build_graph, load_graph
from constellation.viz import SERVER_LAYOUT_ABOVE, SIZE_MEASURES, build_map, map_workspace
from constellation.viz.map import MARKS, STATUS_STYLES
from tests.viz.conftest import PAYLOAD, page_data

AS_OF = dt.date(2018, 1, 1)


@pytest.fixture
def la_map(demo):
    with demo.repository() as repo:
        html = map_workspace(repo, "la-compact", AS_OF)
        G = load_graph(repo, "la-compact", AS_OF, every_date=True)
        now = load_graph(repo, "la-compact", AS_OF)
    return html, page_data(html), G, now


def test_every_node_and_tie_is_on_the_map(la_map):
    _html, data, G, now = la_map
    assert {n["id"] for n in data["nodes"]} == set(G)
    assert {e["id"] for e in data["edges"]} == {k for *_e, k in G.edges(keys=True)}
    assert data["meta"]["nodes"] == G.number_of_nodes() > 50
    assert data["meta"]["as_of"] == "2018-01-01" and data["meta"]["every_date"]
    # records not valid on the map's date are there, with the dates the page filters by
    assert G.number_of_nodes() >= now.number_of_nodes()
    for node, d in G.nodes(data=True):
        record = data["records"][node]
        assert record["from" if d["valid_from"] else "kind"]


def test_colours_shapes_and_tie_styles_come_from_the_vocabulary(la_map):
    _html, data, G, _now = la_map
    for item in data["nodes"]:
        kind = vocab.NODE_KINDS[G.nodes[item["id"]]["kind"]]
        assert item["color"]["background"] == kind.color
        assert item["shape"] == kind.shape
        assert item["kind"] == kind.name
    for item in data["edges"]:
        kind = vocab.EDGE_KINDS[item["kind"]]
        assert item["color"] == kind.color
        assert item.get("dashes", False) == kind.dashes
    legend = {k["name"]: k for k in data["kinds"]["nodes"]}
    assert legend["constellation"]["color"] == vocab.NODE_KINDS["constellation"].color
    assert sum(k["count"] for k in data["kinds"]["nodes"]) == G.number_of_nodes()
    assert sum(k["count"] for k in data["kinds"]["edges"]) == G.number_of_edges()


def test_the_page_loads_nothing_from_anywhere(la_map):
    html = la_map[0]
    assert not re.search(r"""\b(src|href|action)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"<(link|iframe|object|embed|img)\b", html, re.IGNORECASE)
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", html, re.IGNORECASE)
    assert "window.network = network" in html  # vis-network and our script are inline
    tags = re.findall(r"^<script\b[^>]*>", html, re.MULTILINE)
    assert tags == ['<script type="application/json" id="map-data">', "<script>", "<script>"]
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert csp.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe" not in csp.split(";")[1]  # only our two scripts may run


def test_findings_are_marked_on_their_nodes(la_map):
    _html, data, _G, _now = la_map
    items = {n["id"]: n for n in data["nodes"]}
    checks = {f["check"]: f for f in data["findings"]}
    overload = next(
        f
        for f in data["findings"]
        if f["check"] == "convener_overload" and f["subjects"][0] == "unite-la"
    )
    unite = items["unite-la"]
    assert overload["severity"] == "high"
    assert unite["label"].startswith(MARKS["high"]["badge"] + " ")
    assert unite["color"]["border"] == MARKS["high"]["color"]
    assert unite["shadow"]["color"] == MARKS["high"]["color"]
    record = data["records"]["unite-la"]
    assert data["findings"].index(overload) in record["findings"]
    # the constellations it convenes are named in the finding, not marked by it
    assert data["findings"].index(overload) in data["records"]["la-regional-stem-hub"]["involved"]
    leaderless = checks["leaderless_constellations"]
    assert items[leaderless["subjects"][0]]["color"]["border"] == MARKS["high"]["color"]
    medium = next(f for f in data["findings"] if f["severity"] == "medium")
    assert items[medium["subjects"][0]]["shadow"]["color"] in (
        MARKS["medium"]["color"],
        MARKS["high"]["color"],
    )
    assert {"message", "suggestion", "title", "evidence"} <= set(overload)
    unmarked = [
        n
        for n in data["nodes"]
        if n["id"] not in {f["subjects"][0] for f in data["findings"] if f["severity"] in MARKS}
    ]
    assert unmarked and all("shadow" not in n for n in unmarked)


def test_orphan_goals_are_marked(demo):
    with demo.repository() as repo:
        data = page_data(map_workspace(repo, "achieve-escambia", AS_OF))
    orphans = [f for f in data["findings"] if f["check"] == "orphan_goals"]
    assert orphans
    items = {n["id"]: n for n in data["nodes"]}
    for f in orphans:
        assert items[f["subjects"][0]]["color"]["border"] == MARKS["high"]["color"]


def test_duplicate_backbones_are_marked():
    G = build_graph(
        [
            {"id": "ed", "kind": "issue_area", "label": "Education"},
            {"id": "a", "kind": "organization", "label": "A"},
            {"id": "b", "kind": "organization", "label": "B"},
        ],
        [
            {"kind": "backbone_for", "source": "a", "target": "ed"},
            {"kind": "backbone_for", "source": "b", "target": "ed"},
        ],
    )
    data = page_data(build_map(G))
    finding = next(f for f in data["findings"] if f["check"] == "duplicate_backbones")
    items = {n["id"]: n for n in data["nodes"]}
    assert items["ed"]["shadow"]["color"] == MARKS["high"]["color"]
    assert {"a", "b"} <= set(finding["subjects"])


def test_filters_know_goals_areas_and_statuses(la_map):
    _html, data, G, _now = la_map
    goals = {g["id"] for g in data["filters"]["goals"]}
    assert goals == {n for n, k in G.nodes(data="kind") if k == "goal"}
    assert {a["id"] for a in data["filters"]["issue_areas"]} == {"education", "workforce"}
    assert data["statuses"] == [s.value for s in vocab.Status]
    records = data["records"]
    # a constellation that advances a goal belongs with it, and so do its conveners
    stem = records["la-regional-stem-hub"]
    assert stem["goals"] and stem["status"] in data["statuses"]
    assert set(stem["goals"]) <= set(records["unite-la"].get("goals", []))
    assert all(g in records[g]["goals"] for g in goals)
    assert "education" in records["education"]["areas"]


def test_sizes_follow_the_chosen_measure(demo):
    with demo.repository() as repo:
        by = {
            m: page_data(map_workspace(repo, "la-compact", AS_OF, size_by=m)) for m in SIZE_MEASURES
        }
    deg, btw, partners = (by[m]["records"] for m in SIZE_MEASURES)
    assert deg["unite-la"]["measure"] > deg["aala"]["measure"]
    assert btw["unite-la"]["measure"] > 0 and isinstance(btw["unite-la"]["measure"], float)
    assert partners["la-regional-stem-hub"]["measure"] >= 2
    assert partners["la-compact"]["measure"] == 0  # an initiative has no partners
    values = {n["id"]: n["value"] for n in by["degree"]["nodes"]}
    assert values["unite-la"] > values["aala"]
    with pytest.raises(ValueError, match="unknown size measure"):
        build_map(build_graph([]), size_by="weight")


def test_every_label_and_value_is_escaped(hostile):
    with hostile.repository() as repo:
        html = map_workspace(repo, "hostile")
    assert PAYLOAD not in html
    assert "<script><script>" not in html and "alert(2)</script>" not in html
    assert "<b>bold</b>" not in html
    assert len(re.findall(r"</script>\n", html)) == 3  # the data block, vis-network, ours
    assert "<title>Hostile &lt;img src=x onerror=alert(1)&gt; \u2014 the map</title>" in html
    data = page_data(html)  # the data survives exactly, as text
    records = data["records"]
    assert records["evil"]["label"] == PAYLOAD
    assert records["evil"]["properties"]["description"] == PAYLOAD
    assert records["evil"]["tags"] == [PAYLOAD, "plain"]
    assert records["evil"]["attributes"][PAYLOAD] == "key too"
    assert data["edge_info"]["e2"]["properties"]["note"] == PAYLOAD


def test_large_maps_get_server_positions_and_no_physics():
    n = SERVER_LAYOUT_ABOVE + 1
    nodes = [{"id": f"o{i}", "kind": "organization", "label": f"Org {i}"} for i in range(n)]
    edges = [
        {"kind": "collaborates_with", "source": f"o{i}", "target": f"o{(i * 7 + 1) % n}"}
        for i in range(n)
    ]
    data = page_data(build_map(build_graph(nodes, edges), audit=False))
    assert data["meta"]["layout"] == "server" and data["meta"]["physics"] is False
    assert data["options"]["physics"] == {"enabled": False}
    assert data["options"]["layout"]["improvedLayout"] is False
    assert data["options"]["edges"]["smooth"] is False
    assert all(
        isinstance(item["x"], float) and isinstance(item["y"], float) for item in data["nodes"]
    )
    assert len({(item["x"], item["y"]) for item in data["nodes"]}) == n


def test_small_maps_get_the_same_server_positions_every_time(la_map, demo):
    """Issue 14: a map opens with the same positions every time, without a saved layout
    (it used to leave small maps to the browser's physics, which reshuffled them)."""
    data = la_map[1]
    assert data["meta"]["physics"] is False and data["meta"]["layout"] == "server"
    assert data["options"]["physics"] == {"enabled": False}
    with demo.repository() as repo:
        again = page_data(map_workspace(repo, "la-compact", AS_OF))
    first = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert first == {n["id"]: (n["x"], n["y"]) for n in again["nodes"]}
    assert len(set(first.values())) == len(first)


def test_constellation_status_is_drawn_in_each_item():
    G = build_graph(
        [
            {"id": s, "kind": "constellation", "label": s, "properties": {"status": s}}
            for s in ("planned", "forming", "active", "dormant")
        ],
        as_of=dt.date(2019, 1, 1),
    )
    data = page_data(build_map(G, audit=False))
    items = {n["id"]: n for n in data["nodes"]}
    looks = {
        s: (
            items[s]["opacity"],
            items[s]["borderWidth"],
            str(items[s]["shapeProperties"]["borderDashes"]),
            items[s]["color"]["border"],
        )
        for s in items
    }
    assert len(set(looks.values())) == 4  # four statuses, four looks
    assert items["planned"]["shapeProperties"]["borderDashes"]  # a dashed outline
    assert items["dormant"]["opacity"] < items["active"]["opacity"] == 1
    assert data["hidden_statuses"] == ["disbanded"]
    for s, item in items.items():
        assert item["opacity"] == STATUS_STYLES[s]["opacity"]


def test_the_threshold_and_physics_can_be_chosen():
    G = build_graph(
        [{"id": "a", "kind": "goal", "label": "A"}, {"id": "b", "kind": "goal", "label": "B"}]
    )
    forced = page_data(build_map(G, server_layout_above=1))
    assert forced["meta"]["layout"] == "server"
    assert page_data(build_map(G, physics=False))["meta"]["layout"] == "server"


def test_given_positions_are_kept(la_map):
    G = la_map[2]
    some = {"unite-la": {"x": 10.0, "y": -20.0}}
    data = page_data(build_map(G, positions=some, audit=False))
    unite = next(n for n in data["nodes"] if n["id"] == "unite-la")
    assert (unite["x"], unite["y"], unite["physics"]) == (10.0, -20.0, False)
    data = page_data(build_map(G, positions=some, physics=False, audit=False))
    unite = next(n for n in data["nodes"] if n["id"] == "unite-la")
    assert (unite["x"], unite["y"]) == (10.0, -20.0)
    assert all("x" in n for n in data["nodes"])


def test_date_choices_and_served_flag(la_map):
    data = la_map[1]
    assert data["meta"]["save_url"] is None
    assert data["meta"]["storage_key"] == "constellation-map:la-compact"
    assert data["as_of_choices"] == sorted(data["as_of_choices"])
    assert "2015-03-01" in data["as_of_choices"]  # Subsidized Jobs Workgroup launched
    G = la_map[2]
    chosen = page_data(
        build_map(
            G,
            as_of_choices=[dt.date(2019, 5, 1)],
            audit=False,
            save_url="/api/workspaces/la-compact/map/positions",
        )
    )
    assert chosen["as_of_choices"] == ["2019-05-01"]
    assert chosen["meta"]["save_url"] == "/api/workspaces/la-compact/map/positions"


def test_an_empty_workspace_still_draws(store):
    with store.repository() as repo:
        repo.create_workspace("empty")
        data = page_data(map_workspace(repo, "empty"))
    assert data["nodes"] == [] and data["meta"]["health"] == 100


def test_a_group_keeps_its_recorded_status_for_other_dates():
    """A dormant group launched after the map's date is 'planned' on that date, and the page
    gets what the record says so that after the launch it reads 'dormant' again."""
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
                "properties": {"status": "disbanded", "disbanded": "2021-01-01"},
            },
            {"id": "a", "kind": "constellation", "label": "Plainly active"},
        ],
        as_of=dt.date(2019, 1, 1),
    )
    records = page_data(build_map(G))["records"]
    assert (records["d"]["status"], records["d"]["recorded_status"]) == ("planned", "dormant")
    assert (records["x"]["status"], records["x"]["recorded_status"]) == ("active", "disbanded")
    assert records["a"]["status"] == "active" and "recorded_status" not in records["a"]
    assert "recorded_status" not in records["d"].get("properties", {})
