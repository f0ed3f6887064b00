"""The API's rows of the benchmark: real uvicorn servers, 32 clients, side by side.

Each figure is measured against a bare FastAPI endpoint returning a constant, served by
uvicorn with the same settings (one worker, log level warning) in the same run, so the
ratio holds where absolute numbers do not. The load comes from one asyncio process holding
32 keep-alive connections and writing plain HTTP/1.1: a client light enough that the bare
endpoint, not the client, sets the pace.

Used by scripts/bench.py; on its own::

    .venv/bin/python scripts/bench_api.py --db sqlite:////tmp/x.db --workspace la-compact \
        --node unite-la
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

CLIENTS = 32
UVICORN = [sys.executable, "-m", "uvicorn", "--log-level", "warning", "--host", "127.0.0.1"]
BARE_APP = """
from fastapi import FastAPI

app = FastAPI()


@app.get("/bare")
def bare() -> dict[str, str]:
    return {"status": "ok"}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(args: list[str], env: dict[str, str], cwd: str | None = None) -> Iterator[str]:
    """uvicorn with `args` on a free port until the block ends; its base URL."""
    port = free_port()
    log = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen(
        [*UVICORN, "--port", str(port), *args],
        env=os.environ | env,
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a busy machine starts slowly
        while True:
            try:
                httpx.get(base + "/openapi.json", timeout=2)
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError("the server did not start:\n" + log.read()) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@contextmanager
def bare_server() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "bare_app.py").write_text(BARE_APP)
        with server(["bare_app:app"], {}, cwd=folder) as base:
            yield base


@contextmanager
def our_server(db_url: str) -> Iterator[str]:
    env = {"CONSTELLATION_DATABASE_URL": db_url}
    with server(["--factory", "api.app:app_from_environment"], env) as base:
        yield base


async def _one(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, int]:
    """Send one request on a kept-alive connection; the status and the body's length."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
        return status, len(body)
    size = 0  # chunked
    while True:
        n = int((await reader.readuntil(b"\r\n")).strip(), 16)
        size += n
        await reader.readexactly(n + 2)
        if n == 0:
            return status, size


async def _load(
    base: str, path: str, headers: dict[str, str], seconds: float, clients: int
) -> tuple[int, list[float], int]:
    host, port = base.removeprefix("http://").split(":")
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    request = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n{extra}\r\n".encode()
    latencies: list[float] = []
    errors = 0
    until = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(host, int(port))
        while time.perf_counter() < until:
            start = time.perf_counter()
            status, _ = await _one(reader, writer, request)
            latencies.append(time.perf_counter() - start)
            errors += status >= 400
        writer.close()

    await asyncio.gather(*(client() for _ in range(clients)))
    return len(latencies), latencies, errors


def load(
    base: str,
    path: str,
    headers: dict[str, str] | None = None,
    seconds: float = 5.0,
    clients: int = CLIENTS,
) -> dict[str, float]:
    """`clients` connections asking for `path` as fast as answers come for `seconds`:
    requests a second and the 50th and 99th percentile latencies (seconds)."""
    n, latencies, errors = asyncio.run(_load(base, path, headers or {}, seconds, clients))
    if errors:
        raise RuntimeError(f"{errors} of {n} answers to {path} were errors")
    latencies.sort()
    return {
        "rps": n / seconds,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def median_of(runs: int, measure: Callable[[], dict[str, float]]) -> dict[str, float]:
    figures = [measure() for _ in range(runs)]
    return {k: statistics.median(f[k] for f in figures) for k in figures[0]}


def row(
    step: str,
    size: str,
    engine: str,
    value: float,
    unit: str,
    baseline: str,
    base: float,
    *,
    higher_is_better: bool,
) -> dict[str, Any]:
    ratio = value / base if higher_is_better else base / value
    return {
        "step": step,
        "size": size,
        "engine": engine,
        "value": round(value, 4),
        "unit": unit,
        "baseline": baseline,
        "baseline_value": round(base, 4),
        "ratio": round(ratio, 3),
    }


def api_rows(
    db_url: str,
    workspace: str,
    node: str,
    token: str,
    *,
    size: str = "-",
    engine: str = "sqlite",
    seconds: float = 5.0,
    runs: int = 3,
    write: Callable[[str], None] | None = None,
    warm_timeout: float = 180.0,
) -> list[dict[str, Any]]:
    """The API rows: throughput and p99 of GET one node, list 50 nodes, the cached audit
    and the cached map against the bare endpoint; and the first audit after a write
    against the cached one (`write(base)` makes the write). A path whose first answer
    takes longer than `warm_timeout` seconds gets a row saying so instead of figures."""
    auth = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
    ws = f"/api/workspaces/{workspace}"
    paths = {
        "GET one node": f"{ws}/nodes/{node}",
        "list 50 nodes": f"{ws}/nodes?limit=50",
        "cached audit": f"{ws}/audit",
        "cached map": f"{ws}/map",
    }
    rows: list[dict[str, Any]] = []
    with bare_server() as bare_base, our_server(db_url) as base:
        load(bare_base, "/bare", seconds=1)
        for step, path in paths.items():
            if step == "cached map" and write is not None:  # the map last: it may not answer
                rows += first_audit_rows(base, paths["cached audit"], auth, write, size, engine)
            try:  # warm: the cache filled, the code paths run once
                httpx.get(base + path, headers=auth, timeout=warm_timeout).raise_for_status()
            except httpx.TimeoutException:
                rows.append(unanswered(f"API {step}", size, engine, warm_timeout))
                continue
            bare = median_of(runs, lambda: load(bare_base, "/bare", seconds=seconds))
            ours = median_of(runs, lambda p=path: load(base, p, auth, seconds=seconds))  # type: ignore[misc]
            rows.append(
                row(
                    f"API {step}, 32 clients",
                    size,
                    engine,
                    ours["rps"],
                    "req/s",
                    "bare FastAPI endpoint",
                    bare["rps"],
                    higher_is_better=True,
                )
            )
            rows.append(
                row(
                    f"API {step}, 32 clients, p99",
                    size,
                    engine,
                    ours["p99"],
                    "s",
                    "bare FastAPI endpoint p99",
                    bare["p99"],
                    higher_is_better=False,
                )
            )
    return rows


def editor_writes(db_url: str, workspace: str) -> tuple[str, Callable[[str], None]]:
    """An editor's token, and a write with it (a new goal) that makes the next audit stale:
    what the first-audit-after-a-write rows ask after."""
    from constellation.store import Store

    store = Store(db_url)
    with store.repository() as repo:
        _, token = repo.create_token("editor", None, "bench")
    store.close()
    count = iter(range(10**9))

    def write(base: str) -> None:
        httpx.post(
            f"{base}/api/workspaces/{workspace}/nodes",
            json={"kind": "goal", "label": f"Bench goal {next(count)}"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        ).raise_for_status()

    return token, write


def unanswered(step: str, size: str, engine: str, seconds: float) -> dict[str, Any]:
    """The row of a step whose first request was not answered in `seconds`."""
    return {
        "step": f"{step}: first request not answered in {seconds:.0f} s",
        "size": size,
        "engine": engine,
        "value": None,
        "unit": "s",
        "baseline": None,
        "baseline_value": None,
        "ratio": None,
    }


def timed_get(url: str, headers: dict[str, str]) -> float:
    start = time.perf_counter()
    httpx.get(url, headers=headers, timeout=600).raise_for_status()
    return time.perf_counter() - start


def first_audit_rows(
    base: str,
    audit: str,
    auth: dict[str, str],
    write: Callable[[str], None],
    size: str,
    engine: str,
    runs: int = 3,
) -> list[dict[str, Any]]:
    """After a write, the first audit request, against a cached one: asked at once (it
    waits for the recompute the write set off) and asked once the recompute is done."""
    cached = statistics.median(timed_get(base + audit, auth) for _ in range(5))
    at_once, settled = [], []
    for _ in range(runs):
        write(base)
        at_once.append(timed_get(base + audit, auth))
        write(base)
        settle(base, audit, auth)
        settled.append(timed_get(base + audit, auth))
    return [
        row(
            "API first audit after a write, asked at once",
            size,
            engine,
            statistics.median(at_once),
            "s",
            "cached audit",
            cached,
            higher_is_better=False,
        ),
        row(
            "API first audit after a write, asked 2 s later",
            size,
            engine,
            statistics.median(settled),
            "s",
            "cached audit",
            cached,
            higher_is_better=False,
        ),
    ]


def settle(base: str, audit: str, auth: dict[str, str]) -> None:
    """Give the recompute a write set off time to end."""
    time.sleep(2.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--node", required=True)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    token, write = editor_writes(args.db, args.workspace)
    rows = api_rows(
        args.db, args.workspace, args.node, token, seconds=args.seconds, runs=args.runs, write=write
    )
    print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
