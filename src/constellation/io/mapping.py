"""Foreign types onto our kinds: the mapping file, and the rules every importer follows.

A type that matches a kind name (case and spaces aside: "Stewardship Group" ->
``stewardship_group``) maps by itself. Anything else maps through the mapping file:

.. code-block:: yaml

    node_kinds: {Company: organization, Person: person}
    edge_kinds: {Investor: funds, grant: funds}
    default_node_kind: organization     # optional: node types not listed
    default_edge_kind: related_to       # optional: edge types not listed
    columns:                            # CSV (and GraphML/GEXF attribute names)
      nodes: {id: node_id, label: label, kind: node_type}
      edges: {source: from_id, target: to_id, kind: edge_type}
    identifiers: {EIN: ein}             # optional: columns holding an identifier, and its scheme

A type that maps to nothing, with no default, is refused with its rows listed; so is
an edge whose endpoints do not fit its kind, unless ``related_to`` is the default edge
kind: then it is kept as ``related_to`` with the foreign type in ``relation``.

>>> m = load_mapping("m.yaml", b"node_kinds: {Company: organization}\\n")
>>> r = Resolver(m)
>>> r.node_kind("company", "kumu.xlsx sheet Elements", 2), r.node_kind("Stewardship Group", "x", 3)
('organization', 'stewardship_group')
>>> r.node_kind("Planet", "kumu.xlsx sheet Elements", 4, column="Type") is None
True
>>> print(r.problems()[0].position)
kumu.xlsx sheet Elements row 4, column Type
"""

from __future__ import annotations

import json
import typing
from collections import defaultdict
from functools import lru_cache
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from constellation import vocabulary as vocab
from constellation.errors import Problem
from constellation.io.cells import jsonable, split_multi, unescape_cell
from constellation.io.errors import refuse, row_ranges

__all__ = ["Mapping", "ColumnMap", "load_mapping", "Resolver", "split_fields", "canon", "RESERVED"]

RESERVED = (
    "id",
    "label",
    "kind",
    "type",
    "source",
    "target",
    "from",
    "to",
    "tags",
    "valid_from",
    "valid_to",
)
"""Column names that are never properties or attributes (they are the record's own fields)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ColumnMap(_Strict):
    """Which column (or attribute) holds the record's id, label, kind, source and target."""

    id: str | None = None
    label: str | None = None
    kind: str | None = None
    source: str | None = None
    target: str | None = None


class Columns(_Strict):
    nodes: ColumnMap = ColumnMap()
    edges: ColumnMap = ColumnMap()


def _kind_name(value: str, what: str) -> str:
    kinds = vocab.NODE_KINDS if what == "node" else vocab.EDGE_KINDS
    spec = (vocab.node_kind if what == "node" else vocab.edge_kind)(value)
    if spec is None:
        article = "a" if what == "node" else "an"
        raise ValueError(
            f"{value!r} is not {article} {what} kind; the kinds are: " + ", ".join(kinds)
        )
    return spec.name


def _node_kind_name(value: str) -> str:
    return _kind_name(value, "node")


def _edge_kind_name(value: str) -> str:
    return _kind_name(value, "edge")


class Mapping(_Strict):
    """The mapping file: foreign types to our kinds, defaults, and CSV columns."""

    node_kinds: dict[str, str] = {}
    edge_kinds: dict[str, str] = {}
    default_node_kind: str | None = None
    default_edge_kind: str | None = None
    columns: Columns = Columns()
    identifiers: dict[str, str] = {}
    """Columns (or attributes) that hold an organization's identifier, and its scheme:
    ``{EIN: ein, "Charity Number": charity}``; import matches records by them."""

    @field_validator("node_kinds")
    @classmethod
    def _nodes(cls, value: dict[str, str]) -> dict[str, str]:
        return {str(k): _node_kind_name(v) for k, v in value.items()}

    @field_validator("edge_kinds")
    @classmethod
    def _edges(cls, value: dict[str, str]) -> dict[str, str]:
        return {str(k): _edge_kind_name(v) for k, v in value.items()}

    @field_validator("default_node_kind")
    @classmethod
    def _default_node(cls, value: str | None) -> str | None:
        return None if value is None else _node_kind_name(value)

    @field_validator("default_edge_kind")
    @classmethod
    def _default_edge(cls, value: str | None) -> str | None:
        return None if value is None else _edge_kind_name(value)


def load_mapping(name: str, content: bytes) -> Mapping:
    """Read a mapping file (YAML or JSON); every mistake in it is reported, with its key."""
    try:
        text = content.decode("utf-8-sig")
        data = json.loads(text) if name.lower().endswith(".json") else yaml.safe_load(text)
    except (UnicodeDecodeError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise refuse(f"the mapping file cannot be read: {exc}", position=name) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise refuse(
            "the mapping file must hold keys such as node_kinds, edge_kinds, "
            "default_node_kind, default_edge_kind, columns and identifiers",
            position=name,
        )
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        from constellation.io.errors import UnreadableFile

        raise UnreadableFile(
            [
                Problem(
                    e["msg"].removeprefix("Value error, "),
                    field=".".join(str(p) for p in e["loc"]) or None,
                    position=name,
                )
                for e in exc.errors()
            ]
        ) from None


@lru_cache(maxsize=8192)
def canon(text: str) -> str:
    """A foreign type or column name as a kind name would be spelled (case, spaces aside)."""
    return vocab.canonical_kind(text) if text else ""


class Resolver:
    """Resolves foreign node and edge types for one import, and collects what fails.

    Failures are grouped (one problem per foreign type and place, its rows listed),
    so a sheet of 5,000 rows of an unmapped type reads as one clear line.
    """

    def __init__(self, mapping: Mapping | None = None):
        self.mapping = mapping or Mapping()
        self._nodes = {canon(k): v for k, v in self.mapping.node_kinds.items()}
        self._edges = {canon(k): v for k, v in self.mapping.edge_kinds.items()}
        self._unmapped: dict[tuple[Any, ...], list[int | None]] = defaultdict(list)
        self._misfits: dict[tuple[Any, ...], list[int | None]] = defaultdict(list)

    def node_kind(
        self,
        foreign: str | None,
        where: str,
        at: int | None = None,
        unit: str = "row",
        column: str | None = None,
    ) -> str | None:
        foreign = (foreign or "").strip()
        key = canon(foreign)
        if key in self._nodes:
            return self._nodes[key]
        if key in vocab.NODE_KINDS:
            return key
        if self.mapping.default_node_kind:
            return self.mapping.default_node_kind
        self._unmapped[("node", foreign, where, unit, column)].append(at)
        return None

    def edge_kind(
        self,
        foreign: str | None,
        source_kind: str | None,
        target_kind: str | None,
        where: str,
        at: int | None = None,
        unit: str = "row",
        column: str | None = None,
    ) -> tuple[str | None, str | None]:
        """The kind for an edge, and the ``relation`` to keep when it falls back to related_to."""
        foreign = (foreign or "").strip()
        key = canon(foreign)
        kind = self._edges.get(key) or (key if key in vocab.EDGE_KINDS else None)
        kind = kind or self.mapping.default_edge_kind
        if kind is None:
            self._unmapped[("edge", foreign, where, unit, column)].append(at)
            return None, None
        if kind == "related_to":
            return kind, foreign or "unspecified"
        if source_kind and target_kind and vocab.endpoint_error(kind, source_kind, target_kind):
            if self.mapping.default_edge_kind == "related_to":
                return "related_to", foreign or kind
            self._misfits[(foreign, kind, source_kind, target_kind, where, unit, column)].append(at)
            return None, None
        return kind, None

    def problems(self) -> list[Problem]:
        kinds = {"node": ", ".join(vocab.NODE_KINDS), "edge": ", ".join(vocab.EDGE_KINDS)}
        out = []
        for (what, foreign, where, unit, column), ats in self._unmapped.items():
            shown = f"{what} type {foreign!r}" if foreign else f"a {what} with no type"
            key = foreign or "''"
            example = "organization" if what == "node" else "related_to"
            out.append(
                Problem(
                    f"{shown} maps to no kind: add it to the mapping file (--mapping) under "
                    f"{what}_kinds (for example `{key}: {example}`)"
                    f", or set default_{what}_kind there. The {what} kinds are: {kinds[what]}",
                    field="kind",
                    record=foreign or None,
                    position=_where(where, unit, ats, column),
                )
            )
        for (foreign, kind, src, tgt, where, unit, column), ats in self._misfits.items():
            why = vocab.endpoint_error(kind, src, tgt)
            via = (
                f"type {foreign!r} maps to {kind}, but "
                if foreign and canon(foreign) != kind
                else ""
            )
            out.append(
                Problem(
                    f"{via}{why}. Map the type to a kind that fits, or set "
                    "`default_edge_kind: related_to` in the mapping file to keep such ties as "
                    "related_to",
                    field="kind",
                    record=foreign or kind,
                    position=_where(where, unit, ats, column),
                )
            )
        return out


def _where(where: str, unit: str, ats: list[int | None], column: str | None) -> str:
    numbers = [a for a in ats if a is not None]
    text = where
    if numbers:
        plural = unit + ("s" if len(set(numbers)) > 1 else "")
        text += f" {plural} {row_ranges(numbers)}"
    if column:
        text += f", column {column}"
    return text


# ------------------------------------------------------------------------ fields


def relation_of(foreign: str | None, relation: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Properties of an edge kept as related_to. A record that says it *is* related_to (our
    own export) carries its relation in a ``relation`` column, taken out of `fields`."""
    if canon(foreign or "") == "related_to":
        for key in list(fields):
            if canon(str(key)) == "relation" and str(fields[key] or "").strip():
                return {"relation": str(fields.pop(key)).strip()}
    return {"relation": relation}


def _kind_spec(kind: str | None) -> vocab.NodeKind | vocab.EdgeKind | None:
    return (vocab.NODE_KINDS.get(kind) or vocab.EDGE_KINDS.get(kind)) if kind else None


@lru_cache(maxsize=1024)
def _field_shape(kind: str | None, name: str) -> str:
    """'list', 'str' or 'other': how a text cell must be turned into this property."""
    spec = _kind_spec(kind)
    info = spec.properties.model_fields.get(name) if spec else None
    if info is None:
        return "other"
    ann = info.annotation
    args = typing.get_args(ann)
    if typing.get_origin(ann) is list or any(typing.get_origin(a) is list for a in args):
        return "list"  # a list, or an optional one
    if ann is str or (str in args and type(None) in args and len(args) == 2):
        return "str"
    return "other"


def coerce_property(kind: str | None, name: str, value: Any) -> Any:
    """A cell value shaped for its property: lists from ``a|b`` or JSON, numbers as text."""
    shape = _field_shape(kind, name)
    if shape == "list" and isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return json.loads(text)
            except json.JSONDecodeError:
                pass
        return split_multi(text)
    if shape == "str" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


@lru_cache(maxsize=64)
def _property_names(kind: str | None) -> frozenset[str]:
    spec = _kind_spec(kind)
    return frozenset(spec.properties.model_fields) if spec else frozenset()


def split_fields(
    kind: str | None, fields: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Sort a record's foreign columns into properties, attributes and record fields.

    Returns ``(properties, attributes, extra, columns)``: a column whose name matches a
    property of the kind (case and spaces aside) fills it; ``tags``, ``valid_from`` and
    ``valid_to`` fill the record; ``attributes.NAME`` and everything else go into the
    free-form attributes under their own name. `columns` maps each record field
    (``properties.sector``) back to its column, so a problem can name the column.
    Empty cells are skipped.

    >>> split_fields("organization", {"Sector": "Health", "Net Worth": 3, "Tags": "a|b"})[:3]
    ({'sector': 'Health'}, {'Net Worth': 3}, {'tags': ['a', 'b']})
    """
    names = _property_names(kind)
    props: dict[str, Any] = {}
    attrs: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    columns: dict[str, str] = {}
    for column, raw in fields.items():
        value = jsonable(unescape_cell(raw))
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, str):
            value = value.strip()
        key = canon(str(column))
        if str(column).startswith("attributes."):
            attrs[str(column)[len("attributes.") :]] = value
        elif key == "tags":
            extra["tags"] = split_multi(value)
            columns["tags"] = column
        elif key in ("valid_from", "valid_to"):
            extra[key] = value
            columns[key] = column
        elif key in names:
            props[key] = coerce_property(kind, key, value)
            columns[f"properties.{key}"] = column
        elif key.startswith("properties.") and key[len("properties.") :] in names:
            name = key[len("properties.") :]
            props[name] = coerce_property(kind, name, value)
            columns[f"properties.{name}"] = column
        else:
            attrs[str(column)] = _json_text(value)
    return props, attrs, extra, columns


def _json_text(value: Any) -> Any:
    """A list or object our exports wrote as JSON text comes back as one."""
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            return value
        if isinstance(parsed, list | dict):
            return parsed
    return value


def flatten(record: Any, kind_props: set[str]) -> dict[str, Any]:
    """A stored record as flat columns: properties by name, attributes by name (or
    ``attributes.NAME`` where the name would be taken), lists and objects as JSON text,
    lists of plain values joined by ``|``."""
    row: dict[str, Any] = {}
    for name, value in record.properties.items():
        row[name] = _cell(value)
    taken = set(RESERVED) | kind_props | set(row)
    for name, value in record.attributes.items():
        column = (
            name
            if canon(name) not in taken and not name.startswith(("attributes.", "properties."))
            else f"attributes.{name}"
        )
        row[column] = _cell(value)
    return row


def _cell(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(v, str) and "|" not in v for v in value):
        return "|".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value
