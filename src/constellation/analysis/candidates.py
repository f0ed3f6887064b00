"""Convener candidates: who could lead a constellation that has no convener, or one that does
not exist yet, scored on seed 001's convener criteria assessment ("Do you have the skills?
Do you have the bandwidth? Is it a fit? Do you have the content knowledge?")."""

from __future__ import annotations

from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from constellation import vocabulary as vocab
from constellation.analysis.conveners import _overloaded, convener_load
from constellation.analysis.findings import label_list
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.analysis.ties import tie_scores
from constellation.errors import InvalidQuestion, NotFound, Problem, problems_from_validation

__all__ = [
    "CRITERIA",
    "Candidate",
    "CandidateParams",
    "Criterion",
    "Described",
    "OrganizationRef",
    "convener_candidates",
]

CRITERIA = ("skills", "bandwidth", "fit", "content_knowledge")
"""Seed 001's four convener criteria, in the order the reason gives them."""


class CandidateParams(BaseModel):
    """The weights of the four criteria (shares of the 100-point score) and the thresholds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weight_skills: float = Field(25, ge=0, description="It convenes other groups well.")
    weight_bandwidth: float = Field(
        25, ge=0, description="Its convening load, after taking this one on, fits its capacity."
    )
    weight_fit: float = Field(
        30, ge=0, description="Works on the group's goals, is its partner, is trusted there."
    )
    weight_content_knowledge: float = Field(
        20, ge=0, description="Standing in the outcome area; a specialist representative."
    )
    no_record_skills: float = Field(
        0.3, ge=0, le=1, description="Skills score of an organization that convenes nothing yet."
    )
    unknown_capacity_bandwidth: float = Field(
        0.5, ge=0, le=1, description="Bandwidth score when its staff capacity is not recorded."
    )
    audit: AuditParams = Field(
        default_factory=AuditParams,
        description="Load and capacity figures (`partners_per_fte`, `max_active_convened` …).",
    )

    def weights(self) -> dict[str, float]:
        raw = {c: getattr(self, f"weight_{c}") for c in CRITERIA}
        total = sum(raw.values()) or 1.0
        return {c: round(100 * w / total, 2) for c, w in raw.items()}


class Described(BaseModel):
    """A constellation that does not exist yet, described by what it would work on (ids)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    label: str | None = Field(None, description="Its working name.")
    goals: list[str] = Field(default_factory=list, description="Goals it would advance (ids).")
    issue_areas: list[str] = Field(
        default_factory=list, description="Issue areas it would work in (ids)."
    )


class OrganizationRef(BaseModel):
    id: str
    label: str


class Criterion(BaseModel):
    """One of the four criteria: how well it is met (0–1), what it adds, and why."""

    score: float = Field(description="How well the criterion is met, from 0 to 1.")
    points: float = Field(description="score × its weight: what it adds to the total.")
    detail: str = Field(description="What was found, in words.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="The numbers behind it.")


class Candidate(BaseModel):
    """An organization that could convene the group, with its score and the reason."""

    organization: OrganizationRef
    score: float = Field(description="0–100: the sum of the criteria's points.")
    criteria: dict[str, Criterion] = Field(
        description="skills, bandwidth, fit and content_knowledge."
    )
    reason: str = Field(description="One sentence explaining the score.")


class _Target:
    """What a candidate is judged against: the group's goals, areas, members and its size."""

    def __init__(self, ix: Index, constellation: str | None, described: Described | None):
        self.id = constellation
        goals = set(described.goals if described else ())
        areas = set(described.issue_areas if described else ())
        self.members: set[str] = set()
        if constellation:
            goals |= ix.goals_advanced(constellation)
            self.members = ix.members(constellation)
        for area in list(areas):
            goals.update(g for g in ix.sources("in_area", area) if ix.G.nodes[g]["kind"] == "goal")
        for goal in goals:
            areas.update(ix.targets("in_area", goal))
        self.goals, self.areas = goals, areas
        self.topics = goals | areas


def convener_candidates(
    G: nx.MultiDiGraph,
    constellation: str | None = None,
    described: Described | dict[str, Any] | None = None,
    params: CandidateParams | dict[str, Any] | None = None,
    limit: int = 10,
) -> list[Candidate]:
    """Organizations that could convene a constellation, best first, each with its reason.

    Each candidate is scored 0–1 on the four criteria of seed 001's convener criteria
    assessment and weighted (`CandidateParams`: skills 25, bandwidth 25, fit 30, content
    knowledge 20) into a score out of 100:

    * **skills** — it convenes or co-convenes other groups well: each live group it
      convenes counts for being active rather than dormant and for having a charter and an
      action plan; an organization that convenes nothing yet gets `no_record_skills`.
    * **bandwidth** — its convening load (see `conveners.convener_load`) after taking this
      group on as primary convener, against its capacity; none when it would convene more
      than `max_active_convened` active groups or carry more than its capacity.
    * **fit** — the share of the group's goals it already works on (through its groups,
      the areas it is backbone for, its recorded standing), whether it is already a partner
      of the group, and where tie quality is recorded how much the group's members trust it.
    * **content knowledge** — its standing in the outcome area (`standing_in`, or backbone
      for it), a representative who is a specialist in it (`expertise`, `seniority`), and
      its sector, named in the detail.

    The group's current conveners are left out. An organization already overloaded (as
    `convener_overload` judges it) is never ranked above one that is not.

    Parameters
    ----------
    G : the workspace graph.
    constellation : id of a constellation in the graph, or None with `described`.
    described : a `Described` (or dict): a group that does not exist yet, by its goals and
        issue areas (ids); with `constellation` too, its goals and areas are added.
    params : a `CandidateParams` or a dict of overrides.
    limit : how many candidates to return at most.

    Raises
    ------
    NotFound : `constellation` is not in the graph.
    InvalidQuestion : it is not a constellation; `described` names unknown ids; neither
        is given.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "busy", "kind": "organization", "label": "Busy",
    ...       "properties": {"staff_capacity": 0.5}},
    ...      {"id": "free", "kind": "organization", "label": "Free",
    ...       "properties": {"staff_capacity": 2}},
    ...      {"id": "goal", "kind": "goal", "label": "Jobs"},
    ...      {"id": "old", "kind": "constellation", "label": "Old group"},
    ...      {"id": "new", "kind": "constellation", "label": "Leaderless"}],
    ...     [{"kind": "convenes", "source": "busy", "target": "old"},
    ...      {"kind": "participates_in", "source": "free", "target": "old"},
    ...      {"kind": "participates_in", "source": "free", "target": "new"},
    ...      {"kind": "advances", "source": "new", "target": "goal"}])
    >>> [(c.organization.label, c.score) for c in convener_candidates(G, "new")]
    [('Free', 62.5), ('Busy', 27.5)]

    Notes
    -----
    O(N × (D + M)) for N organizations convening D groups each, M members in the group.

    References
    ----------
    Seed 001: the Forum for Youth Investment's convener criteria assessment; "Different
    partners can step forward to lead new constellations". Seed 000: desired
    qualifications of a convener.
    """
    p = resolve(params, CandidateParams)
    ix = index_of(G)
    if constellation is not None:
        if constellation not in G:
            raise NotFound("node", constellation, G.graph.get("workspace"))
        kind = G.nodes[constellation].get("kind")
        if kind != "constellation":
            raise InvalidQuestion(
                [
                    Problem(
                        f"{G.nodes[constellation].get('label', constellation)} is a"
                        f"{'n' if kind[:1] in 'aeiou' else ''} {kind}, "
                        f"not a constellation",
                        field="constellation",
                        record=constellation,
                    )
                ]
            )
    elif described is None:
        raise InvalidQuestion(
            [
                Problem(
                    "name a constellation, or describe one by its goals or issue areas",
                    field="constellation",
                )
            ]
        )
    desc = _described(G, described)
    target = _Target(ix, constellation, desc)
    leaders = set(ix.conveners(constellation)) if constellation else set()
    weights = p.weights()
    ranked = []
    for org in ix.nodes("organization"):
        if org in leaders:
            continue
        found = {
            "skills": _skills(ix, org, constellation, p),
            "bandwidth": _bandwidth(ix, org, target, p),
            "fit": _fit(ix, org, target),
            "content_knowledge": _content(ix, org, target),
        }
        criteria = {
            name: Criterion(
                score=round(score, 3),
                points=round(score * weights[name], 2),
                detail=detail,
                evidence=evidence,
            )
            for name, (score, detail, evidence) in found.items()
        }
        overloaded = found["bandwidth"][2]["overloaded_now"]
        total = round(sum(c.points for c in criteria.values()), 1)
        reason = "; ".join(c.detail for c in criteria.values())
        if overloaded:
            reason = "already overloaded, so ranked after those who are not; " + reason
        ranked.append(
            (
                overloaded,
                -total,
                G.nodes[org]["label"],
                Candidate(
                    organization=OrganizationRef(id=org, label=G.nodes[org]["label"]),
                    score=total,
                    criteria=criteria,
                    reason=reason[0].upper() + reason[1:] + ".",
                ),
            )
        )
    ranked.sort(key=lambda t: t[:3])
    return [c for *_, c in ranked[: max(limit, 0)]]


def _described(
    G: nx.MultiDiGraph, described: Described | dict[str, Any] | None
) -> Described | None:
    if described is None:
        return None
    try:
        desc = (
            described if isinstance(described, Described) else Described.model_validate(described)
        )
    except ValidationError as exc:
        raise InvalidQuestion(problems_from_validation(exc, "described.")) from None
    problems = [
        Problem(
            f"{i!r} is not a{'n' if kind[0] in 'aeiou' else ''} {kind.replace('_', ' ')} in "
            f"this workspace",
            field=f"described.{field}",
            record=i,
        )
        for field, kind in (("goals", "goal"), ("issue_areas", "issue_area"))
        for i in getattr(desc, field)
        if i not in G or G.nodes[i].get("kind") != kind
    ]
    if problems:
        raise InvalidQuestion(problems)
    if not (desc.goals or desc.issue_areas):
        raise InvalidQuestion(
            [
                Problem(
                    "describe the constellation by at least one goal or issue area",
                    field="described",
                )
            ]
        )
    return desc


# --- the four criteria: each gives (score 0–1, detail, evidence) -----------------------------

Scored = tuple[float, str, dict[str, Any]]


def _skills(ix: Index, org: str, constellation: str | None, p: CandidateParams) -> Scored:
    G = ix.G
    groups = [
        c
        for c in dict.fromkeys(ix.targets("convenes", org))
        if c != constellation and ix.status(c) in ("active", "forming", "dormant")
    ]
    said = [d.get("skills") for c in groups for d in [ix.conveners(c).get(org, {})]]
    if not groups:
        return (
            p.no_record_skills,
            "convenes no other group yet",
            {"convenes": 0},
        )
    marks = {}
    for c in groups:
        data = G.nodes[c]
        marks[c] = (
            (0.5 if ix.status(c) != "dormant" else 0.0)
            + (0.25 if data.get("has_charter") else 0.0)
            + (0.25 if data.get("has_action_plan") else 0.0)
        )
    score = sum(marks.values()) / len(marks)
    if any(s is False for s in said):
        score = min(score, 0.5)
    well = [c for c, m in marks.items() if m == 1.0]
    dormant = [c for c in groups if ix.status(c) == "dormant"]
    detail = f"convenes {len(groups)} other group{'s' if len(groups) != 1 else ''}"
    if well:
        detail += f", {len(well)} active with a charter and action plan"
    if dormant:
        detail += f", {len(dormant)} dormant ({label_list(G, dormant, most=2)})"
    return (
        score,
        detail,
        {
            "convenes": len(groups),
            "constellations": sorted(groups),
            "well_run": sorted(well),
            "dormant": sorted(dormant),
        },
    )


def _bandwidth(ix: Index, org: str, target: _Target, p: CandidateParams) -> Scored:
    figures = convener_load(ix, org, p.audit)
    overloaded_now = any(_overloaded(figures, p.audit))
    extra = len(target.members - {org})
    load_after = round(figures["load"] + extra, 2)
    active_after = figures["active_constellations"] + 1
    capacity = figures["capacity"]
    evidence = {
        "active_constellations": figures["active_constellations"],
        "load": figures["load"],
        "capacity": capacity,
        "load_after": load_after,
        "active_after": active_after,
        "overloaded_now": overloaded_now,
    }
    groups = f"{active_after} active group{'s' if active_after != 1 else ''}"
    carried = f"would carry {load_after:g} partners in {groups}"
    if active_after > p.audit.max_active_convened:
        return (
            0.0,
            f"{carried}, more groups than {p.audit.max_active_convened}",
            evidence,
        )
    if capacity is None:
        return (
            p.unknown_capacity_bandwidth,
            f"{carried} (its staff capacity is not recorded)",
            evidence,
        )
    if capacity == 0 or load_after > capacity:
        return 0.0, f"{carried}, beyond its capacity of {capacity:g}", evidence
    return (
        (capacity - load_after) / capacity,
        f"{carried} against a capacity of {capacity:g}",
        evidence,
    )


def _works_on(ix: Index, org: str) -> set[str]:
    """Goals and issue areas an organization works on: its groups', its backbone areas and
    their goals, and its recorded standing."""
    topics = set(ix.G.nodes[org].get("standing_in") or ())
    for c in set(ix.targets("convenes", org)) | set(ix.targets("participates_in", org)):
        if ix.status(c) != "disbanded":
            topics |= ix.goals_advanced(c)
    for area in ix.targets("backbone_for", org):
        topics.add(area)
        topics.update(ix.sources("in_area", area))
    return topics


def _fit(ix: Index, org: str, target: _Target) -> Scored:
    topics = _works_on(ix, org)
    matched = target.goals & topics
    goal_share = len(matched) / len(target.goals) if target.goals else 0.0
    partner = org in target.members
    trusts = []
    if target.id:
        for t, data in ix.out["participates_in"].get(org, ()):
            if t == target.id and (s := tie_scores(data)["trust"]) is not None:
                trusts.append(s)
    ties = [*ix.out["collaborates_with"].get(org, ()), *ix.into["collaborates_with"].get(org, ())]
    for other, data in ties:
        if other in target.members and (s := tie_scores(data)["trust"]) is not None:
            trusts.append(s)
    low, high = vocab.TIE_SCALE
    trust = sum(trusts) / len(trusts) if trusts else None
    if trust is None:
        score = (0.5 * goal_share + 0.3 * partner) / 0.8
    else:
        score = 0.5 * goal_share + 0.3 * partner + 0.2 * (trust - low) / (high - low)
    parts = []
    if target.goals:
        parts.append(f"works on {len(matched)} of its {len(target.goals)} goals")
    parts.append("already a partner" if partner else "not a partner yet")
    if trust is not None:
        parts.append(f"trusted {trust:.2g} of {high:g} by its partners")
    return (
        score,
        ", ".join(parts),
        {
            "goals_matched": sorted(matched),
            "goals": len(target.goals),
            "partner": partner,
            "trust": round(trust, 2) if trust is not None else None,
        },
    )


def _content(ix: Index, org: str, target: _Target) -> Scored:
    G = ix.G
    data = G.nodes[org]
    standing = set(data.get("standing_in") or ()) | set(ix.targets("backbone_for", org))
    standing &= target.topics
    specialists, seniors = [], []
    for person in ix.sources("represents", org):
        pd = G.nodes[person]
        if set(pd.get("expertise") or ()) & target.topics:
            specialists.append(person)
        elif pd.get("seniority") == vocab.Seniority.SPECIALIST:
            seniors.append(person)
    already = {
        c
        for c in set(ix.targets("convenes", org)) | set(ix.targets("participates_in", org))
        if c != target.id and ix.status(c) != "disbanded" and ix.goals_advanced(c) & target.goals
    }
    score = (
        (0.5 if standing else 0.0)
        + (0.3 if specialists else 0.15 if seniors else 0.0)
        + (0.2 if already else 0.0)
    )
    sector = data.get("sector") or "sector not recorded"
    parts = [sector]
    if standing:
        parts.append("recognized in " + label_list(G, standing, most=2))
    if specialists:
        parts.append("a representative specialist in the area")
    elif seniors:
        parts.append("a specialist representative")
    if already:
        parts.append(f"in {len(already)} group{'s' if len(already) != 1 else ''} on the same goals")
    return (
        score,
        ", ".join(parts),
        {
            "sector": data.get("sector"),
            "standing_in": sorted(standing),
            "specialists": sorted(specialists or seniors),
            "groups_on_same_goals": sorted(already),
        },
    )
