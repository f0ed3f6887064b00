"""`constellation commitments`, run as users run it: a table for people (by signer or by
goal, stale ones marked), the API's JSON for programs, and clear refusals."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from constellation.analysis.commitments import commitments_report
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


def direct(url, **kwargs):
    store = Store(url)
    try:
        with store.repository() as repo:
            G = load_graph(repo, "la-compact", TODAY)
            return commitments_report(G, **kwargs).model_dump(mode="json")
    finally:
        store.close()


def line_with(out, *words):
    return next(line for line in out.splitlines() if all(w in line for w in words))


def test_by_signer_as_a_table(demo_db):
    code, out, _ = run("commitments", "-w", "la-compact", "--db", demo_db)
    assert code == 0, out
    assert "Commitments by signer on 2026-06-01 (14; 2 stale)" in out
    header = line_with(out, "signer", "commitment", "goal", "status", "last note")
    assert header.index("signer") < header.index("commitment") < header.index("goal")
    csun = line_with(out, "California State University,", "Prepare high-quality", "2025-02-10")
    assert "in progress" in csun and "stale 15 months" in csun
    usc = line_with(out, "University of Southern", "Prepare high-quality")
    assert "withdrawn" in usc and "stale" not in usc
    assert "not started" in line_with(out, "Develop/improve data sharing", "none", "stale")
    assert "Every commitment withdrawn or stale: University of Southern California" in out
    assert "no progress note in 12 months" in out


def test_by_goal_as_a_table(demo_db):
    code, out, _ = run("commitments", "-w", "la-compact", "--db", demo_db, "--by", "goal")
    assert code == 0, out
    header = line_with(out, "goal", "commitment", "signer", "status")
    assert header.index("goal") < header.index("commitment") < header.index("signer")
    lines = out.splitlines()
    first = [i for i, line in enumerate(lines) if "All students graduate" in line][0]
    no_goal = [i for i, line in enumerate(lines) if "(no goal)" in line][0]
    assert first < no_goal
    assert "UNITE-LA" in lines[no_goal] and "Lead the ongoing management" in lines[no_goal]


def test_json_is_what_the_api_returns(demo_db):
    for by in ("signer", "goal"):
        code, out, _ = run(
            "commitments", "-w", "la-compact", "--db", demo_db, "--by", by, "-f", "json"
        )
        assert code == 0
        assert json.loads(out) == direct(demo_db, by=by)


def test_the_stale_line_and_the_date(demo_db):
    code, out, _ = run(
        "commitments", "-w", "la-compact", "--db", demo_db, "-f", "json",
        "--param", "stale_commitment_months=240",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["stale"] == 0
    code, out, _ = run(
        "commitments", "-w", "la-compact", "--db", demo_db, "-f", "json", "--as-of", "2019-01-01"
    )
    body = json.loads(out)
    assert body["as_of"] == "2019-01-01"
    csun = next(
        c
        for g in body["groups"]
        for c in g["commitments"]
        if (c["signer"]["id"], c["id"]) == ("csu-northridge", "teacher-preparation")
    )
    assert csun["progress"] == [] and csun["last_progress"] is None  # its notes come later


def test_mistakes_are_refused_clearly(demo_db):
    code, _, err = run(
        "commitments", "-w", "la-compact", "--db", demo_db,
        "--param", "stale_commitment_months=0",
    )  # fmt: skip
    assert code == 1 and "stale_commitment_months" in err
    code, _, err = run("commitments", "-w", "la-compact", "--db", demo_db, "--by", "sector")
    assert code == 2 and "--by" in err
    code, _, err = run("commitments", "-w", "nowhere", "--db", demo_db)
    assert code == 1 and "nowhere" in err


def test_a_workspace_without_commitments_says_so(demo_db):
    code, out, _ = run("commitments", "-w", "achieve-escambia", "--db", demo_db)
    assert code == 0 and "No signer has commitments on record." in out
