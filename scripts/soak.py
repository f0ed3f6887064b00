"""Soak: concurrent writers, crashes and hostile files against a real `constellation serve`.

Usage::

    .venv/bin/python scripts/soak.py                          # SQLite, 1 worker, 20 s
    .venv/bin/python scripts/soak.py --workers 2 --clients 32 --seconds 30
    .venv/bin/python scripts/soak.py --db postgresql://postgres@127.0.0.1/test --workers 2

Bounded in time and requests, traffic to 127.0.0.1 only. It starts the server on a fresh
database (a new SQLite file, or a fresh schema on the PostgreSQL server named), then:

1. `--clients` writers create, change, archive and delete nodes for `--seconds`, with an
   import of `--import-rows` nodes running alongside, one after another;
2. kills the server (SIGKILL) in the middle of an import and of a write burst, restarts it
   and checks that each import is all or nothing and the database intact;
3. sends `--hostile` generated hostile files (random bytes, lone surrogates, NUL and
   non-characters in ids, labels and file names) to the import.

Then it reads the database back: every acknowledged write must be there. It prints requests,
acknowledged writes, lost writes, 5xx and files tried. Not a test: figures go into the
README's Reliability section.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

EXE = str(Path(sys.executable).parent / "constellation")
WS = "soak"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`constellation serve` on 127.0.0.1, its output in a file (a pipe would fill up)."""

    def __init__(self, db: str, workers: int, folder: Path):
        self.db, self.workers, self.folder = db, workers, folder
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.folder / "serve.log", "a")  # noqa: SIM115 - lives with the process
        cmd = [EXE, "serve", "--db", self.db, "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            [*cmd, "--workers", str(self.workers)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise SystemExit("the server did not answer within 60 s; see serve.log")

    def kill(self) -> None:
        """SIGKILL the server and its workers (its own process group, no one else's)."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter[int] = Counter()
        self.kept: set[str] = set()  # acknowledged and not deleted
        self.deleted: set[str] = set()
        self.acknowledged = 0

    def saw(self, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status in (200, 201, 204):
                self.acknowledged += 1


def csv_of(prefix: str, rows: int) -> bytes:
    lines = [f"{prefix}-{i},Soak {prefix} {i},organization" for i in range(rows)]
    return ("id,label,kind\n" + "\n".join(lines) + "\n").encode()


def writer(base: str, auth: dict, n: int, until: float, tally: Tally) -> None:
    url = f"{base}/api/workspaces/{WS}/nodes"
    with httpx.Client(timeout=120, headers=auth) as client:
        i = 0
        while time.monotonic() < until:
            i += 1
            deleting = None
            try:
                r = client.post(url, json={"kind": "organization", "label": f"W{n} {i}"})
                tally.saw(r.status_code)
                if r.status_code != 201:
                    continue
                ident, etag = r.json()["id"], r.headers["ETag"]
                with tally.lock:
                    tally.kept.add(ident)
                r = client.patch(
                    f"{url}/{ident}", json={"tags": ["soak"]}, headers={"If-Match": etag}
                )
                tally.saw(r.status_code)
                if r.status_code == 200 and i % 3 == 0:
                    deleting = ident
                    r = client.delete(f"{url}/{ident}", headers={"If-Match": r.headers["ETag"]})
                    tally.saw(r.status_code)
                    if r.status_code == 204:
                        with tally.lock:
                            tally.kept.discard(ident)
                            tally.deleted.add(ident)
            except httpx.HTTPError as exc:
                tally.saw(0)  # no answer (the crash phase kills the server on purpose)
                if deleting:  # a delete without an answer may or may not have landed
                    with tally.lock:
                        tally.kept.discard(deleting)
                if isinstance(exc, httpx.ConnectError):
                    return  # the server is gone


def importer(base: str, auth: dict, rows: int, until: float, tally: Tally) -> list[str]:
    """Imports one after another; the prefixes of those acknowledged."""
    done = []
    with httpx.Client(timeout=300, headers=auth) as client:
        while time.monotonic() < until:
            prefix = f"imp{uuid.uuid4().hex[:8]}"
            try:
                r = client.post(
                    f"{base}/api/workspaces/{WS}/import",
                    files={"files": ("soak.csv", csv_of(prefix, rows), "text/csv")},
                )
            except httpx.HTTPError:
                tally.saw(0)
                continue
            tally.saw(r.status_code)
            if r.status_code == 200:
                done.append(prefix)
    return done


def hostile_files(n: int, rng: random.Random) -> list[tuple[str, bytes]]:
    bad = ["\ud800", "\udfff", "\x00", "\ufffe", "\uffff", "\ufdd0", "\x1b", "\u202e"]
    files = []
    for i in range(n):
        pick = rng.choice(bad)
        kind = i % 5
        if kind == 0:
            files.append((f"random{i}.csv", rng.randbytes(rng.randint(0, 400))))
        elif kind == 1:
            files.append(
                (
                    f"ids{i}.csv",
                    f"id,label,kind\na{pick}b,X,organization\n".encode("utf-8", "surrogatepass"),
                )
            )
        elif kind == 2:
            label = f"a\\u{ord(pick):04x}"  # the escape as JSON carries it
            node = f'{{"id": "x", "kind": "organization", "label": "{label}"}}'
            body = f'{{"nodes": [{node}], "edges": []}}'
            files.append((f"native{i}.json", body.encode()))
        elif kind == 3:
            files.append((f"name{pick}{i}.csv", b"id,label,kind\nn,N,organization\n"))
        else:
            xml = f"<graphml><graph><node id='a{pick}'/></graph></graphml>"
            files.append((f"g{i}.graphml", xml.encode("utf-8", "surrogatepass")))
    return files


def send_raw_file(base: str, auth: dict, name: str, content: bytes) -> int:
    """A multipart upload built by hand, so that any file name reaches the server."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode("utf-8", "surrogatepass")
    body = head + content + f"\r\n--{boundary}--\r\n".encode()
    r = httpx.post(
        f"{base}/api/workspaces/{WS}/import",
        content=body,
        headers=auth | {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        timeout=60,
    )
    return r.status_code


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--db", help="a PostgreSQL URL (a fresh schema is made); default: a new SQLite file"
    )
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--import-rows", type=int, default=2000)
    ap.add_argument("--hostile", type=int, default=60)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from constellation.store import Store

    folder = Path(tempfile.mkdtemp(prefix="soak-"))
    from sqlalchemy import create_engine, text

    if args.db:
        schema = f"soak_{uuid.uuid4().hex[:8]}"
        with create_engine(
            args.db.replace("postgresql://", "postgresql+psycopg://", 1)
        ).begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in args.db else "?"
        db = f"{args.db}{sep}options=-csearch_path%3D{schema}"
    else:
        db = f"sqlite:///{folder / 'soak.db'}"
    store = Store(db)
    with store.repository() as repo:
        repo.create_workspace(WS)
        _, secret = repo.create_token("editor", None, "soak")
    store.close()
    auth = {"Authorization": f"Bearer {secret}"}
    tally = Tally()
    server = Server(db, args.workers, folder)
    server.start()
    started = time.monotonic()

    # 1. concurrent writers with imports alongside
    until = time.monotonic() + args.seconds
    with ThreadPoolExecutor(args.clients + 1) as pool:
        imports = pool.submit(importer, server.base, auth, args.import_rows, until, tally)
        for n in range(args.clients):
            pool.submit(writer, server.base, auth, n, until, tally)
        imported = imports.result()

    # 2. crashes: SIGKILL in the middle of an import, and of a write burst
    crash_prefixes = []
    for phase in ("import", "burst"):
        until = time.monotonic() + 3
        with ThreadPoolExecutor(args.clients + 1) as pool:
            if phase == "import":
                prefix = f"crash{uuid.uuid4().hex[:8]}"
                crash_prefixes.append(prefix)
                pool.submit(_try_import, server.base, auth, prefix, args.import_rows * 5, tally)
            else:
                for n in range(args.clients):
                    pool.submit(writer, server.base, auth, 1000 + n, until, tally)
            time.sleep(1.0)
            server.kill()
        server.start()

    # 3. hostile files
    rng = random.Random(args.seed)
    hostile_statuses = Counter(
        send_raw_file(server.base, auth, name, content)
        for name, content in hostile_files(args.hostile, rng)
    )
    for status, count in hostile_statuses.items():
        tally.statuses[status] += count
    took = time.monotonic() - started
    server.stop()

    # read the database back
    store = Store(db)
    with store.repository() as repo:
        ids = {n.id for n in repo.query_nodes(WS, include_archived=True, limit=10_000_000)}
        intact = "ok"
        if db.startswith("sqlite"):
            intact = repo.session.execute(text("PRAGMA integrity_check")).scalar()
    store.close()
    if args.db:  # the fresh schema goes with the run
        with create_engine(
            args.db.replace("postgresql://", "postgresql+psycopg://", 1)
        ).begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    lost = sorted(tally.kept - ids)
    resurrected = sorted(tally.deleted & ids)
    partial = [
        p
        for p in [*imported, *crash_prefixes]
        if 0
        < sum(i.startswith(f"{p}-") for i in ids)
        < (args.import_rows * (5 if p.startswith("crash") else 1))
    ]
    missing_imports = [p for p in imported if not any(i.startswith(f"{p}-") for i in ids)]
    fivexx = sum(c for s, c in tally.statuses.items() if s >= 500)
    engine = db.split(":", 1)[0]
    print(f"engine {engine}, {args.workers} worker(s), {args.clients} clients, {took:.0f} s")
    print(f"requests         {sum(tally.statuses.values())}")
    print(f"statuses         {dict(sorted(tally.statuses.items()))}  (0: no answer: the kills)")
    rows = args.import_rows
    print(f"acknowledged     {tally.acknowledged} writes, {len(imported)} imports of {rows} rows")
    lost_n = len(lost) + len(missing_imports)
    print(f"lost writes      {lost_n}  resurrected deletes {len(resurrected)}")
    print(f"partial imports  {len(partial)}  (after 2 SIGKILLs)  database integrity {intact}")
    print(f"5xx              {fivexx}")
    print(f"hostile files    {args.hostile}: {dict(sorted(hostile_statuses.items()))}")
    if lost or missing_imports or resurrected or partial or fivexx or intact != "ok":
        raise SystemExit(1)


def _try_import(base: str, auth: dict, prefix: str, rows: int, tally: Tally) -> None:
    try:
        r = httpx.post(
            f"{base}/api/workspaces/{WS}/import",
            files={"files": ("crash.csv", csv_of(prefix, rows), "text/csv")},
            headers=auth,
            timeout=120,
        )
        tally.saw(r.status_code)
    except httpx.HTTPError:
        tally.saw(0)


if __name__ == "__main__":
    main()
