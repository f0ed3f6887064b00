"""The format registry: every format it lists is offered everywhere, and knows its own files.

The samples are the registry's own exports of the L.A. Compact demo, so each reader is
shown a file its format's writer made, not one written by hand for the test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from constellation.cli import app as cli_app
from constellation.config import Settings
from constellation.demo import load_demo
from constellation.io import (
    EXPORT_FORMATS,
    FORMATS,
    IMPORT_FORMATS,
    UnreadableFile,
    detect_format,
    export_workspace,
    import_files,
)
from constellation.store import Store

READ = [f.name for f in FORMATS if f.read is not None]
WRITTEN_ONLY = [f.name for f in FORMATS if f.read is None]
EXPORTS = [(f.name, e.name) for f in FORMATS for e in f.exports]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """A SQLite file holding the L.A. Compact demo (recognising a file needs no PostgreSQL)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('registry') / 'demo.db'}"
    store = Store(url)
    with store.repository() as repo:
        load_demo(repo, "la-compact")
    yield url, store
    store.close()


@pytest.fixture(scope="module")
def samples(demo_db):
    """export name -> (file name, bytes), the demo written by every export."""
    _, store = demo_db
    out = {}
    with store.repository() as repo:
        for name in EXPORT_FORMATS:
            content, _, filename = export_workspace(repo, "la-compact", name)
            out[name] = (filename, content)
    return out


def test_every_format_reads_or_says_why_not():
    for fmt in FORMATS:
        assert fmt.exports or fmt.read is not None, fmt.name
        assert (fmt.read is None) == (fmt.not_read is not None), fmt.name
        assert fmt.sniff is not None and fmt.description and fmt.title, fmt.name
    assert IMPORT_FORMATS == ("auto", *READ)


@pytest.mark.parametrize("fmt, export", EXPORTS)
def test_each_export_is_recognised_as_its_format(fmt, export, samples, tmp_path):
    """Every export imports again (format auto) as the format that wrote it, or, for a format
    that is only written, is refused with that format's reason."""
    filename, content = samples[export]
    target = Store(f"sqlite:///{tmp_path / 'again.db'}")
    try:
        if fmt in WRITTEN_ONLY:
            with pytest.raises(UnreadableFile, match="does not import"):
                detect_format(filename, content)
            return
        with target.repository() as repo:
            report = import_files(repo, "again", [(filename, content)], dry_run=True)
        assert report.format == fmt
        assert report.nodes_created, f"{export} brought back no node"
    finally:
        target.close()


def _choices(command: str) -> list[str]:
    """The --format choices the command's help shows (wide enough for one line)."""
    result = CliRunner().invoke(cli_app, [command, "--help"], env={"COLUMNS": "400"})
    line = next(x for x in result.stdout.splitlines() if "--format" in x)
    return re.search(r"<([^>]*)>", line).group(1).split("|")


def test_the_command_line_offers_every_format(demo_db, samples, tmp_path):
    """--format offers every registered name; each export writes its file, and each format
    with a reader imports what its exports wrote."""
    assert _choices("import") == list(IMPORT_FORMATS)
    assert _choices("export") == list(EXPORT_FORMATS)
    url, _ = demo_db
    runner = CliRunner()
    for fmt, export in EXPORTS:
        target = tmp_path / samples[export][0]
        result = runner.invoke(
            cli_app, ["export", "--db", url, "-w", "la-compact", "-f", export, "-o", str(target)]
        )
        assert result.exit_code == 0, result.stderr
        if not samples[export][1].startswith(b"PK"):  # a zip or workbook holds timestamps
            assert target.read_bytes() == samples[export][1]
        if fmt in WRITTEN_ONLY:
            continue
        result = runner.invoke(
            cli_app,
            [
                "import",
                str(target),
                "-f",
                fmt,
                "--dry-run",
                "--db",
                f"sqlite:///{tmp_path / 'n.db'}",
            ],
        )
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith("Dry run")


def test_the_api_lists_every_format_with_its_record(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'api.db'}")
    with TestClient(create_app(settings)) as client:
        listing = client.get("/api/formats").json()
        openapi = client.get("/openapi.json").json()
    assert listing["import"] == list(IMPORT_FORMATS)
    assert [e["name"] for e in listing["export"]] == list(EXPORT_FORMATS)
    for row in listing["export"]:
        export = EXPORT_FORMATS[row["name"]]
        assert (row["media_type"], row["suffix"], row["description"]) == (
            export.media_type,
            export.suffix,
            export.description,
        )
        assert export in FORMATS[row["format"]].exports
    assert [f["name"] for f in listing["import_formats"]] == READ
    for row in listing["import_formats"]:
        assert row["suffixes"] == list(FORMATS[row["name"]].suffixes)
    answer = openapi["paths"]["/api/formats"]["get"]["responses"]["200"]["content"]
    assert answer["application/json"]["schema"] == {"$ref": "#/components/schemas/FormatList"}
    imported = openapi["paths"]["/api/workspaces/{workspace}/import"]["post"]["responses"]["200"]
    assert imported["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ImportReport"
    }


@pytest.mark.parametrize(
    "name, content, expected",
    [
        # an indicator's data source and target value are properties in a Kumu sheet
        ("elements.csv", b"ID,Label,Type,source,target\nx,Rate,Indicator,BLS,90\n", "kumu"),
        ("edges.csv", b"source,target,label\na,b,convenes\n", "csv"),
        ("nodes.csv", b"Label,Kind\nUNITE-LA,organization\n", "csv"),
        ("people.txt", b"name;sector\nUNITE-LA;business\n", "csv"),
    ],
)
def test_csv_tables_and_kumu_sheets_are_told_apart(name, content, expected):
    assert detect_format(name, content) == expected


ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_table_names_every_format():
    """The README's table of formats (written by hand, for its detail) stays true."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("| format | import | export (`--format`) | what it is |", 1)[1]
    table = table.split("\n\n", 1)[0]
    rows = [line.split(" | ") for line in table.splitlines() if line.startswith("| ")][1:]
    imports = {n for r in rows for n in re.findall(r"`([\w-]+)`", r[1])}
    exports = {n for r in rows for n in re.findall(r"`([\w-]+)`", r[2])}
    assert imports == set(IMPORT_FORMATS) - {"auto"}
    assert exports == set(EXPORT_FORMATS)


def test_no_io_module_reaches_into_another():
    """Shared helpers have their own modules; nothing imports another module's private names,
    and no io module is private to the others."""
    folder = ROOT / "src" / "constellation" / "io"
    for path in folder.glob("*.py"):
        assert path.name == "__init__.py" or not path.name.startswith("_"), path.name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("constellation"):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"
