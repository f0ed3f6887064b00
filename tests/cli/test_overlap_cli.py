"""`constellation overlap` and `constellation stages`, run as users run them: a table for
people, the API's JSON for programs, and a clear refusal of a bad parameter."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from constellation.analysis.overlap import overlap
from constellation.analysis.stages import network_stages
from constellation.cli import app
from constellation.graph import load_graph
from constellation.store import Store
from tests.helpers.dates import TODAY

runner = CliRunner()

pytestmark = pytest.mark.usefixtures("pinned_today")


def run(*args: str):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_db(db_url, demo_databases):
    return demo_databases.copy_to(db_url, actor="demo")


def direct(url, fn, workspace):
    store = Store(url)
    try:
        with store.repository() as repo:
            return fn(load_graph(repo, workspace, TODAY)).model_dump(mode="json")
    finally:
        store.close()


def test_overlap_as_a_table(demo_db):
    code, out, _ = run("overlap", "-w", "achieve-escambia", "--db", demo_db)
    assert code == 0, out
    assert "Active constellations that share partners (14 pairs; 1 share none)" in out
    first = next(line for line in out.splitlines() if line.startswith("│  1 │"))
    assert "Career Readiness CAN + Industry Certification Work Group" in first
    assert "56% of 9; 100% of 5" in first
    assert "Organizations in more than one group" in out
    assert "Ranked by shared: the number of member organizations" in out


def test_overlap_as_json_is_what_the_api_returns(demo_db):
    code, out, _ = run("overlap", "-w", "la-compact", "--db", demo_db, "--format", "json")
    assert code == 0
    body = json.loads(out)
    assert body == direct(demo_db, overlap, "la-compact")
    assert body["pairs"][0]["shared"] >= body["pairs"][-1]["shared"]
    assert all(p["organizations"] and p["shared"] == len(p["organizations"]) for p in body["pairs"])


def test_stages_as_a_table_and_json(demo_db):
    code, out, _ = run("stages", "-w", "achieve-escambia", "--db", demo_db)
    assert code == 0
    career = next(line for line in out.splitlines() if "Career" in line and "Readiness" in line)
    assert "4/7" in career and "stalled" in career and "2019-05-01" in career
    code, out, _ = run("stages", "-w", "achieve-escambia", "--db", demo_db, "-f", "json")
    assert code == 0 and json.loads(out) == direct(demo_db, network_stages, "achieve-escambia")


def test_a_bad_threshold_is_refused_by_name(demo_db):
    code, _, err = run(
        "stages", "-w", "achieve-escambia", "--db", demo_db, "--param", "stalled_after_months=0"
    )
    assert code != 0 and "stalled_after_months" in err
