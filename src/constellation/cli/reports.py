"""Commands for the stewardship meeting: the indicator curves and the meeting packet."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

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
    _table,
    app,
    day,
    err,
    out,
    resolve_workspace,
)
from constellation.report import ReportFormat


def _num(value: float | None, unit: str | None = None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" + ("%" if unit == "percent" else "")


@app.command()
def indicators(
    workspace: WorkspaceOption = None,
    goal: Annotated[
        str | None,
        typer.Option(
            help="Only the indicators measuring this goal (id or label).", show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
    window: Annotated[
        int, typer.Option(min=2, max=50, help="Fit the forecast on this many latest values.")
    ] = 3,
    db: DbOption = None,
    format: FormatOption = Format.table,
) -> None:
    """Each indicator: latest value, change since baseline, distance to target, whether the
    trend reaches the target by its date, and the widest gap between groups.

    JSON output is exactly what `GET /api/workspaces/{w}/indicators` returns.
    """
    from constellation.services.indicators import indicator_report
    from constellation.services.network import Network

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = indicator_report(
            Network(repo, ws), _date(as_of), goal=goal, params={"forecast_window": window}
        )
    if format == Format.json:
        _print_json(report.model_dump(mode="json"))
        return
    title = f"Indicators of {ws} as of {report.as_of}"
    if report.goal:
        title += f" measuring {report.goal.label!r}"
    table = _table(
        title, "indicator", "latest", "since baseline", "to target", "by target date", "widest gap"
    )
    for t in report.indicators:
        latest = f"{_num(t.latest.value, t.unit)} ({t.latest.date})" if t.latest else "no data"
        if t.reaches_target is None:
            by_date = "—"
        else:
            by_date = ("reaches" if t.reaches_target else "misses") + f" by {t.target_date}"
        table.add_row(
            t.label,
            latest,
            _num(t.change_since_baseline),
            _num(t.distance_to_target),
            by_date,
            t.widest_gap.message if t.widest_gap else "—",
        )
    out.print(table)
    if not report.indicators:
        out.print("No indicator.")


@app.command()
def report(
    workspace: WorkspaceOption = None,
    as_of: AsOfOption = None,
    since: Annotated[
        dt.datetime | None,
        typer.Option(
            parser=day,
            metavar="YYYY-MM-DD",
            help="Show what changed since this date (default: 90 days before --as-of).",
            show_default=False,
        ),
    ] = None,
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the packet here (default: standard output).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="html or pdf (needs WeasyPrint).")
    ] = ReportFormat.html,
    db: DbOption = None,
) -> None:
    """The meeting packet: health, findings, who convenes what, the map, the indicator
    curves, funding and the changes since --since, as one HTML page or a PDF.

    The HTML is self-contained (it loads nothing) and prints one section per page.
    """
    from constellation.services.network import Network
    from constellation.services.report import packet_document

    if format == ReportFormat.pdf and out_file is None and sys.stdout.isatty():
        raise _fail("a PDF does not belong on a terminal; give --out FILE")
    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        document = packet_document(Network(repo, ws), _date(as_of), _date(since), format=format)
    if out_file is None:
        sys.stdout.buffer.write(document)
        sys.stdout.flush()
        return
    try:
        out_file.write_bytes(document)
    except OSError as exc:
        raise _fail(f"cannot write {str(out_file)!r}: {exc.strerror or exc}") from None
    err.print(
        f"Wrote the {format.value.upper()} packet of {ws} to {out_file} ({len(document):,} bytes)."
    )
