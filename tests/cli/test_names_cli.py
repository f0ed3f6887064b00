"""Names that forgive: a misspelt name is refused (a failing exit, nothing guessed) and the
message offers the closest names; a date in another shape, and an unknown threshold, are
answered with what to type. Piped, each error is one plain line on stderr."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from constellation.cli import app

runner = CliRunner()

pytestmark = pytest.mark.usefixtures("pinned_today")


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, " ".join(result.stderr.split())


@pytest.fixture
def demo_db(db_url, demo_databases):
    return demo_databases.copy_to(db_url, actor="demo")


def test_a_misspelt_organization_is_refused_with_the_closest_name(demo_db):
    code, out, err = run(
        "recommend", "Los Angeles Unified School Distric", "-w", "la-compact", "--db", demo_db
    )
    assert code == 1 and out == ""
    assert (
        "no organization 'Los Angeles Unified School Distric' in workspace 'la-compact'; "
        "did you mean 'Los Angeles Unified School District'?" in err
    )


def test_a_name_typed_in_part_is_offered_every_close_match(demo_db):
    code, _, err = run(
        "funding", "California Comunity Foundatio", "-w", "la-compact", "--db", demo_db
    )
    assert code == 1
    assert "did you mean 'California Community Foundation'?" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("whatif", "--disband", "Digital Equity Task Forse"), "no constellation"),
        (("whatif", "--stop-convening", "UNITE LA"), "did you mean 'UNITE-LA'?"),
        (("whatif", "--without", "UNITE LA"), "no node 'UNITE LA'"),
        (("candidates", "--goal", "Graduation Rte"), "no goal 'Graduation Rte'"),
        (
            ("indicators", "--goal", "All students graduate from hgh school"),
            "did you mean 'All students graduate from high school'?",
        ),
    ],
)
def test_every_question_that_takes_a_name_offers_the_closest(demo_db, args, message):
    code, _, err = run(*args, "-w", "la-compact", "--db", demo_db)
    assert code == 1
    assert message in err


def test_nothing_near_is_refused_without_a_guess(demo_db):
    code, _, err = run("recommend", "Zzyzx Qwerty", "-w", "la-compact", "--db", demo_db)
    assert code == 1
    assert err == "Error: no organization 'Zzyzx Qwerty' in workspace 'la-compact'"


def test_an_unknown_workspace_lists_the_workspaces(demo_db):
    code, _, err = run("audit", "-w", "la-compac", "--db", demo_db)
    assert code == 1
    assert err == (
        "Error: no workspace 'la-compac'; did you mean 'la-compact'? "
        "(the workspaces: achieve-escambia, la-compact)"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("audit", "-w", "la-compact", "--as-of", "2017/05/23"),
        ("nodes", "-w", "la-compact", "--as-of", "23-05-2017"),
        ("map", "-w", "la-compact", "--as-of", "May 2017"),
        ("diff", "2016-01-01", "2017-13-01", "-w", "la-compact"),
    ],
)
def test_a_date_in_another_shape_is_answered_with_the_shape_to_use(demo_db, args):
    code, _, err = run(*args, "--db", demo_db)
    assert code == 2
    assert "is not a date: use YYYY-MM-DD, e.g. 2024-05-01" in err


def test_an_unknown_threshold_lists_the_valid_names(demo_db):
    code, _, err = run("audit", "-w", "la-compact", "--param", "max_convened=2", "--db", demo_db)
    assert code == 1
    assert "bad --param: max_convened: unknown threshold; the thresholds are: " in err
    assert "max_active_convened, partners_per_fte" in err


def test_piped_errors_are_plain_lines_a_script_can_read(demo_db):
    exe = shutil.which("constellation", path=str(pathlib.Path(sys.executable).parent))
    assert exe
    env = os.environ | {"COLUMNS": "40"}  # narrow: a wrapped message would break inside a name
    usage = subprocess.run(
        [exe, "audit", "-w", "la-compact", "--as-of", "2017/05/23", "--db", demo_db],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert usage.returncode == 2
    assert not set("╭│╰─") & set(usage.stderr)  # no box
    assert usage.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--as-of': '2017/05/23' is not a date: "
        "use YYYY-MM-DD, e.g. 2024-05-01"
    )
    named = subprocess.run(
        [exe, "recommend", "Los Angeles Unified School Distric", "-w", "la-compact"]
        + ["--db", demo_db],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert named.returncode == 1
    assert named.stderr.splitlines() == [
        "Error: no organization 'Los Angeles Unified School Distric' in workspace "
        "'la-compact'; did you mean 'Los Angeles Unified School District'?"
    ]
