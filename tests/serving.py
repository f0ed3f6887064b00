"""Start the real `constellation serve` on a free port and wait until it answers."""

from __future__ import annotations

import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import typing

import httpx
import pytest

EXE = str(pathlib.Path(sys.executable).parent / "constellation")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(
    db_url: str, cwd, *extra: str, env: dict[str, str] | None = None
) -> tuple[str, subprocess.Popen]:
    """Run `constellation serve --db URL --port FREE EXTRA…` (with `env` added to the
    environment); return its base URL and process."""
    port = free_port()
    # What it prints goes to a file, not a pipe: a pipe nobody reads fills up (64 KiB) with
    # logged errors under load, and the server then blocks on its next log line.
    log = tempfile.TemporaryFile("w+")
    proc = subprocess.Popen(
        [EXE, "serve", "--db", db_url, "--port", str(port), *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cwd,
        env=os.environ | {"COLUMNS": "200"} | (env or {}),
    )
    LOGS[proc.pid] = log
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("serve exited early:\n" + printed(proc))
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return base, proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("serve did not answer within 60 s")


LOGS: dict[int, typing.TextIO] = {}
"""Each server's output file, by its process id."""


def printed(proc: subprocess.Popen) -> str:
    """What the server has printed so far."""
    log = LOGS[proc.pid]
    log.flush()
    log.seek(0)
    return log.read()


def stop(proc: subprocess.Popen) -> str:
    """Stop the server; return what it printed."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    out = printed(proc)
    LOGS.pop(proc.pid).close()
    return out
