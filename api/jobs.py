"""Import jobs: an upload imported in a thread of its own, so that no request waits on it.

Each job lives in the memory of the worker that took the upload (`GET …/jobs/{id}` on
another worker answers 404 saying so): keeping them in the database would need a table,
and so a migration. A worker keeps its last `KEEP` jobs.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel

from constellation.errors import ConstellationError, InvalidRecords
from constellation.io import ImportReport

JOB_ROWS = 2000
"""An upload of more rows than this is answered 202 at once and imported as a job; up to it,
the answer waits for the import and is its report, as before."""
KEEP = 100
State = Literal["queued", "running", "done", "failed"]


class JobOut(BaseModel):
    """An import job: its state, its rows done of its rows in all, and at its end the
    report (done) or the problems, each with its file, row and field (failed)."""

    id: str
    url: str
    workspace: str
    files: list[str]
    state: State
    stage: str | None = None
    rows_done: int = 0
    rows_total: int | None = None
    report: ImportReport | None = None
    detail: str | None = None
    problems: list[dict[str, Any]] | None = None
    created_at: dt.datetime
    finished_at: dt.datetime | None = None


class Job:
    def __init__(self, workspace: str, files: list[str]) -> None:
        self.id = f"{os.getpid():x}-{secrets.token_hex(6)}"
        self.out = JobOut(
            id=self.id,
            url=f"/api/workspaces/{workspace}/jobs/{self.id}",
            workspace=workspace,
            files=files,
            state="queued",
            created_at=dt.datetime.now(dt.UTC),
        )
        self.error: BaseException | None = None
        self.decided = threading.Event()
        """Set once the job's size is known (its rows counted) or it has ended."""
        self.finished = threading.Event()

    def progress(self, stage: str, done: int, total: int | None) -> None:
        self.out.state = "running"
        self.out.stage, self.out.rows_done = stage, done
        if total is not None:
            self.out.rows_total = total
            self.decided.set()

    def run(self, work: Callable[[Callable[[str, int, int | None], None]], ImportReport]) -> None:
        self.out.state = "running"
        try:
            self.out.report = work(self.progress)
            self.out.rows_done = self.out.rows_total or self.out.rows_done
            self.out.state = "done"
        except BaseException as exc:  # noqa: BLE001 - every failure is the job's answer
            self.error = exc
            self.out.state = "failed"
            self.out.detail = str(exc)
            if isinstance(exc, InvalidRecords):  # the file, row and field of each
                self.out.problems = [p.as_dict() for p in exc.problems]
            elif not isinstance(exc, ConstellationError):
                self.out.detail = "Something went wrong on our side; the error has been logged."
        self.out.finished_at = dt.datetime.now(dt.UTC)
        self.finished.set()
        self.decided.set()

    @property
    def large(self) -> bool:
        return (self.out.rows_total or 0) > JOB_ROWS


class Jobs:
    """This worker's jobs, the last `KEEP`."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, job: Job) -> None:
        with self._lock:
            self._items[job.id] = job
            while len(self._items) > KEEP:
                self._items.popitem(last=False)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._items.get(job_id)
