"""`constellation import` and `constellation export`, run as a user runs them."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from constellation.cli import app
from tests.helpers.imports import do_import

from .test_kumu import paypal_like

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_dry_run_then_import_then_nothing_changes(db_url, tmp_path):
    book = tmp_path / "paypal-mafia.xlsx"
    book.write_bytes(paypal_like())
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("node_kinds: {Company: organization}\ndefault_edge_kind: related_to\n")
    code, out, err = run(
        "import", str(book), "--mapping", str(mapping), "--dry-run", "--db", db_url, "-w", "paypal"
    )
    assert code == 0, err
    assert "Dry run: nothing was written" in out and "would be created" in out
    assert "roelof-botha" in out
    code, out, err = run("workspaces", "--db", db_url, "--format", "json")
    assert json.loads(out) == []
    code, out, err = run(
        "import", str(book), "--mapping", str(mapping), "--db", db_url, "-w", "paypal"
    )
    assert code == 0, err
    assert "Imported paypal-mafia.xlsx (kumu) into paypal" in out
    assert "Workspace paypal was created." in out
    assert "(ignore)" in err  # the note about the skipped sheet
    code, out, err = run(
        "import", str(book), "--mapping", str(mapping), "--db", db_url, "-w", "paypal"
    )
    assert code == 0
    assert "│ nodes │       0 │       0 │         7 │" in out


def test_import_refused_lists_every_problem(db_url, tmp_path):
    rows = ["Label,Type,Sector"] + [f"Org {i},Organization,planet {i}" for i in range(60)]
    elements = tmp_path / "elements.csv"
    elements.write_text("\n".join(rows) + "\n")
    code, out, err = run("import", str(elements), "--db", db_url, "-w", "big")
    assert code == 1
    assert "60 problem(s); nothing was written" in err
    assert "elements.csv row 2, column Sector" in err
    assert "elements.csv row 61, column Sector" in err  # not cut at 50
    code, out, err = run("workspaces", "--db", db_url, "--format", "json")
    assert json.loads(out) == []


def test_bad_mapping_file_is_reported(db_url, tmp_path):
    elements = tmp_path / "e.csv"
    elements.write_text("Label,Type\nA,Firm\n")
    mapping = tmp_path / "m.yaml"
    mapping.write_text("node_kinds: {Firm: company}\n")
    code, out, err = run("import", str(elements), "--mapping", str(mapping), "--db", db_url)
    assert code == 1
    assert "m.yaml" in err and "'company' is not a node kind" in err


def test_export_every_format_to_a_file_and_native_back_in(db_url, tmp_path, store):
    do_import(
        store,
        "la",
        [
            ("e.csv", b"Label,Type\nUNITE-LA,Organization\nData,Constellation\n"),
            ("c.csv", b"From,To,Type\nUNITE-LA,Data,convenes\n"),
        ],
    )
    for fmt in (
        "native",
        "kumu",
        "kumu-xlsx",
        "kumu-csv",
        "graphml",
        "gexf",
        "cytoscape",
        "csv",
        "360giving",
    ):
        target = tmp_path / f"out-{fmt}"
        code, out, err = run(
            "export", "--db", db_url, "-w", "la", "--format", fmt, "--out", str(target)
        )
        assert code == 0, err
        assert target.stat().st_size > 0 and f"as {fmt} to" in err
    code, out, err = run("export", "--db", db_url, "--format", "native", "--out", "-")
    doc = json.loads(out)
    assert doc["workspace"]["slug"] == "la" and len(doc["nodes"]) == 2
    backup = tmp_path / "backup.json"
    backup.write_text(out)
    other = str(tmp_path / "other.db")
    code, out, err = run("import", str(backup), "--db", f"sqlite:///{other}")
    assert code == 0, err
    assert "into la" in out  # the workspace named in the document


def test_export_unknown_format_is_refused(db_url):
    code, out, err = run("export", "--db", db_url, "--format", "pdf")
    assert code == 2 and "pdf" in err


def test_progress_is_reported_for_large_files(store):
    rows = "label,kind\n" + "".join(f"Org {i},organization\n" for i in range(3000))
    seen = []
    do_import(
        store,
        "big",
        [("n.csv", rows.encode())],
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    assert [s[0] for s in seen] == ["reading", "checking", "done"]
    assert seen[-1] == ("done", 3000, 3000)
