"""`constellation candidates`, run as users run it: a named group, a described one, and the
mistakes people make, each with a clear message and a failing exit code."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from constellation.cli import app

runner = CliRunner()

pytestmark = pytest.mark.usefixtures("pinned_today")


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_db(db_url, demo_databases):
    return demo_databases.copy_to(db_url, actor="demo")


def test_a_table_for_a_named_constellation(demo_db):
    code, out, _ = run(
        "candidates", "Subsidized Jobs Workgroup", "-w", "la-compact", "--db", demo_db
    )
    assert code == 0
    assert "Who could convene Subsidized Jobs Workgroup" in out
    assert "Homeboy Industries" in out


def test_json_for_a_described_constellation(demo_db):
    code, out, _ = run(
        "candidates",
        "--goal",
        "Kindergarten Readiness",
        "-w",
        "achieve-escambia",
        "--db",
        demo_db,
        "--format",
        "json",
        "--limit",
        "2",
    )
    assert code == 0
    found = json.loads(out)
    assert len(found) == 2 and list(found[0]) == ["organization", "score", "criteria", "reason"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name a constellation, or describe a new one"),
        (("nobody",), "no constellation 'nobody'"),
        (("unite-la",), "not a constellation"),
        (("--issue-area", "nowhere"), "no issue area 'nowhere'"),
    ],
)
def test_mistakes_are_refused_with_a_message(demo_db, args, message):
    code, out, err = run("candidates", *args, "-w", "la-compact", "--db", demo_db)
    assert code != 0
    assert message in " ".join((out + err).split())
