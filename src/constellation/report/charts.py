"""Turn-the-curve charts, drawn on the server with matplotlib (Agg) as inline SVG.

One chart per indicator: the history (the whole population), one thinner line per group
when the values are disaggregated, the baseline as a dotted line, the forecast (the
least-squares line of `constellation.analysis.indicators`) dashed from the latest value to
the target date, and the target as a star on its date. Text stays text (``svg.fonttype``
``none``, escaped by matplotlib) so the charts are small and searchable; each chart gets its
own id salt so several can sit in one HTML page without their clip-path ids colliding.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib import dates as mdates  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from constellation.analysis.indicators import IndicatorTrend  # noqa: E402

__all__ = ["trend_chart", "health_chart", "COLORS"]

COLORS = {
    "history": "#1f4e79",
    "forecast": "#1f4e79",
    "baseline": "#7f7f7f",
    "target": "#2e7d32",
    "missed": "#c62828",
}
GROUP_COLORS = ["#e66101", "#5e3c99", "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e"]

_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.S)


def _days(dates: list[dt.date]) -> np.ndarray:
    """Dates as numpy days, which matplotlib plots as dates (and its stubs accept)."""
    return np.array(dates, dtype="datetime64[D]")


def _date_axis(ax: Axes) -> None:
    """Dates on the x axis with as few ticks as read well. matplotlib's date helpers carry
    no annotations in its stubs, hence the two ignores."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def trend_chart(t: IndicatorTrend, width: float = 6.4, height: float = 3.6) -> str:
    """The chart as one ``<svg>`` element (no XML prologue, no metadata), ready to inline."""
    has_data = bool(t.values or t.groups)
    fig = Figure(figsize=(width, height if has_data else 1.3), dpi=96)
    ax = fig.add_subplot()
    unit = "%" if t.unit == "percent" else ""
    dates = [p.date for p in t.values] + [p.date for g in t.groups for p in g.values]
    if t.values:
        ax.plot(
            _days([p.date for p in t.values]),
            [p.value for p in t.values],
            color=COLORS["history"],
            marker="o",
            markersize=4,
            linewidth=2.2,
            label="all" if t.groups else "history",
            zorder=4,
        )
    for i, g in enumerate(t.groups):
        ax.plot(
            _days([p.date for p in g.values]),
            [p.value for p in g.values],
            color=GROUP_COLORS[i % len(GROUP_COLORS)],
            marker=".",
            linewidth=1.3,
            label=g.group,
            zorder=3,
        )
    if t.forecast is not None:
        f = t.forecast
        ax.plot(
            _days([f.start.date, f.end.date]),
            [f.start.value, f.end.value],
            color=COLORS["forecast"],
            linestyle="--",
            linewidth=1.4,
            alpha=0.8,
            label=f"forecast (trend of the last {f.window} values)",
            zorder=2,
        )
        dates.append(f.end.date)
    if t.baseline is not None:
        ax.axhline(
            t.baseline,
            color=COLORS["baseline"],
            linestyle=":",
            linewidth=1.2,
            label=f"baseline {_fmt(t.baseline)}{unit}"
            + (f" ({t.baseline_date.year})" if t.baseline_date else ""),
            zorder=1,
        )
    if t.target is not None:
        color = COLORS["missed"] if t.reaches_target is False else COLORS["target"]
        label = f"target {_fmt(t.target)}{unit}"
        if t.target_date is not None:
            ax.plot(
                _days([t.target_date]),
                [t.target],
                marker="*",
                markersize=13,
                color=color,
                zorder=5,
                clip_on=False,
                linestyle="none",
                label=label + f" by {t.target_date.isoformat()}",
            )
            dates.append(t.target_date)
        else:
            ax.axhline(t.target, color=color, linewidth=1, label=label)
    if not dates:
        ax.text(
            0.5,
            0.5,
            "no data yet",
            ha="center",
            va="center",
            transform=ax.transAxes,
            color=COLORS["baseline"],
            fontsize=12,
        )
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        _date_axis(ax)
        ax.legend(
            loc="upper center",
            bbox_to_anchor=(0.5, -0.12),
            ncol=3 if width >= 5.5 else 2,
            fontsize=7,
            frameon=False,
        )
    ax.set_title(t.label, fontsize=10, loc="left")
    if t.unit:
        ax.set_ylabel(t.unit, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.grid(True, axis="y", color="#e5e5e5", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig, f"chart-{t.id}", f"{t.label} chart")


def health_chart(
    points: list[dict[str, Any]],
    since: dt.date | None = None,
    width: float = 6.4,
    height: float = 2.6,
) -> str:
    """The health score at yearly points (and the packet's date), 0–100."""
    fig = Figure(figsize=(width, height), dpi=96)
    ax = fig.add_subplot()
    days = [p["date"] for p in points]
    ax.plot(days, [p["score"] for p in points], color=COLORS["history"], marker="o", linewidth=2)
    for p in points:
        ax.annotate(
            f"{p['score']}",
            (p["date"], p["score"]),
            textcoords="offset points",
            xytext=(0, 7),
            ha="center",
            fontsize=8,
        )
    if since is not None:
        ax.axvline(since, color=COLORS["baseline"], linestyle=":", linewidth=1)  # type: ignore[arg-type]  # the stubs leave out dates
        ax.annotate("since", (since, 3), fontsize=7, color=COLORS["baseline"], ha="left")
    ax.set_ylim(0, 105)
    ax.set_ylabel("health (0–100)", fontsize=8)
    ax.set_title("Health score over the years", fontsize=10, loc="left")
    _date_axis(ax)
    ax.tick_params(labelsize=7)
    ax.grid(True, axis="y", color="#e5e5e5", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig, "health", "Health score over the years")


def _svg(fig: Figure, salt: str, label: str) -> str:
    """The figure as one <svg> element: no prologue, no metadata, its own id salt."""
    fig.tight_layout()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _METADATA.sub("", _PROLOGUE.sub("", buffer.getvalue(), count=1))
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_attr(label)}" ', 1)


def _attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
    )
