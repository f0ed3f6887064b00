"""A served map whose network changes on too many dates to embed each date's audit (a
generated one: random dates over 14 years) asks the service for the audit of the date it
moves to (``GET …/map/audit?as_of=``), in a real Chromium against a real
`constellation serve`: the header, the findings and the marks are that date's."""

from __future__ import annotations

import datetime as dt
import pathlib
import subprocess
import sys

import httpx
import pytest

from constellation.analysis.audit import run_audit
from constellation.graph import load_graph
from constellation.store import Store
from constellation.viz.map import EMBEDDED_AUDITS_UP_TO, _change_dates

from ..serving import EXE, start_serve, stop

ROOT = pathlib.Path(__file__).resolve().parents[2]
WS = "bench"
DAY = "2016-06-01"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A generated partnership of 300 nodes, imported with the CLI and served; yields
    (base URL, a reader's secret, the store)."""
    folder = tmp_path_factory.mktemp("asks")
    net = folder / "network.json"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_network.py"), "--nodes", "300",
         "--out", str(net)],
        check=True, capture_output=True,
    )  # fmt: skip
    db = f"sqlite:///{folder / 'asks.db'}"
    subprocess.run([EXE, "import", str(net), "--db", db], check=True, capture_output=True)
    store = Store(db)
    with store.repository() as repo:
        _, secret = repo.create_token("viewer", None, "map reader")
    base, proc = start_serve(db, folder)
    yield base, secret, store
    stop(proc)
    store.close()


def _audit(store: Store, day: str):
    with store.repository() as repo:
        return run_audit(load_graph(repo, WS, dt.date.fromisoformat(day)), figures=False)


def test_the_network_changes_on_more_dates_than_a_map_embeds(served):
    _, _, store = served
    with store.repository() as repo:
        assert len(_change_dates(load_graph(repo, WS, every_date=True))) > EMBEDDED_AUDITS_UP_TO


def test_the_service_answers_a_dates_audit_as_the_map_draws_it(served):
    base, secret, store = served
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}"}) as client:
        r = client.get(f"/api/workspaces/{WS}/map/audit", params={"as_of": DAY})
        assert r.status_code == 200
        body = r.json()
        expected = _audit(store, DAY)
        assert body["as_of"] == DAY
        assert body["health"] == expected.summary["health"]["score"]
        assert len(body["findings"]) == len(expected.findings)
        assert {f["check"] for f in body["findings"]} == {f.check for f in expected.findings}
        again = client.get(
            f"/api/workspaces/{WS}/map/audit",
            params={"as_of": DAY},
            headers={"If-None-Match": r.headers["ETag"]},
        )
        assert again.status_code == 304
        bad = client.get(f"/api/workspaces/{WS}/map/audit", params={"as_of": "2016/06/01"})
        assert bad.status_code == 422
        assert "YYYY-MM-DD" in bad.text


def test_moving_the_date_asks_for_that_dates_audit(served, browser):
    base, secret, store = served
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    assert context.request.post(f"{base}/api/session", data={"token": secret}).ok
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
    asked: list[str] = []
    pg.on("request", lambda r: asked.append(r.url) if "/map/audit" in r.url else None)
    pg.goto(f"{base}/api/workspaces/{WS}/map", timeout=120_000)
    pg.wait_for_function("() => window.mapReady === true", timeout=120_000)
    meta = pg.evaluate("() => window.constellationMap.data.meta")
    assert meta["audit_dates"] is None  # too many dates to embed: the page asks
    assert meta["audit_url"] == f"/api/workspaces/{WS}/map/audit"
    now = _audit(store, meta["as_of"])
    header = pg.locator("#map-summary")
    assert f"health {now.summary['health']['score']}/100" in header.inner_text()
    assert asked == []  # the map's own date: its own audit
    then = _audit(store, DAY)
    assert then.summary["health"]["score"] != now.summary["health"]["score"]
    pg.locator("#filter-date").fill(DAY)
    pg.locator("#filter-date").dispatch_event("change")
    pg.wait_for_function("() => window.mapReady === true", timeout=60_000)
    assert len(asked) == 1 and f"as_of={DAY}" in asked[0]
    text = header.inner_text()
    assert f"as of {DAY}" in text
    assert f"health {then.summary['health']['score']}/100" in text
    assert "the map's date" not in text
    high = then.summary["counts"]["by_severity"].get("high", 0)
    assert f"{high} high-severity finding" in text
    marked = {f.subjects[0].id for f in then.findings if f.severity.value == "high" and f.subjects}
    items = {n["id"]: n for n in pg.evaluate("() => window.network.body.data.nodes.get()")}
    assert marked and all(items[m]["shadow"]["enabled"] for m in marked if m in items)
    pg.screenshot(path="/tmp/x/asked-audit.png")
    assert problems == []
    context.close()
