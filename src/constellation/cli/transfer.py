"""Commands that move data in and out: import and export."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.table import Table

from constellation.cli.common import (
    DbOption,
    WorkspaceOption,
    _fail,
    _repository,
    app,
    err,
    out,
    resolve_workspace,
)
from constellation.cli.lazy import lazy_module
from constellation.errors import InvalidRecords

if TYPE_CHECKING:
    from constellation.cli import formats
else:  # the format registry: read when `import` or `export` runs or shows its help
    formats = lazy_module("constellation.cli.formats")

PROGRESS_ROWS = 2000
"""Files of more rows than this get a progress bar."""

AUTO_FORMAT = cast("formats.ImportFormat", "auto")
"""The default --format, as the string of `formats.AUTO` (Typer turns it into the member):
naming the member would load the format registry at start-up."""


def _problem_lines(exc: InvalidRecords) -> str:
    """Every problem, one a line (the library's own message stops at 50)."""
    head = f"{len(exc.problems)} problem(s); nothing was written:"
    return head + "\n" + "\n".join(f"  - {p}" for p in exc.problems)


def _ids(ids: list[str], most: int = 8) -> str:
    shown = ", ".join(ids[:most])
    return shown + (f" … (+{len(ids) - most} more)" if len(ids) > most else "")


PROGRESS_LABELS = {
    "reading": "Reading the file",
    "checking": "Checking every row and writing",
    "done": "Done",
}


@contextmanager
def _progress_bar() -> Iterator[Any]:
    """The import's stages on stderr, once the file turns out to hold more than
    PROGRESS_ROWS rows (small files print nothing): a Rich progress bar when stderr is a
    terminal, otherwise one plain line a stage (no escape codes in a log or a pipe)."""
    if not err.is_terminal:
        yield _plain_progress()
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,} of {task.total:,} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )
    task = None

    def update(stage: str, done: int, total: int | None) -> None:
        nonlocal task
        label = PROGRESS_LABELS.get(stage, stage)
        if task is None:
            if not total or total <= PROGRESS_ROWS:
                return
            task = bar.add_task(label, total=total)
            bar.start()
        bar.update(task, description=label, total=total or None, completed=done)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()


def _plain_progress() -> Any:
    """progress(stage, done, total) writing one line a stage to stderr, for large files."""
    started: list[float] = []

    def update(stage: str, done: int, total: int | None) -> None:
        import time

        if not started:
            if not total or total <= PROGRESS_ROWS:
                return
            started.append(time.monotonic())
        seconds = time.monotonic() - started[0]
        print(
            f"{PROGRESS_LABELS.get(stage, stage)}: {done:,} of {total or 0:,} rows "
            f"({seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    return update


@app.command("import")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="The file to import; for CSV tables the node table, then the edge table.",
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
        ),
    ],
    workspace: Annotated[
        str | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Workspace to import into; created if missing (default: the "
            "one in a native file, the only one in the database, or one named after the file).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        formats.ImportFormat,
        typer.Option("--format", "-f", help=formats.IMPORT_HELP),
    ] = AUTO_FORMAT,
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="YAML or JSON file mapping foreign types to kinds (see README, Import and "
            "export).",
            exists=True,
            dir_okay=False,
            readable=True,
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run", help="Check everything and show what would change; write nothing."
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Import a network: Kumu, a spreadsheet, GraphML, GEXF, CSV tables, 360Giving, native.

    All or nothing: if any row is wrong, nothing is written and every problem is listed
    with its file, sheet, row and column. Importing the same file twice changes nothing the
    second time.
    """
    from constellation.io import import_files, load_mapping, workspace_for

    if len(files) > 2:
        raise _fail("import takes one file, or two (a node table and an edge table)")
    payload = [(f.name, f.read_bytes()) for f in files]
    the_mapping = None
    if mapping is not None:
        try:
            the_mapping = load_mapping(mapping.name, mapping.read_bytes())
        except InvalidRecords as exc:
            raise _fail(_problem_lines(exc)) from None
    with _repository(db, actor="import") as repo:
        ws = workspace or workspace_for(repo, payload)
        try:
            with _progress_bar() as progress:
                report = import_files(
                    repo,
                    ws,
                    payload,
                    format=format.value,
                    mapping=the_mapping,
                    dry_run=dry_run,
                    progress=progress,
                )
        except InvalidRecords as exc:
            raise _fail(_problem_lines(exc)) from None
    counts = report.counts()
    verb = "would be" if dry_run else "were"
    title = (
        f"Dry run: nothing was written to {ws}"
        if dry_run
        else f"Imported {', '.join(report.files)} ({report.format}) into {ws}"
    )
    out.print(title, highlight=False)
    table = Table()
    for col in ("", "created", "updated", "unchanged"):
        table.add_column(col, justify="left" if not col else "right")
    for what in ("nodes", "edges"):
        c = counts[what]
        table.add_row(what, str(c["created"]), str(c["updated"]), str(c["unchanged"]))
    out.print(table)
    if report.workspace_created:
        out.print(f"Workspace {ws} {'would be' if dry_run else 'was'} created.", highlight=False)
    if dry_run:
        for what in ("nodes", "edges"):
            for change in ("created", "updated"):
                ids = getattr(report, f"{what}_{change}")
                if ids:
                    out.print(f"{what} that {verb} {change}: {_ids(ids)}", highlight=False)
    for m in report.matched:
        out.print(
            f"{m.label!r} ({m.incoming}) {'would update' if dry_run else 'updated'} {m.node}, "
            f"matched by {m.by}",
            highlight=False,
        )
    for twins in report.possible_duplicates:
        err.print(
            f"[yellow]Possible duplicate:[/] {' and '.join(twins)} are ties of one kind between "
            "the same two records at overlapping dates; all were kept (end or delete one if "
            "they say the same thing)",
            highlight=False,
        )
    for note in report.notes:
        err.print(f"[yellow]Note:[/] {note}", highlight=False)


@app.command("export")
def export(
    format: Annotated[
        formats.ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help=formats.EXPORT_HELP,
        ),
    ],
    workspace: WorkspaceOption = None,
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Where to write; '-' for standard output (default: a file named "
            "after the workspace).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Export a workspace for Kumu, Gephi, yEd, Cytoscape, a spreadsheet or a backup."""
    from constellation.io import export_workspace

    with _repository(db) as repo:
        ws = resolve_workspace(repo, workspace)
        content, media_type, filename = export_workspace(repo, ws, format.value)
    if out_file is not None and str(out_file) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    target = out_file or Path(filename)
    try:
        target.write_bytes(content)
    except OSError as exc:
        raise _fail(f"cannot write {target}: {exc.strerror}") from None
    err.print(
        f"Wrote {ws} as {format.value} to {target} ({len(content):,} bytes, {media_type})",
        highlight=False,
    )


# ---------------------------------------------------------------------------- map
