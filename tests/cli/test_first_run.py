"""A first run that guides: `make demo PORT=…` serves on that port and installs only what the
program needs; the hints `constellation demo` prints are the command as it must be typed."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def dry_run(*args: str) -> list[str]:
    """The recipe `make` would run (`make -n`), with every target treated as out of date."""
    result = subprocess.run(
        ["make", "-n", "-B", "--no-print-directory", "-C", str(ROOT), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_make_demo_serves_on_the_port_given():
    assert dry_run("demo", "PORT=8123")[-1] == ".venv/bin/constellation serve --demo --port 8123"
    assert dry_run("demo")[-1] == ".venv/bin/constellation serve --demo --port 8000"


def test_make_demo_installs_the_runtime_only_and_make_test_the_test_tools():
    demo = [line for line in dry_run("demo") if "pip install" in line]
    assert demo[-1].endswith("pip install --quiet -e .")
    test = [line for line in dry_run("test") if "pip install" in line]
    assert test[-1].endswith('pip install --quiet -e ".[test,dev]"')


def test_the_hints_are_the_command_as_it_must_be_typed(tmp_path):
    exe = shutil.which("constellation", path=str(pathlib.Path(sys.executable).parent))
    assert exe
    db = f"sqlite:///{tmp_path / 'hints.db'}"
    result = subprocess.run(
        [os.path.relpath(exe, ROOT), "demo", "--db", db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ | {"COLUMNS": "60", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    typed = os.path.relpath(exe, ROOT)
    hints = result.stdout.split("Look at it:\n", 1)[1].splitlines()
    assert hints[0] == f"  {typed} audit --workspace achieve-escambia --db {db}"
    assert hints[-1] == (f"  {typed} serve --demo --db {db}   (then open http://localhost:8000/)")
