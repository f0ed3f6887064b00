"""`nodes` and `edges` for people: a column per useful property of the kind listed, ties
named by their ends' labels, dates of validity, and a long list cut with the count of what
is left out (JSON lists everything)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from constellation.store import Store

runner = CliRunner()

pytestmark = pytest.mark.usefixtures("pinned_today")


@pytest.fixture
def demo_db(db_url, demo_databases):
    return demo_databases.copy_to(db_url, actor="demo")


def run(*args: str) -> tuple[int, str]:
    from constellation.cli import app

    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    return result.exit_code, result.stdout


def row(out: str, label: str) -> list[str]:
    """The cells of the table row that starts with `label`."""
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip()[1:-1].split("│")]
        if cells and cells[0] == label:
            return cells
    raise AssertionError(f"no row for {label!r} in:\n{out}")


def header(out: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith("┃"))
    return [c.strip() for c in line.strip()[1:-1].split("┃")]


def test_constellations_show_their_type_status_and_dates(demo_db):
    code, out = run("nodes", "-w", "la-compact", "--kind", "constellation", "--db", demo_db)
    assert code == 0
    assert header(out)[:4] == ["label", "id", "constellation type", "status"]
    with Store(demo_db).repository() as repo:
        group = repo.get_node("la-compact", "joint-advocacy")
    cells = dict(zip(header(out), row(out, group.label), strict=True))
    assert cells["id"] == group.id
    assert cells["status"] == group.properties["status"]
    assert cells["constellation type"] == group.properties["constellation_type"]
    assert "{" not in out  # no JSON in the table


def test_grants_show_their_ends_by_label_and_their_amounts(demo_db):
    code, out = run("edges", "-w", "la-compact", "--kind", "funds", "--db", demo_db)
    assert code == 0
    assert header(out)[:4] == ["from", "to", "amount", "currency"]
    with Store(demo_db).repository() as repo:
        grant = repo.get_edge(
            "la-compact", "aspen-institute--funds--la-opportunity-youth-collaborative"
        )
        funder = repo.get_node("la-compact", grant.source).label
    cells = dict(zip(header(out), row(out, funder), strict=True))
    assert cells["amount"] == f"{grant.properties['amount']:,.0f}"
    assert cells["valid"] == f"{grant.valid_from} – {grant.valid_to}"
    assert grant.id.startswith(cells["id"])  # a long id folds onto the next line


def test_a_long_list_is_cut_with_the_count_left_out(demo_db):
    code, out = run("edges", "-w", "la-compact", "--db", demo_db)
    assert code == 0
    with Store(demo_db).repository() as repo:
        total = repo.count_edges("la-compact")
    assert total > 100
    assert out.splitlines()[0].strip() == f"{total} edge(s) in la-compact"
    assert f"… and {total - 100} more: narrow the list" in out
    assert "kind" in header(out) and "details" in header(out)
    code, out = run("edges", "-w", "la-compact", "--db", demo_db, "--format", "json")
    assert len(json.loads(out)) == total
    code, out = run("nodes", "-w", "la-compact", "--db", demo_db, "--limit", "3")
    with Store(demo_db).repository() as repo:
        nodes = repo.count_nodes("la-compact")
    assert f"… and {nodes - 3} more: narrow the list" in out


def test_diff_names_the_ties_by_their_ends_labels(demo_db):
    code, out = run("diff", "2016-01-01", "2017-06-01", "-w", "la-compact", "--db", demo_db)
    assert code == 0
    said = " ".join(out.split())
    code, raw = run(
        "diff", "2016-01-01", "2017-06-01", "-w", "la-compact", "--db", demo_db, "-f", "json"
    )
    first = json.loads(raw)["edges"]["added"][0]
    assert first["source_label"] != first["source"]
    tie = f"{first['source_label']} {first['kind'].replace('_', ' ')} {first['target_label']}"
    assert tie in said
    assert f"{first['source']} {first['kind']}" not in said


def test_whatif_says_the_question_by_labels(demo_db):
    code, out = run(
        "whatif",
        "--without",
        "unite-la",
        "--disband",
        "joint-advocacy",
        "-w",
        "la-compact",
        "--db",
        demo_db,
    )
    assert code == 0
    with Store(demo_db).repository() as repo:
        group = repo.get_node("la-compact", "joint-advocacy").label
    first = " ".join(out.splitlines()[0].split())
    assert first.startswith(f"la-compact: if UNITE-LA leaves; {group} disbands — health ")
