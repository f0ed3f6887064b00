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
(``window.mapReady``), its own steps (``window.mapTimings``), how many nodes it holds and
shows (and groups, for a map that opens grouped), how long a click takes (on the largest
group when grouped, else on the best-connected node) and a date change. Not a test: the
figures go into the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
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
    from constellation.viz.map import CLUSTER_ABOVE, _audit, build_map, graph_on
    from constellation.viz.measures import communities
    from constellation.viz.positions import grouped_layout, server_layout

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
    if CLUSTER_ABOVE is not None and G.number_of_nodes() > CLUSTER_ABOVE:
        grouped_layout(G, communities(graph_on(G, G.graph["as_of"])))
        name = "server layout (communities, a disc each)"
    else:
        server_layout(G)
        name = "server layout (igraph KK/FR)"
    out.append((name, time.perf_counter() - t))
    t = time.perf_counter()
    build_map(G, report)
    out.append(("build_map (layout, pyvis items, render)", time.perf_counter() - t))
    store.close()
    return out


def browser_time(path: Path) -> dict[str, object]:
    """What the page does in headless Chromium: seconds from navigation until the map is
    drawn, the page's own steps (``window.mapTimings``), the nodes it holds and shows, and
    how long a click on a node (or on a group, when the map opens grouped) and a date
    change take until the page is ready again."""
    from playwright.sync_api import sync_playwright

    out: dict[str, object] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        t = time.perf_counter()
        page.goto(path.as_uri())
        page.wait_for_function("() => window.mapReady === true", timeout=600_000)
        out["open"] = time.perf_counter() - t
        out["timings"] = page.evaluate(
            """() => { const t = window.mapTimings, out = {}; let last = t.start;
            for (const k of Object.keys(t)) {
              if (k !== 'start') { out[k] = t[k] - last; last = t[k]; }
            }
            return out; }"""
        )
        out["nodes"] = page.evaluate("() => window.network.body.data.nodes.length")
        out["shown"] = page.evaluate(
            "() => window.network.body.data.nodes.get({filter: n => !n.hidden}).length"
        )
        out["groups"] = len(page.evaluate("() => window.constellationMap.clusters()"))
        # a click: the largest group when grouped, else the best-connected node
        target = page.evaluate(
            """() => { const m = window.constellationMap, g = m.clusters();
            if (g.length) return g[0];
            const r = m.data.records; let best = null;
            for (const id in r) if (!best || r[id].measure > r[best].measure) best = id;
            return best; }"""
        )
        page.evaluate(
            """id => { window.network.focus(id, {scale: 1.2, animation: false});
            window.network.redraw(); }""",
            target,
        )
        box = page.locator("#map").bounding_box()
        at = page.evaluate(
            "id => window.network.canvasToDOM(window.network.getPositions([id])[id])", target
        )
        t = time.perf_counter()
        page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))")
        out["click"] = time.perf_counter() - t
        out["clicked"] = target
        out["shown_after_click"] = page.evaluate(
            "() => window.network.body.data.nodes.get({filter: n => !n.hidden}).length"
        )
        day = page.evaluate(
            """() => { const d = window.constellationMap.data.as_of_choices;
            return d[Math.floor(d.length / 2)] || null; }"""
        )
        if day:
            t = time.perf_counter()
            page.evaluate("d => window.constellationMap.setDay(d)", day)
            page.wait_for_function("() => window.mapReady === true", timeout=600_000)
            out["date_change"] = time.perf_counter() - t
        browser.close()
    return out


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
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(
                [str(cli), "map", "--db", url, "--workspace", workspace, "--out", str(out)],
                check=True,
                capture_output=True,
                env=os.environ,
            )
            command = time.perf_counter() - t
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            print(f"\n{size:,} nodes, {len(edges):,} ties (load average {os.getloadavg()[0]:.1f})")
            print(f"  {'constellation map (whole command, fresh process)':<52}{command:>8.2f} s")
            print(f"  {'  of which CPU time':<52}{cpu:>8.2f} s")
            for name, seconds in steps(url, workspace):
                print(f"  {'  ' + name:<52}{seconds:>8.2f} s")
            print(f"  {'HTML size':<52}{out.stat().st_size / 1024 / 1024:>8.2f} MiB")
            if args.browser:
                b = browser_time(out)
                print(
                    f"  {'Chromium: open until drawn':<52}{b['open']:>8.2f} s"
                    f"  ({b['nodes']:,} nodes held, {b['shown']:,} shown, {b['groups']:,} groups)"
                )
                for name, ms in b["timings"].items():  # type: ignore[attr-defined]
                    print(f"  {'  page step until ' + name:<52}{ms / 1000:>8.2f} s")
                print(
                    f"  {'Chromium: a click on ' + str(b['clicked'])[:28]:<52}{b['click']:>8.2f} s"
                    f"  ({b['shown_after_click']:,} shown after)"
                )
                if "date_change" in b:
                    seconds = b["date_change"]
                    print(f"  {'Chromium: a date change until ready':<52}{seconds:>8.2f} s")


if __name__ == "__main__":
    main()
