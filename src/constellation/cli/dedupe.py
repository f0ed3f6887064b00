"""Commands that find duplicate organizations and merge one into another."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from constellation.cli.common import (
    DbOption,
    Format,
    FormatOption,
    WorkspaceOption,
    _print_json,
    _repository,
    app,
    out,
    resolve_workspace,
)
from constellation.services.network import Network


@app.command()
def dedupe(
    workspace: WorkspaceOption = None,
    kind: Annotated[
        str, typer.Option("--kind", help="The kind of node to look for duplicates of.")
    ] = "organization",
    threshold: Annotated[
        float | None,
        typer.Option(min=0, max=1, help="List pairs scoring at least this (default 0.85)."),
    ] = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Pairs of records that name one organization, with a score and the reasons, best first.

    JSON output: {"pairs": [{"a": {"id", "label"}, "b": {"id", "label"}, "score",
    "reasons", "details"}]}. Merge a pair with `constellation merge KEEP OTHER`.
    """
    from constellation.services import dedupe as service

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = service.dedupe(Network(repo, ws), kind, threshold)
    if format == Format.json:
        _print_json(report.model_dump(mode="json"))
        return
    if not report.pairs:
        out.print(f"[bold]No duplicate {kind} records found in {ws}.[/]")
        return
    table = Table(
        title=f"{len(report.pairs)} likely duplicate pair(s) in {ws}", title_justify="left"
    )
    for column in ("score", "a", "b", "why"):
        table.add_column(column, overflow="fold", justify="right" if column == "score" else "left")
    for p in report.pairs:
        table.add_row(
            f"{p.score:.2f}",
            f"{p.a.label} ({p.a.id})",
            f"{p.b.label} ({p.b.id})",
            "\n".join(f"{r}: {d}" for r, d in zip(p.reasons, p.details, strict=True)),
        )
    out.print(table)


@app.command()
def merge(
    keep: Annotated[str, typer.Argument(help="The record to keep (id or exact label).")],
    other: Annotated[
        str, typer.Argument(help="The record merged into it and deleted (id or exact label).")
    ],
    workspace: WorkspaceOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Merge OTHER into KEEP: its ties move to KEEP, its label is kept as an alias, and it is
    deleted, in one transaction that the change log shows as a merge."""
    from constellation.services import dedupe as service

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = service.merge(repo, ws, keep, other, dry_run=dry_run)
    if format == Format.json:
        _print_json(report.model_dump(mode="json"))
        return
    would = "would be" if dry_run else "were"
    out.print(
        f"{'Dry run: ' if dry_run else ''}{report.other} merged into {report.keep}: "
        f"{len(report.moved)} tie(s) {would} moved, {len(report.combined)} combined with "
        f"ties {report.keep} had, {len(report.dropped)} between the two ended."
    )
    if report.aliases:
        out.print(f"Aliases of {report.keep}: {', '.join(report.aliases)}.")
    for c in report.conflicts:
        out.print(f"[yellow]Kept[/] {c.record} {c.field} = {c.kept!r} (not {c.dropped!r}).")
    if dry_run:
        out.print("[dim]Nothing was written.[/]")
