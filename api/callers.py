"""Who each token stands for, remembered for a second: the token check of most requests
costs no query.

A revocation counts within `TTL` seconds in every worker: an entry is never older than that.
One made in this process (`constellation.store.tokens.revoke_token`) counts at once: the
cache sees the count of revocations change and forgets everything. Unknown and revoked
tokens are not remembered, so that they cannot fill the cache; each asks the database.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from constellation.store import tokens
from constellation.store.tokens import Caller

TTL = 1.0
"""Seconds a token's caller is remembered: the longest a revocation made elsewhere (the
command line, another worker) waits to count here."""
SIZE = 4096
"""Tokens remembered at most (least recently used go first)."""


class Callers:
    def __init__(self, ttl: float = TTL, size: int = SIZE) -> None:
        self.ttl, self.size = ttl, size
        self._items: OrderedDict[str, tuple[float, Caller]] = OrderedDict()
        self._revoked = tokens.REVOKED[0]
        self._lock = threading.Lock()

    def get(self, secret: str) -> Caller | None:
        """The caller remembered for this token, or None (ask the database)."""
        with self._lock:
            if self._revoked != tokens.REVOKED[0]:
                self._items.clear()
                self._revoked = tokens.REVOKED[0]
                return None
            found = self._items.get(secret)
            if found is None:
                return None
            if time.monotonic() - found[0] > self.ttl:
                del self._items[secret]
                return None
            self._items.move_to_end(secret)
            return found[1]

    def put(self, secret: str, caller: Caller, asked_at: float) -> None:
        """Remember `caller`, as read from the database at `asked_at` (time.monotonic())."""
        with self._lock:
            if self._revoked != tokens.REVOKED[0]:
                return  # a revocation since it was asked: do not keep what may be stale
            self._items[secret] = (asked_at, caller)
            self._items.move_to_end(secret)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
