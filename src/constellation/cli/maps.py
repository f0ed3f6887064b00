"""The command that draws the interactive map."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from constellation.cli.common import (
    DbOption,
    WorkspaceOption,
    _date,
    _fail,
    _repository,
    app,
    day,
    out,
    resolve_workspace,
)
from constellation.viz.measures import SIZE_MEASURES, SizeMeasure


@app.command("map")
def map_(
    workspace: WorkspaceOption = None,
    out_file: Annotated[
        Path, typer.Option("--out", "-o", help="The HTML file to write.", dir_okay=False)
    ] = Path("map.html"),
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(
            "--as-of",
            parser=day,
            metavar="YYYY-MM-DD",
            help="The date the map opens at, audits and sizes "
            "by (YYYY-MM-DD; default today). Its date filter shows the others.",
            show_default=False,
        ),
    ] = None,
    size_by: Annotated[
        SizeMeasure,
        typer.Option(
            "--size-by", help="What a node's size shows: " + ", ".join(SIZE_MEASURES) + "."
        ),
    ] = SIZE_MEASURES[0],
    title: Annotated[
        str | None,
        typer.Option(
            help="The page's heading (default: the workspace's name).", show_default=False
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Draw the workspace as an interactive map: one self-contained HTML file, offline.

    The page the HTTP service serves at /api/workspaces/W/map: kinds in colour, findings
    marked on their nodes, filters, search and details, every record whatever its dates.
    """
    import time

    from constellation.services import maps
    from constellation.services.network import Network

    started = time.perf_counter()
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        html = maps.page(Network(repo, ws), _date(as_of), size_by=size_by, title=title)
    try:
        out_file.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {out_file}: {exc.strerror or exc}") from None
    size = out_file.stat().st_size
    shown = f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"
    out.print(
        f"Wrote the map of [bold]{ws}[/] to {out_file.resolve()} ({shown}, "
        f"{time.perf_counter() - started:.1f} s). Open it in a browser; it needs no "
        "network.",
        highlight=False,
    )
