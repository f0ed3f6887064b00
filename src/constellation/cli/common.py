"""What every group of commands shares: the app, the consoles, the common options, and the
helpers that open the store and turn library errors into clear messages."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from constellation.cli.lazy import LazyTyper
from constellation.errors import ConstellationError, InvalidQuestion, InvalidRecords

if TYPE_CHECKING:  # imported by the commands that use them, not at start-up
    from rich.table import Table

    from constellation.store import Repository

app = LazyTyper(
    name="constellation",
    help="Map, store and audit collective-impact partnerships: who signs, who convenes what, "
    "which constellations advance which goals.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    add_completion=False,
)

out = Console()
err = Console(stderr=True)
err.soft_wrap = not err.is_terminal  # a message piped to a script is one line, never wrapped


def day(value: str | dt.datetime) -> dt.datetime:
    """A date typed as YYYY-MM-DD (as a midnight `datetime`); another shape is answered
    with the shape to use."""
    if isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.strptime(str(value).strip(), "%Y-%m-%d")
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2024-05-01"
        ) from None


class Format(StrEnum):
    table = "table"
    json = "json"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $CONSTELLATION_DATABASE_URL or sqlite:///constellation.db).",
        show_default=False,
    ),
]
WorkspaceOption = Annotated[
    str | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace id; optional when the database holds one.",
        show_default=False,
    ),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table or json.")]
AsOfOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--as-of",
        parser=day,
        metavar="YYYY-MM-DD",
        help="Only what was valid on this date (YYYY-MM-DD).",
        show_default=False,
    ),
]
PropOption = Annotated[
    list[str] | None,
    typer.Option(help="key=value property filter; repeat for several.", show_default=False),
]
LimitOption = Annotated[int | None, typer.Option(min=1, show_default=False)]


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]Error:[/] {message}", highlight=False)
    return typer.Exit(code)


@contextmanager
def _repository(db: str | None, actor: str | None = "cli") -> Iterator[Repository]:
    """Open the store and a transaction; turn library errors into clear messages."""
    from constellation.config import get_settings
    from constellation.store import Store

    try:
        store = Store(db or get_settings().database_url)
    except Exception as exc:  # a bad URL or an unreachable server
        raise _fail(
            f"cannot open the database {db or get_settings().database_url!r}: {exc}"
        ) from None
    try:
        with store.repository(actor=actor) as repo:
            yield repo
    except InvalidQuestion as exc:
        raise _fail(exc.sentence()) from None
    except InvalidRecords as exc:
        raise _fail(str(exc)) from None
    except ConstellationError as exc:
        raise _fail(str(exc)) from None
    finally:
        store.close()


def resolve_workspace(repo: Repository, workspace: str | None) -> str:
    """The workspace named, or the only one there is."""
    if workspace:
        repo.get_workspace(workspace)
        return workspace
    slugs = [w.slug for w in repo.list_workspaces()]
    if len(slugs) == 1:
        return slugs[0]
    if not slugs:
        raise _fail("the database has no workspace yet; run `constellation demo` or import one")
    raise _fail(
        "the database holds several workspaces; pick one with --workspace: " + ", ".join(slugs)
    )


def typed_command() -> str:
    """This command as the user must type it again, for the hints printed: `constellation`
    when that name on the PATH is this program, else the path that was run
    (`.venv/bin/constellation` after `make demo`)."""
    import os
    import shutil
    from pathlib import Path

    ran = Path(sys.argv[0])
    if ran.parts[-3:] == ("constellation", "cli", "__main__.py"):  # python -m constellation.cli
        return f"{os.path.relpath(sys.executable)} -m constellation.cli"
    found = shutil.which("constellation")
    if found and ran.exists() and Path(found).resolve() == ran.resolve():
        return "constellation"
    if ran.name != "constellation" or not ran.exists():  # run from Python, not a shell
        return "constellation"
    shown = os.path.relpath(ran)
    if shown.startswith(".."):  # outside this directory: the whole path reads better
        return str(ran.resolve())
    return shown if "/" in shown else f"./{shown}"


def _parse_props(pairs: list[str] | None, option: str = "--prop") -> dict[str, Any]:
    from constellation.services.records import properties

    try:
        return properties(pairs)
    except InvalidQuestion as exc:
        raise _fail("; ".join(f"{option} {p.message}" for p in exc.problems)) from None


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _short(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(title: str, *columns: str) -> Table:
    """A titled listing whose long cells wrap instead of being cut off."""
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for col in columns:
        table.add_column(col, overflow="fold")
    return table


# ---------------------------------------------------------------------------- demo


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value else None
