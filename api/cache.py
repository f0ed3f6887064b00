"""A small per-worker cache of loaded graphs and analyses, keyed on the workspace revision.

Every write bumps the revision in the database, so an entry made before another worker's
write is simply never asked for again: no worker serves stale analysis.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Annotated, Any

from fastapi import Depends, Request

from api.deps import ReadWs, RepoDep
from constellation.analysis.audit import run_audit
from constellation.analysis.findings import AuditReport
from constellation.analysis.params import AuditParams
from constellation.graph import load_graph
from constellation.store import Repository


class RevisionCache:
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        if self.size == 0:
            return make()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


class Analyses:
    """One request's view of the cache for one workspace.

    The workspace's stamp (key, creation time, revision) is read once per request, and
    every graph and analysis the request asks for is keyed on it.
    """

    def __init__(self, cache: RevisionCache, repo: Repository, workspace: str):
        self.cache, self.repo, self.workspace = cache, repo, workspace
        self.stamp = (workspace, *repo.stamp(workspace))

    def get(self, *key: Hashable, make: Callable[[], Any]) -> Any:
        return self.cache.get(self.stamp + key, make)

    def graph(self, day: dt.date) -> Any:
        """The workspace graph as of a day."""
        return self.get("graph", day, make=lambda: load_graph(self.repo, self.workspace, day))

    def audit(
        self, day: dt.date, params: AuditParams, checks: list[str] | None = None
    ) -> AuditReport:
        """The audit as of a day, with these parameters and checks (all when None)."""
        return self.get(
            "audit",
            day,
            params.model_dump_json(),
            tuple(checks or ()),
            make=lambda: run_audit(self.graph(day), params, checks),
        )


def analyses(workspace: ReadWs, repo: RepoDep, request: Request) -> Analyses:
    return Analyses(request.app.state.cache, repo, workspace)


AnalysesDep = Annotated[Analyses, Depends(analyses)]
