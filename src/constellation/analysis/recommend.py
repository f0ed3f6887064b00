"""Partner recommendations: which constellations an organization could join, and why."""

from __future__ import annotations

from typing import Any

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from constellation import vocabulary as vocab
from constellation.analysis.conveners import convener_load
from constellation.analysis.findings import Subject, label_list, require_organization, subject
from constellation.analysis.index import Index, index_of
from constellation.analysis.params import AuditParams, resolve
from constellation.errors import InvalidQuestion, Problem, problems_from_validation

__all__ = ["PARTS", "Part", "Profile", "RecommendParams", "Recommendation", "recommend"]

PARTS = ("goal_fit", "sector_gap", "shared_partners", "convener_capacity", "status")
"""The parts of a recommendation's score, in the order the reason sentence gives them."""


class RecommendParams(BaseModel):
    """The weights and thresholds of `recommend`, with their defaults, in one place.

    The five weights are shares of the 100-point score; they need not add up to 100
    (they are scaled so that they do).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    weight_goal_fit: float = Field(
        40, ge=0, description="Goals the organization cares about that the group advances."
    )
    weight_sector_gap: float = Field(
        20, ge=0, description="The organization's sector is missing among the group's members."
    )
    weight_shared_partners: float = Field(
        20, ge=0, description="Members of the group the organization already works with."
    )
    weight_convener_capacity: float = Field(
        10, ge=0, description="The group's convener has room for one more partner."
    )
    weight_status: float = Field(10, ge=0, description="How alive the group is.")
    partners_for_full_score: int = Field(
        3, ge=1, description="Shared partners that earn the whole shared-partners part."
    )
    min_sectors: int = Field(
        2,
        ge=1,
        description="A group whose members span fewer sectors is single-sector "
        "(as `AuditParams.min_sectors`); bringing a new sector to it earns the whole part.",
    )
    multi_sector_gap_score: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Part score for bringing a missing sector to a group "
        "that is already cross-sector.",
    )
    leaderless_score: float = Field(
        0.75,
        ge=0,
        le=1,
        description="Convener part for a group nobody convenes: an opening "
        "to convene it, though a bigger ask than joining.",
    )
    unknown_capacity_score: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Convener part when no convener's staff capacity is "
        "recorded and none leads too many groups.",
    )
    status_scores: dict[str, float] = Field(
        default_factory=lambda: {"active": 1.0, "forming": 0.8, "planned": 0.5, "dormant": 0.2},
        description="Status part by status; a status left out (always: disbanded) is never "
        "recommended.",
    )
    audit: AuditParams = Field(
        default_factory=AuditParams,
        description="Convener load and capacity figures "
        "(`partners_per_fte`, `co_convener_weight`, `max_active_convened`).",
    )

    @field_validator("status_scores")
    @classmethod
    def _no_disbanded(cls, value: dict[str, float]) -> dict[str, float]:
        return {k: v for k, v in value.items() if k != "disbanded"}

    def weights(self) -> dict[str, float]:
        """Each part's weight, scaled so that they add up to 100."""
        raw = {p: getattr(self, f"weight_{p}") for p in PARTS}
        total = sum(raw.values()) or 1.0
        return {p: round(100 * w / total, 2) for p, w in raw.items()}


class Profile(BaseModel):
    """An organization described rather than named: one not in the graph yet, or more about one.

    Ids must be those of goals, issue areas and organizations in the workspace.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    label: str | None = Field(None, description="Its name, for the record.")
    sector: str | None = Field(None, description="education, business, health …")
    goals: list[str] = Field(default_factory=list, description="Goals it cares about (ids).")
    issue_areas: list[str] = Field(
        default_factory=list, description="Issue areas it cares about (ids); their goals count."
    )
    partners: list[str] = Field(
        default_factory=list, description="Organizations it already works with (ids)."
    )

    @field_validator("sector")
    @classmethod
    def _known_sector(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return vocab.validate_properties("organization", {"sector": value})["sector"]
        except vocab.PropertyError as exc:
            raise ValueError(exc.errors[0][1]) from None


class Part(BaseModel):
    """One part of a score: how well it is met (0–1), its weight, the points it gives."""

    score: float = Field(description="How well this part is met, from 0 to 1.")
    weight: float = Field(description="Its share of the 100-point score.")
    points: float = Field(description="score × weight: what it adds to the total.")
    detail: str = Field(description="What was found, in words.")


class Recommendation(BaseModel):
    """A constellation an organization could join, with the score and the reason."""

    constellation: Subject
    score: float = Field(description="0–100: the sum of the parts' points.")
    parts: dict[str, Part]
    reason: str = Field(description="One sentence explaining the score.")
    evidence: dict[str, Any] = Field(default_factory=dict, description="The numbers behind it.")


def recommend(
    G: nx.MultiDiGraph,
    org: str | None = None,
    profile: Profile | dict[str, Any] | None = None,
    params: RecommendParams | dict[str, Any] | None = None,
    limit: int = 10,
) -> list[Recommendation]:
    """Constellations an organization could join, best first, each with its reason.

    A good fit is a group that works on the goals the organization cares about, lacks
    its sector, already counts some of its partners among its members, has a convener
    with room for one more partner, and is alive. Each of these five parts scores 0–1
    and is weighted (`RecommendParams`: goal fit 40, sector gap 20, shared partners 20,
    convener capacity 10, status 10) into a score out of 100.

    * Goal fit — the share of its goals the group advances, directly or through an
      indicator. An organization in the graph cares about the goals of the groups it
      is in and the goals of the issue areas it is backbone for; a profile adds its
      goals and the goals ``in_area`` of its issue areas. When none of these gives a
      goal (a signer that takes part in nothing), the goals its signed initiatives
      pursue are used, and the reason says so.
    * Sector gap — its sector is missing among the group's members: the whole part for
      a single-sector group, `multi_sector_gap_score` for a cross-sector one.
    * Shared partners — members it already works with: co-members of its other groups,
      ``collaborates_with`` and ``funds`` ties either way, and the profile's partners.
    * Convener capacity — a convener whose load (see `conveners.convener_load`) leaves
      room for one more partner; a group nobody convenes is an opening to convene it.
    * Status — active > forming > planned > dormant; disbanded groups are left out.

    Groups the organization already convenes or takes part in are left out.

    Parameters
    ----------
    G : the workspace graph (see `constellation.graph.load_graph`).
    org : id of an organization in the graph, or None with a profile.
    profile : a `Profile` (or a dict of one): an organization not in the graph yet, or
        more about `org` (its goals and partners are added; its sector, if given, wins).
    params : a `RecommendParams` or a dict of overrides.
    limit : how many recommendations to return at most.

    Returns
    -------
    Up to `limit` `Recommendation` objects, highest score first (ties by label).

    Raises
    ------
    NotFound : `org` is not in the graph.
    InvalidQuestion : `org` is not an organization, the profile names unknown ids or an
        unknown sector, or neither `org` nor `profile` is given.

    Examples
    --------
    >>> from constellation.graph import build_graph
    >>> G = build_graph(
    ...     [{"id": "chamber", "kind": "organization", "label": "Chamber",
    ...       "properties": {"sector": "business"}},
    ...      {"id": "kaiser", "kind": "organization", "label": "Kaiser",
    ...       "properties": {"sector": "health", "staff_capacity": 1}},
    ...      {"id": "jobs", "kind": "goal", "label": "Jobs and careers"},
    ...      {"id": "health", "kind": "constellation", "label": "Health Sector Collaborative"}],
    ...     [{"kind": "convenes", "source": "kaiser", "target": "health"},
    ...      {"kind": "advances", "source": "health", "target": "jobs"},
    ...      {"kind": "collaborates_with", "source": "chamber", "target": "kaiser"}])
    >>> best = recommend(G, "chamber", profile={"goals": ["jobs"]})[0]
    >>> best.constellation.label, best.score, best.parts["shared_partners"].points
    ('Health Sector Collaborative', 86.7, 6.67)
    >>> best.reason
    'Advances 1 of your goals (“Jobs and careers”); would bring the business sector to a
    single-sector group (health only); you already work with 1 of its members (Kaiser);
    its convener has room; active.'

    Notes
    -----
    O(C × (M + P)) for C constellations, M members per group and P partners of the
    organization, plus one `convener_load` per convener.

    References
    ----------
    Seed 001: "Different partners can step forward to lead new constellations"; convener
    criteria ("Do you have the bandwidth?"). Seed 000: membership must be cross-sector.
    """
    p = _params(params)
    ix = index_of(G)
    if org is not None:
        require_organization(G, org, "org", "join constellations")
    elif profile is None:
        raise InvalidQuestion(
            [Problem("give the id of an organization, or a profile of one", field="org")]
        )
    prof = _profile(G, profile) or Profile()
    own = _own_groups(ix, org) if org else set()
    interests, signed_only = _interests(ix, org, own, prof)
    partners = _partners(ix, org, own, prof)
    sector = prof.sector or (ix.sector(org) if org else None)
    weights = p.weights()

    found = []
    for c in ix.nodes("constellation"):
        status = ix.status(c)
        if status not in p.status_scores or c in own:
            continue
        parts, clauses, evidence = {}, [], {"status": status}
        for name, (score, detail, clause, numbers) in (
            ("goal_fit", _goal_fit(ix, c, interests, signed_only)),
            ("sector_gap", _sector_gap(ix, c, sector, p)),
            ("shared_partners", _shared_partners(ix, c, partners, p)),
            ("convener_capacity", _convener_capacity(ix, c, p)),
            ("status", _status(status, p)),
        ):
            score = round(score, 4)
            parts[name] = Part(
                score=score,
                weight=weights[name],
                points=round(score * weights[name], 2),
                detail=detail,
            )
            if clause:
                clauses.append(clause)
            evidence.update(numbers)
        total = round(sum(part.points for part in parts.values()), 1)
        reason = "; ".join(clauses) + "."
        found.append(
            Recommendation(
                constellation=subject(G, c),
                score=total,
                parts=parts,
                reason=reason[0].upper() + reason[1:],
                evidence=evidence,
            )
        )
    found.sort(key=lambda r: (-r.score, r.constellation.label, r.constellation.id))
    return found[: max(limit, 0)]


# --- inputs ------------------------------------------------------------------------------


def _params(params: RecommendParams | dict[str, Any] | None) -> RecommendParams:
    return resolve(params, RecommendParams)


def _profile(G: nx.MultiDiGraph, profile: Profile | dict[str, Any] | None) -> Profile | None:
    if profile is None:
        return None
    try:
        prof = profile if isinstance(profile, Profile) else Profile.model_validate(profile)
    except ValidationError as exc:
        raise InvalidQuestion(problems_from_validation(exc, "profile.")) from None
    problems = [
        Problem(
            f"{i!r} is not a{'n' if kind[0] in 'aeiou' else ''} {kind.replace('_', ' ')} "
            f"in this workspace",
            field=f"profile.{field}",
            record=i,
        )
        for field, kind in (
            ("goals", "goal"),
            ("issue_areas", "issue_area"),
            ("partners", "organization"),
        )
        for i in getattr(prof, field)
        if i not in G or G.nodes[i].get("kind") != kind
    ]
    if problems:
        raise InvalidQuestion(problems)
    return prof


def _own_groups(ix: Index, org: str) -> set[str]:
    return set(ix.targets("convenes", org)) | set(ix.targets("participates_in", org))


def _interests(ix: Index, org: str | None, own: set[str], prof: Profile) -> tuple[set[str], bool]:
    """Goals the organization cares about, and whether they come only from what it signed."""
    goals = set(prof.goals)
    areas = set(prof.issue_areas)
    if org:
        for c in own:
            if ix.status(c) != "disbanded":
                goals |= ix.goals_advanced(c)
        areas |= set(ix.targets("backbone_for", org))
    for area in areas:
        goals.update(g for g in ix.sources("in_area", area) if ix.G.nodes[g]["kind"] == "goal")
    if goals or not org:
        return goals, False
    signed = {g for i in ix.targets("signs", org) for g in ix.targets("pursues", i)}
    return signed, bool(signed)


def _partners(ix: Index, org: str | None, own: set[str], prof: Profile) -> set[str]:
    """Organizations it already works with."""
    partners = set(prof.partners)
    if org:
        for c in own:
            if ix.status(c) != "disbanded":
                partners |= ix.members(c)
        for kind in ("collaborates_with", "funds"):
            partners.update(ix.targets(kind, org))
            partners.update(ix.sources(kind, org))
        partners.discard(org)
    return {o for o in partners if ix.G.nodes[o].get("kind") == "organization"}


# --- the five parts: each gives (score 0–1, detail, clause or None, evidence numbers) ------


Factor = tuple[float, str, str | None, dict[str, Any]]
"""One factor of a recommendation: its score, its detail, its clause in the reason (None:
not worth saying) and its numbers."""


def _goal_fit(ix: Index, c: str, interests: set[str], signed_only: bool) -> Factor:
    advanced = ix.goals_advanced(c)
    matched = interests & advanced
    numbers = {
        "goals_matched": len(matched),
        "your_goals": len(interests),
        "goals_advanced": len(advanced),
        "matched_goals": sorted(matched),
    }
    if not interests:
        return 0.0, "none of your goals is known", "we know none of your goals yet", numbers
    yours = "the goals you signed up to" if signed_only else "your goals"
    detail = f"advances {len(matched)} of {yours} ({len(interests)})"
    if not matched:
        return 0.0, detail, f"advances none of {yours}", numbers
    names = label_list(ix.G, matched, quote=True, most=3)
    return (
        len(matched) / len(interests),
        f"{detail}: {names}",
        f"advances {len(matched)} of {yours} ({names})",
        numbers,
    )


def _sector_gap(ix: Index, c: str, sector: str | None, p: RecommendParams) -> Factor:
    sectors = {s for m in ix.members(c) if (s := ix.sector(m))}
    numbers = {"member_sectors": sorted(sectors)}
    if not sector:
        return 0.0, "your sector is not recorded", None, numbers
    if sector in sectors:
        return 0.0, f"it already has {sector} members", None, numbers
    if not sectors:
        return (
            1.0,
            f"no member's sector is recorded; you would bring {sector}",
            f"would bring the {sector} sector (no member's sector is recorded yet)",
            numbers,
        )
    if len(sectors) < p.min_sectors:
        only = ", ".join(sorted(sectors))
        text = f"would bring the {sector} sector to a single-sector group ({only} only)"
        return 1.0, text, text, numbers
    text = f"would bring the {sector} sector it lacks"
    return p.multi_sector_gap_score, text, text, numbers


def _shared_partners(ix: Index, c: str, partners: set[str], p: RecommendParams) -> Factor:
    shared = ix.members(c) & partners
    numbers = {
        "members": len(ix.members(c)),
        "shared_partners": len(shared),
        "shared_partner_ids": sorted(shared),
    }
    if not shared:
        return 0.0, "you work with none of its members yet", None, numbers
    names = label_list(ix.G, shared, most=3)
    return (
        min(1.0, len(shared) / p.partners_for_full_score),
        f"you already work with {len(shared)} of its members: {names}",
        f"you already work with {len(shared)} of its members ({names})",
        numbers,
    )


def _convener_capacity(ix: Index, c: str, p: RecommendParams) -> Factor:
    conveners = sorted(ix.conveners(c))
    if not conveners:
        return (
            p.leaderless_score,
            "nobody convenes it: an opening to convene it",
            "nobody convenes it yet, an opening to lead it",
            {"conveners": 0},
        )
    figures, best, states = [], 0.0, set()
    for org in conveners:
        f = convener_load(ix, org, p.audit)
        spare = None if f["capacity"] is None else round(f["capacity"] - f["load"], 2)
        if f["active_constellations"] > p.audit.max_active_convened or (
            spare is not None and spare < 1
        ):
            state, score = "stretched", 0.0
        elif spare is None:
            state, score = "unknown", p.unknown_capacity_score
        else:
            state, score = "room", spare / f["capacity"]
        states.add(state)
        best = max(best, score)
        figures.append(
            {
                "id": org,
                "active_constellations": f["active_constellations"],
                "load": f["load"],
                "capacity": f["capacity"],
                "spare": spare,
                "state": state,
            }
        )
    one = len(conveners) == 1
    if "room" in states:
        clause = "its convener has room" if one else "one of its conveners has room"
    elif states == {"stretched"}:
        clause = "its convener is stretched" if one else "its conveners are stretched"
    elif "stretched" in states:
        clause = "one of its conveners is stretched"
    else:
        clause = None
    detail = "; ".join(
        f"{ix.G.nodes[f['id']].get('label', f['id'])} convenes {f['active_constellations']} "
        f"active group(s), load {f['load']:g}"
        + (
            f" of a capacity of {f['capacity']:g}"
            if f["capacity"] is not None
            else " (capacity not recorded)"
        )
        for f in figures
    )
    return min(1.0, best), detail, clause, {"conveners": len(conveners), "convener_load": figures}


_STATUS_WORDS = {
    "active": "active",
    "forming": "forming now",
    "planned": "planned, not launched yet",
    "dormant": "dormant: joining could help revive it",
}


def _status(status: str, p: RecommendParams) -> Factor:
    words = _STATUS_WORDS.get(status, status)
    return p.status_scores[status], words, words, {}
