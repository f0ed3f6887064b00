"""`constellation import` tells its progress on large files: a Rich bar on a terminal, one
plain line a stage otherwise (a log, a pipe), nothing on small files."""

from __future__ import annotations

import json
import os
import pathlib
import pty
import shutil
import subprocess
import sys

from typer.testing import CliRunner

from constellation.cli import app
from constellation.cli.transfer import PROGRESS_ROWS

runner = CliRunner()


def native(path: pathlib.Path, n: int) -> pathlib.Path:
    doc = {
        "format": "constellation",
        "version": 1,
        "workspace": {"slug": "big", "name": "Big"},
        "nodes": [
            {"id": f"org-{i}", "kind": "organization", "label": f"Organization {i}"}
            for i in range(n)
        ],
        "edges": [],
    }
    path.write_text(json.dumps(doc))
    return path


def test_a_large_import_off_a_terminal_prints_plain_stage_lines(tmp_path, sqlite_url):
    rows = PROGRESS_ROWS + 100
    result = runner.invoke(
        app, ["import", str(native(tmp_path / "big.json", rows)), "--db", sqlite_url]
    )
    assert result.exit_code == 0, result.output
    assert f"Checking every row and writing: 0 of {rows:,} rows" in result.stderr
    assert f"Done: {rows:,} of {rows:,} rows" in result.stderr
    assert "\x1b[" not in result.stderr  # no terminal codes in a log


def test_a_small_import_prints_no_progress(tmp_path, sqlite_url):
    result = runner.invoke(
        app, ["import", str(native(tmp_path / "small.json", 10)), "--db", sqlite_url]
    )
    assert result.exit_code == 0, result.output
    assert "rows (" not in result.stderr
    assert "Imported small.json" in result.stdout


def test_a_large_import_on_a_terminal_draws_a_rich_bar(tmp_path, sqlite_url):
    rows = PROGRESS_ROWS + 100
    path = native(tmp_path / "big.json", rows)
    exe = shutil.which("constellation", path=str(pathlib.Path(sys.executable).parent))
    assert exe
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [exe, "import", str(path), "--db", sqlite_url],
        stdout=subprocess.PIPE,
        stderr=follower,
        env=os.environ | {"TERM": "xterm", "COLUMNS": "120"},
    )
    os.close(follower)
    drawn = b""
    while True:  # read as it is drawn, so the terminal's buffer never fills
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command ended and closed its end
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    proc.communicate(timeout=300)
    assert proc.returncode == 0
    screen = drawn.decode(errors="replace")
    assert "Checking every row and writing" in screen
    assert f"of {rows:,} rows" in screen
    assert "\x1b[" in screen  # drawn and redrawn in place, not printed as lines
    assert "Checking every row and writing: 0 of" not in screen  # not the plain lines
