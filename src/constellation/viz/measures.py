"""What a node's size on the map stands for: its degree, its betweenness or its partners.

Each measure is computed on the network as of the map's date. `degree` counts distinct
neighbours (direction and parallel ties aside); `betweenness` is the normalised
betweenness of `analysis.topology` (networkx when small, igraph above 500 nodes, estimated
from a sample above 2,000 nodes, and then marked approximate); `partners` counts, for a
constellation, the organizations that convene it or take part in it, and for an
organization the constellations it convenes or takes part in (every other node: 0).

>>> from constellation.graph import build_graph
>>> G = build_graph(
...     [{"id": "o", "kind": "organization", "label": "O"},
...      {"id": "p", "kind": "organization", "label": "P"},
...      {"id": "c", "kind": "constellation", "label": "C"}],
...     [{"kind": "convenes", "source": "o", "target": "c"},
...      {"kind": "participates_in", "source": "p", "target": "c"}])
>>> node_measure(G, "partners")[0]
{'o': 1, 'p': 1, 'c': 2}
>>> node_measure(G, "degree")[0]["c"]
2
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:  # the CLI reads SIZE_MEASURES for its options at start-up
    import networkx as nx

__all__ = ["SIZE_MEASURES", "SizeMeasure", "node_measure"]

SizeMeasure = Literal["degree", "betweenness", "partners"]
"""The measures a map can size its nodes by, as a type (the CLI's choices)."""
SIZE_MEASURES: tuple[SizeMeasure, ...] = get_args(SizeMeasure)
"""The measures a map can size its nodes by."""


def node_measure(G: nx.MultiDiGraph, measure: str) -> tuple[dict[str, float], dict[str, Any]]:
    """The measure of every node of G, and how it was computed (``{"measure", …}``)."""
    if measure not in SIZE_MEASURES:
        raise ValueError(
            f"unknown measure {measure!r}; the measures are: " + ", ".join(SIZE_MEASURES)
        )
    if measure == "degree":
        return {n: len(set(G.successors(n)) | set(G.predecessors(n))) for n in G}, {
            "measure": "degree",
            "approximate": False,
        }
    if measure == "betweenness":
        from constellation.analysis.params import DEFAULTS
        from constellation.analysis.topology import topology_of

        values, how = topology_of(G, DEFAULTS).betweenness()
        return {n: round(values.get(n, 0.0), 6) for n in G}, {"measure": "betweenness", **how}
    from constellation.analysis.index import index_of

    ix = index_of(G)
    values = dict.fromkeys(G, 0)
    for c in ix.nodes("constellation"):
        members = ix.members(c)
        values[c] = len(members)
        for org in members:
            values[org] += 1
    return values, {"measure": "partners", "approximate": False}


def communities(G: nx.MultiDiGraph) -> dict[str, int]:
    """The community of every node (0 = the largest), over the undirected ties, the same
    every run: networkx Louvain up to 2,000 nodes, igraph Leiden (modularity) above, as the
    audit's network figures count them."""
    import random

    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(G)
    simple.add_edges_from((s, t) for s, t in G.edges() if s != t)
    if simple.number_of_nodes() <= 2000:
        found = [set(c) for c in nx.community.louvain_communities(simple, seed=0)]
    else:
        import igraph as ig

        ids = sorted(simple)
        index = {v: i for i, v in enumerate(ids)}
        graph = ig.Graph(n=len(ids), edges=[(index[s], index[t]) for s, t in simple.edges()])
        ig.set_random_number_generator(random.Random(0))
        try:
            parts = graph.community_leiden(objective_function="modularity", n_iterations=2)
        finally:
            ig.set_random_number_generator(random)
        found = [{ids[i] for i in part} for part in parts]
    found.sort(key=lambda c: (-len(c), min(c)))
    return {v: i for i, c in enumerate(found) for v in c}
