r"""The map: a workspace graph drawn as one self-contained, offline HTML page.

pyvis assembles the vis-network nodes and edges (`pyvis.node.Node`, `pyvis.edge.Edge`, a
`pyvis.network.Network` holding them); the page is rendered by our own autoescaped Jinja2
template, `templates/map.html.j2`, never pyvis's (which pulls Bootstrap from a CDN and
does not escape). The vis-network script and styles that ship inside the pyvis wheel are
inlined, so the page loads nothing from anywhere. Data reaches the page only as JSON
(``|tojson`` in a ``<script type="application/json">`` block), and the page builds every
tooltip and panel with DOM nodes and ``textContent``; a Content-Security-Policy lets no
script run but the page's own two (by hash), so even an injected handler would be inert.

The page keeps its vis-network instance as ``window.network``.

>>> from constellation.graph import build_graph
>>> G = build_graph([{"id": "g", "kind": "goal", "label": "<b>Graduation</b>"}])
>>> html = build_map(G)
>>> "<b>Graduation</b>" in html, "\\u003cb\\u003eGraduation" in html
(False, True)
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

import networkx as nx

from constellation import vocabulary as vocab
from constellation.analysis.findings import AuditReport, Severity
from constellation.analysis.stages import Step, process_of
from constellation.graph import RESERVED
from constellation.viz.measures import SIZE_MEASURES, communities, node_measure
from constellation.viz.positions import (
    POSITION_ATTRIBUTE,
    SERVER_LAYOUT_ABOVE,
    grouped_layout,
    saved_positions,
    server_layout,
)

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from jinja2 import Environment

    from constellation.analysis.params import AuditParams
    from constellation.store.repository import Repository

__all__ = ["MARKS", "STATUS_STYLES", "build_map", "graph_on", "map_workspace"]

MARKS: dict[str, dict[str, Any]] = {
    Severity.HIGH.value: {
        "color": "#e0001b",
        "badge": "\u26a0",
        "border": 5,
        "halo": 22,
        "label": "High-severity finding",
    },
    Severity.MEDIUM.value: {
        "color": "#c25e00",
        "badge": "!",
        "border": 4,
        "halo": 16,
        "label": "Medium-severity finding",
    },
}
"""How a node that is the main subject of a finding is marked on the map (low and info
findings are listed in its details, not marked): a badge before its label, a border and a
halo in a colour no node kind uses (see tests/viz/test_palette.py), on every shape."""

STATUS_STYLES: dict[str, dict[str, Any]] = {
    vocab.Status.PLANNED.value: {
        "borderDashes": [6, 4],
        "borderWidth": 3,
        "opacity": 0.45,
        "legend": "planned: pale, dashed outline",
    },
    vocab.Status.FORMING.value: {
        "borderDashes": [2, 3],
        "borderWidth": 3,
        "opacity": 0.8,
        "legend": "forming: dotted outline",
    },
    vocab.Status.ACTIVE.value: {
        "borderDashes": False,
        "borderWidth": 2,
        "opacity": 1,
        "legend": "active: solid",
    },
    vocab.Status.DORMANT.value: {
        "borderDashes": False,
        "borderWidth": 2,
        "opacity": 0.3,
        "border": "#7f7f7f",
        "legend": "dormant: greyed, grey outline",
    },
    vocab.Status.DISBANDED.value: {
        "borderDashes": [1, 5],
        "borderWidth": 2,
        "opacity": 0.15,
        "border": "#7f7f7f",
        "legend": "disbanded: faded (hidden unless the status filter includes it)",
    },
}
"""How a constellation's status is drawn, in its own vis-network item (`opacity`,
`borderWidth`, `shapeProperties.borderDashes`, and a grey border when set); the fill keeps
the colour of the kind (or of whatever the map is coloured by)."""

CHANGE_STYLES: dict[str, dict[str, Any]] = {
    "added": {
        "badge": "+",
        "color": "#000000",
        "border": 4,
        "width": 3,
        "legend": "added since the first date: + and a thick black outline (ties: thick)",
    },
    "ended": {
        "badge": "\u2212",
        "color": "#7f7f7f",
        "border": 2,
        "opacity": 0.35,
        "dashes": [4, 3],
        "legend": "ended since the first date: \u2212, faded, dashed (ties: dashed, faded)",
    },
}
"""How the changes mode (two dates) draws what was added and what ended between them."""

HIDDEN_STATUSES = (vocab.Status.DISBANDED.value,)
"""Statuses the status filter leaves out until someone ticks them."""

LABEL_TIERS = {1: 14, 2: 12, 3: 12}
"""Label size on screen (px) per importance tier; see `_label_tier` for the rule."""

CLUSTER_ABOVE: int | None = 2000
"""Maps with more nodes than this open grouped by community: one node per community, drawn
by the page as an item of its own (the members stay in the DataSet, hidden), opened by a
click; ``#cluster=none`` opens the whole drawing. Above about 2,000 nodes the whole drawing
is a blot at the opening zoom (a node a few pixels wide, a few labels among thousands of
nodes) and slow to pan; grouped, a generated 20,000-node map shows 13. None: no map
opens grouped."""

CHARTS_UP_TO = 2000
"""Up to this many nodes an indicator's details carry its turn-the-curve chart (drawn with
matplotlib, about 0.3 s of CPU each: 36 s for the 133 of a 20,000-node map) and the
findings their evidence; a larger map leaves them out (the details say where to get the
chart: ``GET …/indicators/{id}/chart.svg``, the packet)."""

AUDIT_DATES_UP_TO = 2000
"""Up to this many nodes the page embeds the audit of every date its date filter offers,
so moving the date shows that date's health, findings and marks (if they are at most
`EMBEDDED_AUDITS_UP_TO`); above it a served page asks the service (`audit_url`) and a
file says its findings are those of its own date."""

EMBEDDED_AUDITS_UP_TO = 100
"""The most dates whose audits a page embeds: the demo networks change on 19 and 32 dates,
while a generated network of 1,000 nodes with random dates over 14 years changes on about
4,000 (an audit each, a quarter of an hour to write the page). A page with more dates asks
the service for the audit of the date it moves to, or, as a file, says its findings are
those of its own date."""

LABEL_WIDTH = 40
"""Labels longer than this are cut (at a word) on the canvas."""

_SEVERITY_RANK = {s.value: i for i, s in enumerate(Severity)}
_HIDDEN_ATTRIBUTES = (POSITION_ATTRIBUTE,)
_LABEL_INSIDE = ("ellipse", "box", "circle", "database", "text")  # vis-network's own shapes


# ------------------------------------------------------------------------------ public


def map_workspace(
    repo: Repository,
    workspace: str,
    as_of: dt.date | None = None,
    *,
    size_by: str = "degree",
    save_url: str | None = None,
    views_url: str | None = None,
    may_save: bool = False,
    title: str | None = None,
    params: AuditParams | dict[str, Any] | None = None,
    audit_url: str | None = None,
) -> str:
    """The map of a workspace as of a date: what ``constellation map`` writes and
    ``GET /api/workspaces/{w}/map`` serves.

    Every unarchived record is drawn, whatever its dates, so the page's date filter can
    show the network on other days; the audit, the sizes and the initial view are as of
    `as_of` (default: today). `save_url`, when the page is served, is where its
    "Save layout" button PUTs the positions (see `save_positions`); `views_url` is where
    it lists the saved views, and, when `may_save`, saves one (``PUT views_url/{name}``).
    """
    from constellation.graph import load_graph

    G = load_graph(repo, workspace, as_of, every_date=True)
    name = repo.get_workspace(workspace, counts=False).name
    return build_map(
        G,
        size_by=size_by,
        save_url=save_url,
        views_url=views_url,
        views_editable=may_save,
        audit_url=audit_url,
        params=params,
        title=title or f"{name} \u2014 the map",
    )


def build_map(
    G: nx.MultiDiGraph,
    report: AuditReport | None = None,
    *,
    size_by: str = "degree",
    title: str | None = None,
    positions: Mapping[str, Mapping[str, float]] | None = None,
    physics: bool | None = None,
    as_of_choices: Iterable[dt.date] | None = None,
    save_url: str | None = None,
    views_url: str | None = None,
    views_editable: bool = False,
    audit_url: str | None = None,
    audit: bool = True,
    params: AuditParams | dict[str, Any] | None = None,
    server_layout_above: int = SERVER_LAYOUT_ABOVE,
    cluster_above: int | None = CLUSTER_ABOVE,
) -> str:
    """Draw G as a self-contained HTML page and return it.

    Parameters
    ----------
    G : the workspace graph (`load_graph`, optionally with ``every_date=True``).
    report : the audit to draw; by default G is audited as of its date, with `params`
        (``audit=False`` draws no findings).
    size_by : ``degree``, ``betweenness`` or ``partners`` (see `viz.measures`).
    title : the page's heading; default: the workspace id.
    positions : ``{node id: {"x", "y"}}``; by default the positions saved in the nodes'
        ``attributes["map_position"]`` (pass ``{}`` to ignore them).
    physics : let the browser arrange the nodes (off by default: every node gets a position
        from `server_layout`, seeded per node id, so a map opens the same way every time;
        saved positions override it). `server_layout_above` is where the drawing gets
        lighter (no hover, straight ties).
    as_of_choices : dates offered by the date filter; by default every date on which
        something starts or ends.
    save_url : where "Save layout" PUTs ``{"positions": {...}}``; None for a static file
        (positions are then kept in the browser's localStorage only).
    views_url : where the page lists the workspace's saved views (``GET``) and, when
        `views_editable`, saves one (``PUT views_url/{name}`` with ``{"fragment": …}``);
        None for a static file (only the browser's own "Keep this view" then).
    audit_url : where a served page asks for the audit of a date it has not embedded
        (``GET audit_url?as_of=DATE``, answered by `audit_of_day`); None for a static file.
    cluster_above : above this many nodes the page opens grouped by community (None: never).
    """
    if size_by not in SIZE_MEASURES:
        raise ValueError(
            f"unknown size measure {size_by!r}; choose one of " + ", ".join(SIZE_MEASURES)
        )
    as_of = G.graph.get("as_of") or dt.date.today()
    view = graph_on(G, as_of)
    if report is None and audit:
        report = _audit(view, params)
    measure, measure_note = node_measure(view, size_by)

    saved = dict(saved_positions(G) if positions is None else positions)
    saved = {n: p for n, p in saved.items() if n in G}
    n = G.number_of_nodes()
    if physics is None:
        physics = False  # the server lays out every map: the same positions on every load
    grouped = cluster_above is not None and n > cluster_above
    community = communities(view)
    coords: Mapping[str, Mapping[str, float]]
    if physics or len(saved) == n:
        coords = saved
    elif grouped:  # one disc per community: the groups the map opens with
        coords = grouped_layout(G, community, fixed=saved)
    else:
        coords = server_layout(G, fixed=saved)
    layout = "saved" if saved and len(saved) == n else "browser" if physics else "server"

    findings, main, involved = _findings(report)
    if n > CHARTS_UP_TO:  # the panels do not show it; a big map keeps its file smaller
        for f in findings:
            f.pop("evidence", None)
    tiers = _label_tiers(view, measure, main, findings)
    net = _network(G, measure, coords, physics, main, findings, tiers, saved)
    choices = sorted(
        {d.isoformat() for d in as_of_choices} if as_of_choices is not None else _change_dates(G)
    )
    embedded = audit and n <= AUDIT_DATES_UP_TO and len(choices) <= EMBEDDED_AUDITS_UP_TO
    audits = _audits(G, choices, as_of, params) if embedded else {}
    data = {
        "meta": {
            "workspace": G.graph.get("workspace"),
            "title": title or G.graph.get("workspace"),
            "as_of": as_of.isoformat(),
            "revision": G.graph.get("revision"),
            "every_date": bool(G.graph.get("every_date")),
            "nodes": n,
            "edges": G.number_of_edges(),
            "size_by": size_by,
            "measure": measure_note,
            "physics": physics,
            "layout": layout,
            "server_layout_above": server_layout_above,
            "save_url": save_url,
            "views_url": views_url,
            "views_editable": bool(views_url and views_editable),
            "audit_url": audit_url if audit else None,
            "storage_key": f"constellation-map:{G.graph.get('workspace')}",
            "health": report.summary.get("health", {}).get("score") if report else None,
            "counts": report.summary.get("counts") if report else None,
            "audit_dates": sorted(audits["dates"]) if audits else None,
            "label_tiers": LABEL_TIERS,
            "cluster_above": cluster_above,
        },
        "kinds": _kinds(G),
        "marks": MARKS,
        "statuses": [s.value for s in vocab.Status],
        "hidden_statuses": list(HIDDEN_STATUSES),
        "status_styles": STATUS_STYLES,
        "change_styles": CHANGE_STYLES,
        "category_colors": {
            "values": list(vocab.CATEGORY_COLORS),
            "other": vocab.OTHER_COLOR,
            "none": vocab.NO_VALUE_COLOR,
        },
        "filters": _filter_choices(G),
        "as_of_choices": choices,
        "options": _options(n, physics),
        "nodes": net.nodes,
        "edges": net.edges,
        "records": _records(
            G,
            measure,
            main,
            involved,
            tiers,
            _measures(view, n, size_by, community),
            n <= CHARTS_UP_TO,
        ),
        "audits": audits,
        "edge_info": _edge_info(G),
        "findings": findings,
    }
    return _render(data)


def graph_on(G: nx.MultiDiGraph, day: dt.date) -> nx.MultiDiGraph:
    """G as it stood on `day`: the records valid that day (G itself if all of them are)."""

    def valid(d: dict[str, Any]) -> bool:
        start, end = d.get("valid_from"), d.get("valid_to")
        return (start is None or start <= day) and (end is None or end >= day)

    nodes = [v for v, d in G.nodes(data=True) if valid(d)]
    edges = [(s, t, k) for s, t, k, d in G.edges(keys=True, data=True) if valid(d)]
    if len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges():
        return G
    keep = set(nodes)
    H = nx.MultiDiGraph(
        **{k: v for k, v in G.graph.items() if not k.startswith("_") and k != "every_date"}
    )
    H.graph["as_of"] = day
    H.add_nodes_from((v, G.nodes[v]) for v in nodes)
    H.add_edges_from((s, t, k, G.edges[s, t, k]) for s, t, k in edges if s in keep and t in keep)
    return H


# ------------------------------------------------------------------------------ pieces


def _audit(G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None) -> AuditReport:
    from constellation.analysis.audit import run_audit

    return run_audit(G, params, figures=False)


def _findings(
    report: AuditReport | None,
) -> tuple[list[dict[str, Any]], dict[str, list[int]], dict[str, list[int]]]:
    """The findings as page data, and per node the findings it is the main subject of, or
    is only named in."""
    if report is None:
        return [], {}, {}
    from constellation.analysis.registry import CHECKS

    findings: list[dict[str, Any]] = []
    main: dict[str, list[int]] = {}
    involved: dict[str, list[int]] = {}
    for i, f in enumerate(report.findings):
        ids = [s.id for s in f.subjects]
        findings.append(
            {
                "check": f.check,
                "title": CHECKS[f.check].title if f.check in CHECKS else f.check,
                "severity": f.severity.value,
                "message": f.message,
                "suggestion": f.suggestion,
                "subjects": ids,
                "evidence": _jsonable(f.evidence),
            }
        )
        if ids:
            main.setdefault(ids[0], []).append(i)
            for other in dict.fromkeys(ids[1:]):
                if other != ids[0]:
                    involved.setdefault(other, []).append(i)
    return findings, main, involved


def _worst(indices: Sequence[int], findings: list[dict[str, Any]]) -> str | None:
    severities = [findings[i]["severity"] for i in indices]
    worst = min(severities, key=_SEVERITY_RANK.__getitem__, default=None)
    return worst if worst in MARKS else None


def _short(label: str, width: int = LABEL_WIDTH) -> str:
    """A label short enough to draw; the full one is in the tooltip and the details.

    >>> _short("All students have access to pathways to sustainable jobs and careers")
    'All students have access to pathways to…'
    """
    if len(label) <= width:
        return label
    cut = label[:width].rsplit(" ", 1)[0] if " " in label[:width] else label[:width]
    return cut.rstrip(" ,;:-") + "\u2026"


def _text_on(color: str) -> str:
    """Black or white, whichever reads better on a #rrggbb background.

    >>> _text_on("#33a02c"), _text_on("#cab2d6")
    ('#ffffff', '#222222')
    """
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#222222" if 0.299 * r + 0.587 * g + 0.114 * b > 0.6 else "#ffffff"


def _darker(color: str, factor: float = 0.7) -> str:
    """A darker shade of a #rrggbb colour, for a node's border.

    >>> _darker("#33a02c")
    '#23701e'
    """
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{int(c * factor):02x}" for c in (r, g, b))


def _label_tiers(
    view: nx.MultiDiGraph,
    measure: dict[str, float],
    main: dict[str, list[int]],
    findings: list[dict[str, Any]],
) -> dict[str, int]:
    """How important each node's label is: 1 is drawn at the opening view wherever it does
    not overlap a label before it, 2 where there is room, 3 only when zoomed in.

    Tier 1: the initiative, the stewardship group, the goals, the constellations at work
    (forming or active) on the map's date, nodes with a high-severity finding, and the
    busiest conveners (the five convening the most live constellations, if they convene two
    or more). Tier 2: issue areas, other constellations, indicators, and organizations with
    a medium finding or among the fifth best connected. Tier 3: everything else.
    """
    from constellation.analysis.index import index_of

    ix = index_of(view)
    live = {
        c for c in ix.nodes("constellation") if view.nodes[c].get("status") in vocab.LIVE_STATUSES
    }
    load: dict[str, int] = {}
    for c in live:
        for org in ix.sources("convenes", c):
            load[org] = load.get(org, 0) + 1
    busiest = {o for o, k in sorted(load.items(), key=lambda x: (-x[1], x[0]))[:5] if k >= 2}
    ranked = sorted(measure.values(), reverse=True)
    top = ranked[max(len(ranked) // 5 - 1, 0)] if ranked else 0
    tiers = {}
    for node, d in view.nodes(data=True):
        kind, mark = d["kind"], _worst(main.get(node, ()), findings)
        if (
            kind in ("initiative", "stewardship_group", "goal")
            or node in live
            or node in busiest
            or mark == Severity.HIGH.value
        ):
            tiers[node] = 1
        elif (
            kind in ("issue_area", "constellation", "indicator")
            or mark
            or (kind == "organization" and measure.get(node, 0) >= top > 0)
        ):
            tiers[node] = 2
        else:
            tiers[node] = 3
    return tiers


def _network(
    G: nx.MultiDiGraph,
    measure: dict[str, float],
    coords: Mapping[str, Mapping[str, float]],
    physics: bool,
    main: dict[str, list[int]],
    findings: list[dict[str, Any]],
    tiers: dict[str, int],
    saved: Mapping[str, Mapping[str, float]],
) -> Any:  # a pyvis Network (pyvis has no types)
    """The vis-network items, assembled with pyvis: nodes styled per kind (vocabulary),
    per status (`STATUS_STYLES`), marked per finding, sized per measure; edges styled per
    kind. Labels start hidden (a tiny font): the page sizes each one for the screen."""
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    net = Network(directed=True, cdn_resources="in_line")
    for node, d in G.nodes(data=True):
        kind = vocab.NODE_KINDS.get(d["kind"])
        color = kind.color if kind else "#999999"
        border = _darker(color)
        options: dict[str, Any] = {
            "kind": d["kind"],
            "value": round(math.sqrt(max(measure.get(node, 0), 0)), 4),
            "color": {
                "background": color,
                "border": border,
                "highlight": {"background": color, "border": "#000000"},
                "hover": {"background": color, "border": "#000000"},
            },
        }
        options["font"] = {"size": 1}
        if kind and kind.shape in _LABEL_INSIDE:
            options["font"].update(strokeWidth=0, color=_text_on(color))
        if d["kind"] == "constellation":
            style = STATUS_STYLES.get(d.get("status", "active"), STATUS_STYLES["active"])
            options["opacity"] = style["opacity"]
            options["borderWidth"] = style["borderWidth"]
            options["shapeProperties"] = {"borderDashes": style["borderDashes"]}
            if style.get("border"):
                options["color"]["border"] = style["border"]
        label = _short(str(d.get("label", node)))
        mark = _worst(main.get(node, ()), findings)
        if mark:
            spec = MARKS[mark]
            label = f"{spec['badge']} {label}"
            options["borderWidth"] = spec["border"]
            options["color"]["border"] = spec["color"]
            options["shadow"] = {
                "enabled": True,
                "color": spec["color"],
                "size": spec["halo"],
                "x": 0,
                "y": 0,
            }
        if node in coords:
            options["x"], options["y"] = coords[node]["x"], coords[node]["y"]
            if physics or node in saved:
                options["physics"] = False  # a saved position stays where it was put
        item = Node(node, kind.shape if kind else "dot", label, **options).options
        net.nodes.append(item)
        net.node_ids.append(node)
        net.node_map[node] = item
    for s, t, key, d in G.edges(keys=True, data=True):
        edge_kind = vocab.EDGE_KINDS.get(d["kind"])
        options = {
            "id": key,
            "kind": d["kind"],
            "color": edge_kind.color if edge_kind else "#888888",
        }
        if edge_kind and edge_kind.dashes:
            options["dashes"] = True
        item = Edge(s, t, **options).options  # arrows come from the shared edge options
        net.edges.append(item)
    return net


def _records(
    G: nx.MultiDiGraph,
    measure: dict[str, float],
    main: dict[str, list[int]],
    involved: dict[str, list[int]],
    tiers: dict[str, int],
    measures: dict[str, dict[str, Any]],
    charts: bool = True,
) -> dict[str, dict[str, Any]]:
    """Per node what the details panel, the filters, the table and the colour and size
    controls read (an indicator's chart only when `charts`)."""
    goals, areas = _relations(G)
    funding = _funding(G)
    steps = {s.name: s for s in process_of(G)[0]}
    out = {}
    for node, d in G.nodes(data=True):
        props = {k: _jsonable(v) for k, v in d.items() if k not in RESERVED}
        attrs = {
            k: _jsonable(v)
            for k, v in (d.get("attributes") or {}).items()
            if k not in _HIDDEN_ATTRIBUTES
        }
        r: dict[str, Any] = {
            "label": str(d.get("label", node)),
            "kind": d["kind"],
            "measure": measure.get(node, 0),
            "tier": tiers.get(node, 3),
        }
        values = {name: m[node] for name, m in measures.items() if node in m}
        if node in funding:
            values["funding"] = funding[node]
        if values:
            r["measures"] = values
        if props:
            r["properties"] = props
        if d.get("tags"):
            r["tags"] = list(d["tags"])
        if attrs:
            r["attributes"] = attrs
        for key, value in (("from", d.get("valid_from")), ("to", d.get("valid_to"))):
            if value is not None:
                r[key] = value.isoformat()
        if d["kind"] == "constellation":
            r["status"] = d.get("status", "active")  # on the map's date
            for key in ("launched", "disbanded"):
                if d.get(key):
                    r[key] = d[key]
            # what the record says, for the page to read the status on other dates
            recorded = d.get("recorded_status", r["status"])
            if recorded != r["status"]:
                r["recorded_status"] = recorded
            if d.get("stages"):  # [reached, "4. Prioritize …"], for colouring by stage
                r["stages"] = _stages(d["stages"], steps)
        if d["kind"] == "indicator" and d.get("values"):
            if charts:
                r["chart"] = _chart(G, node)
            else:
                r["chart_left_out"] = True
        if goals.get(node):
            r["goals"] = sorted(goals[node])
        if areas.get(node):
            r["areas"] = sorted(areas[node])
        if main.get(node):
            r["findings"] = main[node]
        if involved.get(node):
            r["involved"] = involved[node]
        out[node] = r
    return out


def _stages(recorded: list[dict[str, Any]], steps: Mapping[str, Step]) -> list[list[str]]:
    """A group's stages as ``[reached, title]`` pairs, oldest first; the title numbered by
    its step in the workspace's process, so the colour legend reads in order."""
    pairs = []
    for entry in recorded:
        name = vocab.stage_name(entry.get("stage"))
        step = steps.get(name)
        title = f"{step.number}. {step.title}" if step else str(name).replace("_", " ")
        pairs.append([str(entry.get("reached")), title])
    return sorted(pairs)


def _measures(
    view: nx.MultiDiGraph, n: int, size_by: str, community: dict[str, int]
) -> dict[str, dict[str, Any]]:
    """Every size measure (up to `AUDIT_DATES_UP_TO` nodes; above, the cheap ones), and the
    community of each node, on the map's date, for the page's size and colour controls."""
    out: dict[str, dict[str, Any]] = {}
    for name in SIZE_MEASURES:
        if name != "betweenness" or n <= AUDIT_DATES_UP_TO or size_by == name:
            out[name] = node_measure(view, name)[0]
    out["community"] = community
    return out


def _funding(G: nx.MultiDiGraph) -> dict[str, float]:
    """The amounts of the funding ties each node receives, summed (any currency)."""
    total: dict[str, float] = {}
    for _s, t, d in G.edges(data=True):
        amount = d.get("amount")
        if (
            d["kind"] == "funds"
            and isinstance(amount, int | float)
            and not isinstance(amount, bool)
        ):
            total[t] = total.get(t, 0) + amount
    return total


def _audits(G: nx.MultiDiGraph, days: Sequence[str], as_of: dt.date, params: Any) -> dict[str, Any]:
    """The audit of every date the date filter offers, and of the map's own date: what the
    header, the findings and the marks show when the date moves. Each date lists its
    findings by their place in ``unique`` (most findings hold on many dates)."""
    out: dict[str, Any] = {}
    unique: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for day in sorted({*days, as_of.isoformat()}):
        found = audit_of_day(G, dt.date.fromisoformat(day), params)
        indices = []
        for f in found["findings"]:
            key = json.dumps(f, sort_keys=True, default=str)
            if key not in seen:
                seen[key] = len(unique)
                unique.append(f)
            indices.append(seen[key])
        out[day] = {**found, "findings": indices}
    return {"dates": out, "findings": unique} if out else {}


def audit_of_day(G: nx.MultiDiGraph, day: dt.date, params: Any = None) -> dict[str, Any]:
    """What the map shows of the audit on a day: its health, its counts and its findings
    as the page draws them (no evidence). G holds every date (``every_date=True``)."""
    from constellation.graph import status_as_of

    H = graph_on(G, day).copy()
    for key in [k for k in H.graph if k.startswith("_")]:
        del H.graph[key]  # G's cached index and topology are not this date's
    H.graph["as_of"] = day
    for _node, d in H.nodes(data=True):
        if d["kind"] == "constellation":
            d["status"] = status_as_of({**d, "status": d.get("recorded_status", "active")}, day)
    report = _audit(H, params)
    findings = _findings(report)[0]
    for f in findings:
        f.pop("evidence", None)  # the panels do not show it; the map's own date keeps it
    return {
        "health": report.summary.get("health", {}).get("score"),
        "counts": {k: v for k, v in report.summary["counts"].items() if k != "by_check"},
        "findings": findings,
    }


def _chart(G: nx.MultiDiGraph, node: str) -> str:
    """An indicator's turn-the-curve chart as a data: URI, for the details panel (the page's
    CSP allows images from data: only)."""
    from constellation.analysis.indicators import indicator_trend
    from constellation.report.charts import trend_chart

    svg = trend_chart(indicator_trend(G, node), width=3.8, height=3.6).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _relations(G: nx.MultiDiGraph) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Which goals and issue areas each node belongs with, for the goal and area filters.

    A goal brings its indicators, the constellations that advance it (directly or through
    an indicator), the organizations that convene, join or fund them, the initiatives that
    pursue it and its issue areas. An issue area brings itself, its backbones, the goals
    and initiatives in it, and everything its goals bring.
    """
    from constellation.analysis.index import index_of

    ix = index_of(G)
    by_goal: dict[str, set[str]] = {g: {g} for g in ix.nodes("goal")}
    for c in ix.nodes("constellation"):
        related = {c} | ix.members(c) | set(ix.sources("funds", c))
        for g in ix.goals_advanced(c):
            by_goal.setdefault(g, {g}).update(related)
    for g, members in by_goal.items():
        members.update(
            ix.sources("measures", g), ix.sources("pursues", g), ix.targets("in_area", g)
        )
    by_area: dict[str, set[str]] = {}
    for a in ix.nodes("issue_area"):
        members = {a} | set(ix.sources("backbone_for", a))
        for source in ix.sources("in_area", a):
            members.add(source)
            members.update(by_goal.get(source, ()))
        by_area[a] = members
    goals: dict[str, set[str]] = {}
    areas: dict[str, set[str]] = {}
    for target, table in ((goals, by_goal), (areas, by_area)):
        for key, members in table.items():
            for m in members:
                target.setdefault(m, set()).add(key)
    return goals, areas


def _edge_info(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Per edge its properties and validity, only for edges that have any."""
    out = {}
    for _s, _t, key, d in G.edges(keys=True, data=True):
        props = {
            k: _jsonable(v) for k, v in d.items() if k not in ("kind", "valid_from", "valid_to")
        }
        info: dict[str, Any] = {"properties": props} if props else {}
        for name, value in (("from", d.get("valid_from")), ("to", d.get("valid_to"))):
            if value is not None:
                info[name] = value.isoformat()
        if info:
            out[key] = info
    return out


def _kinds(G: nx.MultiDiGraph) -> dict[str, list[dict[str, Any]]]:
    node_counts: dict[str, int] = {}
    for _n, kind in G.nodes(data="kind"):
        node_counts[kind] = node_counts.get(kind, 0) + 1
    edge_counts: dict[str, int] = {}
    for *_e, kind in G.edges(data="kind"):
        edge_counts[kind] = edge_counts.get(kind, 0) + 1
    return {
        "nodes": [
            {
                "name": k.name,
                "title": k.title,
                "description": k.description,
                "color": k.color,
                "shape": k.shape,
                "count": node_counts[k.name],
            }
            for k in vocab.NODE_KINDS.values()
            if k.name in node_counts
        ],
        "edges": [
            {
                "name": k.name,
                "description": k.description,
                "color": k.color,
                "dashes": k.dashes,
                "count": edge_counts[k.name],
            }
            for k in vocab.EDGE_KINDS.values()
            if k.name in edge_counts
        ],
    }


def _filter_choices(G: nx.MultiDiGraph) -> dict[str, list[dict[str, str]]]:
    def listed(kind: str) -> list[dict[str, str]]:
        rows = [
            (d.get("number", 10**6), str(d.get("label", n)), n)
            for n, d in G.nodes(data=True)
            if d["kind"] == kind
        ]
        return [{"id": n, "label": label} for _num, label, n in sorted(rows)]

    return {"goals": listed("goal"), "issue_areas": listed("issue_area")}


def _change_dates(G: nx.MultiDiGraph) -> set[str]:
    dates = set()
    for _n, d in G.nodes(data=True):
        for key in ("valid_from", "valid_to"):
            if d.get(key) is not None:
                dates.add(d[key].isoformat())
        for key in ("launched", "disbanded"):
            if isinstance(d.get(key), str):
                dates.add(d[key])
    for *_e, d in G.edges(data=True):
        for key in ("valid_from", "valid_to"):
            if d.get(key) is not None:
                dates.add(d[key].isoformat())
    return dates


def _options(n: int, physics: bool) -> dict[str, Any]:
    """vis-network options: light drawing for large maps, physics only when asked."""
    large = n > SERVER_LAYOUT_ABOVE
    return {
        "autoResize": True,
        "nodes": {
            "borderWidth": 1,
            "font": {
                "size": 14,
                "face": "system-ui, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            },
            "scaling": {
                "min": 8,
                "max": 30,
                # the page sets each label's size for the screen (map.js, placeLabels);
                # a label under 11 px on screen is not drawn at all
                "label": {"enabled": False, "drawThreshold": 12, "maxVisible": 40},
            },
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "width": 1,
            "selectionWidth": 2,
            "smooth": False if large or not physics else {"type": "continuous"},
            "color": {"inherit": False, "opacity": 0.55 if large else 0.8},
        },
        "physics": (
            {
                "enabled": True,
                "solver": "forceAtlas2Based",
                "forceAtlas2Based": {
                    "gravitationalConstant": -80,
                    "springLength": 120,
                    "centralGravity": 0.01,
                    "avoidOverlap": 0.5,
                },
                "stabilization": {
                    "enabled": True,
                    "iterations": 400,
                    "updateInterval": 25,
                    "fit": True,
                },
            }
            if physics
            else {"enabled": False}
        ),
        "layout": {"improvedLayout": bool(physics and n <= 150), "randomSeed": 7},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "multiselect": False,
            "navigationButtons": False,
            "keyboard": False,
        },
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


# ------------------------------------------------------------------------------ rendering


@functools.cache
def _assets() -> dict[str, str]:
    """vis-network's script and styles from the pyvis wheel, and our own script and styles,
    read once."""
    lib = resources.files("pyvis") / "lib"
    versions = [
        p
        for p in lib.iterdir()
        if p.name.startswith("vis-") and (p / "vis-network.min.js").is_file()
    ]
    if not versions:
        raise RuntimeError("the pyvis package ships no vis-network script; reinstall pyvis")

    def version(p: Traversable) -> tuple[int, ...]:
        return tuple(int(x) for x in p.name.removeprefix("vis-").split(".") if x.isdigit())

    vis = max(versions, key=version)
    own = resources.files("constellation.viz") / "templates"
    assets = {
        "vis_js": (vis / "vis-network.min.js").read_text("utf-8"),
        "vis_css": (vis / "vis-network.css").read_text("utf-8"),
        "app_js": (own / "map.js").read_text("utf-8"),
        "app_css": (own / "map.css").read_text("utf-8"),
        "vis_version": vis.name.removeprefix("vis-"),
    }
    for name in ("vis_js", "app_js"):
        if "</script" in assets[name].lower():
            raise RuntimeError(f"{name} cannot be inlined: it contains '</script'")
    for name in ("vis_css", "app_css"):
        if "</style" in assets[name].lower():
            raise RuntimeError(f"{name} cannot be inlined: it contains '</style'")
    return assets


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@functools.cache
def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("constellation.viz", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_kwargs"] = {
        "ensure_ascii": False,
        "separators": (",", ":"),
        "allow_nan": False,
        "sort_keys": False,
    }
    return env


def _render(data: dict[str, Any]) -> str:
    from markupsafe import Markup

    assets = _assets()
    template = _environment().get_template("map.html.j2")
    return template.render(
        title=data["meta"]["title"],
        data=data,
        vis_js=Markup(assets["vis_js"]),
        vis_css=Markup(assets["vis_css"]),
        app_js=Markup(assets["app_js"]),
        app_css=Markup(assets["app_css"]),
        vis_version=assets["vis_version"],
        script_hashes=Markup(" ".join(_csp_hash(assets[k]) for k in ("vis_js", "app_js"))),
    )
