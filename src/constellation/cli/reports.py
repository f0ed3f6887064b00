"""Commands for the stewardship meeting: the indicator curves and the meeting packet."""

from __future__ import annotations

from typing import Annotated

import typer

from constellation.cli.common import (
    AsOfOption,
    DbOption,
    Format,
    FormatOption,
    WorkspaceOption,
    _date,
    _print_json,
    _repository,
    _table,
    app,
    out,
    resolve_workspace,
)


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

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        report = indicator_report(
            repo, ws, as_of=_date(as_of), goal=goal, params={"forecast_window": window}
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
