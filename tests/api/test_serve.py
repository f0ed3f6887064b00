"""The real `constellation serve` as a process on a free port, talked to over HTTP."""

from __future__ import annotations

import socket
import subprocess

import httpx
import pytest

from constellation.store import Store

from ..serving import EXE, start_serve, stop


@pytest.fixture(params=[1, 2], ids=["one-worker", "two-workers"])
def server(request, db_url, tmp_path):
    base, proc = start_serve(db_url, tmp_path, "--workers", str(request.param), "--demo")
    yield base, proc
    if proc.poll() is None:
        stop(proc)


def test_serve_demo_answers_over_http(server, db_url):
    base, _ = server
    assert httpx.get(f"{base}/healthz").json()["database"] == "ok"
    listed = {w["slug"] for w in httpx.get(f"{base}/api/workspaces").json()}
    assert listed == {"la-compact", "achieve-escambia"}
    audit = httpx.get(f"{base}/api/workspaces/achieve-escambia/audit", timeout=30).json()
    assert {
        f["subjects"][0]["label"] for f in audit["findings"] if f["check"] == "orphan_goals"
    } == {"Academic Success", "Graduation Rate"}
    assert httpx.get(f"{base}/openapi.json").json()["info"]["title"] == "Constellation"


def test_every_worker_sees_a_write_at_once(server, db_url):
    """Two workers with warm caches: after a write, no worker serves the stale audit."""
    base, _ = server
    store = Store(db_url)
    with store.repository() as repo:
        _, secret = repo.create_token("editor", None, "e2e")
    store.close()
    auth = {"Authorization": f"Bearer {secret}"}
    url = f"{base}/api/workspaces/la-compact/audit"
    with httpx.Client(timeout=30) as client:
        for _ in range(8):  # warm both workers' caches (new connections spread them)
            before = httpx.get(url, timeout=30).json()
            assert any(f["check"] == "leaderless_constellations" for f in before["findings"])
        r = client.post(
            f"{base}/api/workspaces/la-compact/edges",
            headers=auth,
            json={"kind": "convenes", "source": "unite-la", "target": "subsidized-jobs-workgroup"},
        )
        assert r.status_code == 201, r.text
    for _ in range(8):
        after = httpx.get(url, timeout=30).json()
        assert not any(f["check"] == "leaderless_constellations" for f in after["findings"])


def test_serve_prints_the_url_and_how_to_get_a_token(server):
    base, proc = server
    output = stop(proc)
    assert base.replace("127.0.0.1", "localhost") in output
    assert "constellation token create --role editor" in output


def test_serve_refuses_a_busy_port(sqlite_url, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [EXE, "serve", "--db", sqlite_url, "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
