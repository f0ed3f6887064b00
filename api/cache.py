"""A small per-worker cache of loaded graphs and analyses, keyed on the workspace revision.

Every write bumps the revision in the database, so an entry made before another worker's
write is simply never asked for again: no worker serves stale analysis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from api.deps import ReadWs, RepoDep
from constellation.services.network import Network
from constellation.store import Repository
from constellation.store.repository import WorkspaceStamp

Made = TypeVar("Made")  # what a cached `make` makes


class RevisionCache:
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Made]) -> Made:
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


class Analyses(Network):
    """One request's view of the cache for one workspace: a `Network` whose graphs and
    analyses outlive the request.

    The workspace's stamp (key, creation time, revision) is read once per request, and
    every graph and analysis the request asks for is keyed on it.
    """

    def __init__(
        self,
        cache: RevisionCache,
        repo: Repository,
        workspace: str,
        stamp: WorkspaceStamp | None = None,
    ):
        super().__init__(repo, workspace)
        self.cache = cache
        found = stamp or repo.workspace_stamp(workspace)
        self.stamp = (workspace, found.pk, found.created_at.isoformat(), found.revision)

    def get(self, *key: Hashable, make: Callable[[], Made]) -> Made:
        return self.cache.get(self.stamp + key, make)


def etag(net: Analyses, request: Request, *extra: Hashable) -> str:
    """A weak ETag for an answer made from the cached analysis: the workspace's stamp (every
    write changes it), today's date (what "as of today" means), the query and `extra`."""
    key = repr((net.stamp, dt.date.today(), sorted(request.query_params.multi_items()), extra))
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:24] + '"'


def not_modified(request: Request, tag: str) -> bool:
    """Whether the request's If-None-Match names `tag` (or any version, *)."""
    sent = request.headers.get("if-none-match")
    if not sent:
        return False
    names = {t.strip() for t in sent.split(",")}
    return "*" in names or tag in names or tag.removeprefix("W/") in names


def analyses(workspace: ReadWs, repo: RepoDep, request: Request) -> Analyses:
    return Analyses(request.app.state.cache, repo, workspace, request.state.workspace_stamp)


AnalysesDep = Annotated[Analyses, Depends(analyses)]
