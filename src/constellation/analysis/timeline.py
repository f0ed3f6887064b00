"""Time: the audit as of any date, the difference between two dates, and the health trend."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from constellation.analysis.audit import FindingChanges, compare_findings, run_audit
from constellation.analysis.findings import AuditReport, Subject
from constellation.analysis.params import AuditParams, resolve

if TYPE_CHECKING:
    from constellation.store.repository import Repository

__all__ = [
    "DiffResult",
    "TrendPoint",
    "diff_graphs",
    "diff_workspace",
    "health_trend",
    "trend_points",
    "yearly_dates",
]


class EdgeRef(BaseModel):
    """A tie as the diff names it."""

    id: str
    kind: str
    source: str
    target: str
    source_label: str = Field("", description="The label of the node it starts from.")
    target_label: str = Field("", description="The label of the node it points at.")


class NodeChanges(BaseModel):
    added: list[Subject] = Field(description="Valid at the later date, not at the earlier.")
    ended: list[Subject] = Field(description="Valid at the earlier date, not at the later.")


class EdgeChanges(BaseModel):
    added: list[EdgeRef]
    ended: list[EdgeRef]


class _WithFrom(BaseModel):
    """Models with a field named "from", a Python keyword: they hold it as `from_`."""

    # written out here, not shared as a variable, so that pydantic's mypy plugin reads it
    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )


class HealthChange(_WithFrom):
    from_: int = Field(alias="from", description="The health score at the earlier date.")
    to: int = Field(description="The health score at the later date.")


class DiffResult(_WithFrom):
    """What changed between two dates of one workspace: records and findings."""

    workspace: str
    from_: dt.date = Field(alias="from")
    to: dt.date
    nodes: NodeChanges
    edges: EdgeChanges
    findings: FindingChanges
    health: HealthChange
    checks: dict[str, str] = Field(
        default_factory=dict, description="The title of each check that was run, by its id."
    )


class TrendPoint(BaseModel):
    """The health score and the finding counts on one date."""

    date: dt.date
    score: int
    findings: int = Field(description="How many findings in all.")
    by_severity: dict[str, int]


def _node_entry(G: nx.MultiDiGraph, n: str) -> Subject:
    return Subject(id=n, kind=G.nodes[n]["kind"], label=G.nodes[n]["label"])


def _edge_entries(G: nx.MultiDiGraph) -> dict[str, EdgeRef]:
    return {
        k: EdgeRef(
            id=k,
            kind=d["kind"],
            source=s,
            target=t,
            source_label=G.nodes[s].get("label", s),
            target_label=G.nodes[t].get("label", t),
        )
        for s, t, k, d in G.edges(keys=True, data=True)
    }


def diff_graphs(
    before: nx.MultiDiGraph,
    after: nx.MultiDiGraph,
    params: AuditParams | dict[str, Any] | None = None,
    checks: Iterable[str] | None = None,
) -> DiffResult:
    """What changed between two graphs of one workspace: records and findings.

    Nodes and edges *added* are in `after` but not `before`; *ended* the other way round.
    Findings are matched by their stable key: *appeared* are new in `after`, *resolved*
    were in `before` and are gone.

    >>> import datetime as dt
    >>> from constellation.graph import build_graph
    >>> records = [{"id": "g", "kind": "goal", "label": "Graduation"},
    ...            {"id": "c", "kind": "constellation", "label": "Graduation CAN",
    ...             "valid_from": "2019-06-01"}]
    >>> links = [{"kind": "advances", "source": "c", "target": "g"}]
    >>> d = diff_graphs(build_graph(records, links, as_of=dt.date(2018, 1, 1)),
    ...                 build_graph(records, links, as_of=dt.date(2020, 1, 1)))
    >>> [n.id for n in d.nodes.added], [f.key for f in d.findings.resolved]
    (['c'], ['orphan_goals:g'])
    """
    p = resolve(params)
    a = run_audit(before, p, checks, figures=False)
    b = run_audit(after, p, checks, figures=False)
    edges_a, edges_b = _edge_entries(before), _edge_entries(after)
    return DiffResult(
        workspace=after.graph["workspace"],
        from_=before.graph["as_of"],
        to=after.graph["as_of"],
        nodes=NodeChanges(
            added=[_node_entry(after, n) for n in sorted(set(after) - set(before))],
            ended=[_node_entry(before, n) for n in sorted(set(before) - set(after))],
        ),
        edges=EdgeChanges(
            added=[edges_b[k] for k in sorted(set(edges_b) - set(edges_a))],
            ended=[edges_a[k] for k in sorted(set(edges_a) - set(edges_b))],
        ),
        findings=compare_findings(a, b),
        health=HealthChange(from_=a.summary["health"]["score"], to=b.summary["health"]["score"]),
        checks={c["id"]: c["title"] for c in b.summary.get("checks", [])},
    )


def diff_workspace(
    repo: Repository,
    workspace: str,
    date_from: dt.date,
    date_to: dt.date,
    params: AuditParams | dict[str, Any] | None = None,
    checks: Iterable[str] | None = None,
) -> DiffResult:
    """`diff_graphs` of one workspace as of two dates: what `constellation diff` prints."""
    from constellation.graph import load_graph

    return diff_graphs(
        load_graph(repo, workspace, date_from), load_graph(repo, workspace, date_to), params, checks
    )


def health_trend(
    repo: Repository,
    workspace: str,
    dates: Iterable[dt.date],
    params: AuditParams | dict[str, Any] | None = None,
) -> list[TrendPoint]:
    """The health score and finding counts at each date, oldest first."""
    from constellation.graph import load_graph

    return trend_points(
        run_audit(load_graph(repo, workspace, day), params, figures=False)
        for day in sorted(set(dates))
    )


def trend_points(reports: Iterable[AuditReport]) -> list[TrendPoint]:
    """One point of the trend per audit: its date, score and finding counts."""
    return [
        TrendPoint(
            date=r.as_of,
            score=r.summary["health"]["score"],
            findings=r.summary["counts"]["total"],
            by_severity=r.summary["counts"]["by_severity"],
        )
        for r in reports
    ]


def yearly_dates(end: dt.date, years: int = 5) -> list[dt.date]:
    """The same day in each of the last `years` years, ending at `end`."""
    out = []
    for back in range(years - 1, -1, -1):
        try:
            out.append(end.replace(year=end.year - back))
        except ValueError:  # 29 February
            out.append(end.replace(year=end.year - back, day=28))
    return out
