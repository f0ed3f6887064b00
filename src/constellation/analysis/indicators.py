"""Indicator trends: where each indicator stands, where its recent trend leads, and its gaps.

This is the "turn the curve" reading of results-based accountability: the history, the
baseline, a forecast if nothing changes and the target by its date.

* **Forecast**: an ordinary least-squares line through the last `forecast_window` values
  of the whole-population series (the values with no `group`), with time in decimal years
  (1 January of a year is that year exactly). It needs two values at least.
* **Reaches its target**: the line's value on the target date is at or past the target
  (above it when higher is better, below it when lower is better). When the target date
  is not after the latest value, the latest value on or before the target date decides.
* **Direction**: the indicator's `direction` when given, else a target below the baseline
  means lower is better, else higher is better.
* **Distance to target**: how far the latest value still has to go, in the indicator's
  unit, in the good direction (zero or less: the target is met).
* **Disaggregation**: values with a `group` ("race: Black", "geography: Pensacola" or a
  bare "Pensacola") form one series per group; groups are compared within their key (the
  part before ``:``). For each key, on the latest date two groups or more have values,
  the gap is between the best and the worst group there; it is *widening* when the same
  two groups were closer on the earliest date both have values, *narrowing* when farther.

Only values dated on or before the graph's date are read, so a packet as of a date shows
what was known then.

>>> from constellation.graph import build_graph
>>> G = build_graph([{"id": "i", "kind": "indicator", "label": "Readiness", "properties": {
...     "unit": "percent", "baseline": 50, "target": 60, "target_date": "2024-01-01",
...     "values": [{"date": "2020-01-01", "value": 50}, {"date": "2021-01-01", "value": 52},
...                {"date": "2022-01-01", "value": 54}]}}])
>>> t = indicator_trend(G, "i")
>>> t.forecast.slope_per_year, t.forecast.value_at_target_date, t.reaches_target
(2.0, 58.0, False)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Literal

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field

from constellation.analysis.findings import Subject, subject
from constellation.vocabulary import Direction

__all__ = [
    "IndicatorParams",
    "Point",
    "Forecast",
    "Gap",
    "IndicatorTrend",
    "IndicatorReport",
    "indicator_trend",
    "indicator_trends",
    "decimal_year",
]

INDICATOR = "indicator"


class IndicatorParams(BaseModel):
    """How trends are read, with their defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    forecast_window: int = Field(
        3,
        ge=2,
        le=50,
        description="The forecast is a least-squares line over this many of the latest values.",
    )
    horizon_years: int = Field(
        3, ge=1, le=30, description="How far to draw the forecast when there is no target date."
    )


class Point(BaseModel):
    date: dt.date
    value: float
    group: str | None = None
    note: str | None = None


class Forecast(BaseModel):
    """The least-squares line the trend follows if nothing changes."""

    method: str = Field(description="How it was drawn, in words.")
    window: int = Field(description="How many values it was fitted on.")
    slope_per_year: float = Field(description="Change per year, in the indicator's unit.")
    start: Point = Field(description="The line on the date of the latest value.")
    end: Point = Field(description="The line on the target date (or the horizon).")
    value_at_target_date: float | None = None


class GroupSeries(BaseModel):
    group: str
    key: str | None = Field(description="The disaggregation key, e.g. race; none if bare.")
    name: str = Field(description="The group without its key.")
    latest: Point
    values: list[Point]


class Gap(BaseModel):
    """The widest difference between two groups of one key."""

    key: str | None
    best: str
    worst: str
    date: dt.date
    gap: float = Field(description="Best minus worst, in the indicator's unit (always ≥ 0).")
    earlier_date: dt.date | None = None
    earlier_gap: float | None = None
    trend: Literal["widening", "narrowing", "steady"] | None = Field(
        None, description="Against the earliest date both groups have values; none if one date."
    )
    widening: bool | None = None
    message: str


class IndicatorTrend(BaseModel):
    """One indicator's row of `constellation indicators` and `GET …/indicators/{id}`."""

    id: str
    label: str
    indicator_type: str | None = None
    unit: str | None = None
    direction: Direction
    goals: list[Subject] = Field(default_factory=list, description="The goals it measures.")
    illustrative: bool = Field(
        False,
        description="Some of its figures are illustrative: the node says so, or a value's "
        "note is 'illustrative'.",
    )
    source: str | None = None
    baseline: float | None = None
    baseline_date: dt.date | None = None
    target: float | None = None
    target_date: dt.date | None = None
    values: list[Point] = Field(description="The whole-population series, oldest first.")
    latest: Point | None = None
    change_since_baseline: float | None = None
    distance_to_target: float | None = Field(
        None, description="Still to go in the good direction; ≤ 0 when the target is met."
    )
    target_met: bool | None = None
    forecast: Forecast | None = None
    reaches_target: bool | None = Field(
        None, description="Whether the trend meets the target by its date; none if unknown."
    )
    groups: list[GroupSeries] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list, description="One per disaggregation key.")
    widest_gap: Gap | None = None
    status: str = Field(description="Where it stands, in one sentence.")


class IndicatorReport(BaseModel):
    """`constellation indicators --format json` and `GET …/indicators` return exactly this."""

    workspace: str
    as_of: dt.date
    goal: Subject | None = None
    params: IndicatorParams
    indicators: list[IndicatorTrend]


# ------------------------------------------------------------------------------ public


def indicator_trends(
    G: nx.MultiDiGraph,
    goal: str | None = None,
    params: IndicatorParams | dict[str, Any] | None = None,
) -> list[IndicatorTrend]:
    """Every indicator (measuring `goal`, when given), by label."""
    p = _params(params)
    nodes = [n for n, d in G.nodes(data=True) if d.get("kind") == INDICATOR]
    if goal is not None:
        nodes = [n for n in nodes if goal in _goals(G, n)]
    trends = [indicator_trend(G, n, p) for n in nodes]
    return sorted(trends, key=lambda t: (t.label.lower(), t.id))


def indicator_trend(
    G: nx.MultiDiGraph, node: str, params: IndicatorParams | dict[str, Any] | None = None
) -> IndicatorTrend:
    p = _params(params)
    d = G.nodes[node]
    as_of = G.graph.get("as_of") or dt.date.today()
    points = [pt for pt in (_point(v) for v in d.get("values") or []) if pt.date <= as_of]
    points.sort(key=lambda pt: (pt.date, pt.group or ""))
    overall = [pt for pt in points if pt.group is None]
    baseline, target = _float(d.get("baseline")), _float(d.get("target"))
    baseline_date, target_date = _date(d.get("baseline_date")), _date(d.get("target_date"))
    direction = _direction(d, baseline, target)
    sign = 1.0 if direction == Direction.HIGHER else -1.0
    latest = overall[-1] if overall else None

    change = distance = met = None
    if latest is not None and baseline is not None:
        change = _round(latest.value - baseline)
    if latest is not None and target is not None:
        distance = _round(sign * (target - latest.value))
        met = distance <= 0

    forecast = _forecast(overall, target_date, p)
    reaches = None
    if target is not None and target_date is not None and overall:
        if latest is not None and target_date <= latest.date:
            known = [pt for pt in overall if pt.date <= target_date]
            reaches = bool(known) and sign * (known[-1].value - target) >= 0
        elif forecast is not None:
            reaches = sign * (forecast.end.value - target) >= 0

    groups = _groups(points)
    gaps = _gaps(groups, sign, d.get("unit"))
    widest = max(gaps, key=lambda g: g.gap) if gaps else None
    attrs = d.get("attributes") or {}
    trend = IndicatorTrend(
        id=node,
        label=str(d.get("label", node)),
        indicator_type=d.get("indicator_type"),
        unit=d.get("unit"),
        direction=direction,
        goals=[subject(G, g) for g in sorted(_goals(G, node))],
        illustrative=bool(attrs.get("illustrative"))
        or any(pt.note == "illustrative" for pt in points),
        source=d.get("source"),
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        target_date=target_date,
        values=overall,
        latest=latest,
        change_since_baseline=change,
        distance_to_target=distance,
        target_met=met,
        forecast=forecast,
        reaches_target=reaches,
        groups=groups,
        gaps=gaps,
        widest_gap=widest,
        status="",
    )
    trend.status = _status(trend)
    return trend


def decimal_year(day: dt.date) -> float:
    """1 January of a year is that year exactly; the rest of the year is its fraction.

    >>> decimal_year(dt.date(2020, 1, 1)), round(decimal_year(dt.date(2021, 7, 2)), 3)
    (2020.0, 2021.499)
    """
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def from_decimal_year(x: float) -> dt.date:
    year = int(x // 1)
    start = dt.date(year, 1, 1)
    length = (dt.date(year + 1, 1, 1) - start).days
    return start + dt.timedelta(days=round((x - year) * length))


# ------------------------------------------------------------------------------ helpers


def _params(params: IndicatorParams | dict[str, Any] | None) -> IndicatorParams:
    if isinstance(params, IndicatorParams):
        return params
    return IndicatorParams(**(params or {}))


def _goals(G: nx.MultiDiGraph, node: str) -> set[str]:
    return {
        t
        for _, t, d in G.out_edges(node, data=True)
        if d.get("kind") == "measures" and G.nodes[t].get("kind") == "goal"
    }


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _round(x: float) -> float:
    return round(x, 4) + 0.0  # no -0.0


def _point(v: Any) -> Point:
    if isinstance(v, BaseModel):
        v = v.model_dump()
    group = v.get("group")
    day = _date(v.get("date"))
    if day is None:
        raise ValueError(f"an indicator value needs a date: {v!r}")
    return Point(
        date=day,
        value=float(v["value"]),
        group=str(group).strip() or None if group is not None else None,
        note=v.get("note"),
    )


def _direction(d: dict[str, Any], baseline: float | None, target: float | None) -> Direction:
    given = d.get("direction")
    if given:
        return Direction(given)
    if baseline is not None and target is not None and target < baseline:
        return Direction.LOWER
    return Direction.HIGHER


def _fit(points: list[Point]) -> tuple[float, float]:
    """Least squares: (slope per year, intercept at year 0)."""
    xs = [decimal_year(pt.date) for pt in points]
    ys = [pt.value for pt in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    return slope, my - slope * mx


def _forecast(
    overall: list[Point], target_date: dt.date | None, p: IndicatorParams
) -> Forecast | None:
    recent = overall[-p.forecast_window :]
    if len({pt.date for pt in recent}) < 2:
        return None
    slope, intercept = _fit(recent)
    last = recent[-1].date
    if target_date is not None and target_date > last:
        end = target_date
    else:
        try:
            end = from_decimal_year(decimal_year(last) + p.horizon_years)
        except (ValueError, OverflowError):  # past the calendar's last year
            end = dt.date.max

    def at(day: dt.date) -> float:
        return _round(intercept + slope * decimal_year(day))

    return Forecast(
        method=f"least-squares line over the last {len(recent)} values",
        window=len(recent),
        slope_per_year=_round(slope),
        start=Point(date=last, value=at(last)),
        end=Point(date=end, value=at(end)),
        value_at_target_date=at(target_date) if target_date is not None else None,
    )


def _split(group: str) -> tuple[str | None, str]:
    key, sep, name = group.partition(":")
    return (key.strip(), name.strip()) if sep and name.strip() else (None, group.strip())


def _groups(points: list[Point]) -> list[GroupSeries]:
    by_group: dict[str, list[Point]] = defaultdict(list)
    for pt in points:
        if pt.group is not None:
            by_group[pt.group].append(pt)
    out = []
    for group in sorted(by_group):
        key, name = _split(group)
        series = by_group[group]
        out.append(GroupSeries(group=group, key=key, name=name, latest=series[-1], values=series))
    return out


def _gaps(groups: list[GroupSeries], sign: float, unit: str | None) -> list[Gap]:
    by_key: dict[str | None, list[GroupSeries]] = defaultdict(list)
    for g in groups:
        by_key[g.key].append(g)
    gaps = []
    for key, members in by_key.items():
        values: dict[dt.date, dict[str, float]] = defaultdict(dict)
        for g in members:
            for pt in g.values:
                values[pt.date][g.name] = pt.value  # the last one of a day wins
        shared = sorted(day for day, vs in values.items() if len(vs) >= 2)
        if not shared:
            continue
        day = shared[-1]
        ranked = sorted(values[day].items(), key=lambda kv: (-sign * kv[1], kv[0]))
        (best, bv), (worst, wv) = ranked[0], ranked[-1]
        gap = _round(abs(bv - wv))
        earlier = [d for d in shared if d < day and best in values[d] and worst in values[d]]
        earlier_date = earlier[0] if earlier else None
        earlier_gap: float | None = None
        trend: Literal["widening", "narrowing", "steady"] | None = None
        widening: bool | None = None
        if earlier_date is not None:
            earlier_gap = _round(sign * (values[earlier_date][best] - values[earlier_date][worst]))
            trend = (
                "widening" if gap > earlier_gap else "narrowing" if gap < earlier_gap else "steady"
            )
            widening = trend == "widening"
        gaps.append(
            Gap(
                key=key,
                best=best,
                worst=worst,
                date=day,
                gap=gap,
                earlier_date=earlier_date,
                earlier_gap=earlier_gap,
                trend=trend,
                widening=widening,
                message=_gap_message(key, best, worst, gap, trend, earlier_gap, earlier_date, unit),
            )
        )
    return sorted(gaps, key=lambda g: (-g.gap, g.key or ""))


def _units(unit: str | None) -> str:
    if unit in (None, "", "percent", "%", "percentage points"):
        return "points"
    return unit


def _gap_message(
    key: str | None,
    best: str,
    worst: str,
    gap: float,
    trend: str | None,
    earlier_gap: float | None,
    earlier_date: dt.date | None,
    unit: str | None,
) -> str:
    by = f" ({key})" if key else ""
    text = f"the gap between {best} and {worst}{by} is {gap:g} {_units(unit)}"
    if trend is None or earlier_date is None:
        return text
    return f"{text} and {trend} (it was {earlier_gap:g} on {earlier_date.isoformat()})"


def _status(t: IndicatorTrend) -> str:
    if t.latest is None:
        return "no data yet" + (" for the whole population" if t.groups else "")
    parts = [f"latest {t.latest.value:g} on {t.latest.date.isoformat()}"]
    if t.change_since_baseline is not None:
        parts.append(f"{t.change_since_baseline:+g} since the baseline")
    if t.target is not None:
        if t.target_met:
            parts.append(f"target {t.target:g} met")
        else:
            parts.append(f"{t.distance_to_target:g} to go to the target {t.target:g}")
    if t.reaches_target is not None and t.target_date is not None:
        verb = "reaches" if t.reaches_target else "misses"
        parts.append(f"the trend {verb} it by {t.target_date.isoformat()}")
    if t.widest_gap is not None:
        parts.append(t.widest_gap.message)
    return "; ".join(parts)
