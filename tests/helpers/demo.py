"""The demo networks as test databases: each built once per test run and engine, then copied.

Loading both demos through the bulk path costs about 0.3 s; a test that only needs them
there gets a copy instead, in a millisecond on SQLite (the file, with `shutil`) and a few on
PostgreSQL (the template schema's rows, into the test's own freshly migrated schema). Every
copy is the test's own: it may write to it freely.

A template is built the first time a test asks for it, keyed on the engine, the demos it
holds and the actor its change log names, so that each test sees exactly the data it used
to load itself.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from constellation.demo import DEMOS, load_demo
from constellation.store import Store
from constellation.store.tables import Base

__all__ = ["DemoDatabases", "pg_schema_url"]

Key = tuple[str, tuple[str, ...], str | None]


def pg_schema_url(base_url: str, schema: str) -> str:
    """`base_url` with its connections' search path set to `schema`."""
    sep = "&" if "?" in base_url else "?"
    return f"{base_url}{sep}options=-csearch_path%3D{schema}"


def load(store: Store, demos: tuple[str, ...] = DEMOS, actor: str | None = None) -> Store:
    """Load `demos` into `store` the ordinary way, in one transaction."""
    with store.repository(actor=actor) as repo:
        for name in demos:
            load_demo(repo, name)
    return store


class DemoDatabases:
    """This run's demo templates: SQLite files in `folder`, PostgreSQL schemas at `pg_url`."""

    def __init__(self, folder: Path, pg_url: str):
        self.folder = folder
        self.pg_url = pg_url
        self._templates: dict[Key, str] = {}  # a SQLite file, or a PostgreSQL schema

    def copy_to(self, url: str, demos: tuple[str, ...] = DEMOS, actor: str | None = None) -> str:
        """Put the demo database at `url`: a SQLite path nothing has opened yet, or a fresh,
        empty PostgreSQL schema (the `pg_url` fixture's). Returns `url`."""
        engine = make_url(url).get_backend_name()
        template = self._template(engine, tuple(demos), actor)
        if engine == "sqlite":
            target = Path(make_url(url).database)
            if target.exists():
                raise FileExistsError(
                    f"{target} is already open as a database; ask for the demo copy before "
                    f"the store (use the `demo_store` fixture instead of `store`)"
                )
            for suffix in ("", "-wal"):
                if Path(template + suffix).exists():
                    shutil.copyfile(template + suffix, str(target) + suffix)
        else:
            self._copy_schema(template, url)
        return url

    def sqlite(self, path: Path, demos: tuple[str, ...] = DEMOS, actor: str | None = None) -> str:
        """A SQLite URL at `path` holding a copy of the demo database."""
        return self.copy_to(f"sqlite:///{path}", demos, actor)

    def close(self) -> None:
        """Drop the PostgreSQL template schemas (the SQLite files go with their folder)."""
        schemas = [t for (engine, *_), t in self._templates.items() if engine != "sqlite"]
        if schemas:
            admin = create_engine(self.pg_url)
            with admin.begin() as conn:
                for schema in schemas:
                    conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            admin.dispose()
        self._templates.clear()

    # ------------------------------------------------------------------ internals

    def _template(self, engine: str, demos: tuple[str, ...], actor: str | None) -> str:
        key = (engine, demos, actor)
        if key not in self._templates:
            self._templates[key] = (
                self._build_sqlite(demos, actor)
                if engine == "sqlite"
                else self._build_pg(demos, actor)
            )
        return self._templates[key]

    def _build_sqlite(self, demos: tuple[str, ...], actor: str | None) -> str:
        path = self.folder / f"demo-{len(self._templates)}.db"
        load(Store(f"sqlite:///{path}"), demos, actor).close()  # closing checkpoints the WAL
        return str(path)

    def _build_pg(self, demos: tuple[str, ...], actor: str | None) -> str:
        schema = f"demo_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.pg_url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        load(Store(pg_schema_url(self.pg_url, schema)), demos, actor).close()
        return schema

    @staticmethod
    def _copy_schema(template: str, url: str) -> None:
        """Migrate the target schema as any store would, then copy every table's rows from
        the template in foreign-key order and move each key sequence past what was copied."""
        store = Store(url)
        try:
            with store.engine.begin() as conn:
                for table in Base.metadata.sorted_tables:
                    columns = ", ".join(f'"{c.name}"' for c in table.columns)
                    conn.execute(
                        text(
                            f'INSERT INTO "{table.name}" ({columns}) '
                            f'SELECT {columns} FROM "{template}"."{table.name}"'
                        )
                    )
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'pk'), "
                            f'coalesce(max(pk), 0) + 1, false) FROM "{table.name}"'
                        )
                    )
        finally:
            store.close()
