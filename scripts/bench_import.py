"""Measure a 100,000-row import on SQLite and PostgreSQL: rows per second and peak memory.

    .venv/bin/python scripts/bench_import.py                  # both engines, 100,000 rows
    .venv/bin/python scripts/bench_import.py --rows 20000 --engines sqlite
    .venv/bin/python scripts/bench_import.py --format native

It writes a network of organizations and constellations (40 % nodes, 60 % edges) as a
CSV node table and edge table (or one native JSON document), then, for each engine,
imports it in a fresh process into a fresh database (a new SQLite file; a new
PostgreSQL schema at $CONSTELLATION_TEST_PG_URL or 127.0.0.1:5432/test) through
`constellation.io.import_files`, the path the CLI and the API use, and imports it a
second time (nothing changes). Peak memory is the child process's maximum resident set.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid

PG_URL = os.environ.get(
    "CONSTELLATION_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def generate(rows: int, fmt: str, folder: str) -> list[str]:
    rng = random.Random(7)
    n_nodes = int(rows * 0.4)
    n_groups = max(1, n_nodes // 10)
    n_orgs = n_nodes - n_groups
    sectors = ["education", "business", "government", "non-profit", "health", "philanthropy"]
    nodes = [
        {
            "id": f"org-{i}",
            "label": f"Organization {i}",
            "kind": "organization",
            "sector": rng.choice(sectors),
            "staff_capacity": rng.randint(0, 5),
            "tags": "signer" if i % 7 == 0 else "",
        }
        for i in range(n_orgs)
    ]
    nodes += [
        {
            "id": f"can-{i}",
            "label": f"Constellation {i}",
            "kind": "constellation",
            "status": rng.choice(["active", "forming", "dormant"]),
            "tags": "",
        }
        for i in range(n_groups)
    ]
    edges = []
    for j in range(rows - n_nodes):
        if j % 3:
            edges.append(
                {
                    "id": f"e-{j}",
                    "source": f"org-{rng.randrange(n_orgs)}",
                    "target": f"can-{rng.randrange(n_groups)}",
                    "kind": "participates_in",
                    "role": "partner",
                }
            )
        else:
            edges.append(
                {
                    "id": f"e-{j}",
                    "source": f"org-{rng.randrange(n_orgs)}",
                    "target": f"org-{rng.randrange(n_orgs)}",
                    "kind": "collaborates_with",
                    "role": "",
                }
            )
    if fmt == "native":
        doc = {
            "format": "constellation",
            "version": 1,
            "nodes": [
                {
                    "id": n["id"],
                    "kind": n["kind"],
                    "label": n["label"],
                    "properties": {
                        k: n[k] for k in ("sector", "staff_capacity", "status") if k in n
                    },
                    "tags": [n["tags"]] if n["tags"] else [],
                }
                for n in nodes
            ],
            "edges": [
                {
                    "id": e["id"],
                    "kind": e["kind"],
                    "source": e["source"],
                    "target": e["target"],
                    "properties": {"role": e["role"]} if e["role"] else {},
                }
                for e in edges
            ],
        }
        path = os.path.join(folder, "network.json")
        with open(path, "w") as f:
            json.dump(doc, f)
        return [path]
    paths = []
    for name, table in (("nodes.csv", nodes), ("edges.csv", edges)):
        header = list(dict.fromkeys(k for row in table for k in row))
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, header)
        writer.writeheader()
        writer.writerows(table)
        path = os.path.join(folder, name)
        with open(path, "w") as f:
            f.write(buffer.getvalue())
        paths.append(path)
    return paths


def child(url: str, paths: list[str]) -> None:
    """Run in a fresh process: import twice, print timings and peak memory as JSON."""
    from constellation.io import import_files
    from constellation.store import Store

    files = []
    for path in paths:
        with open(path, "rb") as f:
            files.append((os.path.basename(path), f.read()))
    store = Store(url)
    timings = []
    for _ in range(2):
        start = time.perf_counter()
        with store.repository(actor="bench") as repo:
            report = import_files(repo, "bench", files)
        timings.append((time.perf_counter() - start, report.counts()))
    store.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"timings": timings, "peak_mib": peak_kib / 1024}))


def pg_schema_url() -> tuple[str, str]:
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}", schema


def drop_schema(schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "native"], default="csv")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    with tempfile.TemporaryDirectory() as folder:
        paths = generate(args.rows, args.format, folder)
        size = sum(os.path.getsize(p) for p in paths)
        print(
            f"{args.rows:,} rows ({args.format}, {size / 1024 / 1024:.1f} MiB): "
            f"{int(args.rows * 0.4):,} nodes, {args.rows - int(args.rows * 0.4):,} edges"
        )
        for engine in args.engines.split(","):
            schema = None
            if engine == "sqlite":
                url = f"sqlite:///{os.path.join(folder, 'bench.db')}"
            else:
                url, schema = pg_schema_url()
            try:
                result = subprocess.run(
                    [sys.executable, __file__, "--child", url, *paths],
                    capture_output=True,
                    text=True,
                    check=True,
                )
            except subprocess.CalledProcessError as exc:
                print(exc.stderr, file=sys.stderr)
                raise
            finally:
                if schema:
                    drop_schema(schema)
            data = json.loads(result.stdout.strip().splitlines()[-1])
            (first, counts), (second, again) = data["timings"]
            created = counts["nodes"]["created"] + counts["edges"]["created"]
            unchanged = again["nodes"]["unchanged"] + again["edges"]["unchanged"]
            print(
                f"{engine:>10}: first import {first:6.1f} s = {args.rows / first:8,.0f} rows/s "
                f"({created:,} created); second {second:6.1f} s = "
                f"{args.rows / second:8,.0f} rows/s ({unchanged:,} unchanged); "
                f"peak memory {data['peak_mib']:,.0f} MiB"
            )


if __name__ == "__main__":
    main()
