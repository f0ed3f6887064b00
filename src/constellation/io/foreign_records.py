"""Records from node and edge lists with attributes: what GraphML, GEXF and CSV tables share.

Each reader hands over its nodes as ``(at, foreign id, attributes)`` and its edges as
``(at, foreign id, source, target, attributes)``; this module finds the kind, the label
and the properties, maps foreign types, and fills a `Batch`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from constellation.io.batching import Batch, NodeIndex
from constellation.io.cells import cell_text, validity
from constellation.io.mapping import ColumnMap, Resolver, relation_of, split_fields

if TYPE_CHECKING:
    import networkx as nx

    from constellation.errors import Problem
    from constellation.records import EdgeOut, NodeOut
    from constellation.store.repository import Repository

NODE_KIND_KEYS = ("kind", "type")
NODE_LABEL_KEYS = ("label", "name")
EDGE_KIND_KEYS = ("kind", "type", "relation", "label")


@dataclass
class ForeignNode:
    where: str
    at: int | None
    id: str | None
    attributes: dict[str, Any]


@dataclass
class ForeignEdge:
    where: str
    at: int | None
    id: str | None
    source: str
    target: str
    attributes: dict[str, Any]


def pick(attributes: Collection[str], named: str | None, defaults: tuple[str, ...]) -> str | None:
    """The key holding a value (a record's keys, or a table's header): the one the mapping
    names, else the first default present (case aside)."""
    if named:
        return named if named in attributes else None
    return _pick(tuple(attributes), defaults)


@lru_cache(maxsize=1024)
def _pick(keys: tuple[Any, ...], defaults: tuple[str, ...]) -> str | None:
    lower = {str(k).casefold(): k for k in keys}
    return next((lower[key] for key in defaults if key in lower), None)


def build(
    nodes: list[ForeignNode],
    edges: list[ForeignEdge],
    unit: str,
    resolver: Resolver,
    index: NodeIndex,
    node_cols: ColumnMap,
    edge_cols: ColumnMap,
) -> Batch:
    batch = Batch()
    kinds: dict[str, str] = {}
    by_label: dict[str, list[str | None]] = {}  # None: a node without id (still counts)
    taken: set[str] = {n.id for n in nodes if n.id}
    refused: set[str] = set()

    for n in nodes:
        attrs = dict(n.attributes)
        kind_key = pick(attrs, node_cols.kind, NODE_KIND_KEYS)
        label_key = pick(attrs, node_cols.label, NODE_LABEL_KEYS)
        foreign_type = cell_text(attrs.pop(kind_key, None)) if kind_key else ""
        label = cell_text(attrs.pop(label_key, None)) if label_key else ""
        position = f"{n.where} {unit} {n.at}" if n.at is not None else n.where
        kind = resolver.node_kind(foreign_type, n.where, n.at, unit, column=kind_key)
        if kind is None:  # reported once per type by the resolver
            refused.update(x for x in (n.id, label) if x)
            continue
        label = label or (n.id or "")
        node_id = (
            n.id or index.match(kind, label) or (index.new_id(label, taken) if label else None)
        )
        props, extra_attrs, extra, columns = split_fields(kind, attrs)
        record = {
            "kind": kind,
            "label": label,
            "properties": props,
            "attributes": extra_attrs,
            **extra,
        }
        if node_id:
            record["id"] = node_id
            kinds[node_id] = kind
        by_label.setdefault(label.casefold(), []).append(node_id)
        if kind_key:
            columns["kind"] = kind_key
        if label_key:
            columns["label"] = label_key
        batch.add_node(record, position, columns)

    def resolve(ref: str) -> str:
        """An edge end names a node id; without ids, a label is accepted if it is unique."""
        if ref in kinds or not by_label.get(ref.casefold()):
            return ref
        found = by_label[ref.casefold()]
        only = found[0] if len(found) == 1 else None
        return only or ref

    ends = {resolve(e.source) for e in edges} | {resolve(e.target) for e in edges}
    stored = index.kinds([x for x in ends if x not in kinds])
    known = stored | kinds
    ids = [e.id for e in edges if e.id]
    unique_ids = len(ids) == len(set(ids))
    if not unique_ids:
        batch.notes.append(
            _note(
                edges[0].where,
                "edge ids repeat in this file, so they were not kept "
                "(edges get ids made from their ends and kind)",
            )
        )
    for e in edges:
        attrs = dict(e.attributes)
        kind_key = pick(attrs, edge_cols.kind, EDGE_KIND_KEYS)
        foreign_type = cell_text(attrs.pop(kind_key, None)) if kind_key else ""
        source, target = resolve(e.source), resolve(e.target)
        if (source in refused and source not in kinds) or (
            target in refused and target not in kinds
        ):
            # an end was refused for its type (reported already); still check this type
            resolver.edge_kind(foreign_type, None, None, e.where, e.at, unit, column=kind_key)
            continue
        position = f"{e.where} {unit} {e.at}" if e.at is not None else e.where
        kind, relation = resolver.edge_kind(
            foreign_type, known.get(source), known.get(target), e.where, e.at, unit, column=kind_key
        )
        if kind is None:
            continue
        related = relation_of(foreign_type, relation, attrs) if relation is not None else None
        props, extra_attrs, extra, columns = split_fields(None if relation else kind, attrs)
        props = related or props
        record = {
            "kind": kind,
            "source": source,
            "target": target,
            "properties": props,
            "attributes": extra_attrs,
            **extra,
        }
        if e.id and unique_ids:
            record["id"] = e.id
        if kind_key:
            columns["kind"] = kind_key
        batch.add_edge(record, position, columns)
    return batch


def _note(position: str, message: str) -> Problem:
    from constellation.errors import Problem

    return Problem(message, position=position)


# ------------------------------------------------------------------------ export


def flat_records(
    repo: Repository, workspace: str
) -> tuple[list[tuple[str, dict[str, Any]]], list[tuple[str, str, str, dict[str, Any]]]]:
    """Live nodes and edges as flat attribute dicts (kind, label, tags, validity, properties,
    attributes), each attribute of one type across its records so GraphML and GEXF can
    declare it."""
    from constellation import vocabulary as vocab
    from constellation.io.mapping import flatten

    nodes: list[tuple[str, dict[str, Any]]] = []
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for n in repo.query_nodes(workspace):
        row: dict[str, Any] = {"kind": n.kind, "label": n.label}
        row |= _common_fields(n) | flatten(n, set(vocab.NODE_KINDS[n.kind].properties.model_fields))
        nodes.append((n.id, row))
    for e in repo.query_edges(workspace):
        row = {"kind": e.kind}
        row |= _common_fields(e) | flatten(e, set(vocab.EDGE_KINDS[e.kind].properties.model_fields))
        edges.append((e.id, e.source, e.target, row))
    _uniform([r for _, r in nodes])
    _uniform([r for *_, r in edges])
    return nodes, edges


def _common_fields(record: NodeOut | EdgeOut) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if record.tags:
        out["tags"] = "|".join(record.tags)
    return out | validity(record)


def _uniform(rows: list[dict[str, Any]]) -> None:
    """Make each key hold one type across rows (text where they differ); drop empty values."""
    types: dict[str, set[type]] = {}
    for row in rows:
        for key, value in list(row.items()):
            if value is None:
                del row[key]
                continue
            types.setdefault(key, set()).add(type(value))
    for key, seen in types.items():
        if len(seen) == 1:
            continue
        if seen <= {int, float}:
            for row in rows:
                if key in row:
                    row[key] = float(row[key])
            continue
        for row in rows:
            if key in row:
                value = row[key]
                row[key] = ("true" if value else "false") if isinstance(value, bool) else str(value)


def to_networkx(
    repo: Repository, workspace: str, edge_id_attribute: bool = False
) -> nx.MultiDiGraph:
    """The live workspace as a networkx MultiDiGraph keyed by edge id (for the writers)."""
    import networkx as nx

    ws = repo.get_workspace(workspace)
    graph = nx.MultiDiGraph(name=ws.name)
    nodes, edges = flat_records(repo, workspace)
    for node_id, row in nodes:
        graph.add_node(node_id, **row)
    for edge_id, source, target, row in edges:
        extra = {"id": edge_id} if edge_id_attribute else {}
        graph.add_edge(source, target, key=edge_id, **extra, **row)
    return graph
