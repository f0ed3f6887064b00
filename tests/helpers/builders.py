"""Small record builders for hand-made graphs, dated by the pinned `TODAY`."""

from __future__ import annotations

import datetime as dt

from constellation.graph import build_graph

TODAY = dt.date(2024, 6, 1)
LAST_YEAR = "2023-06-01"


def org(id, sector="non-profit", **props):
    props = ({"sector": sector} if sector else {}) | props
    return {"id": id, "kind": "organization", "label": id.title(), "properties": props}


def group(id, status="active", **props):
    return {
        "id": id,
        "kind": "constellation",
        "label": id.title(),
        "properties": {"status": status} | props,
    }


def node(id, kind, **props):
    return {"id": id, "kind": kind, "label": id.title(), "properties": props}


def edge(kind, source, target, **extra):
    props = extra.pop("properties", {})
    return {"kind": kind, "source": source, "target": target, "properties": props} | extra


def G(nodes, edges=(), as_of=TODAY):
    return build_graph(nodes, list(edges), as_of=as_of)
