"""Where the nodes stand on the map: computed on the server for large maps, or saved by a user.

A position a user arranges is kept in the node's own ``attributes["map_position"]`` as
``{"x": …, "y": …}`` (canvas pixels of the map), written through the repository's bulk
path, so it is validated, versioned and in the change log like any other edit, and it
travels with exports. `build_map` reads it back by default.

Above `SERVER_LAYOUT_ABOVE` nodes the browser's physics takes too long to settle (8 s at
1,000 nodes here; minutes at 1,500 in pyvis #204), so `server_layout` computes every
position with igraph's Fruchterman–Reingold (on a grid above 500 nodes: about half a
second for 5,000 nodes and 50,000 ties; DrL took over 30 seconds, and networkx's spring
layout needs numpy, which we do not ship).
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from constellation.errors import InvalidRecords, Problem
from constellation.store.repository import Repository

__all__ = [
    "POSITION_ATTRIBUTE",
    "SERVER_LAYOUT_ABOVE",
    "PositionsSaved",
    "save_positions",
    "saved_positions",
    "grouped_layout",
    "seed_point",
    "server_layout",
]

SERVER_LAYOUT_ABOVE = 500
"""Maps with more nodes than this get server-computed positions and no physics.

Measured with `scripts/bench_map.py` (about ten ties per node, headless Chromium): with
physics the page took 2.3 s to settle at 300 nodes, 3.7 s at 500 and 8.4 s at 1,000; with
server positions 5,000 nodes open in about 3.5 s."""

KAMADA_KAWAI_UP_TO = 500
"""Up to this many nodes the server layout is Kamada–Kawai (even spacing; 0.1 s at 87
nodes, about a second at 500); above it, Fruchterman–Reingold."""

POSITION_ATTRIBUTE = "map_position"
"""The node attribute a saved position lives in."""

_CHUNK = 1000


class PositionsSaved(BaseModel):
    """What `save_positions` did: the API returns exactly this."""

    workspace: str
    updated: int = Field(description="Nodes whose saved position changed.")
    unchanged: int = Field(description="Nodes already saved at that position.")
    ignored: list[str] = Field(
        default_factory=list,
        description="Ids that name no live node (archived or deleted "
        "since the map was drawn); nothing was saved for them.",
    )


def _point(value: Any) -> dict[str, float] | None:
    """A valid ``{"x", "y"}`` rounded to a tenth of a pixel, or None."""
    if not isinstance(value, Mapping):
        return None
    try:
        x, y = value["x"], value["y"]
    except KeyError:
        return None
    if any(
        isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v)
        for v in (x, y)
    ):
        return None
    return {"x": round(float(x), 1), "y": round(float(y), 1)}


def saved_positions(G: nx.MultiDiGraph) -> dict[str, dict[str, float]]:
    """The positions saved in the nodes' attributes (malformed ones are skipped)."""
    found = {}
    for node, attrs in G.nodes(data="attributes"):
        point = _point((attrs or {}).get(POSITION_ATTRIBUTE))
        if point is not None:
            found[node] = point
    return found


def save_positions(
    repo: Repository, workspace: str, positions: Mapping[str, Mapping[str, float]]
) -> PositionsSaved:
    """Save map positions, ``{node id: {"x": float, "y": float}}``, into the nodes.

    Each position goes into ``attributes["map_position"]`` through `Repository.bulk_upsert`
    (one validated, versioned, logged write; nodes already at that position are left
    alone). A malformed position refuses the whole call with `InvalidRecords` naming each
    bad one; ids of nodes that no longer live (archived or deleted) are skipped and listed
    in ``ignored``. This is what ``PUT /api/workspaces/{w}/map/positions`` calls.
    """
    problems, clean = [], {}
    for node_id, value in positions.items():
        point = _point(value)
        if not isinstance(node_id, str) or not node_id or point is None:
            problems.append(
                Problem(
                    "a position is an object with finite numbers x and y",
                    field=f"positions.{node_id}",
                    record=str(node_id),
                )
            )
        else:
            clean[node_id] = point
    if problems:
        raise InvalidRecords(problems)
    repo.get_workspace(workspace, counts=False)  # NotFound if it does not exist
    ids = sorted(clean)
    rows = []
    for i in range(0, len(ids), _CHUNK):
        for node in repo.query_nodes(workspace, ids=ids[i : i + _CHUNK]):
            attributes = dict(node.attributes)
            attributes[POSITION_ATTRIBUTE] = clean[node.id]
            rows.append(
                {
                    "id": node.id,
                    "kind": node.kind,
                    "label": node.label,
                    "properties": node.properties,
                    "attributes": attributes,
                    "tags": node.tags,
                    "valid_from": node.valid_from,
                    "valid_to": node.valid_to,
                }
            )
    found = {r["id"] for r in rows}
    report = repo.bulk_upsert(workspace, rows) if rows else None
    return PositionsSaved(
        workspace=workspace,
        updated=len(report.nodes_updated) if report else 0,
        unchanged=len(report.nodes_unchanged) if report else 0,
        ignored=[i for i in ids if i not in found],
    )


def _spread(
    pts: list[list[float]], gap: float, rounds: int = 30, movable: Sequence[bool] | None = None
) -> list[list[float]]:
    """Push apart points closer than `gap`, a few rounds, comparing only points in
    neighbouring cells of a grid, so that no two nodes sit on top of each other; a point
    that is not `movable` stays put and the other one moves the whole way (deterministic)."""
    n = len(pts)
    can = list(movable) if movable is not None else [True] * n
    if n < 2 or gap <= 0:
        return pts
    for _ in range(rounds):
        moved = False
        cells: dict[tuple[int, int], list[int]] = {}
        for i, (x, y) in enumerate(pts):
            cells.setdefault((int(x // gap), int(y // gap)), []).append(i)
        for (cx, cy), members in sorted(cells.items()):
            near = [
                j
                for dx in (-1, 0, 1)
                for dy in (-1, 0, 1)
                for j in cells.get((cx + dx, cy + dy), ())
            ]
            for i in members:
                for j in near:
                    if j <= i or not (can[i] or can[j]):
                        continue
                    dx, dy = pts[j][0] - pts[i][0], pts[j][1] - pts[i][1]
                    d = math.hypot(dx, dy)
                    if d < gap:
                        if d == 0:
                            dx, dy, d = 1.0, 0.0, 1.0
                        share = 0.5 if can[i] and can[j] else 1.0
                        ux, uy = dx / d * (gap - d) * share, dy / d * (gap - d) * share
                        if can[i]:
                            pts[i][0] -= ux
                            pts[i][1] -= uy
                        if can[j]:
                            pts[j][0] += ux
                            pts[j][1] += uy
                        moved = True
        if not moved:
            break
    return pts


def _aligned(
    coords: Sequence[Sequence[float]], start: Sequence[Sequence[float]]
) -> list[tuple[float, float]]:
    """The layout turned (and mirrored if that fits better) to lie as close as it can to the
    nodes' starting points: a layout is the same up to a rotation, and turning it back keeps
    the nodes where they were when a node is added."""
    n = len(coords)
    ax = sum(c[0] for c in coords) / n
    ay = sum(c[1] for c in coords) / n
    bx = sum(c[0] for c in start) / n
    by = sum(c[1] for c in start) / n
    best: tuple[float, list[tuple[float, float]]] | None = None
    for flip in (1, -1):
        pts = [((x - ax), flip * (y - ay)) for x, y in coords]
        ref = [((x - bx), (y - by)) for x, y in start]
        cross = sum(p[0] * q[1] - p[1] * q[0] for p, q in zip(pts, ref, strict=True))
        dot = sum(p[0] * q[0] + p[1] * q[1] for p, q in zip(pts, ref, strict=True))
        theta = math.atan2(cross, dot)
        c, s = math.cos(theta), math.sin(theta)
        turned = [(c * x - s * y, s * x + c * y) for x, y in pts]
        fit = sum(t[0] * q[0] + t[1] * q[1] for t, q in zip(turned, ref, strict=True))
        if best is None or fit > best[0]:
            best = (fit, turned)
    assert best is not None
    return best[1]


def seed_point(node_id: str) -> tuple[float, float]:
    """Where a node starts before the layout runs: a point in the unit square drawn from a
    hash of its id, so each node starts at the same place every time and a node added later
    does not change where the others start.

    >>> seed_point("unite-la") == seed_point("unite-la")
    True
    >>> all(0 <= c < 1 for c in seed_point("goal-1"))
    True
    """
    digest = hashlib.blake2b(node_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest[:4], "big") / 2**32, int.from_bytes(digest[4:], "big") / 2**32


def server_layout(
    G: nx.MultiDiGraph,
    fixed: Mapping[str, Mapping[str, float]] | None = None,
    spacing: float = 90.0,
    seed: int = 7,
) -> dict[str, dict[str, float]]:
    """Positions for every node of G, in canvas pixels, the same every run.

    The *core* (the nodes tied to two or more others) is laid out by igraph, Kamada–Kawai up
    to `KAMADA_KAWAI_UP_TO` nodes and Fruchterman–Reingold (on a grid above 500) beyond,
    started from `seed_point` of each node id and turned back towards those starting
    points, and scaled to span about ``spacing × √core`` pixels. Each *leaf* (a node tied to
    one other) is put beside its neighbour at an angle and distance drawn from its own id;
    the rest (isolated nodes, pairs) on a ring around the drawing, also by id. Then nodes
    closer than about half the spacing are pushed apart (the core first, then only the
    leaves). So the result depends on the ids and ties only, never on the order nodes were
    loaded in, and a node added as a leaf (a partner joining one group) moves no node of
    the core. Nodes in `fixed` keep those positions.
    """
    import igraph as ig

    ids = sorted(G)
    out: dict[str, dict[str, float]] = {}
    neighbours: dict[str, set[str]] = {v: set() for v in ids}
    for s, t in G.edges():
        if s != t:
            neighbours[s].add(t)
            neighbours[t].add(s)
    core = [v for v in ids if len(neighbours[v]) >= 2]
    if len(core) < 3:
        core = ids
    n = len(core)
    pos: dict[str, list[float]] = {}
    if n:
        index = {v: i for i, v in enumerate(core)}
        pairs = sorted(
            {
                (a, b) if a < b else (b, a)
                for s, t in G.edges()
                if s in index and t in index and (a := index[s]) != (b := index[t])
            }
        )
        graph = ig.Graph(n=n, edges=pairs)
        side = math.sqrt(n)
        start = [[side * (c - 0.5) for c in seed_point(v)] for v in core]  # centred: the grid
        ig.set_random_number_generator(random.Random(seed))  # the same layout every run
        try:
            if n <= KAMADA_KAWAI_UP_TO:  # evener spacing, so labels find room
                coords = graph.layout_kamada_kawai(seed=start, maxiter=50 * n).coords
            else:
                coords = graph.layout_fruchterman_reingold(seed=start, grid=n > 500).coords
        finally:
            ig.set_random_number_generator(random)
        turned = _aligned(coords, start)
        xs, ys = [c[0] for c in turned], [c[1] for c in turned]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        scale = spacing * math.sqrt(n) / span
        cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        points = [[(x - cx) * scale, (y - cy) * scale] for x, y in turned]
        points = _spread(points, 0.55 * spacing, rounds=30 if n <= 1000 else 6)
        pos = dict(zip(core, points, strict=True))
    radius = max((math.hypot(*p) for p in pos.values()), default=0.0)
    rest = [v for v in ids if v not in pos]
    leaves = set(rest)
    for v in rest:
        turn, reach = seed_point(v)
        angle = 2 * math.pi * turn
        anchors = sorted(u for u in neighbours[v] if u in pos)
        if anchors:
            x0, y0 = pos[anchors[0]]
            r = spacing * (0.55 + 0.35 * reach)
        else:
            x0, y0 = 0.0, 0.0
            r = radius + spacing * (1 + reach)
        pos[v] = [x0 + r * math.cos(angle), y0 + r * math.sin(angle)]
    if rest:
        order = list(pos)
        points = _spread(
            [pos[v] for v in order],
            0.45 * spacing,
            rounds=20 if len(order) <= 1000 else 4,
            movable=[v in leaves for v in order],
        )
        pos = dict(zip(order, points, strict=True))
    for v in ids:
        out[v] = {"x": round(pos[v][0], 1), "y": round(pos[v][1], 1)}
    for node, point in (fixed or {}).items():
        if node in out:
            out[node] = dict(point)
    return out


def grouped_layout(
    G: nx.MultiDiGraph,
    groups: Mapping[str, int],
    fixed: Mapping[str, Mapping[str, float]] | None = None,
    spacing: float = 90.0,
    seed: int = 7,
) -> dict[str, dict[str, float]]:
    """Positions for a big map, one disc per group: each group (a community) laid out on its
    own by `server_layout`, and the discs placed by a layout of the groups (tied by how
    many ties join them) and pushed apart until none overlaps, largest first.

    So a map that opens grouped shows each group where its members are, and a group opened
    spreads its members over its own disc and no other (20,000 nodes: about 10 s of CPU
    here, the whole-map `server_layout` 8 s). A node of G that
    has no group (not in the network on the map's date) goes with the group of its first
    neighbour that has one, or into a group of its own. Nodes in `fixed` keep those
    positions; the result is the same every run.
    """
    import igraph as ig

    ids = sorted(G)
    neighbours: dict[str, set[str]] = {v: set() for v in ids}
    for s, t in G.edges():
        if s != t:
            neighbours[s].add(t)
            neighbours[t].add(s)
    of: dict[str, int] = {v: groups[v] for v in ids if v in groups}
    spare = max(of.values(), default=-1) + 1
    for v in ids:
        if v not in of:
            near = sorted(u for u in neighbours[v] if u in groups)
            of[v] = groups[near[0]] if near else spare
    members: dict[int, list[str]] = {}
    for v in ids:
        members.setdefault(of[v], []).append(v)
    order = sorted(members, key=lambda g: (-len(members[g]), members[g][0]))
    local: dict[int, dict[str, dict[str, float]]] = {}
    radius: dict[int, float] = {}
    for g in order:
        local[g] = server_layout(G.subgraph(members[g]), spacing=spacing, seed=seed)
        radius[g] = max((math.hypot(p["x"], p["y"]) for p in local[g].values()), default=0.0)
        radius[g] += 0.5 * spacing
    # where the groups go: a layout of the groups, scaled so the discs about touch
    index = {g: i for i, g in enumerate(order)}
    weight: dict[tuple[int, int], int] = {}
    for s, t in G.edges():
        a, b = index[of[s]], index[of[t]]
        if a != b:
            key = (a, b) if a < b else (b, a)
            weight[key] = weight.get(key, 0) + 1
    pairs = sorted(weight)
    start = [list(seed_point(members[g][0])) for g in order]
    if len(order) > 2 and pairs:
        graph = ig.Graph(n=len(order), edges=pairs)
        ig.set_random_number_generator(random.Random(seed))
        try:
            coords = graph.layout_fruchterman_reingold(
                seed=start, weights=[math.log1p(weight[p]) for p in pairs]
            ).coords
        finally:
            ig.set_random_number_generator(random)
    else:
        coords = start
    mean = sum(radius.values()) / len(radius)
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = 2.2 * mean * math.sqrt(len(order)) / span
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    centres = [[(x - mx) * scale, (y - my) * scale] for x, y in coords]
    for _ in range(200):  # push overlapping discs apart, the smaller one the more
        moved = False
        for i in range(len(order)):
            for j in range(i + 1, len(order)):
                ri, rj = radius[order[i]], radius[order[j]]
                dx, dy = centres[j][0] - centres[i][0], centres[j][1] - centres[i][1]
                d = math.hypot(dx, dy)
                want = ri + rj + spacing
                if d >= want:
                    continue
                if d < 1e-9:
                    angle = 2 * math.pi * seed_point(members[order[j]][0])[0]
                    dx, dy, d = math.cos(angle), math.sin(angle), 1.0
                push = (want - d) / d
                share = ri * ri / (ri * ri + rj * rj)  # the larger disc moves less
                centres[i][0] -= dx * push * (1 - share)
                centres[i][1] -= dy * push * (1 - share)
                centres[j][0] += dx * push * share
                centres[j][1] += dy * push * share
                moved = True
        if not moved:
            break
    out: dict[str, dict[str, float]] = {}
    for g, (cx, cy) in zip(order, centres, strict=True):
        for v, p in local[g].items():
            out[v] = {"x": round(cx + p["x"], 1), "y": round(cy + p["y"], 1)}
    for node, point in (fixed or {}).items():
        if node in out:
            out[node] = dict(point)
    return out
