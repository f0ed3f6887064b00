"""Network checks and figures: single points of failure, brokers, communities.

The measures come from `topology.Topology`: exact networkx on small networks, igraph on
large ones, range-limited betweenness (marked approximate) on the largest.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from constellation.analysis.findings import Finding, Severity, make_key, subject
from constellation.analysis.index import index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check
from constellation.analysis.topology import topology_of

__all__ = ["single_points_of_failure", "network_figures"]

ACTORS = ("organization", "person")
"""Node kinds whose departure can break the network."""


@check(
    "single_points_of_failure",
    title="Single points of failure",
    weight=2,
    population=lambda ix: sum(len(ix.nodes(k)) for k in ACTORS),
    population_label="organizations and people",
)
def single_points_of_failure(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Organizations or people whose departure leaves groups leaderless or splits the network.

    Two kinds of finding, one per actor:

    * a sole convener: the only convener of one or more active constellations, with no
      co-convener and no succession plan (seed 000: "Convener has succession plan for
      representatives, so the work of the CAN continues seamlessly");
    * a cut point: an organization or person that is an articulation point of the
      network, so that its departure cuts some members off from the rest.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "u", "kind": "organization", "label": "UNITE-LA"},
    ...      {"id": "p", "kind": "organization", "label": "Partner"},
    ...      {"id": "c", "kind": "constellation", "label": "Data Workgroup"}],
    ...     [{"kind": "convenes", "source": "u", "target": "c"},
    ...      {"kind": "participates_in", "source": "p", "target": "c"}])
    >>> [f.evidence["reason"] for f in single_points_of_failure(G)]
    ['sole_convener']

    Notes
    -----
    O(V + E): one depth-first search for articulation points; the split sizes are
    computed for at most `spof_detail_limit` of them (largest degree first).
    """
    p = resolve(params)
    ix = index_of(G)
    findings: list[Finding] = []

    sole: dict[str, list[str]] = {}
    for c in ix.active_constellations:
        conveners = ix.conveners(c)
        if len(conveners) != 1:
            continue
        [(org, data)] = conveners.items()
        if data.get("has_succession_plan") or G.nodes[org].get("has_succession_plan"):
            continue
        sole.setdefault(org, []).append(c)
    for org, groups in sorted(sole.items()):
        names = ", ".join(G.nodes[c]["label"] for c in sorted(groups))
        findings.append(
            Finding(
                check="single_points_of_failure",
                severity=Severity.HIGH if len(groups) > 1 else Severity.MEDIUM,
                subjects=[subject(G, org)] + [subject(G, c) for c in sorted(groups)],
                message=f"If {G.nodes[org]['label']} left, {len(groups)} active constellation"
                + ("s" if len(groups) > 1 else "")
                + f" would have no convener: {names}.",
                evidence={
                    "reason": "sole_convener",
                    "constellations": sorted(groups),
                    "succession_plan": False,
                },
                suggestion="Agree a succession plan, or invite a co-convener.",
                key=make_key("single_points_of_failure", org, "sole_convener"),
            )
        )

    topo = topology_of(G, p)
    cuts = [n for n in topo.articulation_points() if G.nodes[n]["kind"] in ACTORS]
    cuts.sort(key=lambda n: (-topo.degree(n), n))
    for rank, node in enumerate(cuts):
        evidence: dict[str, Any] = {"reason": "cut_point", "degree": topo.degree(node)}
        if rank < p.spof_detail_limit:
            sizes = topo.split_sizes(node)
            evidence |= {
                "parts_after": len(sizes),
                "cut_off": sum(sizes[1:]),
                "part_sizes": sizes[:10],
            }
            message = (
                f"If {G.nodes[node]['label']} left, {sum(sizes[1:])} node"
                + ("s" if sum(sizes[1:]) != 1 else "")
                + " would be cut off from the rest of the network."
            )
        else:
            message = f"{G.nodes[node]['label']} is the only link between parts of the network."
        findings.append(
            Finding(
                check="single_points_of_failure",
                severity=Severity.LOW,
                subjects=[subject(G, node)],
                message=message,
                evidence=evidence,
                suggestion="Build a second tie: a co-convener, another representative, or a "
                "partnership between the parts it connects.",
                key=make_key("single_points_of_failure", node, "cut_point"),
            )
        )
    return findings


def network_figures(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> dict[str, Any]:
    """Size, density, components, brokers by betweenness and communities.

    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": x, "kind": "organization", "label": x} for x in "abc"],
    ...                 [{"kind": "collaborates_with", "source": "a", "target": "b"}])
    >>> f = network_figures(G)
    >>> f["components"], f["nodes"], f["edges"]
    (2, 3, 1)
    """
    p = resolve(params)
    topo = topology_of(G, p)
    figures: dict[str, Any] = {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "nodes_by_kind": dict(sorted(Counter(k for _, k in G.nodes(data="kind")).items())),
        "edges_by_kind": dict(sorted(Counter(k for *_, k in G.edges(data="kind")).items())),
        "density": topo.density(),
        "components": topo.components(),
    }
    if topo.n == 0:
        return figures | {
            "brokers": [],
            "communities": {"count": 0, "sizes": []},
            "measures": {"method": "none", "approximate": False},
        }
    betweenness, measures = topo.betweenness()
    sizes, measures["communities"] = topo.community_sizes()
    brokers = sorted(
        ((v, b) for v, b in betweenness.items() if G.nodes[v]["kind"] in ACTORS and b > 0),
        key=lambda t: (-t[1], t[0]),
    )
    figures["brokers"] = [
        {
            "id": v,
            "kind": G.nodes[v]["kind"],
            "label": G.nodes[v]["label"],
            "betweenness": round(b, 4),
        }
        for v, b in brokers[: p.brokers]
    ]
    figures["communities"] = {"count": len(sizes), "sizes": sizes[:20]}
    figures["measures"] = measures
    return figures
