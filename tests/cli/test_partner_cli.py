"""`constellation token create --role partner`: the link alone on the last line, working as
a Bearer token for its organization; clear refusals of what a link cannot be."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from constellation.cli import app
from constellation.config import Settings

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None):
    result = runner.invoke(app, list(args), env={"COLUMNS": "200", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def demo_db(db_url, demo_databases):
    return demo_databases.copy_to(db_url, actor="demo")


def test_the_link_is_printed_alone_on_the_last_line_and_works(demo_db):
    code, out, err = run(
        "token", "create", "--role", "partner", "-w", "la-compact",
        "--organization", "Homeboy Industries", "--expires", "2030-06-30",
        "--url", "https://map.example.org", "--db", demo_db,
    )  # fmt: skip
    assert code == 0, err
    lines = out.strip().splitlines()
    prefix = "https://map.example.org/partner.html?w=la-compact#token="
    assert lines[-1].startswith(prefix)
    assert "organization homeboy-industries" in out and "2030-07-01 00:00 UTC" in out
    secret = lines[-1][len(prefix) :]
    client = TestClient(create_app(Settings(database_url=demo_db)))
    view = client.get(
        "/api/workspaces/la-compact/partner", headers={"Authorization": f"Bearer {secret}"}
    )
    assert view.status_code == 200 and view.json()["organization"]["id"] == "homeboy-industries"
    assert view.json()["expires_at"].startswith("2030-07-01T00:00:00")

    code, out, _ = run("token", "list", "--format", "json", "--db", demo_db)
    listed = [t for t in json.loads(out) if t["role"] == "partner"]
    assert [(t["organization"], t["workspace"]) for t in listed] == [
        ("homeboy-industries", "la-compact")
    ]


def test_without_an_expiry_the_link_works_ninety_days(demo_db):
    code, out, err = run(
        "token", "create", "--role", "partner", "-w", "la-compact",
        "--organization", "unite-la", "--db", demo_db,
    )  # fmt: skip
    assert code == 0, err
    stops = dt.date.today() + dt.timedelta(days=91)
    assert f"It works until {stops:%Y-%m-%d} 00:00 UTC." in out
    assert (
        out.strip().splitlines()[-1].startswith("http://localhost:8000/partner.html?w=la-compact#")
    )


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--organization", "unite-la"], 2, "needs --workspace and --organization"),
        (["-w", "la-compact"], 2, "needs --workspace and --organization"),
        (["-w", "la-compact", "--organization", "youth-leadership"], 1, "is a constellation"),
        (["-w", "la-compact", "--organization", "Nobody"], 1, "Nobody"),
        (
            ["-w", "la-compact", "--organization", "unite-la", "--expires", "2001-01-01"],
            1,
            "passed",
        ),
        (["-w", "la-compact", "--organization", "unite-la", "--expires", "soon"], 2, "soon"),
    ],
)
def test_what_a_link_cannot_be_is_refused_clearly(demo_db, args, code, says):
    got, out, err = run("token", "create", "--role", "partner", *args, "--db", demo_db)
    assert got == code, err
    assert says in err
    assert "Traceback" not in err
    code, out, _ = run("token", "list", "--format", "json", "--db", demo_db)
    assert [t for t in json.loads(out) if t["role"] == "partner"] == []


def test_an_organization_is_only_for_a_partner_link(demo_db):
    code, _, err = run(
        "token", "create", "--role", "editor", "--organization", "unite-la", "--db", demo_db
    )
    assert code == 2 and "--role partner" in err
