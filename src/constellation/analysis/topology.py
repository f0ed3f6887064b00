"""The network's shape as plain ties, for the structural measures.

Direction and parallel edges are dropped, and so are the nodes of kinds that record what
happened rather than a standing tie (events: see `NodeKind.structural`). Small networks
are measured exactly with networkx; above `exact_measures_up_to` nodes the ties go straight
from the id pairs into igraph (no second networkx graph), as DESIGN.md's pitfalls advise:
exact betweenness in networkx is ~40× slower than igraph's, and its Louvain took minutes
where igraph's Leiden takes seconds. Above `betweenness_exact_up_to` nodes betweenness is
estimated from a sample of
sources (Brandes–Pich) and the output says so.
"""

from __future__ import annotations

import random
from functools import cached_property
from typing import Any

import networkx as nx

from constellation import vocabulary as vocab
from constellation.analysis.params import AuditParams

__all__ = ["Topology", "topology_of"]


class Topology:
    """Undirected simple view of a workspace graph with the measures the checks need."""

    def __init__(self, G: nx.MultiDiGraph, params: AuditParams):
        self.params = params
        kinds = vocab.NODE_KINDS
        self.ids = [v for v, k in G.nodes(data="kind") if k not in kinds or kinds[k].structural]
        self.n = len(self.ids)
        self.exact = self.n <= params.exact_measures_up_to
        if self.exact:
            self.nx = nx.Graph()
            self.nx.add_nodes_from(self.ids)
            self.nx.add_edges_from(
                (s, t) for s, t in G.edges() if s != t and s in self.nx and t in self.nx
            )
        else:
            import igraph as ig

            position = {v: i for i, v in enumerate(self.ids)}
            pairs = {
                (a, b) if a < b else (b, a)
                for s, t in G.edges()
                if s in position and t in position and (a := position[s]) != (b := position[t])
            }
            self.ig = ig.Graph(n=self.n, edges=list(pairs))
            self.position = position

    @cached_property
    def edge_count(self) -> int:
        return self.nx.number_of_edges() if self.exact else self.ig.ecount()

    def density(self) -> float:
        if self.n < 2:
            return 0.0
        return round(2 * self.edge_count / (self.n * (self.n - 1)), 6)

    def components(self) -> int:
        if self.n == 0:
            return 0
        if self.exact:
            return nx.number_connected_components(self.nx)
        return len(self.ig.connected_components())

    def degree(self, node: str) -> int:
        return self.nx.degree(node) if self.exact else self.ig.degree(self.position[node])

    def articulation_points(self) -> list[str]:
        if self.exact:
            return list(nx.articulation_points(self.nx))
        return [self.ids[i] for i in self.ig.articulation_points()]

    def split_sizes(self, node: str) -> list[int]:
        """Sizes of the parts the network falls into without `node`, largest first."""
        if self.exact:
            rest = self.nx.subgraph(v for v in self.nx if v != node)
            sizes = [len(c) for c in nx.connected_components(rest)]
        else:
            rest = self.ig.copy()
            rest.delete_vertices(self.position[node])
            sizes = rest.connected_components().sizes()
        return sorted(sizes, reverse=True)

    def betweenness(self) -> tuple[dict[str, float], dict[str, Any]]:
        """Normalised betweenness of every node, and how it was computed."""
        p = self.params
        if self.exact:
            return nx.betweenness_centrality(self.nx, normalized=True), {
                "method": "networkx",
                "approximate": False,
            }
        if self.n <= p.betweenness_exact_up_to:
            raw = self.ig.betweenness(directed=False)
            how = {"method": "igraph", "approximate": False}
        else:
            k = min(p.betweenness_sample, self.n)
            sources = random.Random(0).sample(range(self.n), k)
            raw = [b * self.n / k for b in self.ig.betweenness(directed=False, sources=sources)]
            how = {
                "method": "igraph",
                "approximate": True,
                "note": f"betweenness estimated from shortest paths out of {k} sampled "
                f"nodes (more than {p.betweenness_exact_up_to} nodes)",
            }
        scale = 2.0 / ((self.n - 1) * (self.n - 2)) if self.n > 2 else 1.0
        return {self.ids[i]: b * scale for i, b in enumerate(raw)}, how

    def community_sizes(self) -> tuple[list[int], str]:
        if self.exact:
            found = nx.community.louvain_communities(self.nx, seed=0)
            return sorted((len(c) for c in found), reverse=True), "networkx Louvain"
        import igraph as ig

        ig.set_random_number_generator(random.Random(0))  # same communities every run
        try:
            found = self.ig.community_leiden(objective_function="modularity", n_iterations=2)
        finally:
            ig.set_random_number_generator(random)
        return sorted(found.sizes(), reverse=True), "igraph Leiden (modularity)"


def topology_of(G: nx.MultiDiGraph, params: AuditParams) -> Topology:
    """The topology of G, built once and cached on the graph like the index."""
    cached = G.graph.get("_topology")
    if cached is None or cached.params.exact_measures_up_to != params.exact_measures_up_to:
        cached = G.graph["_topology"] = Topology(G, params)
    cached.params = params
    return cached
