"""The meeting packet: everything a stewardship meeting reads, gathered as of one date.

`build_packet` gathers it from a workspace's graphs (as of the date, as of `since`, and a
point a year for the health trend); `render_html` lays it out as one self-contained page
(autoescaped Jinja2; the charts and the map picture inline as ``<svg>``, nothing loaded
from anywhere) with a print stylesheet that starts every section on a new page, which
`constellation.report.pdf` turns into a PDF.

Sections, in order: health (score, trend, what moved it), findings (by severity, with
what appeared and was resolved since), conveners (who convenes what by goal, leaderless
groups and the members who could convene them, overloaded conveners), the map, the
indicator curves by goal, funding, and the changes since, in words.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import networkx as nx
from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from jinja2 import Environment

from constellation.analysis.audit import run_audit
from constellation.analysis.conveners import (
    ConvenerRow,
    _overloaded,
    convener_load,
    who_convenes_what,
)
from constellation.analysis.findings import SEVERITY_ORDER, AuditReport, Finding, Subject, subject
from constellation.analysis.funding import (
    FundingReport,
    _current_grants,
    _money,
    _sums,
    funding_opportunities,
)
from constellation.analysis.index import index_of
from constellation.analysis.indicators import IndicatorParams, IndicatorTrend, indicator_trends
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import CHECKS
from constellation.analysis.timeline import DiffResult, diff_graphs

if TYPE_CHECKING:
    from collections.abc import Callable

    from jinja2 import Environment

__all__ = ["Packet", "build_packet", "render_html", "SECTIONS", "DEFAULT_SINCE_DAYS"]

DEFAULT_SINCE_DAYS = 90
"""`since` defaults to this many days before the packet's date."""

SECTIONS = (
    ("health", "Health"),
    ("findings", "Findings"),
    ("conveners", "Who convenes what"),
    ("map", "The map"),
    ("indicators", "Indicators"),
    ("funding", "Funding"),
    ("changes", "Changes"),
)
"""The packet's sections (id, heading), each starting a new printed page."""

TREND_YEARS = 5


class Moved(BaseModel):
    """One check whose part of the health score changed since `since`."""

    check: str
    title: str
    before: int = Field(description="Findings then.")
    after: int = Field(description="Findings now.")
    points: float = Field(description="What it added to (or took from) the score.")
    message: str


class Candidate(BaseModel):
    organization: Subject
    active_constellations: int
    spare_capacity: float | None = Field(description="Capacity minus load; none if unknown.")


class Leaderless(BaseModel):
    constellation: Subject
    status: str
    partners: int
    candidates: list[Candidate] = Field(
        description="Members not overloaded, most spare capacity first."
    )


class GoalGroups(BaseModel):
    goal: Subject | None = Field(description="None: the groups that advance no goal.")
    rows: list[ConvenerRow]


class Curve(BaseModel):
    trend: IndicatorTrend
    chart: str = Field(description="The turn-the-curve chart, one <svg> element.")


class GoalCurves(BaseModel):
    goal: Subject | None = Field(description="None: indicators that measure no goal.")
    curves: list[Curve]


class Funded(BaseModel):
    recipient: Subject
    funders: list[Subject]
    amount: str
    grants: int


class Packet(BaseModel):
    workspace: str
    name: str
    as_of: dt.date
    since: dt.date
    health: int
    health_since: int
    health_formula: str
    trend: list[dict[str, Any]]
    trend_chart: str
    moved: list[Moved]
    findings: list[Finding]
    counts: dict[str, int]
    appeared: list[Finding]
    resolved: list[Finding]
    conveners_by_goal: list[GoalGroups]
    leaderless: list[Leaderless]
    overloaded: list[Finding]
    map_svg: str
    curves: list[GoalCurves]
    funded: list[Funded]
    funding: FundingReport
    changes: list[str]
    sections: list[tuple[str, str]] = Field(default_factory=lambda: list(SECTIONS))


# ------------------------------------------------------------------------------ build


def build_packet(
    graph: nx.MultiDiGraph,
    before: nx.MultiDiGraph,
    trend_graphs: list[nx.MultiDiGraph],
    *,
    name: str | None = None,
    params: AuditParams | dict[str, Any] | None = None,
    indicator_params: IndicatorParams | dict[str, Any] | None = None,
) -> Packet:
    """The packet from the graph as of its date, as of `since` (`before`) and at the
    trend's yearly points (oldest first)."""
    from constellation.report.charts import health_chart, trend_chart
    from constellation.viz.svg import map_svg

    p = resolve(params)
    report = run_audit(graph, p)
    then = run_audit(before, p, figures=False)
    diff = diff_graphs(before, graph, p)
    trend = [_point(run_audit(G, p, figures=False)) for G in trend_graphs]
    if not trend or trend[-1]["date"] != report.as_of:
        trend.append(_point(report))
    findings = sorted(report.findings, key=lambda f: SEVERITY_ORDER[f.severity])
    trends = indicator_trends(graph, params=indicator_params)
    workspace = graph.graph["workspace"]
    return Packet(
        workspace=workspace,
        name=name or workspace,
        as_of=report.as_of,
        since=then.as_of,
        health=report.summary["health"]["score"],
        health_since=then.summary["health"]["score"],
        health_formula=report.summary["health"]["formula"],
        trend=trend,
        trend_chart=health_chart(trend, since=then.as_of),
        moved=_moved(then, report),
        findings=findings,
        counts=report.summary["counts"]["by_severity"],
        appeared=diff.findings.appeared,
        resolved=diff.findings.resolved,
        conveners_by_goal=_by_goal(who_convenes_what(graph, p)),
        leaderless=_leaderless(graph, p),
        overloaded=[f for f in findings if f.check == "convener_overload"],
        map_svg=map_svg(graph, report, title=f"{name or workspace} on {report.as_of}"),
        curves=_curves(graph, trends, trend_chart),
        funded=_funded(graph),
        funding=funding_opportunities(graph),
        changes=_changes(before, graph, diff),
    )


def _point(r: AuditReport) -> dict[str, Any]:
    return {
        "date": r.as_of,
        "score": r.summary["health"]["score"],
        "findings": r.summary["counts"]["total"],
        "high": r.summary["counts"]["by_severity"].get("high", 0),
    }


def _contributions(report: AuditReport) -> dict[str, tuple[float, int]]:
    parts = report.summary["health"]["by_check"]
    total = sum(part["weight"] for part in parts.values()) or 1.0
    return {
        c: (100 * part["weight"] * part["pass_rate"] / total, part["findings"])
        for c, part in parts.items()
    }


def _moved(then: AuditReport, now: AuditReport) -> list[Moved]:
    """Per check, the change of its share of the score; largest change first."""
    a, b = _contributions(then), _contributions(now)
    moved = []
    for check in dict.fromkeys([*a, *b]):
        (pa, fa), (pb, fb) = a.get(check, (0.0, 0)), b.get(check, (0.0, 0))
        points = round(pb - pa, 1)
        if fa == fb and abs(points) < 0.05:
            continue
        title = CHECKS[check].title if check in CHECKS else check
        of = now.summary["health"]["by_check"].get(check, {}).get("of", "")
        verb = "fewer" if fb < fa else "more" if fb > fa else "the same number of"
        moved.append(
            Moved(
                check=check,
                title=title,
                before=fa,
                after=fb,
                points=points,
                message=f"{title}: {fa} → {fb} finding(s) ({verb}; "
                + (f"{points:+g} points" if points else "no change to the score")
                + (f", over the {of}" if of else "")
                + ")",
            )
        )
    return sorted(moved, key=lambda m: (-abs(m.points), m.check))


def _by_goal(rows: list[ConvenerRow]) -> list[GoalGroups]:
    groups: dict[str, list[ConvenerRow]] = {}
    goals: dict[str, Subject] = {}
    none: list[ConvenerRow] = []
    for row in rows:
        if not row.goals:
            none.append(row)
        for g in row.goals:
            goals[g.id] = g
            groups.setdefault(g.id, []).append(row)
    out = [
        GoalGroups(goal=goals[g], rows=groups[g])
        for g in sorted(goals, key=lambda g: goals[g].label.lower())
    ]
    if none:
        out.append(GoalGroups(goal=None, rows=none))
    return out


def _leaderless(G: nx.MultiDiGraph, p: AuditParams, most: int = 3) -> list[Leaderless]:
    """Live groups nobody convenes, and which of their members could: those not
    overloaded as conveners, with the most spare capacity (unknown capacity last)."""
    ix = index_of(G)
    out = []
    for c in sorted(ix.nodes("constellation"), key=lambda n: G.nodes[n]["label"].lower()):
        if not ix.is_live(c) or ix.conveners(c):
            continue
        ranked = []
        for org in ix.members(c):
            if G.nodes[org].get("kind") != "organization":
                continue
            figures = convener_load(ix, org, p)
            if any(_overloaded(figures, p)):
                continue
            spare = (
                round(figures["capacity"] - figures["load"], 2)
                if figures["capacity"] is not None
                else None
            )
            ranked.append(
                Candidate(
                    organization=subject(G, org),
                    active_constellations=figures["active_constellations"],
                    spare_capacity=spare,
                )
            )
        ranked.sort(
            key=lambda k: (
                k.spare_capacity is None,
                -(k.spare_capacity or 0),
                k.active_constellations,
                k.organization.label.lower(),
            )
        )
        out.append(
            Leaderless(
                constellation=subject(G, c),
                status=ix.status(c),
                partners=len(ix.members(c)),
                candidates=ranked[:most],
            )
        )
    return out


def _curves(
    G: nx.MultiDiGraph, trends: list[IndicatorTrend], chart: Callable[[IndicatorTrend], str]
) -> list[GoalCurves]:
    by_goal: dict[str, list[IndicatorTrend]] = {}
    goals: dict[str, Subject] = {}
    none = []
    for t in trends:
        if not t.goals:
            none.append(t)
        for g in t.goals[:1]:  # one chart per indicator: under its first goal
            goals[g.id] = g
            by_goal.setdefault(g.id, []).append(t)
    out = [
        GoalCurves(goal=goals[g], curves=[Curve(trend=t, chart=chart(t)) for t in by_goal[g]])
        for g in sorted(goals, key=lambda g: goals[g].label.lower())
    ]
    if none:
        out.append(GoalCurves(goal=None, curves=[Curve(trend=t, chart=chart(t)) for t in none]))
    return out


def _funded(G: nx.MultiDiGraph) -> list[Funded]:
    ix = index_of(G)
    as_of = G.graph.get("as_of") or dt.date.today()
    grants = _current_grants(G, ix, as_of)["into"]
    out = []
    for node in sorted(grants, key=lambda n: G.nodes[n]["label"].lower()):
        sums = _sums(grants[node])
        out.append(
            Funded(
                recipient=subject(G, node),
                funders=[subject(G, s) for s in sorted({s for s, _ in grants[node]})],
                amount=_money(sums),
                grants=sums["grants"],
            )
        )
    return out


_VERBS = {
    "convenes": ("began convening", "stopped convening"),
    "participates_in": ("joined", "left"),
    "funds": ("began funding", "stopped funding"),
    "signs": ("signed", "is no longer a signer of"),
    "advances": ("took up", "no longer works on"),
    "member_of": ("joined", "left"),
    "represents": ("now represents", "no longer represents"),
    "backbone_for": ("became a backbone for", "is no longer a backbone for"),
    "spun_off_from": ("spun off from", "is no longer recorded as spun off from"),
}


def _changes(before: nx.MultiDiGraph, after: nx.MultiDiGraph, diff: DiffResult) -> list[str]:
    """The changes between the two dates, one sentence each."""
    from constellation import vocabulary as vocab

    def label(G: nx.MultiDiGraph, n: str) -> str:
        return G.nodes[n]["label"] if n in G else n

    def kind_title(kind: str) -> str:
        k = vocab.NODE_KINDS.get(kind)
        return k.title.lower() if k else kind

    lines = []
    for n in diff.nodes.added:
        lines.append(f"New {kind_title(n.kind)}: {n.label}.")
    for n in diff.nodes.ended:
        lines.append(f"No longer on record: the {kind_title(n.kind)} {n.label}.")
    for e in diff.edges.added:
        verb = _VERBS.get(e.kind, (None, None))[0]
        s, t = label(after, e.source), label(after, e.target)
        lines.append(f"{s} {verb} {t}." if verb else f"New {e.kind} tie: {s} → {t}.")
    for e in diff.edges.ended:
        verb = _VERBS.get(e.kind, (None, None))[1]
        s, t = label(before, e.source), label(before, e.target)
        lines.append(f"{s} {verb} {t}." if verb else f"Ended {e.kind} tie: {s} → {t}.")
    for a_node in after:
        if a_node in before:
            was, now = before.nodes[a_node].get("status"), after.nodes[a_node].get("status")
            if was and now and was != now:
                lines.append(f"{after.nodes[a_node]['label']} went from {was} to {now}.")
    return lines


# ------------------------------------------------------------------------------ render


def _environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("constellation.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = lambda v, unit=None: (
        ("—" if v is None else f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
        + ("%" if unit == "percent" and v is not None else "")
    )
    return env


def render_html(packet: Packet) -> str:
    """The packet as one self-contained HTML page."""
    from importlib import resources

    from markupsafe import Markup

    css = (resources.files("constellation.report") / "templates" / "packet.css").read_text()
    by_severity: dict[str, list[Finding]] = {}
    for f in packet.findings:
        by_severity.setdefault(f.severity.value, []).append(f)
    return (
        _environment()
        .get_template("packet.html.j2")
        .render(
            p=packet,
            css=Markup(css),
            by_severity=by_severity,
            svg=Markup,  # the charts (matplotlib) and the map (ElementTree) escape their text
        )
    )
