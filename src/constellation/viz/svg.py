"""The map as a static SVG picture, drawn on the server: for the meeting packet and exports.

It draws what the interactive map draws, from the same sources: each node kind's colour
and shape from the vocabulary (vis-network's shapes: dot, ellipse, box, square, diamond,
triangle, star, hexagon), each edge kind's colour and dashes, and the marks of
`constellation.viz.map.MARKS` on the main subject of a high or medium finding (a coloured
halo, a thicker border in the mark's colour, the badge before the label). Positions are
the saved layout where there is one, else `server_layout` (the same every run). Node size
grows with degree, as the map's default.

So that nothing piles up on a page, labels are drawn for the kinds people talk about in a
meeting (the initiative, its goals, issue areas, constellations and stewardship groups)
and for every marked node; organizations, people, indicators and assessments are drawn
unlabelled (the packet's tables name them). Every label is text escaped by ElementTree.

>>> from constellation.graph import build_graph
>>> G = build_graph([{"id": "g", "kind": "goal", "label": "<script>x</script>"}])
>>> svg = map_svg(G, audit=False)
>>> svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;" in svg
True
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping

import networkx as nx

from constellation import vocabulary as vocab
from constellation.analysis.findings import AuditReport
from constellation.viz.map import MARKS, _darker, _short, _worst, graph_on
from constellation.viz.positions import saved_positions, server_layout

__all__ = ["map_svg", "spread_layout", "LABELLED_KINDS", "SPREAD_LAYOUT_UP_TO"]

SPREAD_LAYOUT_UP_TO = 400
"""Pictures of up to this many nodes, with no saved layout, use `spread_layout`."""

LABELLED_KINDS = frozenset(
    {"initiative", "goal", "issue_area", "constellation", "stewardship_group"}
)
"""Kinds whose nodes are always labelled on the picture (marked nodes are too)."""

_SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2, "info": 3}


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    """A child element; attribute names that are not identifiers come in as ``**{…}``."""
    return ET.SubElement(parent, tag, attrs)


def _poly(points: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def _regular(
    cx: float, cy: float, r: float, n: int, start: float = -math.pi / 2
) -> list[tuple[float, float]]:
    return [
        (
            cx + r * math.cos(start + 2 * math.pi * i / n),
            cy + r * math.sin(start + 2 * math.pi * i / n),
        )
        for i in range(n)
    ]


def _shape(
    parent: ET.Element, shape: str, cx: float, cy: float, r: float, style: dict[str, str]
) -> None:
    """One node drawn in its vis-network shape."""
    if shape == "square":
        _sub(
            parent,
            "rect",
            x=f"{cx - r:.1f}",
            y=f"{cy - r:.1f}",
            width=f"{2 * r:.1f}",
            height=f"{2 * r:.1f}",
            **style,
        )
    elif shape == "box":
        _sub(
            parent,
            "rect",
            x=f"{cx - 1.5 * r:.1f}",
            y=f"{cy - r:.1f}",
            width=f"{3 * r:.1f}",
            height=f"{2 * r:.1f}",
            rx="3",
            **style,
        )
    elif shape == "ellipse":
        _sub(
            parent,
            "ellipse",
            cx=f"{cx:.1f}",
            cy=f"{cy:.1f}",
            rx=f"{1.5 * r:.1f}",
            ry=f"{r:.1f}",
            **style,
        )
    elif shape == "diamond":
        _sub(parent, "polygon", points=_poly(_regular(cx, cy, 1.25 * r, 4)), **style)
    elif shape == "triangle":
        _sub(parent, "polygon", points=_poly(_regular(cx, cy, 1.25 * r, 3)), **style)
    elif shape == "triangleDown":
        _sub(parent, "polygon", points=_poly(_regular(cx, cy, 1.25 * r, 3, math.pi / 2)), **style)
    elif shape == "hexagon":
        _sub(parent, "polygon", points=_poly(_regular(cx, cy, 1.15 * r, 6, 0)), **style)
    elif shape == "star":
        outer = _regular(cx, cy, 1.4 * r, 5)
        inner = _regular(cx, cy, 0.6 * r, 5, -math.pi / 2 + math.pi / 5)
        pts = [p for pair in zip(outer, inner, strict=True) for p in pair]
        _sub(parent, "polygon", points=_poly(pts), **style)
    else:  # dot, circle and anything else
        _sub(parent, "circle", cx=f"{cx:.1f}", cy=f"{cy:.1f}", r=f"{r:.1f}", **style)


def map_svg(
    G: nx.MultiDiGraph,
    report: AuditReport | None = None,
    *,
    audit: bool = True,
    positions: Mapping[str, Mapping[str, float]] | None = None,
    width: int = 1000,
    title: str | None = None,
) -> str:
    """G as it stood on its date, as one ``<svg>`` element `width` pixels wide."""
    as_of = G.graph.get("as_of")
    view = graph_on(G, as_of) if as_of else G
    if report is None and audit:
        from constellation.analysis.audit import run_audit

        report = run_audit(view, figures=False)
    findings = [
        {"severity": f.severity.value, "subjects": [s.id for s in f.subjects]}
        for f in (report.findings if report else [])
    ]
    main: dict[str, list[int]] = {}
    for i, f in enumerate(findings):
        if f["subjects"]:
            main.setdefault(f["subjects"][0], []).append(i)

    given = saved_positions(view) if positions is None else positions
    saved: dict[str, Mapping[str, float]] = {n: p for n, p in given.items() if n in view}
    coords: Mapping[str, Mapping[str, float]]
    if len(saved) == view.number_of_nodes():
        coords = saved
    elif not saved and view.number_of_nodes() <= SPREAD_LAYOUT_UP_TO:
        coords = spread_layout(view)
    else:
        coords = server_layout(view, fixed=saved)

    margin = 40.0
    xs = [p["x"] for p in coords.values()] or [0.0]
    ys = [p["y"] for p in coords.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    height = int(width * 0.72)
    top_margin = 50.0  # room for the legend
    sx = (width - 2 * margin) / span_x
    sy = (height - margin - top_margin) / span_y

    def at(node: str) -> tuple[float, float]:
        p = coords[node]
        return margin + (p["x"] - min(xs)) * sx, top_margin + (p["y"] - min(ys)) * sy

    degree = dict(view.degree())
    top = max(degree.values(), default=1) or 1

    svg = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "width": str(width),
            "height": str(height),
            "viewBox": f"0 0 {width} {height}",
            "role": "img",
            "aria-label": title or f"The map of {G.graph.get('workspace')} on {as_of}",
            "font-family": "DejaVu Sans, Arial, sans-serif",
            "class": "map-picture",
        },
    )
    if title:
        _sub(svg, "title").text = title
    edges = _sub(svg, "g", **{"stroke-width": "1", "fill": "none", "opacity": "0.55"})
    for s, t, d in view.edges(data=True):
        if s not in coords or t not in coords or s == t:
            continue
        spec = vocab.EDGE_KINDS.get(d.get("kind"))
        (x1, y1), (x2, y2) = at(s), at(t)
        attrs = {"stroke": spec.color if spec else "#888888"}
        if spec and spec.dashes:
            attrs["stroke-dasharray"] = "4 3"
        _sub(edges, "line", x1=f"{x1:.1f}", y1=f"{y1:.1f}", x2=f"{x2:.1f}", y2=f"{y2:.1f}", **attrs)

    nodes = _sub(svg, "g")
    labels = _sub(svg, "g", **{"font-size": "10", "text-anchor": "middle"})
    order = sorted(view, key=lambda n: (n in main, degree.get(n, 0)))  # marked on top
    placed: list[tuple[float, float, float, float]] = []
    wanted: list[tuple[int, str, float, float, float, str]] = []
    for node in order:
        d = view.nodes[node]
        kind = vocab.NODE_KINDS.get(d.get("kind"))
        color = kind.color if kind else "#999999"
        shape = kind.shape if kind else "dot"
        x, y = at(node)
        r = 5 + 9 * math.sqrt(degree.get(node, 0) / top)
        mark = _worst(main.get(node, ()), findings)
        group = _sub(nodes, "g", **{"data-id": node, "data-kind": d.get("kind", "")})
        _sub(
            group, "title"
        ).text = f"{d.get('label', node)} ({kind.title if kind else d.get('kind')})"
        style = {"fill": color, "stroke": _darker(color), "stroke-width": "1.2"}
        if mark:
            look = MARKS[mark]
            _sub(
                group,
                "circle",
                cx=f"{x:.1f}",
                cy=f"{y:.1f}",
                r=f"{r + look['halo'] / 3:.1f}",
                fill=look["color"],
                opacity="0.28",
            )
            style |= {"stroke": look["color"], "stroke-width": str(look["border"] / 1.5)}
            group.set("data-mark", mark)
        _shape(group, shape, x, y, r, style)
        if mark or d.get("kind") in LABELLED_KINDS:
            text = _short(str(d.get("label", node)), 28)
            if mark:
                text = f"{MARKS[mark]['badge']} {text}"
            rank = _SEVERITY_RANK.get(mark, 5) if mark else 5 + (d.get("kind") != "goal")
            wanted.append((rank, node, x, y, r, text))
    for _, node, x, y, r, text in sorted(wanted, key=lambda w: (w[0], -degree.get(w[1], 0))):
        w, h = 6.0 * len(text) + 4, 13.0
        spots = (
            (x, y + r + 11),
            (x, y - r - 4),
            (x + r + w / 2 + 2, y + 4),
            (x - r - w / 2 - 2, y + 4),
        )
        for lx, ly in spots:
            box = (lx - w / 2, ly - h + 2, lx + w / 2, ly + 3)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= top_margin - 6
            if inside and not any(_overlap(box, other) for other in placed):
                placed.append(box)
                # a white halo drawn first, then the text: readable over lines, and
                # without paint-order, which not every renderer (WeasyPrint) supports
                where = {"x": f"{lx:.1f}", "y": f"{ly:.1f}"}
                halo = _sub(
                    labels,
                    "text",
                    **where,
                    fill="#ffffff",
                    stroke="#ffffff",
                    **{"stroke-width": "3", "stroke-linejoin": "round", "aria-hidden": "true"},
                )
                halo.text = text
                label = _sub(labels, "text", **where, fill="#222222", **{"data-for": node})
                label.text = text
                break
    _legend(svg, view, width)
    return ET.tostring(svg, encoding="unicode")


Box = tuple[float, float, float, float]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def spread_layout(G: nx.MultiDiGraph, seed: int = 7) -> dict[str, dict[str, float]]:
    """Kamada–Kawai (igraph) over the undirected ties of the largest component: evener
    spacing than the force layout for a picture of a few hundred nodes. The other
    components (isolated nodes, small islands) sit in a row below it, so they do not
    stretch the picture. The same every run."""
    import random

    import igraph as ig

    ids = list(G)
    index = {v: i for i, v in enumerate(ids)}
    pairs = {
        (a, b) if a < b else (b, a) for s, t in G.edges() if (a := index[s]) != (b := index[t])
    }
    graph = ig.Graph(n=len(ids), edges=list(pairs))
    parts = sorted(graph.connected_components(), key=len, reverse=True) if ids else []
    out: dict[str, dict[str, float]] = {}
    ig.set_random_number_generator(random.Random(seed))
    try:
        if parts:
            main = graph.subgraph(parts[0])
            coords = main.layout_kamada_kawai().coords
            for i, c in zip(parts[0], coords, strict=True):
                out[ids[i]] = {"x": c[0], "y": c[1]}
    finally:
        ig.set_random_number_generator(random)
    if out:
        xs = [p["x"] for p in out.values()]
        ys = [p["y"] for p in out.values()]
        left, width, bottom = min(xs), (max(xs) - min(xs)) or 1.0, max(ys)
        rest = [ids[i] for part in parts[1:] for i in part]
        step = width / max(len(rest), 1)
        for k, node in enumerate(rest):
            out[node] = {"x": left + step * (k + 0.5), "y": bottom + 0.12 * width}
    return out


def _legend(svg: ET.Element, G: nx.MultiDiGraph, width: int) -> None:
    """The node kinds present, and the two marks, along the top edge."""
    present = [
        k
        for k in vocab.NODE_KINDS.values()
        if any(d.get("kind") == k.name for _, d in G.nodes(data=True))
    ]
    legend = _sub(svg, "g", **{"font-size": "10", "class": "legend"})
    x, row = 10.0, 0
    items = [(k.title, k.color, k.shape, None) for k in present] + [
        (spec["label"], "#ffffff", "dot", spec) for spec in MARKS.values()
    ]
    for title, color, shape, spec in items:
        style = {
            "fill": color,
            "stroke": _darker(color) if not spec else spec["color"],
            "stroke-width": "1.2" if not spec else "2.5",
        }
        step = 26 + 5.6 * len(title)
        if x + step > width and x > 10:
            x, row = 10.0, row + 1
        _shape(legend, shape, x + 6, 14 + 16 * row, 5, style)
        _sub(legend, "text", x=f"{x + 16:.1f}", y=f"{18 + 16 * row}", fill="#333333").text = title
        x += step
