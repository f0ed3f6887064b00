"""A big upload does not stop the worker that imports it from answering anyone else."""

from __future__ import annotations

import sqlite3
import threading
import time

import httpx

from constellation.store import Store

from ..serving import start_serve, stop

ROWS = 20_000


def test_healthz_is_answered_while_the_same_single_worker_imports_an_upload(sqlite_url, tmp_path):
    """One uvicorn worker. The test holds SQLite's write lock, so the upload is certainly
    still being imported (its transaction waits in line) when /healthz is asked; once the
    lock is let go, the upload is answered 202 and its job ends with everything in it there,
    /healthz answering all along."""
    base, proc = start_serve(sqlite_url, tmp_path, "--workers", "1", "--demo")
    try:
        store = Store(sqlite_url)
        with store.repository() as repo:
            _, secret = repo.create_token("editor", None, "uploader")
        store.close()
        csv = "label,type\n" + "".join(f"Org {i},organization\n" for i in range(ROWS))
        answer: dict[str, httpx.Response] = {}

        def upload() -> None:
            answer["r"] = httpx.post(
                f"{base}/api/workspaces/la-compact/import",
                headers={"Authorization": f"Bearer {secret}"},
                files=[("files", ("orgs.csv", csv.encode()))],
                timeout=300,
            )

        lock = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), timeout=30)
        lock.execute("BEGIN IMMEDIATE")
        uploading = threading.Thread(target=upload)
        uploading.start()
        try:
            uploading.join(timeout=1.0)  # the upload reaches the worker and waits on the lock
            health = httpx.get(f"{base}/healthz", timeout=10)
            assert health.status_code == 200 and health.json()["database"] == "ok"
            assert uploading.is_alive() and "r" not in answer  # the import is still under way
        finally:
            lock.rollback()
            lock.close()
        uploading.join(timeout=300)
        r = answer["r"]
        assert r.status_code == 202, r.text  # a large upload: answered at once, as a job
        auth = {"Authorization": f"Bearer {secret}"}
        deadline = time.monotonic() + 300
        while (job := httpx.get(base + r.headers["location"], headers=auth).json())[
            "state"
        ] not in ("done", "failed") and time.monotonic() < deadline:
            assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
            time.sleep(0.2)
        assert job["state"] == "done" and len(job["report"]["nodes_created"]) == ROWS
    finally:
        stop(proc)
