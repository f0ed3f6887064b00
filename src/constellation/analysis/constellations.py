"""Constellation checks: groups aligned to no goal, too narrow, gone quiet, or without plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

import networkx as nx

from constellation.analysis.events import date_of, events_of
from constellation.analysis.findings import Finding, Severity, make_key, subject
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = [
    "unaligned_constellations",
    "narrow_constellations",
    "dormant_constellations",
    "missing_plans",
    "last_activity",
    "PLANS",
]

PLANS = {
    "has_charter": "charter",
    "has_action_plan": "action plan",
    "has_data_plan": "data plan",
    "has_disparities_plan": "disparities plan",
}
"""The documents seed 000 asks every network to develop, by property."""


@check(
    "unaligned_constellations",
    title="Unaligned constellations",
    weight=2,
    population=lambda ix: len(ix.live_constellations),
    population_label="active and forming constellations",
)
def unaligned_constellations(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Active or forming constellations that advance no goal or indicator.

    Seed 001: constellations are "action-focused, aligned to overall vision".

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "c", "kind": "constellation", "label": "Youth Leadership"}])
    >>> unaligned_constellations(G)[0].message
    'Youth Leadership advances none of the common-agenda goals.'
    """
    resolve(params)
    ix = index_of(G)
    return [
        Finding(
            check="unaligned_constellations",
            severity=Severity.MEDIUM,
            subjects=[subject(G, c)],
            message=f"{G.nodes[c]['label']} advances none of the common-agenda goals.",
            evidence={"status": ix.status(c), "goals": 0, "indicators": 0},
            suggestion="Link it to the goal or indicator it works toward, or ask whether it "
            "still belongs in the partnership.",
            key=make_key("unaligned_constellations", c),
        )
        for c in ix.live_constellations
        if not ix.targets("advances", c)
    ]


@check(
    "narrow_constellations",
    title="Thin or single-sector constellations",
    weight=1,
    population=lambda ix: len(ix.active_constellations),
    population_label="active constellations",
)
def narrow_constellations(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Active constellations with too few member organizations or too few sectors.

    Seed 000: conveners "develop membership for the CAN that is cross-sector". Members are
    the conveners and partners; fewer than `min_partners` is thin, fewer than
    `min_sectors` distinct sectors is single-sector.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> orgs = [{"id": o, "kind": "organization", "label": o.upper(),
    ...          "properties": {"sector": "higher-ed"}} for o in ("ucla", "usc", "lmu")]
    >>> G = build_graph(orgs + [{"id": "c", "kind": "constellation", "label": "IHE"}],
    ...                 [{"kind": "participates_in", "source": o["id"], "target": "c"}
    ...                  for o in orgs])
    >>> f = narrow_constellations(G)[0]
    >>> f.message, f.evidence["sectors"]
    ('IHE draws its 3 members from 1 sector (higher-ed).', ['higher-ed'])
    """
    p = resolve(params)
    ix = index_of(G)
    findings = []
    for c in ix.active_constellations:
        members = ix.members(c)
        sectors = sorted({s for m in members if (s := ix.sector(m))})
        thin = len(members) < p.min_partners
        single = len(sectors) < p.min_sectors
        if not (thin or single):
            continue
        label = G.nodes[c]["label"]
        if thin:
            message = (
                f"{label} has only {len(members)} member organization"
                + ("s" if len(members) != 1 else "")
                + f" (fewer than {p.min_partners})."
            )
        else:
            message = (
                f"{label} draws its {len(members)} members from {len(sectors)} sector"
                + ("s" if len(sectors) != 1 else "")
                + f" ({', '.join(sectors)})."
            )
        findings.append(
            Finding(
                check="narrow_constellations",
                severity=Severity.MEDIUM if thin and single else Severity.LOW,
                subjects=[subject(G, c)],
                message=message,
                evidence={
                    "members": len(members),
                    "sectors": sectors,
                    "members_without_sector": sum(1 for m in members if not ix.sector(m)),
                    "min_partners": p.min_partners,
                    "min_sectors": p.min_sectors,
                },
                suggestion="Invite partners from the sectors it lacks; the partner recommendations "
                "show which organizations fit.",
                key=make_key("narrow_constellations", c),
            )
        )
    return findings


@check(
    "dormant_constellations",
    title="Dormant constellations",
    weight=1,
    population=lambda ix: len(ix.nodes("constellation")),
    population_label="constellations",
)
def dormant_constellations(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Constellations marked dormant, and active ones with no activity for a long time.

    Seed 001: constellations "galvanize quickly and disband when need is no longer
    relevant". A group's last activity is the later of its `last_activity` and its latest
    event (a meeting, a feedback session …), or failing both its `launched` date; dates
    after the audit date do not count. It is quiet when that is more than
    `dormant_after_days` before the audit date. A group with none of these dates is not
    judged: editing its record (importing it, moving it on the map) is not activity.

    Examples
    --------
    >>> import datetime as dt
    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "c", "kind": "constellation", "label": "Joint Advocacy",
    ...                   "properties": {"last_activity": "2016-01-15"}}],
    ...                 as_of=dt.date(2018, 1, 15))
    >>> dormant_constellations(G)[0].evidence["days_quiet"]
    731

    A meeting since then is activity:

    >>> G = build_graph([{"id": "c", "kind": "constellation", "label": "Joint Advocacy",
    ...                   "properties": {"last_activity": "2016-01-15"}},
    ...                  {"id": "m", "kind": "event", "label": "Meeting",
    ...                   "properties": {"date": "2017-11-01"}}],
    ...                 [{"kind": "held_for", "source": "m", "target": "c"}],
    ...                 as_of=dt.date(2018, 1, 15))
    >>> dormant_constellations(G)
    []
    """
    p = resolve(params)
    ix = index_of(G)
    as_of = G.graph["as_of"]
    findings = []
    for c in ix.nodes("constellation"):
        data = G.nodes[c]
        status = ix.status(c)
        last_day, source = last_activity(ix, c)
        quiet = (as_of - last_day).days if last_day else None
        if status == "dormant":
            message = f"{data['label']} is marked dormant."
        elif status == "active" and quiet is not None and quiet > p.dormant_after_days:
            message = (
                f"{data['label']} is active on paper but has recorded no activity since its "
                f"launch {quiet} days ago."
                if source == "launched"
                else f"{data['label']} is active on paper but has had no recorded activity "
                f"for {quiet} days."
            )
        else:
            continue
        findings.append(
            Finding(
                check="dormant_constellations",
                severity=Severity.LOW,
                subjects=[subject(G, c)],
                message=message,
                evidence={
                    "status": status,
                    "last_activity": last_day.isoformat() if last_day else None,
                    "activity_from": source,
                    "days_quiet": quiet,
                    "dormant_after_days": p.dormant_after_days,
                },
                suggestion="Decide with its conveners: revive it with a new action plan, or "
                "disband it and record what it achieved.",
                key=make_key("dormant_constellations", c),
            )
        )
    return findings


def last_activity(ix: Index, c: str) -> tuple[dt.date | None, str | None]:
    """A constellation's last known activity on the graph's date, and where it comes from:
    the later of `last_activity` and its latest event, else `launched`, else nothing."""
    G = ix.G
    events = events_of(ix, c)
    recorded = [
        (day, source)
        for day, source in (
            (date_of(G, c, "last_activity"), "last_activity"),
            (events[-1][0] if events else None, "event"),
        )
        if day is not None
    ]
    if recorded:
        return max(recorded)
    launched = date_of(G, c, "launched")
    return (launched, "launched") if launched else (None, None)


@check(
    "missing_plans",
    title="Missing charters and plans",
    weight=1,
    population=lambda ix: len(ix.active_constellations),
    population_label="active constellations",
)
def missing_plans(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Active constellations without a charter, action plan, data plan or disparities plan.

    Seed 000: the facilitator and conveners "guide the CAN toward the development of a
    shared charter and an action plan … and a data plan, as well as a detailed plan for
    addressing disparities". A missing charter or action plan is medium; the rest low.
    Unknown counts as missing.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "c", "kind": "constellation", "label": "STEM Hub",
    ...     "properties": {"has_charter": True, "has_action_plan": True,
    ...                    "has_data_plan": True}}])
    >>> missing_plans(G)[0].message
    'STEM Hub has no disparities plan.'
    """
    resolve(params)
    ix = index_of(G)
    findings = []
    for c in ix.active_constellations:
        data = G.nodes[c]
        missing = [name for prop, name in PLANS.items() if not data.get(prop)]
        if not missing:
            continue
        core = {"charter", "action plan"} & set(missing)
        findings.append(
            Finding(
                check="missing_plans",
                severity=Severity.MEDIUM if core else Severity.LOW,
                subjects=[subject(G, c)],
                message=f"{data['label']} has no " + _join(missing) + ".",
                evidence={
                    "missing": missing,
                    "unknown": [PLANS[p] for p in PLANS if data.get(p) is None],
                },
                suggestion="Work with the conveners through the continuous-improvement process "
                "to draft the " + _join(missing, "and") + ".",
                key=make_key("missing_plans", c),
            )
        )
    return findings


def _join(items: list[str], conjunction: str = "or") -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
