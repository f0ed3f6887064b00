"""The deployment the README describes: `constellation serve --workers 4` over one
PostgreSQL server, behind a proxy. Concurrent writers, and after every acknowledged write a
read of the audit on a new connection (any of the four workers may answer it): no worker
serves an audit older than the writes acknowledged before the read was sent, and every
acknowledged write is stored."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from constellation.store import Store

from ..serving import start_serve, stop

WORKERS = 4
WRITERS = 16
ROUNDS = 8
WS = "deployed"

pytestmark = pytest.mark.postgres


@pytest.fixture
def deployed(pg_url, tmp_path):
    store = Store(pg_url)
    with store.repository() as repo:
        repo.create_workspace(WS)
        _, secret = repo.create_token("editor", None, "writers")
    store.close()
    base, proc = start_serve(
        pg_url,
        tmp_path,
        "--workers",
        str(WORKERS),
        "--forwarded-allow-ips",
        "127.0.0.1",
        env={"CONSTELLATION_DB_POOL_SIZE": "2", "CONSTELLATION_DB_MAX_OVERFLOW": "4"},
    )
    yield base, secret
    stop(proc)


class Acknowledged:
    """The nodes the service said it stored, counted as the answers arrive."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ids: list[str] = []

    def add(self, ident: str) -> None:
        with self.lock:
            self.ids.append(ident)

    def count(self) -> int:
        with self.lock:
            return len(self.ids)


def audited_nodes(base: str, secret: str) -> int:
    """The audit's node count, read on a connection of its own (a new accept: any worker)."""
    r = httpx.get(
        f"{base}/api/workspaces/{WS}/audit",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    return int(r.json()["summary"]["network"]["nodes"])


def writer(base: str, secret: str, n: int, acked: Acknowledged) -> list[tuple[int, int]]:
    """Create nodes; after each, read the audit. Returns (acknowledged before the read,
    nodes the audit saw) per round."""
    reads = []
    with httpx.Client(timeout=60, headers={"Authorization": f"Bearer {secret}"}) as client:
        for i in range(ROUNDS):
            r = client.post(
                f"{base}/api/workspaces/{WS}/nodes",
                json={"kind": "organization", "label": f"Writer {n} round {i}"},
            )
            assert r.status_code == 201, r.text
            acked.add(r.json()["id"])
            floor = acked.count()
            reads.append((floor, audited_nodes(base, secret)))
    return reads


def test_four_workers_over_postgresql_serve_no_stale_audit_and_lose_no_write(deployed, pg_url):
    base, secret = deployed
    acked = Acknowledged()
    audited_nodes(base, secret)  # each worker that answers caches the empty workspace's audit
    started = time.monotonic()
    with ThreadPoolExecutor(WRITERS) as pool:
        reads = [
            r
            for got in pool.map(lambda n: writer(base, secret, n, acked), range(WRITERS))
            for r in got
        ]
    took = time.monotonic() - started
    stale = [(floor, seen) for floor, seen in reads if seen < floor]
    assert stale == [], (
        f"{len(stale)} of {len(reads)} audits were older than the writes before them"
    )
    final = {audited_nodes(base, secret) for _ in range(4 * WORKERS)}
    assert final == {WRITERS * ROUNDS}
    store = Store(pg_url)
    with store.repository() as repo:
        stored = sorted(n.id for n in repo.query_nodes(WS, limit=100_000))
    store.close()
    assert stored == sorted(acked.ids)
    print(f"{len(acked.ids)} writes and {len(reads)} audits by {WRITERS} clients in {took:.1f} s")


def test_behind_the_proxy_the_session_cookie_is_secure(deployed):
    """The proxy at 127.0.0.1 says the request came over https: the cookie is Secure; a
    plain-http request straight to the service gets one without it."""
    base, secret = deployed
    over_https = httpx.post(
        f"{base}/api/session", json={"token": secret}, headers={"X-Forwarded-Proto": "https"}
    )
    plain = httpx.post(f"{base}/api/session", json={"token": secret})
    assert over_https.status_code == plain.status_code == 200
    assert "secure" in attributes(over_https.headers["set-cookie"])
    assert "secure" not in attributes(plain.headers["set-cookie"])


def attributes(cookie: str) -> set[str]:
    """A Set-Cookie header's attribute names, lowercased (not its name=value)."""
    return {part.split("=")[0].strip().lower() for part in cookie.split(";")[1:]}
