"""Convener checks: who leads more than it can carry, and which groups have no leader."""

from __future__ import annotations

from typing import Any

import networkx as nx
from pydantic import BaseModel, Field

from constellation.analysis.findings import Finding, Severity, Subject, make_key, subject
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.registry import check

__all__ = [
    "ConvenerRow",
    "convener_overload",
    "leaderless_constellations",
    "convener_load",
    "who_convenes_what",
    "GoalRow",
    "conveners_by_goal",
]


class Convener(Subject):
    """A convener of one group, with what it carries across all its groups."""

    role: str = Field(description="primary or co-convener.")
    overloaded: bool
    active_constellations: int
    load: float = Field(description="Partner-weighted load (see `convener_load`).")
    capacity: float | None = Field(description="staff_capacity × partners_per_fte, if declared.")


class ConvenerRow(BaseModel):
    """One constellation in the stewardship group's table of who convenes what."""

    constellation: Subject
    status: str
    type: str | None = Field(description="The constellation_type.")
    conveners: list[Convener]
    goals: list[Subject]
    partners: int = Field(description="Member organizations other than the conveners.")
    sectors: list[str]
    leaderless: bool
    overloaded_convener: bool


def convener_load(ix: Index, org: str, params: AuditParams) -> dict[str, Any]:
    """What an organization carries as convener: groups, partner-weighted load, capacity.

    The load of one constellation is its number of partners (member organizations other
    than the conveners), times 1 for a primary convener or `co_convener_weight` for a
    co-convener. Capacity is `staff_capacity` (FTE) × `partners_per_fte`, when declared.
    """
    groups, load = [], 0.0
    for c in dict.fromkeys(ix.targets("convenes", org)):  # each group once
        if ix.status(c) != "active":
            continue
        groups.append(c)
        conveners = ix.conveners(c)
        partners = len(ix.members(c) - set(conveners))
        role = conveners[org].get("role", "primary")
        load += partners * (1.0 if role == "primary" else params.co_convener_weight)
    staff = ix.G.nodes[org].get("staff_capacity")
    capacity = staff * params.partners_per_fte if staff is not None else None
    return {
        "active_constellations": len(groups),
        "constellations": sorted(groups),
        "load": round(load, 2),
        "staff_capacity": staff,
        "capacity": round(capacity, 2) if capacity is not None else None,
    }


def _overloaded(figures: dict[str, Any], params: AuditParams) -> tuple[bool, bool]:
    """Whether a convener's figures (`convener_load`) pass the count limit, the capacity."""
    too_many = figures["active_constellations"] > params.max_active_convened
    too_heavy = figures["capacity"] is not None and figures["load"] > figures["capacity"]
    return too_many, too_heavy


@check(
    "convener_overload",
    title="Convener overload",
    weight=2,
    population=lambda ix: len(ix.out["convenes"]),
    population_label="conveners",
)
def convener_overload(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Organizations convening more active constellations than their capacity carries.

    Overloaded means more than `max_active_convened` active constellations, or a
    partner-weighted load (see `convener_load`) beyond the declared staff capacity.
    Findings are ranked by load, heaviest first; high when both limits are passed.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> groups = [{"id": f"c{i}", "kind": "constellation", "label": f"Group {i}"}
    ...           for i in range(4)]
    >>> G = build_graph(
    ...     [{"id": "u", "kind": "organization", "label": "UNITE-LA",
    ...       "properties": {"staff_capacity": 0.1}}] + groups,
    ...     [{"kind": "convenes", "source": "u", "target": g["id"]} for g in groups])
    >>> f = convener_overload(G)[0]
    >>> f.evidence["active_constellations"], f.evidence["load"], f.evidence["capacity"]
    (4, 0.0, 1.0)
    >>> f.severity.value
    'medium'

    Notes
    -----
    O(E) over convenes and participates_in edges.

    References
    ----------
    Seed 001 (convener criteria: "Do you have the bandwidth?"), seed 000 (organizational
    capacity/stability to fulfil the network's expectations).
    """
    p = resolve(params)
    ix = index_of(G)
    found = []
    for org in ix.out["convenes"]:
        figures = convener_load(ix, org, p)
        too_many, too_heavy = _overloaded(figures, p)
        if not (too_many or too_heavy):
            continue
        reasons = []
        if too_many:
            reasons.append(
                f"convenes {figures['active_constellations']} active constellations "
                f"(more than {p.max_active_convened})"
            )
        if too_heavy:
            reasons.append(
                f"carries a load of {figures['load']:g} partners against a capacity "
                f"of {figures['capacity']:g}"
            )
        found.append(
            (
                figures["load"],
                figures["active_constellations"],
                Finding(
                    check="convener_overload",
                    severity=Severity.HIGH if too_many and too_heavy else Severity.MEDIUM,
                    subjects=[subject(G, org)] + [subject(G, c) for c in figures["constellations"]],
                    message=f"{G.nodes[org]['label']} " + " and ".join(reasons) + ".",
                    evidence=figures
                    | {
                        "max_active_convened": p.max_active_convened,
                        "partners_per_fte": p.partners_per_fte,
                    },
                    suggestion="Ask a partner to co-convene or take over one of these groups, or "
                    "raise the staff time committed to convening.",
                    key=make_key("convener_overload", org),
                ),
            )
        )
    found.sort(key=lambda t: (-t[0], -t[1], t[2].key))
    return [f for *_, f in found]


@check(
    "leaderless_constellations",
    title="Leaderless constellations",
    weight=3,
    population=lambda ix: len(ix.live_constellations),
    population_label="active and forming constellations",
)
def leaderless_constellations(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[Finding]:
    """Active or forming constellations with no convener.

    Seed 001: a constellation needs "energetic leadership by 1 or more partners".
    Active groups without one are high severity; forming ones medium.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph([{"id": "c", "kind": "constellation", "label": "Joint Advocacy"}])
    >>> leaderless_constellations(G)[0].message
    'Joint Advocacy is active but nobody convenes it.'
    """
    resolve(params)
    ix = index_of(G)
    findings = []
    for c in ix.nodes("constellation"):
        status = ix.status(c)
        if not ix.is_live(c) or ix.conveners(c):
            continue
        partners = sorted(ix.members(c))
        findings.append(
            Finding(
                check="leaderless_constellations",
                severity=Severity.HIGH if status == "active" else Severity.MEDIUM,
                subjects=[subject(G, c)],
                message=f"{G.nodes[c]['label']} is {status} but nobody convenes it.",
                evidence={"status": status, "conveners": 0, "partners": len(partners)},
                suggestion="Ask one of its partners with the skills, bandwidth and content "
                "knowledge to convene it (seed 001's convener criteria); the convener "
                "candidates rank who could."
                if partners
                else "Find a convener, or fold it into another group.",
                key=make_key("leaderless_constellations", c),
            )
        )
    return findings


def who_convenes_what(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[ConvenerRow]:
    """One row per constellation: its conveners (with their load), goals, status, partners
    and sectors, and whether it is leaderless or led by an overloaded convener.

    This is the stewardship group's table: who convenes what.

    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "u", "kind": "organization", "label": "UNITE-LA"},
    ...      {"id": "c", "kind": "constellation", "label": "Data Workgroup"}],
    ...     [{"kind": "convenes", "source": "u", "target": "c"}])
    >>> row = who_convenes_what(G)[0]
    >>> row.constellation.label, [c.label for c in row.conveners], row.leaderless
    ('Data Workgroup', ['UNITE-LA'], False)
    """
    p = resolve(params)
    ix = index_of(G)
    loads = {org: convener_load(ix, org, p) for org in ix.out["convenes"]}
    overloaded = {org for org, figures in loads.items() if any(_overloaded(figures, p))}
    rows = []
    for c in sorted(ix.nodes("constellation"), key=lambda n: G.nodes[n]["label"].lower()):
        conveners = ix.conveners(c)
        members = ix.members(c)
        partners = members - set(conveners)
        status = ix.status(c)
        rows.append(
            ConvenerRow(
                constellation=subject(G, c),
                status=status,
                type=G.nodes[c].get("constellation_type"),
                conveners=[
                    Convener(
                        **subject(G, org).model_dump(),
                        role=data.get("role", "primary"),
                        overloaded=org in overloaded,
                        active_constellations=loads[org]["active_constellations"],
                        load=loads[org]["load"],
                        capacity=loads[org]["capacity"],
                    )
                    for org, data in sorted(conveners.items(), key=lambda t: G.nodes[t[0]]["label"])
                ],
                goals=[
                    subject(G, g)
                    for g in sorted(ix.goals_advanced(c), key=lambda g: G.nodes[g]["label"])
                ],
                partners=len(partners),
                sectors=sorted({s for m in members if (s := ix.sector(m))}),
                leaderless=ix.is_live(c) and not conveners,
                overloaded_convener=any(org in overloaded for org in conveners),
            )
        )
    return rows


class GoalGroup(BaseModel):
    """A constellation advancing a goal, as the view by goal shows it."""

    constellation: Subject
    status: str
    conveners: list[Convener]
    leaderless: bool


class GoalRow(BaseModel):
    """One goal in the view by goal: the constellations advancing it and who leads them."""

    goal: Subject
    constellations: list[GoalGroup] = Field(
        description="Every constellation advancing it, directly or through an indicator."
    )
    active: int = Field(description="How many of them are active.")
    served: bool = Field(
        description="Whether an active constellation advances it (if not, `orphan_goals` "
        "reports it)."
    )


def conveners_by_goal(
    G: nx.MultiDiGraph, params: AuditParams | dict[str, Any] | None = None
) -> list[GoalRow]:
    """Who convenes what, by goal: every goal with the constellations advancing it, their
    status and their conveners (with their load), unserved goals first so they stand out.

    A goal is *served* when an active constellation advances it, as `orphan_goals` counts.

    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "u", "kind": "organization", "label": "UNITE-LA"},
    ...      {"id": "c", "kind": "constellation", "label": "Data Workgroup"},
    ...      {"id": "g1", "kind": "goal", "label": "Graduation"},
    ...      {"id": "g2", "kind": "goal", "label": "Employment"}],
    ...     [{"kind": "convenes", "source": "u", "target": "c"},
    ...      {"kind": "advances", "source": "c", "target": "g1"}])
    >>> [(r.goal.label, r.served, [g.constellation.label for g in r.constellations])
    ...  for r in conveners_by_goal(G)]
    [('Employment', False, []), ('Graduation', True, ['Data Workgroup'])]

    Notes
    -----
    O(E): the rows of `who_convenes_what` regrouped.
    """
    by_goal: dict[str, list[GoalGroup]] = {g: [] for g in index_of(G).nodes("goal")}
    for row in who_convenes_what(G, params):
        group = GoalGroup(
            constellation=row.constellation,
            status=row.status,
            conveners=row.conveners,
            leaderless=row.leaderless,
        )
        for advanced in row.goals:
            by_goal.setdefault(advanced.id, []).append(group)
    rows = []
    for goal, groups in by_goal.items():
        active = sum(g.status == "active" for g in groups)
        rows.append(
            GoalRow(goal=subject(G, goal), constellations=groups, active=active, served=active > 0)
        )
    rows.sort(key=lambda r: (r.served, r.goal.label.lower(), r.goal.id))
    return rows
