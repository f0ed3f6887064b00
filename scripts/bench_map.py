"""Benchmark: `constellation map` on a generated network (5,000 nodes by default).

Usage::

    .venv/bin/python scripts/bench_map.py                       # 5,000 nodes, SQLite
    .venv/bin/python scripts/bench_map.py --sizes 1000 5000 --browser

The network is the one `bench_audit.py` generates (organizations in constellations
advancing goals, about ten ties per node, so 5,000 nodes means about 50,000 ties), written
with SQLAlchemy Core into a temporary SQLite file. For each size it prints the time of the
whole command (`constellation map` in a fresh process, start-up included), the steps inside
it, and the size of the HTML file. With ``--browser`` it also opens the file in headless
Chromium (/usr/bin/chromium) and reports how long the page took until the map was drawn
(``window.mapReady``). Not a test: the figures go into the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_audit import generate, write  # the same network as the audit benchmark

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def steps(url: str, workspace: str) -> list[tuple[str, float]]:
    """The map's steps, timed one by one in this process."""
    from constellation.graph import load_graph
    from constellation.store import Store
    from constellation.viz.map import _audit, build_map, graph_on
    from constellation.viz.positions import server_layout

    out = []
    store = Store(url)
    with store.repository() as repo:
        t = time.perf_counter()
        G = load_graph(repo, workspace, dt.date.today(), every_date=True)
        out.append(("load_graph (every date)", time.perf_counter() - t))
    t = time.perf_counter()
    report = _audit(graph_on(G, G.graph["as_of"]))
    out.append(("audit (all checks)", time.perf_counter() - t))
    t = time.perf_counter()
    server_layout(G)
    out.append(("server layout (igraph FR, grid)", time.perf_counter() - t))
    t = time.perf_counter()
    build_map(G, report)
    out.append(("build_map (layout, pyvis items, render)", time.perf_counter() - t))
    store.close()
    return out


def browser_time(path: Path) -> tuple[float, int]:
    """Seconds from navigation until the map is drawn, and the nodes the page holds."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("() => window.mapReady === true", timeout=600_000)
        seconds = time.perf_counter() - t
        count = page.evaluate("() => window.network.body.data.nodes.length")
        browser.close()
    return seconds, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000])
    parser.add_argument(
        "--browser", action="store_true", help="also time drawing the page in headless Chromium"
    )
    args = parser.parse_args()
    cli = Path(sys.executable).with_name("constellation")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            workspace = f"bench-{size}"
            from constellation.store import Store

            nodes, edges = generate(size)
            store = Store(url)
            write(store, workspace, nodes, edges)
            store.close()
            out = Path(tmp) / "map.html"
            t = time.perf_counter()
            subprocess.run(
                [str(cli), "map", "--db", url, "--workspace", workspace, "--out", str(out)],
                check=True,
                capture_output=True,
                env=os.environ,
            )
            command = time.perf_counter() - t
            print(f"\n{size:,} nodes, {len(edges):,} ties")
            print(f"  {'constellation map (whole command, fresh process)':<52}{command:>8.2f} s")
            for name, seconds in steps(url, workspace):
                print(f"  {'  ' + name:<52}{seconds:>8.2f} s")
            print(f"  {'HTML size':<52}{out.stat().st_size / 1024 / 1024:>8.2f} MiB")
            if args.browser:
                seconds, count = browser_time(out)
                print(
                    f"  {'Chromium: open until drawn (' + format(count, ',') + ' nodes)':<52}"
                    f"{seconds:>8.2f} s"
                )


if __name__ == "__main__":
    main()
