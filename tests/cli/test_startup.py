"""The command line starts without importing what its commands use: `constellation --help`
lists every command from its docstring, and a command's own help imports only what its
options name. Each run is a real process of the installed console script, whose imports
Python itself reports (``-X importtime``)."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest
import typer

from constellation.cli import app

HEAVY = ("sqlalchemy", "alembic", "networkx", "igraph", "pandas", "matplotlib", "pyvis")
HEAVY += ("fastapi", "pydantic", "yaml")


def imported(*args: str) -> tuple[set[str], str]:
    """The top-level packages a run of ``constellation ARGS`` imported, and what it printed."""
    exe = shutil.which("constellation", path=str(pathlib.Path(sys.executable).parent))
    assert exe, "the console script is installed with the package"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", exe, *args],
        capture_output=True,
        text=True,
        env=os.environ | {"COLUMNS": "100"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    names = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "typer" in names and "constellation" in names  # the report is read
    return names, result.stdout


def test_help_imports_none_of_the_libraries_the_commands_use():
    names, out = imported("--help")
    assert sorted(names & set(HEAVY)) == []
    for command in ("demo", "audit", "map", "nodes", "import", "export", "serve", "db", "token"):
        assert f"\n  {command} " in out  # the listing (plain: its output is no terminal)


def test_every_command_is_listed_with_the_help_it_shows_once_built():
    group = typer.main.get_command(app)
    listed = {name: group.commands[name].help for name in app.unbuilt}
    assert len(listed) > 20
    for name, help_text in listed.items():
        assert help_text and app.build(name).help == help_text, name


@pytest.mark.parametrize(
    ("command", "shown", "absent"),
    [
        # the choices of --size-by come from viz.measures, which needs no networkx to name them
        ("map", "degree|betweenness|partners", ("sqlalchemy", "networkx", "igraph")),
        # the kinds come from the vocabulary (pydantic models); the store stays unloaded
        ("nodes", "organization", ("sqlalchemy", "networkx")),
        ("backup", "json|sqlite", ("networkx", "matplotlib")),
    ],
)
def test_a_commands_help_imports_what_its_options_name_and_no_more(command, shown, absent):
    names, out = imported(command, "--help")
    assert shown in out
    assert sorted(names & set(absent)) == []


def test_the_defaults_kept_as_strings_name_members():
    """Two defaults are written as strings so that naming them imports nothing."""
    from constellation.cli import backup, formats, transfer
    from constellation.services.backup import BackupKind

    assert formats.ImportFormat(transfer.AUTO_FORMAT).value == formats.AUTO
    assert BackupKind(backup.JSON_BACKUP) is BackupKind.json
