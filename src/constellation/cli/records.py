"""Commands that list what a workspace holds: workspaces, nodes, edges and the vocabulary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

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
    _short,
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
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        rows = repo.query_nodes(
            ws,
            kind=kind,
            tag=tag,
            text=search,
            properties=_parse_props(prop),
            as_of=as_of.date() if as_of else None,
            include_archived=archived,
            limit=limit,
        )
    if format == Format.json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    table = _table(f"{len(rows)} node(s) in {ws}", "id", "kind", "label", "properties", "tags")
    for r in rows:
        table.add_row(r.id, r.kind, r.label, _short(r.properties), ", ".join(r.tags))
    out.print(table)


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
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        rows = repo.query_edges(
            ws,
            kind=kind,
            node=node,
            tag=tag,
            properties=_parse_props(prop),
            as_of=as_of.date() if as_of else None,
            include_archived=archived,
            limit=limit,
        )
    if format == Format.json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    table = _table(
        f"{len(rows)} edge(s) in {ws}", "source", "kind", "target", "properties", "valid"
    )
    for r in rows:
        valid = f"{r.valid_from or '…'} – {r.valid_to or '…'}"
        table.add_row(
            r.source, r.kind, r.target, _short(r.properties), "" if valid == "… – …" else valid
        )
    out.print(table)


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
