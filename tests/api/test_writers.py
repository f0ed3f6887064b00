"""Many writers at once against the real `constellation serve` on one SQLite file: they queue
for the write lock (BEGIN IMMEDIATE, and a retry of a lock that is still busy) instead of
being answered 503, and every acknowledged write is there afterwards."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from api.jobs import JOB_ROWS
from constellation.store import Store

from ..serving import start_serve, stop

WRITERS = 32
ROUNDS = 6  # each writer: create, change, archive and delete a node, this many times
WS = "busy"
IMPORTED = 3000  # nodes per import running alongside
BUSY_MS = 100
"""SQLite's own wait for the lock, cut short so that the imports' transactions outlast it
many times over: what a 5 s wait meets under a heavier load, here in seconds."""


@pytest.fixture(params=[1, 2], ids=["one-worker", "two-workers"])
def server(request, sqlite_url, tmp_path):
    store = Store(sqlite_url)
    with store.repository() as repo:
        repo.create_workspace(WS)
        _, secret = repo.create_token("editor", None, "writers")
    store.close()
    base, proc = start_serve(
        sqlite_url,
        tmp_path,
        "--workers",
        str(request.param),
        env={"CONSTELLATION_SQLITE_BUSY_TIMEOUT_MS": str(BUSY_MS)},
    )
    yield base, secret
    stop(proc)


def writer(base: str, secret: str, n: int) -> tuple[list[int], list[str]]:
    """One client's writes; the statuses it got and the ids it was told are stored."""
    statuses: list[int] = []
    kept: list[str] = []
    auth = {"Authorization": f"Bearer {secret}"}
    url = f"{base}/api/workspaces/{WS}/nodes"
    with httpx.Client(timeout=60, headers=auth) as client:
        for i in range(ROUNDS):
            r = client.post(url, json={"kind": "organization", "label": f"Writer {n} round {i}"})
            statuses.append(r.status_code)
            if r.status_code != 201:
                continue
            ident, etag = r.json()["id"], r.headers["ETag"]
            r = client.patch(f"{url}/{ident}", json={"tags": ["busy"]}, headers={"If-Match": etag})
            statuses.append(r.status_code)
            if r.status_code != 200:
                kept.append(ident)
                continue
            etag = r.headers["ETag"]
            r = client.post(f"{url}/{ident}/archive", headers={"If-Match": etag})
            statuses.append(r.status_code)
            if i % 2 or r.status_code != 200:
                kept.append(ident)
                continue
            r = client.delete(f"{url}/{ident}", headers={"If-Match": r.headers["ETag"]})
            statuses.append(r.status_code)
            if r.status_code != 204:
                kept.append(ident)
    return statuses, kept


def importer(base: str, secret: str, done: threading.Event) -> tuple[list[int], list[str]]:
    """Big imports alongside the writers, one after another until they finish: each holds
    the write lock for a long transaction. Each is more than `JOB_ROWS` rows, so each is a
    job (202): it is followed to its end, over the same connection (so the same worker),
    before the next. Returns the uploads' statuses and the jobs' final states."""
    statuses, states = [], []
    url = f"{base}/api/workspaces/{WS}/import"
    with httpx.Client(timeout=120, headers={"Authorization": f"Bearer {secret}"}) as client:
        for round_ in range(20):
            if done.is_set():
                break
            rows = "\n".join(
                f"imported-{round_}-{i},Imported {round_} {i},organization" for i in range(IMPORTED)
            )
            body = f"id,label,kind\n{rows}\n".encode()
            r = client.post(url, files={"files": ("orgs.csv", body, "text/csv")})
            statuses.append(r.status_code)
            if r.status_code != 202:
                continue
            job_url, state = f"{base}{r.headers['Location']}", "queued"
            deadline = time.monotonic() + 120
            while state in ("queued", "running") and time.monotonic() < deadline:
                time.sleep(0.1)
                got = client.get(job_url)
                if got.status_code == 200:
                    state = got.json()["state"]
            states.append(state)
    return statuses, states


def test_32_concurrent_writers_get_no_5xx_and_lose_nothing(server, sqlite_url):
    base, secret = server
    done = threading.Event()
    started = time.monotonic()
    with ThreadPoolExecutor(WRITERS + 1) as pool:
        imports = pool.submit(importer, base, secret, done)
        results = list(pool.map(lambda n: writer(base, secret, n), range(WRITERS)))
        done.set()
        imported, states = imports.result()
    took = time.monotonic() - started
    assert IMPORTED > JOB_ROWS
    assert imported and set(imported) == {202}, imported
    assert states == ["done"] * len(imported), states
    statuses = [s for got, _ in results for s in got]
    kept = sorted(i for _, ids in results for i in ids)
    failed = [s for s in statuses if s >= 500]
    assert failed == [], f"{len(failed)} of {len(statuses)} answered 5xx"
    assert set(statuses) <= {200, 201, 204}
    store = Store(sqlite_url)
    with store.repository() as repo:
        stored = sorted(
            n.id
            for n in repo.query_nodes(WS, include_archived=True, limit=100_000)
            if not n.id.startswith("imported-")
        )
    store.close()
    assert stored == kept
    print(f"{len(statuses)} writes by {WRITERS} clients, {len(imported)} imports, in {took:.1f} s")
