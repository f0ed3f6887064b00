"""A workspace as of a date, loaded into networkx: the hot path of every analysis and map.

Two set-based queries (nodes, then edges; `Repository.graph_rows`) fetch plain tuples; no
ORM objects are built.
Only what was valid on the date and is not archived is loaded, and an edge whose end was
left out is left out too.

Each node's attributes are its `kind`, `label`, `tags`, user `attributes`, validity and
`updated_at`, plus its properties flattened in (so ``G.nodes["x"]["status"]``); edges are
keyed by their id and carry `kind` and their properties the same way. A constellation's
`status` is read as of the date: before its `launched` date it is `planned`, from its
`disbanded` date on it is `disbanded`.

>>> from constellation.store import Store
>>> store = Store("sqlite://")
>>> with store.repository() as repo:
...     _ = repo.create_workspace("w")
...     _ = repo.bulk_upsert("w", [
...         {"id": "org", "kind": "organization", "label": "UNITE-LA"},
...         {"id": "grp", "kind": "constellation", "label": "Data Workgroup",
...          "properties": {"launched": "2015-03-01"}}],
...         [{"kind": "convenes", "source": "org", "target": "grp"}])
...     G = load_graph(repo, "w", as_of=dt.date(2016, 1, 1))
...     early = load_graph(repo, "w", as_of=dt.date(2014, 1, 1))
>>> G.number_of_nodes(), G.number_of_edges(), G.nodes["grp"]["status"]
(2, 1, 'active')
>>> early.nodes["grp"]["status"]
'planned'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import networkx as nx

from constellation.store.repository import Repository

__all__ = ["load_graph", "build_graph", "status_as_of", "RESERVED"]

RESERVED = (
    "kind",
    "label",
    "tags",
    "attributes",
    "valid_from",
    "valid_to",
    "updated_at",
    "recorded_status",
)
"""Node and edge attribute names the loader sets itself; no property may use them."""


def load_graph(
    repo: Repository, workspace: str, as_of: dt.date | None = None, *, every_date: bool = False
) -> nx.MultiDiGraph:
    """Load `workspace` as it stood on `as_of` (default: today) into a MultiDiGraph.

    With `every_date`, every unarchived record is loaded whatever its validity period (the
    map draws them all and filters by date in the browser); `as_of` then only sets the
    graph's date and the constellations' statuses, and ``G.graph["every_date"]`` is True.
    """
    as_of = as_of or dt.date.today()
    rows = repo.graph_rows(workspace, None if every_date else as_of)

    G = nx.MultiDiGraph(workspace=workspace, as_of=as_of, revision=rows.revision)
    if every_date:
        G.graph["every_date"] = True
    pk_to_id: dict[int, str] = {}
    nodes = []
    for pk, nid, kind, label, props, tags, attrs, vfrom, vto, updated in rows.nodes:
        pk_to_id[pk] = nid
        nodes.append((nid, _node_data(kind, label, props, tags, attrs, vfrom, vto, updated, as_of)))
    G.add_nodes_from(nodes)
    del nodes

    get = pk_to_id.get
    G.add_edges_from(
        (s, t, eid, _edge_data(kind, props, vfrom, vto))
        for eid, kind, spk, tpk, props, vfrom, vto in rows.edges
        if (s := get(spk)) is not None and (t := get(tpk)) is not None
    )
    return G


def build_graph(
    nodes: list[dict[str, Any]],
    edges: Sequence[dict[str, Any]] = (),
    as_of: dt.date | None = None,
    workspace: str = "sketch",
) -> nx.MultiDiGraph:
    """The graph `load_graph` would give for these records, without a database.

    Records are shaped like the store's input (``{"id", "kind", "label", "properties", …}``)
    and are not validated: this is for examples, tests and what-if copies.

    >>> G = build_graph([{"id": "a", "kind": "goal", "label": "A"}])
    >>> G.nodes["a"]["kind"], G.graph["workspace"]
    ('goal', 'sketch')
    """
    as_of = as_of or dt.date.today()
    G = nx.MultiDiGraph(workspace=workspace, as_of=as_of, revision=None)

    def valid(r: dict[str, Any]) -> bool:
        vf, vt = _date(r.get("valid_from")), _date(r.get("valid_to"))
        return (vf is None or vf <= as_of) and (vt is None or vt >= as_of)

    for r in nodes:
        if valid(r):
            G.add_node(
                r["id"],
                **_node_data(
                    r["kind"],
                    r.get("label", r["id"]),
                    r.get("properties"),
                    r.get("tags", []),
                    r.get("attributes", {}),
                    _date(r.get("valid_from")),
                    _date(r.get("valid_to")),
                    r.get("updated_at"),
                    as_of,
                ),
            )
    for i, r in enumerate(edges):
        if valid(r) and r["source"] in G and r["target"] in G:
            G.add_edge(
                r["source"],
                r["target"],
                r.get("id", f"e{i}"),
                **_edge_data(
                    r["kind"],
                    r.get("properties"),
                    _date(r.get("valid_from")),
                    _date(r.get("valid_to")),
                ),
            )
    return G


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def _node_data(
    kind: str,
    label: str,
    props: dict[str, Any] | None,
    tags: list[str],
    attrs: dict[str, Any],
    vfrom: dt.date | None,
    vto: dt.date | None,
    updated: dt.datetime | None,
    as_of: dt.date,
) -> dict[str, Any]:
    data = dict(props) if props else {}
    data.update(
        kind=kind,
        label=label,
        tags=tags,
        attributes=attrs,
        valid_from=vfrom,
        valid_to=vto,
        updated_at=updated,
    )
    if kind == "constellation":
        # `status` is the status on the graph's date; the map reads it again for other dates
        # from the status the record holds
        data["recorded_status"] = data.get("status", "active")
        data["status"] = status_as_of(data, as_of)
    return data


def _edge_data(
    kind: str, props: dict[str, Any] | None, vfrom: dt.date | None, vto: dt.date | None
) -> dict[str, Any]:
    data = dict(props) if props else {}
    data["kind"] = kind
    if vfrom is not None:
        data["valid_from"] = vfrom
    if vto is not None:
        data["valid_to"] = vto
    return data


def status_as_of(props: dict[str, Any], as_of: dt.date) -> str:
    """A constellation's status on a date: its dates decide where they say something (planned
    before `launched`, disbanded from `disbanded` on, active in between if it is recorded as
    disbanded since); otherwise its recorded status holds.

    >>> status_as_of({"status": "disbanded", "launched": "2015-01-01",
    ...               "disbanded": "2020-06-01"}, dt.date(2018, 1, 1))
    'active'
    >>> status_as_of({"status": "dormant", "launched": "2015-01-01"}, dt.date(2014, 1, 1))
    'planned'
    """
    status = props.get("status", "active")
    launched, disbanded = props.get("launched"), props.get("disbanded")
    if disbanded and dt.date.fromisoformat(disbanded) <= as_of:
        return "disbanded"
    if launched and dt.date.fromisoformat(launched) > as_of:
        return "planned"
    if status == "disbanded" and disbanded:  # recorded today, but not yet disbanded then
        return "active"
    return status
