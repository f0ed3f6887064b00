"""One workspace as every job reads it: its graph on a date and its audit, each made once.

The CLI makes a `Network` per command; the API's per-revision cache (`api.cache`) is a
`Network` whose `get` keeps what it makes across requests until the next write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:  # the CLI imports this for every command; the analysis only when asked
    import networkx as nx

    from constellation.analysis.findings import AuditReport
    from constellation.analysis.params import AuditParams
    from constellation.store import Repository

__all__ = ["Network"]

Made = TypeVar("Made")  # what a `make` makes


class Network:
    """A workspace of a repository, with what has been loaded or computed from it."""

    def __init__(self, repo: Repository, workspace: str):
        self.repo, self.workspace = repo, workspace
        self._made: dict[Hashable, Any] = {}

    def get(self, *key: Hashable, make: Callable[[], Made]) -> Made:
        """What `make` returns, made once per key."""
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def graph(self, day: dt.date | None = None) -> nx.MultiDiGraph:
        """The workspace graph as of a day (default today)."""
        from constellation.graph import load_graph

        day = day or dt.date.today()
        return self.get("graph", day, make=lambda: load_graph(self.repo, self.workspace, day))

    def audit(
        self, day: dt.date | None, params: AuditParams, checks: list[str] | None = None
    ) -> AuditReport:
        """The audit as of a day (default today), with these parameters and checks."""
        from constellation.analysis.audit import run_audit

        day = day or dt.date.today()
        return self.get(
            "audit",
            day,
            params.model_dump_json(),
            tuple(checks or ()),
            make=lambda: run_audit(self.graph(day), params, checks),
        )

    def node_ids(self, names: list[str] | None, kind: str | None = None) -> list[str]:
        """The ids of the names people typed (an id, or an exact label, case aside); an
        unknown one is refused with the closest names (of `kind`, where one is wanted)."""
        return self.repo.find_node_ids(self.workspace, names, kind)

    def node_id(self, name: str | None, kind: str | None = None) -> str | None:
        return self.repo.find_node(self.workspace, name, kind).id if name else None
