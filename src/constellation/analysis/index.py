"""Who-touches-what lookups built once per graph, so each check is one pass, not a scan.

Cached on the graph (``G.graph["_index"]``); a graph changed after indexing (as in a
what-if) must be re-indexed with ``index_of(G, fresh=True)``.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import Any

import networkx as nx

from constellation import vocabulary as vocab

__all__ = ["Index", "index_of"]

Ends = dict[str, list[tuple[str, dict[str, Any]]]]


class Index:
    def __init__(self, G: nx.MultiDiGraph):
        self.G = G
        self.by_kind: dict[str, list[str]] = defaultdict(list)
        for node, kind in G.nodes(data="kind"):
            self.by_kind[kind].append(node)
        self.out: dict[str, Ends] = {k: defaultdict(list) for k in vocab.EDGE_KINDS}
        self.into: dict[str, Ends] = {k: defaultdict(list) for k in vocab.EDGE_KINDS}
        for s, t, data in G.edges(data=True):
            kind = data["kind"]
            self.out[kind][s].append((t, data))
            self.into[kind][t].append((s, data))

    def nodes(self, kind: str) -> list[str]:
        return self.by_kind.get(kind, [])

    def targets(self, kind: str, source: str) -> list[str]:
        return [t for t, _ in self.out[kind].get(source, ())]

    def sources(self, kind: str, target: str) -> list[str]:
        return [s for s, _ in self.into[kind].get(target, ())]

    def status(self, node: str) -> str:
        return self.G.nodes[node].get("status", "active")

    @cached_property
    def active_constellations(self) -> list[str]:
        return [c for c in self.nodes("constellation") if self.status(c) == "active"]

    def is_live(self, constellation: str) -> bool:
        """Active or forming: a group that should have a leader and a goal."""
        return self.status(constellation) in vocab.LIVE_STATUSES

    @cached_property
    def live_constellations(self) -> list[str]:
        return [c for c in self.nodes("constellation") if self.is_live(c)]

    def conveners(self, constellation: str) -> dict[str, dict[str, Any]]:
        """Each organization convening it, once (a second convenes edge between the same pair
        adds nothing), with the properties of its convening role (primary wins over co)."""
        found: dict[str, dict[str, Any]] = {}
        for org, data in self.into["convenes"].get(constellation, ()):
            if org not in found or data.get("role", "primary") == "primary":
                found[org] = data
        return found

    def members(self, constellation: str) -> set[str]:
        """Organizations that convene or take part in a constellation."""
        return set(self.conveners(constellation)) | set(
            self.sources("participates_in", constellation)
        )

    def goals_advanced(self, constellation: str) -> set[str]:
        """Goals a constellation advances, directly or through an indicator measuring them."""
        goals = set()
        for target in self.targets("advances", constellation):
            if self.G.nodes[target]["kind"] == "goal":
                goals.add(target)
            else:
                goals.update(self.targets("measures", target))
        return goals

    def sector(self, org: str) -> str | None:
        return self.G.nodes[org].get("sector")


def index_of(G: nx.MultiDiGraph, fresh: bool = False) -> Index:
    if fresh or "_index" not in G.graph:
        G.graph.pop("_topology", None)  # built from the same edges; rebuilt when next asked
        G.graph["_index"] = Index(G)
    return G.graph["_index"]
