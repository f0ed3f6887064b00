"""Indicator trends of a workspace: `constellation indicators` and `GET …/indicators`."""

from __future__ import annotations

import datetime as dt

import networkx as nx

from constellation.analysis.findings import subject
from constellation.analysis.indicators import (
    INDICATOR,
    IndicatorParams,
    IndicatorReport,
    IndicatorTrend,
    indicator_trend,
    indicator_trends,
)
from constellation.errors import InvalidRecords, NotFound, Problem
from constellation.graph import load_graph
from constellation.store import Repository

__all__ = ["indicator_report", "one_indicator", "indicator_chart"]


def _graph(repo: Repository, workspace: str, as_of: dt.date | None, graph) -> nx.MultiDiGraph:
    return graph if graph is not None else load_graph(repo, workspace, as_of)


def indicator_report(
    repo: Repository,
    workspace: str,
    *,
    as_of: dt.date | None = None,
    goal: str | None = None,
    params: IndicatorParams | dict | None = None,
    graph: nx.MultiDiGraph | None = None,
) -> IndicatorReport:
    """Every indicator of the workspace (measuring `goal`, an id or exact label, if given).

    `graph`, when the caller already holds the workspace as of `as_of` (the API's cache),
    saves loading it again.
    """
    G = _graph(repo, workspace, as_of, graph)
    goal_id = None
    if goal is not None:
        goal_id = repo.find_node(workspace, goal).id
        if goal_id not in G or G.nodes[goal_id].get("kind") != "goal":
            raise InvalidRecords(
                [
                    Problem(
                        f"{goal!r} is not a goal of {workspace!r} on {G.graph['as_of']}",
                        field="goal",
                    )
                ]
            )
    p = params if isinstance(params, IndicatorParams) else IndicatorParams(**(params or {}))
    return IndicatorReport(
        workspace=workspace,
        as_of=G.graph["as_of"],
        goal=subject(G, goal_id) if goal_id else None,
        params=p,
        indicators=indicator_trends(G, goal_id, p),
    )


def _indicator_id(repo: Repository, workspace: str, G: nx.MultiDiGraph, name: str) -> str:
    node = repo.find_node(workspace, name).id
    if node not in G or G.nodes[node].get("kind") != INDICATOR:
        raise NotFound("indicator", name, workspace)
    return node


def one_indicator(
    repo: Repository,
    workspace: str,
    indicator: str,
    *,
    as_of: dt.date | None = None,
    params: IndicatorParams | dict | None = None,
    graph: nx.MultiDiGraph | None = None,
) -> IndicatorTrend:
    """One indicator (id or exact label), the same entry `indicator_report` lists."""
    G = _graph(repo, workspace, as_of, graph)
    return indicator_trend(G, _indicator_id(repo, workspace, G, indicator), params)


def indicator_chart(
    repo: Repository,
    workspace: str,
    indicator: str,
    *,
    as_of: dt.date | None = None,
    params: IndicatorParams | dict | None = None,
    graph: nx.MultiDiGraph | None = None,
) -> str:
    """The indicator's turn-the-curve chart, as one ``<svg>`` document."""
    from constellation.report.charts import trend_chart

    return trend_chart(
        one_indicator(repo, workspace, indicator, as_of=as_of, params=params, graph=graph)
    )
