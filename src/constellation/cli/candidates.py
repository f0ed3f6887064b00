"""The command that helps choose a convener: `constellation candidates`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from constellation.cli.common import (
    AsOfOption,
    DbOption,
    Format,
    FormatOption,
    WorkspaceOption,
    _date,
    _fail,
    _print_json,
    _repository,
    app,
    out,
    resolve_workspace,
)
from constellation.services.network import Network


@app.command()
def candidates(
    constellation: Annotated[
        str | None,
        typer.Argument(
            help="The constellation (id or exact label). Leave out to describe a new one "
            "with --goal and --issue-area.",
            show_default=False,
        ),
    ] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(help="A goal the group works on (id or label; repeat).", show_default=False),
    ] = None,
    issue_area: Annotated[
        list[str] | None,
        typer.Option(
            "--issue-area", help="An issue area the group works in (repeat).", show_default=False
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many to show.")] = 10,
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Organizations that could convene a constellation, ranked on seed 001's convener
    criteria (skills, bandwidth, fit, content knowledge), and why.

    JSON output is what `GET …/constellations/{id}/candidates` returns: a list of
    {"organization": {"id", "label"}, "score", "criteria", "reason"}, best first.
    """
    from constellation.services.candidates import candidates as rank

    if constellation is None and not (goal or issue_area):
        raise _fail("name a constellation, or describe a new one with --goal or --issue-area")
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        found = rank(
            Network(repo, ws),
            constellation,
            goals=goal,
            issue_areas=issue_area,
            limit=limit,
            as_of=_date(as_of),
        )
    if format == Format.json:
        _print_json([c.model_dump(mode="json") for c in found])
        return
    who = constellation or "a new constellation"
    if not found:
        out.print(f"No organization could convene {who}.")
        return
    table = Table(title=f"Who could convene {who}", title_justify="left")
    for col in ("#", "score", "organization", "why (skills; bandwidth; fit; content knowledge)"):
        table.add_column(col, overflow="fold", justify="right" if col in ("#", "score") else "left")
    for i, c in enumerate(found, 1):
        table.add_row(str(i), f"{c.score:g}", c.organization.label, c.reason)
    out.print(table)
