"""The shapes the analysis returns: a finding, and the audit report that gathers them.

The CLI prints these and the HTTP service returns them, so they are defined once here.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import networkx as nx
from pydantic import BaseModel, Field

from constellation.errors import InvalidQuestion, NotFound, Problem

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = [
    "Severity",
    "Subject",
    "Finding",
    "AuditReport",
    "subject",
    "label_of",
    "label_list",
    "require_organization",
    "SEVERITY_ORDER",
]


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2, Severity.INFO: 3}


class Subject(BaseModel):
    """A node a finding is about."""

    id: str
    kind: str
    label: str


class Finding(BaseModel):
    """One thing worth a stewardship group's attention, with the numbers behind it."""

    check: str = Field(description="Stable id of the check that found it.")
    severity: Severity
    subjects: list[Subject] = Field(description="The nodes involved, the main one first.")
    message: str = Field(description="One sentence a stewardship group understands.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="The numbers behind it.")
    suggestion: str = Field("", description="The next step.")
    key: str = Field(description="Stable across dates, to follow the same finding over time.")


class AuditReport(BaseModel):
    """`constellation audit --format json` and `GET …/audit` both return exactly this."""

    workspace: str
    as_of: dt.date
    summary: dict[str, Any]
    findings: list[Finding]


def subject(G: nx.MultiDiGraph, node: str) -> Subject:
    return Subject(id=node, kind=G.nodes[node].get("kind", "?"), label=label_of(G, node))


def label_of(G: nx.MultiDiGraph, node: str) -> str:
    """A node's label, or its id when it has none."""
    return G.nodes[node].get("label", node)


def label_list(
    G: nx.MultiDiGraph, nodes: Iterable[str], *, quote: bool = False, most: int | None = None
) -> str:
    """Nodes' labels for a sentence: sorted, comma-separated, past `most` cut short.

    Goal labels are sentences ("All students graduate …"): `quote` them in a message.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"label": "Beta"}), ("b", {"label": "Alpha"}), ("c", {})])
    >>> label_list(G, "abc"), label_list(G, "ab", quote=True), label_list(G, "abc", most=1)
    ('Alpha, Beta, c', '“Alpha”, “Beta”', 'Alpha and 2 more')
    """
    labels = sorted(label_of(G, n) for n in nodes)
    if quote:
        labels = [f"“{label}”" for label in labels]
    if most is not None and len(labels) > most:
        return ", ".join(labels[:most]) + f" and {len(labels) - most} more"
    return ", ".join(labels)


def require_organization(G: nx.MultiDiGraph, node: str, field: str, doing: str) -> None:
    """Refuse a node the graph lacks (NotFound) or that is not an organization, naming the
    request's `field` and what only organizations do (`doing`, e.g. "fund")."""
    if node not in G:
        raise NotFound("node", node, G.graph.get("workspace"))
    kind = G.nodes[node].get("kind")
    if kind != "organization":
        raise InvalidQuestion(
            [
                Problem(
                    f"{label_of(G, node)} is a {kind}, not an organization; only organizations "
                    f"{doing}",
                    field=field,
                    record=node,
                )
            ]
        )


def make_key(check: str, *parts: str) -> str:
    """A finding's key: its check and the ids it is about, so it reads the same any day.

    >>> make_key("orphan_goals", "goal-2")
    'orphan_goals:goal-2'
    """
    return ":".join((check, *parts))
