"""Fixtures for both engines: every store test runs on a fresh SQLite file and on a fresh
PostgreSQL schema. PostgreSQL tests skip with the reason when no server answers, except in
CI (``CI`` set), where a missing server fails the run."""

from __future__ import annotations

import datetime as dt
import os
import uuid

# Rich sizes tables from COLUMNS when output is not a terminal; wide enough that a label
# is never wrapped mid-phrase in the CLI tests.
os.environ["COLUMNS"] = "200"

import pytest
import time_machine
from sqlalchemy import create_engine, text

from constellation.store import Store
from tests.helpers.dates import TODAY
from tests.helpers.demo import DemoDatabases, pg_schema_url

PG_URL = os.environ.get(
    "CONSTELLATION_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = bool(os.environ.get("CI"))


def _pg_reason() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure to connect
        return (
            f"no PostgreSQL server at {PG_URL} ({exc.__class__.__name__}); set "
            f"CONSTELLATION_TEST_PG_URL to point at one"
        )


_PG_REASON = _pg_reason()


@pytest.fixture(scope="session")
def pg_available() -> None:
    if _PG_REASON:
        if IN_CI:
            pytest.fail("PostgreSQL is mandatory in CI: " + _PG_REASON)
        pytest.skip(_PG_REASON)


@pytest.fixture
def pg_url(pg_available):
    """A URL whose connections live in a fresh, empty schema of their own."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield pg_schema_url(PG_URL, schema)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'constellation.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request):
    """A fresh database URL on each engine."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture
def repo(store):
    """A repository in a transaction that commits at the end of the test."""
    with store.repository(actor="test") as r:
        yield r


@pytest.fixture(scope="session")
def demo_databases(tmp_path_factory):
    """The demo networks, built once per run and engine (see `tests.helpers.demo`)."""
    databases = DemoDatabases(tmp_path_factory.mktemp("demo-templates"), PG_URL)
    yield databases
    databases.close()


@pytest.fixture
def demo_store(db_url, demo_databases):
    """A store at `db_url` holding both demo networks: this test's own copy."""
    s = Store(demo_databases.copy_to(db_url))
    yield s
    s.close()


@pytest.fixture
def pinned_today():
    """Today is `tests.helpers.dates.TODAY`: the clock starts at its noon (UTC) and runs on,
    so what a test leaves to the default date is the same every day, and never straddles
    midnight."""
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)):
        yield TODAY


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test: the map's and the web pages'."""
    from tests.browser import ARGS, CHROMIUM, SCREENSHOTS, missing

    reason = missing()
    if reason:
        if IN_CI:
            pytest.fail("the browser tests are mandatory in CI: " + reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()
