"""Benchmark: load and audit generated networks of 1k, 10k and 100k nodes.

Usage::

    .venv/bin/python scripts/bench_audit.py                 # 1k, 10k, 100k on SQLite
    .venv/bin/python scripts/bench_audit.py --sizes 1000 --db postgresql://postgres@127.0.0.1/test

Each size runs in a fresh process so that its peak memory (the process's maximum resident
set, read after each step) is its own. The network is written with SQLAlchemy Core inserts
(the benchmark measures loading and auditing, not importing), and has ten edges per node on
average, so 100k nodes means about 1M edges. Not a test: figures go into the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid

MiB = 1024 * 1024


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def generate(n_nodes: int, seed: int = 7):
    """A partnership-shaped network: organizations in constellations advancing goals."""
    rnd = random.Random(seed)
    n_goals = max(3, n_nodes // 200)
    n_ind = max(3, n_nodes // 100)
    n_groups = max(5, n_nodes // 8)
    n_people = n_nodes // 6
    n_orgs = n_nodes - n_goals - n_ind - n_groups - n_people
    sectors = [
        "education",
        "higher-ed",
        "business",
        "government",
        "labor",
        "non-profit",
        "philanthropy",
        "health",
        "community",
    ]
    statuses = ["active"] * 8 + ["forming", "planned", "dormant", "disbanded"]
    nodes = []
    nodes += [("goal", f"g{i}", f"Goal {i}", {}) for i in range(n_goals)]
    nodes += [
        (
            "indicator",
            f"i{i}",
            f"Indicator {i}",
            {"values": [{"date": "2020-01-01", "value": 1.0}]} if i % 3 else {},
        )
        for i in range(n_ind)
    ]
    nodes += [
        (
            "constellation",
            f"c{i}",
            f"Constellation {i}",
            {
                "status": rnd.choice(statuses),
                "has_charter": rnd.random() < 0.7,
                "has_action_plan": rnd.random() < 0.6,
            },
        )
        for i in range(n_groups)
    ]
    nodes += [
        (
            "organization",
            f"o{i}",
            f"Organization {i}",
            {"sector": rnd.choice(sectors), "staff_capacity": rnd.choice([0.5, 1, 2, 3])},
        )
        for i in range(n_orgs)
    ]
    nodes += [("person", f"p{i}", f"Person {i}", {}) for i in range(n_people)]
    edges = []
    for i in range(n_ind):
        edges.append(("measures", f"i{i}", f"g{rnd.randrange(n_goals)}", {}))
    for c in range(n_groups):
        if rnd.random() < 0.95:
            edges.append(("convenes", f"o{rnd.randrange(n_orgs)}", f"c{c}", {"role": "primary"}))
        edges.append(("advances", f"c{c}", f"g{rnd.randrange(n_goals)}", {}))
    for p in range(n_people):
        edges.append(("represents", f"p{p}", f"o{rnd.randrange(n_orgs)}", {}))
    target = 10 * n_nodes
    while len(edges) < target:
        edges.append(
            ("participates_in", f"o{rnd.randrange(n_orgs)}", f"c{rnd.randrange(n_groups)}", {})
        )
        if rnd.random() < 0.1:
            edges.append(
                ("collaborates_with", f"o{rnd.randrange(n_orgs)}", f"o{rnd.randrange(n_orgs)}", {})
            )
    return nodes, edges


def write(store, workspace: str, nodes, edges) -> None:
    from sqlalchemy import insert, select

    from constellation.store.tables import Edge, Node, Workspace, utcnow

    now = utcnow()
    with store.session() as s:
        ws = Workspace(slug=workspace, name=workspace, public_read=False, revision=0)
        s.add(ws)
        s.flush()
        rows = [
            {
                "workspace_pk": ws.pk,
                "id": i,
                "kind": k,
                "label": lab,
                "properties": p,
                "attributes": {},
                "tags": [],
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for k, i, lab, p in nodes
        ]
        for start in range(0, len(rows), 20000):
            s.execute(insert(Node), rows[start : start + 20000])
        pk = dict(s.execute(select(Node.id, Node.pk).where(Node.workspace_pk == ws.pk)).all())
        rows = [
            {
                "workspace_pk": ws.pk,
                "id": f"e{n}",
                "kind": k,
                "source_pk": pk[a],
                "target_pk": pk[b],
                "properties": p,
                "attributes": {},
                "tags": [],
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n, (k, a, b, p) in enumerate(edges)
        ]
        for start in range(0, len(rows), 20000):
            s.execute(insert(Edge), rows[start : start + 20000])


def run_one(url: str, n_nodes: int) -> dict:
    from constellation.analysis.audit import CHECKS, run_audit
    from constellation.analysis.index import index_of
    from constellation.analysis.network import network_figures
    from constellation.analysis.params import DEFAULTS
    from constellation.graph import load_graph
    from constellation.store import Store

    steps = []

    def step(name, t0):
        steps.append(
            {
                "step": name,
                "seconds": round(time.perf_counter() - t0, 2),
                "peak_mib": round(peak_mib()),
            }
        )

    t = time.perf_counter()
    nodes, edges = generate(n_nodes)
    step("generate", t)
    store = Store(url)
    workspace = f"bench-{n_nodes}"
    t = time.perf_counter()
    write(store, workspace, nodes, edges)
    n_edges = len(edges)
    del nodes, edges
    step("write (Core insert)", t)
    with store.repository() as repo:
        t = time.perf_counter()
        G = load_graph(repo, workspace, dt.date.today())
        step("load_graph", t)
    t = time.perf_counter()
    index_of(G, fresh=True)
    step("index", t)
    for cid, c in CHECKS.items():
        t = time.perf_counter()
        c.function(G, DEFAULTS)
        step(f"check {cid}", t)
    t = time.perf_counter()
    figures = network_figures(G, DEFAULTS)
    step("network figures", t)
    t = time.perf_counter()
    report = run_audit(G)
    step("full audit (all checks + figures)", t)
    store.close()
    return {
        "nodes": G.number_of_nodes(),
        "edges": n_edges,
        "findings": len(report.findings),
        "measures": figures["measures"],
        "steps": steps,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.db, args.child)))
        return
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = args.db or f"sqlite:///{tmp}/bench.db"
            if url.startswith("postgresql"):
                url = _fresh_schema(url)
            out = subprocess.run(
                [sys.executable, __file__, "--db", url, "--child", str(size)],
                capture_output=True,
                text=True,
                env=os.environ,
            )
            if out.returncode:
                print(out.stderr, file=sys.stderr)
                sys.exit(out.returncode)
            result = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"\n{result['nodes']:,} nodes, {result['edges']:,} edges, "
            f"{result['findings']:,} findings; measures: {result['measures']}"
        )
        print(f"  {'step':<45}{'seconds':>10}{'peak MiB':>10}")
        for s in result["steps"]:
            print(f"  {s['step']:<45}{s['seconds']:>10}{s['peak_mib']:>10}")


def _fresh_schema(url: str) -> str:
    from sqlalchemy import create_engine, text

    from constellation.store.engine import normalise_url

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"


if __name__ == "__main__":
    main()
