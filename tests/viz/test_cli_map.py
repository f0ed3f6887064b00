"""`constellation map`, run as users run it."""

from __future__ import annotations

from typer.testing import CliRunner

from constellation.cli import app
from tests.viz.conftest import page_data

runner = CliRunner()


def test_map_writes_one_file_and_says_where(demo, db_url, tmp_path):
    out = tmp_path / "la.html"
    result = runner.invoke(
        app,
        [
            "map",
            "--db",
            db_url,
            "--workspace",
            "la-compact",
            "--out",
            str(out),
            "--as-of",
            "2017-05-23",
            "--size-by",
            "betweenness",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert str(out.resolve()) in result.stdout.replace("\n", "")
    size = out.stat().st_size  # the file's size, in the unit that suits it
    shown = f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"
    assert f"({shown}," in result.stdout.replace("\n", " ")
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["meta"]["as_of"] == "2017-05-23" and data["meta"]["size_by"] == "betweenness"
    assert data["meta"]["title"] == "L.A. Compact \u2014 the map"
    assert data["meta"]["save_url"] is None  # a static file saves layouts in the browser


def test_map_refuses_what_it_cannot_do(demo, db_url, tmp_path):
    result = runner.invoke(app, ["map", "--db", db_url, "--out", str(tmp_path / "m.html")])
    assert result.exit_code == 1 and "several workspaces" in result.stderr
    result = runner.invoke(app, ["map", "--db", db_url, "-w", "la-compact", "--size-by", "x"])
    assert result.exit_code == 2
    result = runner.invoke(
        app,
        ["map", "--db", db_url, "-w", "la-compact", "--out", str(tmp_path / "missing" / "m.html")],
    )
    assert result.exit_code == 1 and "cannot write" in result.stderr
    result = runner.invoke(app, ["map", "--db", db_url, "-w", "nowhere"])
    assert result.exit_code == 1 and "no workspace 'nowhere'" in result.stderr
