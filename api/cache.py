"""A small per-worker cache of loaded graphs and analyses, keyed on the workspace revision.

Every write bumps the revision in the database, so an entry made before another worker's
write is simply never asked for again: no worker serves stale analysis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from api.deps import ReadWs, RepoDep
from constellation.analysis.findings import AuditReport
from constellation.analysis.params import AuditParams
from constellation.services.network import Network
from constellation.store import Repository, Store
from constellation.store.repository import WorkspaceStamp

Made = TypeVar("Made")  # what a cached `make` makes
log = logging.getLogger(__name__)
Recipe = tuple[dt.date | None, str, tuple[str, ...]]
"""An audit as asked: its date (None: today), its parameters as JSON, its checks."""


class RevisionCache:
    """Made values by key, the least recently used dropped past `size`. A value being made
    is made once: a second request for it waits for the first (the warm-up's audit and a
    reader's request arriving meanwhile share one computation)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._making: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()
        self.recipes: dict[str, OrderedDict[Recipe, None]] = {}
        """Per workspace, the audits (date, parameters, checks) asked of this worker: what a
        warm-up after a write makes again."""

    def get(self, key: Hashable, make: Callable[[], Made]) -> Made:
        if self.size == 0:
            return make()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            pending = self._making.get(key)
            if pending is None:
                mine: Future[Any] = Future()
                self._making[key] = mine
        if pending is not None:
            return pending.result()
        try:
            value = make()
        except BaseException as exc:
            with self._lock:
                self._making.pop(key, None)
            mine.set_exception(exc)
            raise
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
            self._making.pop(key, None)
        mine.set_result(value)
        return value

    def remember(self, workspace: str, recipe: Recipe) -> None:
        with self._lock:
            kept = self.recipes.setdefault(workspace, OrderedDict())
            kept[recipe] = None
            kept.move_to_end(recipe)
            while len(kept) > RECIPES:
                kept.popitem(last=False)

    def recipes_of(self, workspace: str) -> list[Recipe]:
        with self._lock:
            return list(self.recipes.get(workspace, ()))


RECIPES = 4
"""Audits per workspace a warm-up makes again (the most recently asked)."""


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

    def audit(
        self, day: dt.date | None, params: AuditParams, checks: list[str] | None = None
    ) -> AuditReport:
        # remembered as asked (None: today), so that a warm-up makes today's again
        self.cache.remember(self.workspace, (day, params.model_dump_json(), tuple(checks or ())))
        return super().audit(day, params, checks)


class Warmer:
    """Keeps analyses warm after a write: the audits this worker was asked for a workspace
    are made again at its new revision, in a background thread, as soon as a write in it
    is answered, so that the next reader finds them made (or waits only for the rest of
    a computation already under way, never for a second one).

    Recomputed, not updated incrementally: the audit's checks read the whole graph. A write
    this worker did not answer (another worker's, the command line's) is seen at the next
    request, which computes the analysis then. Writes close together make it once: the
    thread waits `DEBOUNCE_S` after the last one.
    """

    DEBOUNCE_S = 0.2

    def __init__(self, store: Store, cache: RevisionCache) -> None:
        self.store, self.cache = store, cache
        self._due: dict[str, float] = {}
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def after_write(self, workspace: str) -> None:
        if not self.cache.recipes_of(workspace) or self.cache.size == 0:
            return  # nobody asked this worker for its analysis: nothing to keep warm
        with self._wake:
            self._due[workspace] = time.monotonic() + self.DEBOUNCE_S
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="warmer", daemon=True)
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due:
                    self._wake.wait()
                workspace, at = min(self._due.items(), key=lambda item: item[1])
                wait = at - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                del self._due[workspace]
            try:
                self.warm(workspace)
            except Exception:  # noqa: BLE001 - a failed warm-up leaves it to the next reader
                log.exception("warming the analyses of %s failed", workspace)

    def warm(self, workspace: str) -> None:
        """Make the remembered audits of `workspace` at its revision now."""
        from constellation.analysis.params import AuditParams

        with self.store.repository() as repo:
            net = Analyses(self.cache, repo, workspace)
            for day, params, checks in self.cache.recipes_of(workspace):
                net.audit(day, AuditParams.model_validate_json(params), list(checks) or None)


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
