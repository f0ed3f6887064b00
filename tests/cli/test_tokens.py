"""Tokens from the command line: the secret once, on the last line; listed without it."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from constellation.cli import app
from constellation.store import Store
from constellation.store.tokens import Role

runner = CliRunner()


def run(*args):
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_token_create_prints_the_secret_alone_on_the_last_line(db_url):
    store = Store(db_url)
    with store.repository() as repo:
        repo.create_workspace("la")
    code, out, _ = run(
        "token",
        "create",
        "--role",
        "editor",
        "--workspace",
        "la",
        "--name",
        "Carrie's laptop",
        "--db",
        db_url,
    )
    assert code == 0
    secret = out.rstrip("\n").splitlines()[-1]
    assert secret.startswith("cst_") and " " not in secret
    with store.repository() as repo:
        caller = repo.authenticate(secret)
    assert (caller.role, caller.workspace, caller.name) == (Role.EDITOR, "la", "Carrie's laptop")
    code, listed, _ = run("token", "list", "--db", db_url, "--format", "json")
    rows = json.loads(listed)
    assert rows[0]["name"] == "Carrie's laptop" and rows[0]["workspace"] == "la"
    assert secret not in listed and secret.split("_", 2)[2] not in listed
    prefix = rows[0]["prefix"]
    code, out, _ = run("token", "revoke", prefix, "--db", db_url)
    assert code == 0 and "revoked" in out
    with store.repository() as repo:
        assert repo.authenticate(secret) is None
    store.close()


def test_token_errors_are_clear(sqlite_url):
    code, _, err = run(
        "token", "create", "--role", "editor", "--workspace", "nowhere", "--db", sqlite_url
    )
    assert code == 1 and "no workspace 'nowhere'" in err
    code, _, err = run("token", "create", "--role", "owner", "--db", sqlite_url)
    assert code == 2 and "owner" in err
    code, _, err = run("token", "revoke", "deadbeef", "--db", sqlite_url)
    assert code == 1 and "no token 'deadbeef'" in err
