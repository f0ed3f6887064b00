"""Indicator trends of a workspace: `constellation indicators`, ``GET …/indicators``, one
indicator, and its turn-the-curve chart (``GET …/indicators/{id}/chart.svg``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from constellation.analysis.findings import subject
from constellation.analysis.indicators import (
    INDICATOR,
    IndicatorParams,
    IndicatorReport,
    IndicatorTrend,
    indicator_trend,
    indicator_trends,
)
from constellation.errors import InvalidQuestion, NotFound, Problem
from constellation.services.network import Network

__all__ = ["indicator_params", "indicator_report", "one_indicator", "indicator_chart"]


def indicator_params(values: Mapping[str, Any] | IndicatorParams | None) -> IndicatorParams:
    """The trend settings from their names and values; a bad one is refused naming it."""
    if isinstance(values, IndicatorParams):
        return values
    from pydantic import ValidationError

    try:
        return IndicatorParams(**dict(values or {}))
    except ValidationError as exc:
        raise InvalidQuestion(
            [
                Problem(e["msg"], field=".".join(str(x) for x in e["loc"]) or None)
                for e in exc.errors()
            ]
        ) from None


def indicator_report(
    net: Network,
    as_of: dt.date | None = None,
    *,
    goal: str | None = None,
    params: Mapping[str, Any] | IndicatorParams | None = None,
) -> IndicatorReport:
    """Every indicator of the workspace (measuring `goal`, an id or exact label, if given)."""
    day = as_of or dt.date.today()
    p = indicator_params(params)
    G = net.graph(day)
    goal_id = net.node_id(goal, "goal")
    if goal_id is not None and (goal_id not in G or G.nodes[goal_id].get("kind") != "goal"):
        raise InvalidQuestion(
            [Problem(f"{goal!r} is not a goal of {net.workspace!r} on {day}", field="goal")]
        )
    return net.get(
        "indicators",
        day,
        goal_id,
        p.model_dump_json(),
        make=lambda: IndicatorReport(
            workspace=net.workspace,
            as_of=day,
            goal=subject(G, goal_id) if goal_id else None,
            params=p,
            indicators=indicator_trends(G, goal_id, p),
        ),
    )


def _indicator_id(net: Network, day: dt.date, name: str) -> str:
    node = net.node_id(name, INDICATOR)
    G = net.graph(day)
    if node is None or node not in G or G.nodes[node].get("kind") != INDICATOR:
        raise NotFound("indicator", name, net.workspace)
    return node


def one_indicator(
    net: Network,
    indicator: str,
    as_of: dt.date | None = None,
    *,
    params: Mapping[str, Any] | IndicatorParams | None = None,
) -> IndicatorTrend:
    """One indicator (id or exact label): the entry `indicator_report` lists for it."""
    day = as_of or dt.date.today()
    p = indicator_params(params)
    node = _indicator_id(net, day, indicator)
    return net.get(
        "indicator",
        day,
        node,
        p.model_dump_json(),
        make=lambda: indicator_trend(net.graph(day), node, p),
    )


def indicator_chart(
    net: Network,
    indicator: str,
    as_of: dt.date | None = None,
    *,
    params: Mapping[str, Any] | IndicatorParams | None = None,
) -> str:
    """The indicator's turn-the-curve chart, as one ``<svg>`` document."""
    from constellation.report.charts import trend_chart

    day = as_of or dt.date.today()
    p = indicator_params(params)
    trend = one_indicator(net, indicator, day, params=p)
    return net.get(
        "indicator-chart", day, trend.id, p.model_dump_json(), make=lambda: trend_chart(trend)
    )
