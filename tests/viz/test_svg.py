"""The map picture (viz/svg.py): the map's colours, shapes and marks, labels that do not
pile up in a real browser, and text that stays text."""

from __future__ import annotations

import datetime as dt
import re

from constellation import vocabulary as vocab
from constellation.analysis.audit import run_audit
from constellation.graph import build_graph, load_graph
from constellation.viz.map import MARKS
from constellation.viz.svg import map_svg
from tests.viz.conftest import PAYLOAD, hostile_records

DAY = dt.date(2024, 6, 1)


def _node(svg: str, node: str) -> str:
    return re.search(rf'<g data-id="{re.escape(node)}".*?</g>', svg, re.S).group(0)


def test_each_kind_is_drawn_in_the_maps_colour_and_shape(demo):
    with demo.repository() as repo:
        G = load_graph(repo, "la-compact", DAY)
    svg = map_svg(G)
    shapes = {
        "diamond": "<polygon",
        "ellipse": "<ellipse",
        "dot": "<circle",
        "star": "<polygon",
        "square": "<rect",
        "box": "<rect",
        "hexagon": "<polygon",
        "triangle": "<polygon",
        "triangleDown": "<polygon",
    }
    for kind in {d["kind"] for _, d in G.nodes(data=True)}:
        node = next(n for n, d in G.nodes(data=True) if d["kind"] == kind)
        spec = vocab.NODE_KINDS[kind]
        drawn = _node(svg, node)
        assert f'fill="{spec.color}"' in drawn, kind
        assert shapes[spec.shape] in drawn, kind
    assert len(re.findall(r'<g data-id="', svg)) == G.number_of_nodes()


def test_the_main_subject_of_a_high_finding_is_marked(demo):
    with demo.repository() as repo:
        G = load_graph(repo, "la-compact", DAY)
    report = run_audit(G, figures=False)
    high = next(f for f in report.findings if f.severity.value == "high")
    drawn = _node(map_svg(G, report), high.subjects[0].id)
    assert 'data-mark="high"' in drawn
    assert f'stroke="{MARKS["high"]["color"]}"' in drawn


def test_labels_do_not_overlap_in_chromium(demo, browser):
    with demo.repository() as repo:
        svg = map_svg(load_graph(repo, "la-compact", DAY))
    page = browser.new_page(viewport={"width": 1000, "height": 760})
    try:
        page.set_content(f"<!DOCTYPE html><body style='margin:0'>{svg}</body>")
        boxes = page.evaluate(
            """[...document.querySelectorAll('text[data-for]')].map(t => {
                const b = t.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })"""
        )
        page.screenshot(path="build/screenshots/map-picture.png")
    finally:
        page.close()
    assert len(boxes) > 20
    clashes = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]
    assert clashes == []


def test_labels_are_text():
    nodes, edges = hostile_records()
    svg = map_svg(build_graph(nodes, edges))
    assert "<img" not in svg
    escaped = PAYLOAD.replace("<", "&lt;").replace(">", "&gt;")
    assert f"<title>{escaped} (Organization)</title>" in svg
