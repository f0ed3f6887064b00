"""Start the real `constellation serve` on a free port and wait until it answers."""

from __future__ import annotations

import os
import pathlib
import socket
import subprocess
import sys
import time

import httpx
import pytest

EXE = str(pathlib.Path(sys.executable).parent / "constellation")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_serve(db_url: str, cwd, *extra: str) -> tuple[str, subprocess.Popen]:
    """Run `constellation serve --db URL --port FREE EXTRA…`; return its base URL and process."""
    port = free_port()
    proc = subprocess.Popen(
        [EXE, "serve", "--db", db_url, "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=cwd,
        env=os.environ | {"COLUMNS": "200"},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("serve exited early:\n" + proc.stdout.read())
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return base, proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("serve did not answer within 60 s")


def stop(proc: subprocess.Popen) -> str:
    """Stop the server; return what it printed."""
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out
