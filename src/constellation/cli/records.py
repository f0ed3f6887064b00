"""Commands that list what a workspace holds: workspaces, nodes, edges and the vocabulary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from constellation.cli.common import (
    AsOfOption,
    DbOption,
    Format,
    FormatOption,
    LimitOption,
    PropOption,
    WorkspaceOption,
    _fail,
    _parse_props,
    _print_json,
    _repository,
    _table,
    app,
    out,
    resolve_workspace,
)
from constellation.cli.lazy import lazy_module

if TYPE_CHECKING:
    from constellation import vocabulary as vocab
else:  # its models take a while to build: read when `nodes` or `edges` runs or shows its help
    vocab = lazy_module("constellation.vocabulary")


@app.command()
def workspaces(db: DbOption = None, format: FormatOption = Format.table) -> None:
    """List the workspaces (independent networks) in the database."""
    with _repository(db) as repo:
        rows = repo.list_workspaces()
    if format == Format.json:
        _print_json([w.model_dump(mode="json") for w in rows])
        return
    table = Table()
    for col in ("workspace", "name", "nodes", "edges", "public read", "revision"):
        table.add_column(col, justify="right" if col in ("nodes", "edges", "revision") else "left")
    for w in rows:
        table.add_row(
            w.slug,
            w.name,
            str(w.nodes),
            str(w.edges),
            "yes" if w.public_read else "no",
            str(w.revision),
        )
    out.print(table)


@app.command()
def nodes(
    workspace: WorkspaceOption = None,
    kind: Annotated[
        str | None,
        typer.Option(help="Only this kind: " + ", ".join(vocab.NODE_KINDS), show_default=False),
    ] = None,
    as_of: AsOfOption = None,
    tag: Annotated[
        str | None, typer.Option(help="Only nodes with this tag.", show_default=False)
    ] = None,
    search: Annotated[
        str | None, typer.Option(help="Text in the label (any case).", show_default=False)
    ] = None,
    prop: PropOption = None,
    archived: Annotated[bool, typer.Option(help="Include archived nodes.")] = False,
    limit: LimitOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """List nodes, filtered by kind, date, tag, label text or property."""
    if kind and vocab.node_kind(kind) is None:
        raise _fail(f"unknown node kind {kind!r}; the kinds are: {', '.join(vocab.NODE_KINDS)}")
    shown = limit if limit or format == Format.json else TABLE_ROWS
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        filters: dict[str, Any] = {
            "kind": kind,
            "tag": tag,
            "text": search,
            "properties": _parse_props(prop),
            "as_of": as_of.date() if as_of else None,
            "include_archived": archived,
        }
        rows = repo.query_nodes(ws, **filters, limit=shown)
        if format == Format.json:
            _print_json([r.model_dump(mode="json") for r in rows])
            return
        total = repo.count_nodes(ws, **filters) if shown and len(rows) == shown else len(rows)
    model = vocab.NODE_KINDS[kind].properties if kind else None
    columns = _columns(model, [r.properties for r in rows])
    headers = ["label", "id", *([] if kind else ["kind"]), *columns]
    headers += ["details"] if not kind else []
    table = _table(f"{total} node(s) in {ws}", *_titles(headers), "valid", "tags")
    for r in rows:
        cells = [r.label, r.id, *([] if kind else [r.kind.replace("_", " ")])]
        cells += [_cell(r.properties.get(c)) for c in columns]
        cells += [_details(r.properties)] if not kind else []
        table.add_row(*cells, _valid(r.valid_from, r.valid_to), ", ".join(r.tags))
    out.print(table)
    _left_out(total, len(rows))


@app.command()
def edges(
    workspace: WorkspaceOption = None,
    kind: Annotated[
        str | None,
        typer.Option(help="Only this kind: " + ", ".join(vocab.EDGE_KINDS), show_default=False),
    ] = None,
    node: Annotated[
        str | None, typer.Option(help="Only edges touching this node id.", show_default=False)
    ] = None,
    as_of: AsOfOption = None,
    tag: Annotated[str | None, typer.Option(show_default=False)] = None,
    prop: PropOption = None,
    archived: Annotated[bool, typer.Option(help="Include archived edges.")] = False,
    limit: LimitOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """List edges (roles and ties), filtered by kind, node, date, tag or property."""
    if kind and vocab.edge_kind(kind) is None:
        raise _fail(f"unknown edge kind {kind!r}; the kinds are: {', '.join(vocab.EDGE_KINDS)}")
    shown = limit if limit or format == Format.json else TABLE_ROWS
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        filters: dict[str, Any] = {
            "kind": kind,
            "node": node,
            "tag": tag,
            "properties": _parse_props(prop),
            "as_of": as_of.date() if as_of else None,
            "include_archived": archived,
        }
        rows = repo.query_edges(ws, **filters, limit=shown)
        if format == Format.json:
            _print_json([r.model_dump(mode="json") for r in rows])
            return
        total = repo.count_edges(ws, **filters) if shown and len(rows) == shown else len(rows)
        ends = {r.source for r in rows} | {r.target for r in rows}
        labels = {
            n.id: n.label for n in repo.query_nodes(ws, ids=sorted(ends), include_archived=True)
        }
    model = vocab.EDGE_KINDS[kind].properties if kind else None
    columns = _columns(model, [r.properties for r in rows])
    headers = ["from", *([] if kind else ["kind"]), "to", *columns]
    headers += ["details"] if not kind else []
    table = _table(f"{total} edge(s) in {ws}", *_titles(headers), "valid", "id")
    for r in rows:
        cells = [labels.get(r.source, r.source), *([] if kind else [r.kind.replace("_", " ")])]
        cells += [labels.get(r.target, r.target)]
        cells += [_cell(r.properties.get(c)) for c in columns]
        cells += [_details(r.properties)] if not kind else []
        table.add_row(*cells, _valid(r.valid_from, r.valid_to), r.id)
    out.print(table)
    _left_out(total, len(rows))


TABLE_ROWS = 100
"""A table lists this many rows unless --limit says otherwise; JSON lists them all."""
SHORT = 40
"""A property whose values are all this short (or numbers, dates, yes/no) gets a column."""
COLUMNS = 4
"""At most this many property columns, in the order the vocabulary declares them."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}"  # an amount reads as 250,000
    return str(value).replace("_", " ") if isinstance(value, str) else str(value)


def _short_value(value: Any) -> bool:
    return isinstance(value, bool | int | float) or (isinstance(value, str) and len(value) <= SHORT)


def _columns(model: Any, properties: list[dict[str, Any]]) -> list[str]:
    """The properties worth a column: those of the kind's model (in its order) that some
    listed record holds, each value short; free text, lists and objects stay out."""
    if model is None:
        return []
    own = [n for n in getattr(model, "__annotations__", {}) if n in model.model_fields]
    found = []
    for name in dict.fromkeys([*own, *model.model_fields]):  # its own first, then inherited
        values = [p[name] for p in properties if p.get(name) not in (None, "", [])]
        if values and all(_short_value(v) for v in values):
            found.append(name)
    return found[:COLUMNS]


def _details(properties: dict[str, Any]) -> str:
    """A record of any kind in a few words: its first short properties, `name: value`."""
    parts = [f"{k.replace('_', ' ')}: {_cell(v)}" for k, v in properties.items() if _short_value(v)]
    return "; ".join(parts[:3])


def _titles(names: list[str]) -> list[str]:
    return [n.replace("_", " ") for n in names]


def _valid(start: Any, end: Any) -> str:
    if not start and not end:
        return ""
    return f"{start or '…'} – {end or '…'}"


def _left_out(total: int, shown: int) -> None:
    if total > shown:
        out.print(
            f"… and {total - shown} more: narrow the list (--kind, --search, --as-of), "
            "or see them all with --limit or --format json.",
            highlight=False,
        )


@app.command()
def schema(format: FormatOption = Format.table) -> None:
    """Show the vocabulary: node kinds, edge kinds, their properties and endpoints."""
    from constellation.schema import vocabulary_document

    doc = vocabulary_document()
    if format == Format.json:
        _print_json(doc)
        return
    table = _table("Node kinds", "kind", "what it is", "properties")
    for k in doc["node_kinds"]:
        table.add_row(k["name"], k["description"], ", ".join(k["properties"]))
    out.print(table)
    table = _table("Edge kinds", "kind", "from → to", "properties")
    for k in doc["edge_kinds"]:
        table.add_row(
            k["name"],
            f"{' | '.join(k['sources'])} → {' | '.join(k['targets'])}",
            ", ".join(k["properties"]),
        )
    out.print(table)


# ---------------------------------------------------------------------------- audit
