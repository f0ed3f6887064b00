"""The command line, run as users run it: in-process through Typer's runner, and once as a
real process from the installed console script."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from constellation.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_db(db_url, demo_databases):
    """`db_url` holding what `constellation demo` builds there (a copy of this run's build)."""
    return demo_databases.copy_to(db_url, actor="demo")


def test_demo_prints_both_workspaces_and_how_to_look(demo_db):
    code, out, _ = run("demo", "--db", demo_db)
    assert code == 0
    assert "la-compact" in out and "achieve-escambia" in out
    assert "0 created, 0 updated" in out  # the second run changes nothing
    assert "constellation nodes --workspace la-compact" in out


def test_workspaces_json(demo_db):
    code, out, _ = run("workspaces", "--db", demo_db, "--format", "json")
    assert code == 0
    listed = {w["slug"]: w for w in json.loads(out)}
    assert set(listed) == {"la-compact", "achieve-escambia"}
    assert listed["la-compact"]["nodes"] > 50 and listed["la-compact"]["public_read"]


def test_nodes_json_has_ids_kinds_labels_and_properties(demo_db):
    code, out, _ = run(
        "nodes", "--db", demo_db, "-w", "la-compact", "--kind", "constellation", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    labels = {r["label"] for r in rows}
    assert {"L.A. Educator Pathways Partnership", "Health Sector Collaborative"} <= labels
    assert all({"id", "kind", "label", "properties"} <= set(r) for r in rows)
    assert {r["kind"] for r in rows} == {"constellation"}


def test_edges_json_and_filters(demo_db):
    code, out, _ = run(
        "edges", "--db", demo_db, "-w", "la-compact", "--kind", "convenes", "--format", "json"
    )
    assert code == 0
    rows = json.loads(out)
    assert rows and all({"id", "kind", "source", "target", "properties"} <= set(r) for r in rows)
    assert any(r["source"] == "unite-la" for r in rows)
    code, out, _ = run(
        "edges", "--db", demo_db, "-w", "la-compact", "--node", "unite-la", "--format", "json"
    )
    assert all("unite-la" in (r["source"], r["target"]) for r in json.loads(out))


def test_as_of_filters_by_validity(demo_db):
    code, out, _ = run(
        "nodes",
        "--db",
        demo_db,
        "-w",
        "la-compact",
        "--kind",
        "constellation",
        "--as-of",
        "2009-01-01",
        "--format",
        "json",
    )
    early = {r["id"] for r in json.loads(out)}
    code, out, _ = run(
        "nodes", "--db", demo_db, "-w", "la-compact", "--kind", "constellation", "--format", "json"
    )
    now = {r["id"] for r in json.loads(out)}
    assert early < now


def test_table_output_reads_well(demo_db):
    code, out, _ = run("nodes", "--db", demo_db, "-w", "achieve-escambia", "--kind", "goal")
    assert code == 0
    for goal in (
        "Kindergarten Readiness",
        "Academic Success",
        "Graduation Rate",
        "Career Readiness",
    ):
        assert goal in out


def test_clear_errors(demo_db):
    code, _, err = run("nodes", "--db", demo_db)
    assert code == 1 and "several workspaces" in err and "la-compact" in err
    code, _, err = run("nodes", "--db", demo_db, "-w", "nowhere")
    assert code == 1 and "no workspace 'nowhere'" in err
    code, _, err = run("nodes", "--db", demo_db, "-w", "la-compact", "--kind", "planet")
    assert code == 1 and "unknown node kind 'planet'" in err
    code, _, err = run("nodes", "--db", demo_db, "-w", "la-compact", "--as-of", "yesterday")
    assert code == 2 and "yesterday" in err


def test_db_upgrade_and_current(sqlite_url):
    code, out, _ = run("db", "upgrade", "--db", sqlite_url)
    assert code == 0 and "schema at 0003" in out and "was empty" in out
    code, out, _ = run("db", "current", "--db", sqlite_url)
    assert "database: 0003" in out
    code, out, _ = run("db", "downgrade", "base", "--db", sqlite_url)
    assert "base (empty)" in out


def test_schema_command_lists_the_vocabulary():
    code, out, _ = run("schema", "--format", "json")
    doc = json.loads(out)
    assert {k["name"] for k in doc["edge_kinds"]} >= {"convenes", "funds", "related_to"}


def test_console_script_runs_as_a_real_process(tmp_path):
    exe = shutil.which("constellation", path=str(pathlib.Path(sys.executable).parent))
    assert exe, "the console script is installed with the package"
    env = os.environ | {"CONSTELLATION_DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"}
    result = subprocess.run(
        [exe, "demo"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "la-compact" in result.stdout
    assert (tmp_path / "c.db").exists()
