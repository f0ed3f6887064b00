"""The benchmark suite: each hot path measured side by side with a raw baseline, in one run.

    .venv/bin/python scripts/bench.py [--sizes S,M,L] [--engines sqlite,postgresql] [--out FILE]

Sizes are generated partnership networks (`bench_network.generate`, fixed seed, about ten
edges a node): S 1,000 nodes, M 10,000, L 50,000 (and XL 100,000). For each size and engine
it measures, each figure the median of `--runs` runs and each ratio computed in the run:

* import of the native JSON document (`constellation.io.import_files`, the path of the CLI
  and the API) into a fresh database, against the raw driver writing the same rows into the
  same schema (its indexes) with one change-log row per record: `sqlite3.executemany` on
  SQLite, psycopg `COPY` on PostgreSQL;
* `load_graph` against a raw `SELECT` of the same rows into tuples, and against the raw
  `SELECT` + `json.loads` + the same networkx graph built directly;
* the full audit (all checks and figures, on the loaded graph) against the load alone;
* the API (`bench_api.api_rows`: real uvicorn, 32 clients) against a bare FastAPI endpoint
  on the same settings: GET one node, list 50 nodes, the cached audit and the cached map
  (requests a second and p99), and the first audit after a write against the cached one.

`ratio` is how close to the baseline: our rate ÷ the baseline's, or the baseline's time ÷
ours (1.0 as fast, higher better); null where a step has no baseline. The rows go to
`--out` as a JSON list of ``{step, size, engine, value, unit, baseline, baseline_value,
ratio}`` and are printed as a Markdown table. PostgreSQL runs in fresh schemas at
$CONSTELLATION_TEST_PG_URL (default 127.0.0.1:5432/test), dropped afterwards. Not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api import api_rows, editor_writes, row  # noqa: E402
from bench_import import PG_URL, drop_schema, pg_schema_url  # noqa: E402
from bench_network import generate  # noqa: E402

SIZES = {"S": 1_000, "M": 10_000, "L": 50_000, "XL": 100_000}
WORKSPACE = "bench"
AS_OF = dt.date(2026, 1, 1)  # bench_network draws every date before this day


def median_time(runs: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# ------------------------------------------------------------------ databases


@contextmanager
def fresh_database(engine: str, folder: str) -> Iterator[str]:
    """A URL of an empty database at the current schema: a new SQLite file, or a new
    PostgreSQL schema (dropped when the block ends)."""
    from constellation.store import Store

    if engine == "sqlite":
        fd, path = tempfile.mkstemp(suffix=".db", dir=folder)
        os.close(fd)
        os.unlink(path)
        url = f"sqlite:///{path}"
        schema = None
    else:
        url, schema = pg_schema_url()
    Store(url).close()  # migrations run here, outside any timing
    try:
        yield url
    finally:
        if schema:
            drop_schema(schema)
        elif engine == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(path + suffix).unlink(missing_ok=True)


def raw_connection(url: str) -> Any:
    """The driver's own connection to the database `url` names (SQLite with the pragmas
    the store sets; PostgreSQL in the schema the URL's search_path names)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        return conn
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    options = u.query.get("options")
    return psycopg.connect(
        host=u.host,
        port=u.port or 5432,
        user=u.username,
        password=u.password,
        dbname=u.database,
        options=options if isinstance(options, str) else None,
    )


# ------------------------------------------------------------------ import


def our_import(url: str, content: bytes) -> None:
    from constellation.io import import_files
    from constellation.store import Store

    store = Store(url)
    with store.repository(actor="bench", write=True) as repo:
        import_files(repo, WORKSPACE, [("network.json", content)])
    store.close()


def _raw_rows(doc: dict[str, Any], now: str) -> tuple[list[tuple[Any, ...]], ...]:
    """The rows the raw baselines write: nodes (without their workspace and key), edges
    (ends by id) and change-log entries, JSON as text."""
    d = json.dumps
    nodes = [
        (
            n["id"],
            n["kind"],
            n["label"],
            d(n.get("properties", {})),
            d(n.get("attributes", {})),
            d(n.get("tags", [])),
            n.get("valid_from"),
            n.get("valid_to"),
            1,
            now,
            now,
        )
        for n in doc["nodes"]
    ]
    edges = [
        (
            e["id"],
            e["kind"],
            e["source"],
            e["target"],
            d(e.get("properties", {})),
            d(e.get("attributes", {})),
            d(e.get("tags", [])),
            e.get("valid_from"),
            e.get("valid_to"),
            1,
            now,
            now,
        )
        for e in doc["edges"]
    ]
    changes = [
        (what, r["id"], "create", 1, "bench", now, d(r))
        for what, records in (("node", doc["nodes"]), ("edge", doc["edges"]))
        for r in records
    ]
    return nodes, edges, changes


NODE_COLS = "workspace_pk, id, kind, label, properties, attributes, tags, valid_from, valid_to, version, created_at, updated_at"  # noqa: E501
EDGE_COLS = "workspace_pk, id, kind, source_pk, target_pk, properties, attributes, tags, valid_from, valid_to, version, created_at, updated_at"  # noqa: E501
CHANGE_COLS = "workspace_pk, entity, entity_id, action, version, actor, at, after"


def raw_import(url: str, doc: dict[str, Any]) -> None:
    """The baseline: the same rows written by the driver alone, in one transaction."""
    now = dt.datetime.now(dt.UTC).isoformat()
    conn = raw_connection(url)
    nodes, edges, changes = _raw_rows(doc, now)
    if isinstance(conn, sqlite3.Connection):
        ws = conn.execute(
            "INSERT INTO workspaces (slug, name, public_read, revision, created_at, updated_at) "
            "VALUES (?, ?, 0, 1, ?, ?)",
            (WORKSPACE, WORKSPACE, now, now),
        ).lastrowid
        conn.executemany(
            f"INSERT INTO nodes ({NODE_COLS}) VALUES ({', '.join(['?'] * 12)})",
            [(ws, *n) for n in nodes],
        )
        pk = dict(conn.execute("SELECT id, pk FROM nodes WHERE workspace_pk = ?", (ws,)))
        conn.executemany(
            f"INSERT INTO edges ({EDGE_COLS}) VALUES ({', '.join(['?'] * 13)})",
            [(ws, e[0], e[1], pk[e[2]], pk[e[3]], *e[4:]) for e in edges],
        )
        conn.executemany(
            f"INSERT INTO changes ({CHANGE_COLS}) VALUES ({', '.join(['?'] * 8)})",
            [(ws, *c) for c in changes],
        )
        conn.commit()
        conn.close()
        return
    with conn, conn.cursor() as cur:
        cur.execute(
            "INSERT INTO workspaces (slug, name, public_read, revision, created_at, updated_at) "
            "VALUES (%s, %s, false, 1, %s, %s) RETURNING pk",
            (WORKSPACE, WORKSPACE, now, now),
        )
        ws = cur.fetchone()[0]
        with cur.copy(f"COPY nodes ({NODE_COLS}) FROM STDIN") as copy:
            for n in nodes:
                copy.write_row((ws, *n))
        cur.execute("ANALYZE nodes")  # as the store does: else each edge's key check scans
        cur.execute("SELECT id, pk FROM nodes WHERE workspace_pk = %s", (ws,))
        pk = dict(cur.fetchall())
        with cur.copy(f"COPY edges ({EDGE_COLS}) FROM STDIN") as copy:
            for e in edges:
                copy.write_row((ws, e[0], e[1], pk[e[2]], pk[e[3]], *e[4:]))
        with cur.copy(f"COPY changes ({CHANGE_COLS}) FROM STDIN") as copy:
            for c in changes:
                copy.write_row((ws, *c))
    conn.close()


def import_rows(
    engine: str, size: str, doc: dict[str, Any], content: bytes, folder: str, runs: int
) -> list[dict[str, Any]]:
    records = len(doc["nodes"]) + len(doc["edges"])

    def timed(fn: Callable[[str], None]) -> float:
        times = []
        for _ in range(runs):
            with fresh_database(engine, folder) as url:
                start = time.perf_counter()
                fn(url)
                times.append(time.perf_counter() - start)
        return statistics.median(times)

    ours = timed(lambda url: our_import(url, content))
    base = timed(lambda url: raw_import(url, doc))
    baseline = "sqlite3.executemany" if engine == "sqlite" else "psycopg COPY"
    return [
        row(
            "import native JSON",
            size,
            engine,
            records / ours,
            "rows/s",
            f"{baseline} of the same rows, indexes, change log",
            records / base,
            higher_is_better=True,
        )
    ]


# ------------------------------------------------------------------ load and audit


def _sql(conn: Any, sql: str) -> str:
    return sql if isinstance(conn, sqlite3.Connection) else sql.replace("?", "%s")


NODE_SQL = (
    "SELECT pk, id, kind, label, properties, tags, attributes, valid_from, valid_to, updated_at "
    "FROM nodes WHERE workspace_pk = ? AND archived_at IS NULL "
    "AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?) "
    "ORDER BY pk"
)
EDGE_SQL = (
    "SELECT id, kind, source_pk, target_pk, properties, valid_from, valid_to "
    "FROM edges WHERE workspace_pk = ? AND archived_at IS NULL "
    "AND (valid_from IS NULL OR valid_from <= ?) AND (valid_to IS NULL OR valid_to >= ?) "
    "ORDER BY pk"
)


def raw_select(conn: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The graph's rows by the driver alone, as tuples (on PostgreSQL psycopg decodes the
    JSON itself; on SQLite it stays text)."""
    cur = conn.cursor()
    cur.execute(_sql(conn, "SELECT pk FROM workspaces WHERE slug = ?"), (WORKSPACE,))
    ws = cur.fetchone()[0]
    day = AS_OF if not isinstance(conn, sqlite3.Connection) else AS_OF.isoformat()
    cur.execute(_sql(conn, NODE_SQL), (ws, day, day))
    nodes = cur.fetchall()
    cur.execute(_sql(conn, EDGE_SQL), (ws, day, day))
    edges = cur.fetchall()
    cur.close()
    return nodes, edges


def raw_graph(conn: Any) -> Any:
    """The raw SELECT, the JSON decoded, and the graph `load_graph` gives built directly
    (the same attributes through the same helpers)."""
    import networkx as nx

    from constellation.graph import _edge_data, _node_data

    nodes, edges = raw_select(conn)
    text = isinstance(conn, sqlite3.Connection)
    loads = json.loads
    day = dt.date.fromisoformat
    stamp = dt.datetime.fromisoformat

    def dec(v: Any) -> Any:
        return loads(v) if text else v

    def date(v: Any) -> Any:
        return day(v) if text and v is not None else v

    G = nx.MultiDiGraph(workspace=WORKSPACE, as_of=AS_OF)
    pk_to_id = {}
    items = []
    for pk, nid, kind, label, props, tags, attrs, vfrom, vto, updated in nodes:
        pk_to_id[pk] = nid
        data = _node_data(
            kind,
            label,
            dec(props),
            dec(tags),
            dec(attrs),
            date(vfrom),
            date(vto),
            stamp(updated) if text else updated,
            AS_OF,
        )
        items.append((nid, data))
    G.add_nodes_from(items)
    get = pk_to_id.get
    G.add_edges_from(
        (s, t, eid, _edge_data(kind, dec(props), date(vfrom), date(vto)))
        for eid, kind, spk, tpk, props, vfrom, vto in edges
        if (s := get(spk)) is not None and (t := get(tpk)) is not None
    )
    return G


def load_rows(url: str, engine: str, size: str, runs: int) -> list[dict[str, Any]]:
    from constellation.analysis.audit import run_audit
    from constellation.graph import load_graph
    from constellation.store import Store

    store = Store(url)

    def load() -> Any:
        with store.repository() as repo:
            return load_graph(repo, WORKSPACE, AS_OF)

    G = load()
    conn = raw_connection(url)
    H = raw_graph(conn)
    assert (G.number_of_nodes(), G.number_of_edges()) == (H.number_of_nodes(), H.number_of_edges())
    ours = median_time(runs, load)
    select_only = median_time(runs, lambda: raw_select(conn))
    built = median_time(runs, lambda: raw_graph(conn))
    conn.close()
    audits, loads = [], []
    for _ in range(runs):
        start = time.perf_counter()
        G = load()
        loads.append(time.perf_counter() - start)
        start = time.perf_counter()
        run_audit(G)
        audits.append(time.perf_counter() - start)
    store.close()
    load_alone = statistics.median(loads)
    return [
        row(
            "load_graph",
            size,
            engine,
            ours,
            "s",
            "raw SELECT into tuples",
            select_only,
            higher_is_better=False,
        ),
        row(
            "load_graph",
            size,
            engine,
            ours,
            "s",
            "raw SELECT + json.loads + the same networkx graph",
            built,
            higher_is_better=False,
        ),
        row(
            "full audit (all checks + figures, graph loaded)",
            size,
            engine,
            statistics.median(audits),
            "s",
            "load_graph alone",
            load_alone,
            higher_is_better=False,
        ),
    ]


# ------------------------------------------------------------------ the API


def api_step_rows(
    url: str, engine: str, size: str, runs: int, seconds: float
) -> list[dict[str, Any]]:
    token, write = editor_writes(url, WORKSPACE)
    return api_rows(
        url,
        WORKSPACE,
        "org-0",
        token,
        size=size,
        engine=engine,
        seconds=seconds,
        runs=runs,
        write=write,
    )


# ------------------------------------------------------------------ the table


def markdown(rows: list[dict[str, Any]]) -> str:
    def fmt(v: Any, unit: str) -> str:
        if v is None:
            return "—"
        if unit in ("rows/s", "req/s"):
            return f"{v:,.0f} {unit}"
        return f"{v * 1000:,.1f} ms" if v < 1 else f"{v:,.2f} s"

    lines = [
        "| step | size | engine | ours | baseline | baseline's | ratio |",
        "| --- | --- | --- | ---: | --- | ---: | ---: |",
    ]
    for r in rows:
        ratio = "—" if r["ratio"] is None else f"{r['ratio']:.2f}"
        lines.append(
            f"| {r['step']} | {r['size']} | {r['engine']} | {fmt(r['value'], r['unit'])} | "
            f"{r['baseline'] or '—'} | {fmt(r['baseline_value'], r['unit'])} | {ratio} |"
        )
    return "\n".join(lines)


STEPS = ("import", "load", "api")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S", help="of S, M, L, XL (default S)")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--out", default="bench.json", help="the rows as JSON (bench.json)")
    parser.add_argument("--runs", type=int, default=3, help="runs a figure is the median of")
    parser.add_argument("--seconds", type=float, default=3.0, help="of load per API run")
    parser.add_argument("--steps", default=",".join(STEPS), help="of " + ", ".join(STEPS))
    args = parser.parse_args()
    steps = args.steps.split(",")
    rows: list[dict[str, Any]] = []
    print(f"PostgreSQL at {PG_URL}", file=sys.stderr)
    for size in args.sizes.split(","):
        doc = generate(SIZES[size])
        content = json.dumps(doc).encode()
        print(f"{size}: {len(doc['nodes']):,} nodes, {len(doc['edges']):,} edges", file=sys.stderr)
        for engine in args.engines.split(","):
            with tempfile.TemporaryDirectory() as folder:
                if "import" in steps:
                    rows += import_rows(engine, size, doc, content, folder, args.runs)
                    print(markdown(rows[-1:]).splitlines()[-1], file=sys.stderr)
                with fresh_database(engine, folder) as url:
                    our_import(url, content)
                    if "load" in steps:
                        rows += load_rows(url, engine, size, args.runs)
                    if "api" in steps:
                        rows += api_step_rows(url, engine, size, args.runs, args.seconds)
            Path(args.out).write_text(json.dumps(rows, indent=1) + "\n")
    print(markdown(rows))


if __name__ == "__main__":
    main()
