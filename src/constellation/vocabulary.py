"""The vocabulary of the graph: every node kind and edge kind, their properties and endpoints.

This is the one place that names kinds. The store validates against it, the API
builds its schemas from it, importers map foreign types onto it, the map takes its
colours and shapes from it and the README's data-model table is generated from it.

Roles are edges, not node types: an organization can sign, convene, take part,
fund and be a backbone at once (UNITE-LA convenes the L.A. Compact *and* several
workgroups, seed 001).

>>> sorted(NODE_KINDS)[:3]
['assessment', 'constellation', 'event']
>>> EDGE_KINDS["funds"].targets
('organization', 'constellation')
>>> validate_properties("organization", {"sector": "Non-profit"})
{'sector': 'non-profit'}
>>> validate_properties("constellation", {"status": "Active", "has_charter": "yes"})["status"]
'active'
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any, NamedTuple, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

__all__ = [
    "ANY",
    "EDGE_KINDS",
    "NODE_KINDS",
    "CATEGORY_COLORS",
    "CLOSED_COMMITMENTS",
    "LIVE_STATUSES",
    "MOST_AFFECTED",
    "NO_VALUE_COLOR",
    "OTHER_COLOR",
    "PROCESS_STEPS",
    "QUALIFIED_SENIORITY",
    "TIE_SCALE",
    "TRUST_PARTS",
    "VALUE_PARTS",
    "Commitment",
    "CommitmentStatus",
    "EdgeKind",
    "NodeKind",
    "ProgressNote",
    "PropertyError",
    "Reference",
    "canonical_kind",
    "commitment_id",
    "edge_kind",
    "stage_name",
    "endpoint_error",
    "node_kind",
    "slugify",
    "validate_properties",
]

ANY = "*"
"""Stands for "any node kind" in an edge's allowed endpoints."""


def _lower(value: Any) -> Any:
    """Let people write enum values as they speak them: 'Non-profit', 'Task Force'."""
    if isinstance(value, str):
        return re.sub(r"[\s\-]+", "_", value.strip().lower())
    return value


_SLUG_RE = re.compile(r"[^a-z0-9]+")


def slugify(text: str, fallback: str = "node") -> str:
    """Make a readable id from a label.

    >>> slugify("L.A. Regional STEM Hub")
    'l-a-regional-stem-hub'
    >>> slugify("Économie & Société")
    'economie-societe'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG_RE.sub("-", ascii_text.lower()).strip("-")[:80] or fallback


def _sector(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip().lower().replace(" ", "-").replace("_", "-")
    return value


class Sector(StrEnum):
    """The sectors of seed 001's signers, plus the ones partnerships add."""

    EDUCATION = "education"
    HIGHER_ED = "higher-ed"
    EARLY_CHILDHOOD = "early-childhood"
    BUSINESS = "business"
    GOVERNMENT = "government"
    LABOR = "labor"
    NON_PROFIT = "non-profit"
    PHILANTHROPY = "philanthropy"
    HEALTH = "health"
    COMMUNITY = "community"
    FAITH = "faith"
    MEDIA = "media"
    OTHER = "other"


class Seniority(StrEnum):
    """Who a convener sends (seed 000): preferably the CEO, a direct report or a specialist."""

    CEO = "ceo"
    DIRECT_REPORT = "direct_report"
    SPECIALIST = "specialist"
    STAFF = "staff"
    OTHER = "other"


class ConstellationType(StrEnum):
    COLLABORATIVE = "collaborative"
    WORKGROUP = "workgroup"
    NETWORK = "network"
    TASK_FORCE = "task_force"
    PROJECT = "project"
    OTHER = "other"


class Status(StrEnum):
    """Where a constellation is in its life (seed 001: galvanize quickly, disband when done)."""

    PLANNED = "planned"
    FORMING = "forming"
    ACTIVE = "active"
    DORMANT = "dormant"
    DISBANDED = "disbanded"


LIVE_STATUSES = frozenset({Status.FORMING, Status.ACTIVE})
"""The statuses of groups at work or about to be: they should have a leader and a goal."""


class IndicatorType(StrEnum):
    OUTCOME = "outcome"
    CONTRIBUTING = "contributing"


class Direction(StrEnum):
    """Which way an indicator should move: a graduation rate up, chronic absence down."""

    HIGHER = "higher"
    LOWER = "lower"


class ConvenerRole(StrEnum):
    PRIMARY = "primary"
    CO = "co"


class FundingType(StrEnum):
    """Seed 001 separates seed funding from joint funding of shared work."""

    SEED = "seed"
    JOINT = "joint"
    GRANT = "grant"
    IN_KIND = "in_kind"
    OTHER = "other"


class Level(StrEnum):
    """The four levels of the Leading by Convening rubric (seed 003)."""

    INFORMING = "informing"
    NETWORKING = "networking"
    COLLABORATING = "collaborating"
    TRANSFORMING = "transforming"


def stage_name(value: Any) -> Any:
    """A stage as people write it, as the name it is compared by: 'Verify Outcomes &
    Indicators' → 'verify_outcomes_and_indicators'.

    >>> stage_name("Align Resources & action; SCALE!")
    'align_resources_and_action_scale'
    """
    if isinstance(value, str):
        return re.sub(r"[^a-z0-9]+", "_", value.strip().lower().replace("&", " and ")).strip("_")
    return value


PROCESS_STEPS: tuple[tuple[str, str], ...] = (
    ("verify_outcomes_and_indicators", "Verify outcomes & indicators"),
    ("map_moving_trains", "Map moving trains"),
    ("identify_partner_outcomes", "Identify partner outcomes"),
    ("prioritize_contributing_indicators", "Prioritize contributing indicators"),
    ("identify_bright_spots", "Identify bright spots & opportunities"),
    ("align_resources_and_action", "Align resources & action; scale"),
    ("continually_improve", "Continually improve"),
)
"""Seed 002's continuous-improvement process, in order, as (name, title): the stages a
constellation goes through unless its initiative declares its own list (`stages`)."""


SectorField = Annotated[Sector, BeforeValidator(_sector)]
LevelField = Annotated[Level | None, BeforeValidator(_lower)]


class EventType(StrEnum):
    """The meetings and engagement the seeds ask conveners to hold or attend (seed 000)."""

    CONSTELLATION_MEETING = "constellation_meeting"
    INTER_CONVENER_MEETING = "inter_convener_meeting"
    STAKEHOLDER_FEEDBACK = "stakeholder_feedback"
    LEADERSHIP_TABLE_REPORT = "leadership_table_report"
    STEWARDSHIP_MEETING = "stewardship_meeting"
    OTHER = "other"


class Stakeholder(StrEnum):
    """Who a stakeholder feedback session heard (seed 000: "the stakeholders who are most
    affected … parents, students, and other community members")."""

    PARENTS = "parents"
    STUDENTS = "students"
    YOUTH = "youth"
    COMMUNITY_MEMBERS = "community_members"
    PRACTITIONERS = "practitioners"
    PARTNERS = "partners"
    OTHER = "other"


MOST_AFFECTED = frozenset(
    {Stakeholder.PARENTS, Stakeholder.STUDENTS, Stakeholder.YOUTH, Stakeholder.COMMUNITY_MEMBERS}
)
"""The stakeholders seed 000 names as the most affected by a network's goals."""

QUALIFIED_SENIORITY = frozenset({Seniority.CEO, Seniority.DIRECT_REPORT, Seniority.SPECIALIST})
"""Seed 000: a convener's representative is "preferred CEO, direct report to CEO or a
specialist with deep expertise in the outcome area"."""

TIE_SCALE = (1.0, 4.0)
"""The scale of tie-quality scores: 1 (not at all) to 4 (very), as in the PARTNER tool's
survey (Visible Network Labs)."""

TRUST_PARTS = ("trust_openness", "trust_reliability", "trust_mission")
"""The sub-scores of trust: openness to communication, reliability, shared mission."""

VALUE_PARTS = ("value_power", "value_involvement", "value_resources")
"""The sub-scores of value: power and influence, level of involvement, resource contribution."""

TieScore = Annotated[float | None, Field(ge=TIE_SCALE[0], le=TIE_SCALE[1])]


class Reference(NamedTuple):
    """A property that names another node of the workspace: where it is (``commitments.1.goal``),
    the id it names and the kinds that node may be. The store checks each against what the
    workspace holds, which a property model alone cannot see."""

    field: str
    node: str
    kinds: tuple[str, ...]


class Properties(BaseModel):
    """Base of every property model: unknown keys are refused (they belong in attributes)."""

    model_config = ConfigDict(
        extra="forbid", use_enum_values=True, str_strip_whitespace=True, allow_inf_nan=False
    )

    def problems(self) -> list[tuple[str, str]]:
        """What is wrong across the items of a list, as (field path, message) pairs: checks
        that pydantic's own validators could only report on the whole list (two commitments
        with one id), placed here on the item that is wrong."""
        return []

    @classmethod
    def references(cls, properties: dict[str, Any]) -> list[Reference]:
        """The node ids these (validated) properties name, for the store to look up."""
        return []


# --- node property models -------------------------------------------------------------


class InitiativeProps(Properties):
    common_vision: str | None = Field(None, description="The shared vision all signers commit to.")
    geography: str | None = Field(None, description="The place the partnership serves.")
    description: str | None = None
    convened_since: dt.date | None = None
    stages: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None,
        description="The partnership's own stages, in order, where it does not follow seed "
        "002's seven steps; its constellations' `stages` name them.",
    )

    @field_validator("stages")
    @classmethod
    def _distinct_stages(cls, stages: list[str] | None) -> list[str] | None:
        if stages is not None:
            if not stages:
                raise ValueError("list at least one stage, or leave stages out")
            names = [stage_name(s) for s in stages]
            if "" in names:
                raise ValueError("a stage needs a letter or digit in its name")
            twice = sorted({s for s, n in zip(stages, names, strict=True) if names.count(n) > 1})
            if twice:
                raise ValueError("stages named twice: " + ", ".join(twice))
        return stages


class IssueAreaProps(Properties):
    description: str | None = None


class GoalProps(Properties):
    number: int | None = Field(None, ge=0, description="Its place in the common agenda.")
    description: str | None = None


class DataPoint(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    date: dt.date
    value: float
    group: str | None = Field(
        None,
        description="The group this value is for when disaggregated (a place, a race or "
        "ethnicity, a gender …; `key: group` names the key, e.g. 'race: Black'); none for "
        "the whole population.",
    )
    note: str | None = None


class IndicatorProps(Properties):
    indicator_type: Annotated[IndicatorType, BeforeValidator(_lower)] = IndicatorType.OUTCOME
    unit: str | None = Field(None, description="percent, count, rate per 1,000 …")
    baseline: float | None = None
    baseline_date: dt.date | None = None
    target: float | None = None
    target_date: dt.date | None = None
    values: list[DataPoint] = Field(default_factory=list, description="Dated measurements.")
    disaggregation: list[str] = Field(
        default_factory=list, description="By geography, race, gender … (seed 002)."
    )
    source: str | None = None
    direction: Annotated[Direction | None, BeforeValidator(_lower)] = Field(
        None,
        description="higher or lower is better; when left out, read from baseline and "
        "target (a target below the baseline means lower is better), else higher.",
    )


class OrganizationProps(Properties):
    sector: SectorField | None = None
    staff_capacity: float | None = Field(
        None, ge=0, description="Staff (FTE) it can give to convening; load is compared with it."
    )
    has_succession_plan: bool | None = Field(
        None,
        description="Seed 000: a convener keeps the work going when its representative leaves.",
    )
    has_board_support: bool | None = Field(None, description="Letter of support (seed 000).")
    has_stable_capacity: bool | None = Field(
        None, description="Organizational capacity and stability to lead a network (seed 000)."
    )
    standing_in: list[str] | None = Field(
        None,
        description="Ids of the issue areas or goals it is a recognized leader in (seed 000).",
    )
    website: str | None = None
    description: str | None = None
    geography: str | None = None


class PersonProps(Properties):
    title: str | None = None
    seniority: Annotated[Seniority, BeforeValidator(_lower)] | None = None
    expertise: list[str] | None = Field(
        None,
        description="Ids of the issue areas or goals of their deep expertise (seed 000).",
    )
    email: str | None = None


class StewardshipGroupProps(Properties):
    """Seed 001: the stewardship group keeps three documents."""

    has_guiding_principles: bool | None = None
    has_bylaws: bool | None = None
    has_goals_document: bool | None = None
    description: str | None = None


class StageReached(BaseModel):
    """A step of the process a constellation reached, and when (seed 002)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    stage: Annotated[str, BeforeValidator(stage_name)] = Field(
        ...,
        min_length=1,
        description="A stage of the process: one of seed 002's seven steps "
        "(verify_outcomes_and_indicators, map_moving_trains, identify_partner_outcomes, "
        "prioritize_contributing_indicators, identify_bright_spots, align_resources_and_action, "
        "continually_improve) or of its initiative's own `stages`; written as people say it.",
    )
    reached: dt.date = Field(..., description="The date it reached the stage.")
    note: str | None = Field(None, description="'illustrative' where the date is invented.")


class ConstellationProps(Properties):
    constellation_type: Annotated[ConstellationType, BeforeValidator(_lower)] = (
        ConstellationType.COLLABORATIVE
    )
    status: Annotated[Status, BeforeValidator(_lower)] = Status.ACTIVE
    launched: dt.date | None = None
    disbanded: dt.date | None = None
    planned_launch: str | None = Field(None, description="Free text, e.g. '2019 or 2020'.")
    magnetic_attractor: str | None = Field(
        None, description="The need or opportunity that drew people together (seed 001)."
    )
    has_charter: bool | None = None
    has_action_plan: bool | None = None
    has_data_plan: bool | None = None
    has_disparities_plan: bool | None = None
    last_activity: dt.date | None = None
    description: str | None = None
    stages: list[StageReached] | None = Field(
        None,
        description="The stages of the process it reached, each with its date (seed 002); "
        "the latest reached is where it stands.",
    )


class AssessmentProps(Properties):
    """A self-assessment on the Leading by Convening rubric: five decisions × four levels."""

    date: dt.date | None = None
    coalesce_stakeholders: LevelField = None
    ensure_participation: LevelField = None
    translate_work: LevelField = None
    communicate_change: LevelField = None
    demonstrate_change: LevelField = None
    notes: str | None = None


class EventProps(Properties):
    """A meeting or engagement: what it was, when, and for seed 000's feedback sessions whom
    it heard."""

    event_type: Annotated[EventType, BeforeValidator(_lower)] = EventType.CONSTELLATION_MEETING
    date: dt.date | None = None
    stakeholders: list[Annotated[Stakeholder, BeforeValidator(_lower)]] = Field(
        default_factory=list, description="Who was heard: parents, students, community members …"
    )
    description: str | None = None


# --- edge property models -------------------------------------------------------------


class NoProps(Properties):
    note: str | None = None


class CommitmentStatus(StrEnum):
    """Where an institutional commitment stands (seed 001: signers are responsible for the
    "fulfillment, tracking progress, and updating of institutional commitments")."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    FULFILLED = "fulfilled"
    WITHDRAWN = "withdrawn"


CLOSED_COMMITMENTS = frozenset({CommitmentStatus.FULFILLED, CommitmentStatus.WITHDRAWN})
"""Commitments that need no more progress: kept, or given up."""

COMMITMENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
"""What a commitment id may be: lower-case letters, digits, '-' and '_', 80 at most."""

COMMITMENT_ID_WORDS = 40
"""A derived commitment id keeps the whole words of its text's slug up to this length."""


def commitment_id(text: str) -> str:
    """The id a commitment gets from its text when none is given: the slug of its first
    words, cut at a word within `COMMITMENT_ID_WORDS` characters (like node ids, which are
    their labels' slugs).

    >>> commitment_id("Prepare high-quality teachers for LAUSD classrooms")
    'prepare-high-quality-teachers-for-lausd'
    >>> commitment_id("Develop/improve data sharing agreements between LAUSD and IHEs")
    'develop-improve-data-sharing-agreements'
    """
    slug = slugify(text, "commitment")
    if len(slug) <= COMMITMENT_ID_WORDS:
        return slug
    cut = slug[: COMMITMENT_ID_WORDS + 1].rsplit("-", 1)[0]
    return cut or slug[:COMMITMENT_ID_WORDS]


class ProgressNote(BaseModel):
    """A dated note of progress on a commitment."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    date: dt.date = Field(..., description="When the progress was made or reported.")
    note: str = Field(..., min_length=1, description="What was done.")


class Commitment(BaseModel):
    """A signer's commitment to the shared agenda (seed 001's "Strategy #1 Commitments:
    prepare high-quality teachers for LAUSD classrooms …"), where it stands and its progress."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_enum_values=True)
    id: str = Field(
        "",
        description="A short slug, unique within the tie; derived from the text when left out.",
    )
    text: str = Field(..., min_length=1, description="The commitment, as the signer made it.")
    goal: str | None = Field(None, description="Id of the goal of the workspace it serves.")
    strategy: str | None = Field(
        None, description="The strategy it belongs to, e.g. 'Strategy #1: Teacher preparation'."
    )
    status: Annotated[CommitmentStatus, BeforeValidator(_lower)] = Field(
        CommitmentStatus.NOT_STARTED,
        description="not_started, in_progress, fulfilled or withdrawn; written as people say it.",
    )
    progress: list[ProgressNote] = Field(default_factory=list, description="Dated progress notes.")

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not COMMITMENT_ID.match(value):
            raise ValueError(
                "a commitment id is 1-80 lower-case letters, digits, '-' or '_', starting with "
                "a letter or digit (e.g. 'prepare-teachers'); leave it out to derive one from "
                "the text"
            )
        return value

    @model_validator(mode="after")
    def _derive_id(self) -> Commitment:
        if not self.id:
            self.id = commitment_id(self.text)
        return self


def _name_commitments(items: Any) -> Any:
    """Give each commitment without an id one made from its text, distinct from every id
    given in the list and made before it (a second 'prepare-teachers' is
    'prepare-teachers-2', as a node's id is when its label's slug is taken)."""
    if not isinstance(items, list):
        return items
    taken = {i.get("id") for i in items if isinstance(i, dict) and i.get("id")}
    named = []
    for item in items:
        if isinstance(item, dict) and not item.get("id") and isinstance(item.get("text"), str):
            base = commitment_id(item["text"])
            ident, n = base, 2
            while ident in taken:
                ident, n = f"{base}-{n}", n + 1
            taken.add(ident)
            item = {**item, "id": ident}
        named.append(item)
    return named


class SignsProps(Properties):
    date: dt.date | None = None
    commitment: str | None = Field(None, description="The commitment in words, as signed.")
    commitments: Annotated[list[Commitment] | None, BeforeValidator(_name_commitments)] = Field(
        None,
        description="The signer's institutional commitments, each with the goal it serves, a "
        "status and dated progress notes (seed 001).",
    )

    def problems(self) -> list[tuple[str, str]]:
        first: dict[str, int] = {}
        found = []
        for i, c in enumerate(self.commitments or ()):
            if c.id in first:
                found.append(
                    (
                        f"commitments.{i}.id",
                        f"the id {c.id!r} is taken by commitment {first[c.id]}; give each "
                        "commitment of a signer its own id",
                    )
                )
            first.setdefault(c.id, i)
        return found

    @classmethod
    def references(cls, properties: dict[str, Any]) -> list[Reference]:
        return [
            Reference(f"commitments.{i}.goal", c["goal"], ("goal",))
            for i, c in enumerate(properties.get("commitments") or ())
            if c.get("goal")
        ]


class RepresentsProps(Properties):
    title: str | None = None
    primary_contact: bool | None = None


class MemberOfProps(Properties):
    role: str | None = None


class BackboneForProps(Properties):
    initiative: str | None = Field(None, description="Id of the initiative it is backbone within.")
    geography: str | None = None


class TieQuality(Properties):
    """Trust and value of a tie, as network evaluators survey them (the PARTNER tool), on
    `TIE_SCALE`. Either score may be given whole or through its three sub-scores."""

    trust: TieScore = Field(None, description="How much the partners trust each other (1–4).")
    trust_openness: TieScore = Field(None, description="Openness to communication (1–4).")
    trust_reliability: TieScore = Field(None, description="Reliability (1–4).")
    trust_mission: TieScore = Field(None, description="Shared mission (1–4).")
    value: TieScore = Field(None, description="How much the partner brings (1–4).")
    value_power: TieScore = Field(None, description="Power and influence (1–4).")
    value_involvement: TieScore = Field(None, description="Level of involvement (1–4).")
    value_resources: TieScore = Field(None, description="Resource contribution (1–4).")


class ConvenesProps(TieQuality):
    role: Annotated[ConvenerRole, BeforeValidator(_lower)] = ConvenerRole.PRIMARY
    staff_time: float | None = Field(None, ge=0, description="FTE committed to convening it.")
    has_succession_plan: bool | None = None
    representative: str | None = Field(
        None, description="Id of the person it appointed to the group (seed 000)."
    )
    skills: bool | None = Field(None, description="Seed 001: do you have the skills?")
    bandwidth: bool | None = Field(None, description="Seed 001: do you have the bandwidth?")
    fit: bool | None = Field(None, description="Seed 001: is it a fit?")
    content_knowledge: bool | None = Field(
        None, description="Seed 001: do you have the content knowledge?"
    )


class ParticipatesInProps(TieQuality):
    role: str | None = None
    since: dt.date | None = None


class AttendedProps(Properties):
    role: str | None = Field(None, description="convener, facilitator, presenter …")


class AdvancesProps(Properties):
    note: str | None = None


class FundsProps(Properties):
    amount: float | None = Field(None, ge=0)
    currency: str | None = Field(None, min_length=3, max_length=3, description="ISO 4217 code.")
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    purpose: str | None = None
    title: str | None = None
    funding_type: Annotated[FundingType, BeforeValidator(_lower)] | None = None


class CollaboratesWithProps(TieQuality):
    description: str | None = None


class RelatedToProps(Properties):
    relation: str = Field(..., min_length=1, description="The foreign relation type it came from.")


# --- the kinds -------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeKind:
    """A node kind: its property model and how the map draws it."""

    name: str
    title: str
    description: str
    properties: type[Properties]
    color: str
    shape: str
    structural: bool = True
    """False for records of what happened (a meeting, an assessment): the structural
    measures (brokers, communities, cut points) and the server layout leave them out, so a
    meeting is not mistaken for a hub."""

    @property
    def plural(self) -> str:
        return self.title + "s"


@dataclass(frozen=True)
class EdgeKind:
    """An edge kind: its property model, allowed endpoints and how the map draws it."""

    name: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: type[Properties] = NoProps
    color: str = "#888888"
    dashes: bool = False
    examples: tuple[str, ...] = field(default=())
    repeats: bool = False
    """Whether one pair may hold several ties of this kind at once (every grant is its own
    `funds` tie; each imported `related_to` keeps its own relation). Any other kind holds
    once per pair at a time: a second one whose dates overlap the first is a duplicate."""

    def allows(self, source_kind: str, target_kind: str) -> bool:
        return (ANY in self.sources or source_kind in self.sources) and (
            ANY in self.targets or target_kind in self.targets
        )


_Kind = TypeVar("_Kind", NodeKind, EdgeKind)


def _kinds(*kinds: _Kind) -> dict[str, _Kind]:
    return {k.name: k for k in kinds}


NODE_KINDS: dict[str, NodeKind] = _kinds(
    NodeKind(
        "initiative",
        "Initiative",
        "The partnership or compact itself.",
        InitiativeProps,
        "#332288",
        "star",
    ),
    NodeKind(
        "issue_area",
        "Issue area",
        "Education, health, housing, public safety …",
        IssueAreaProps,
        "#8c510a",
        "triangle",
    ),
    NodeKind("goal", "Goal", "A common-agenda goal.", GoalProps, "#b8860b", "diamond"),
    NodeKind(
        "indicator",
        "Indicator",
        "An outcome or contributing indicator measuring a goal.",
        IndicatorProps,
        "#2a8a7c",
        "square",
    ),
    NodeKind(
        "organization",
        "Organization",
        "Any agency or institution.",
        OrganizationProps,
        "#0072b2",
        "dot",
    ),
    NodeKind(
        "person", "Person", "A representative of an organization.", PersonProps, "#aa4499", "dot"
    ),
    NodeKind(
        "stewardship_group",
        "Stewardship group",
        "The group that stewards the shared vision (seed 001).",
        StewardshipGroupProps,
        "#222222",
        "triangleDown",
    ),
    NodeKind(
        "constellation",
        "Constellation",
        "A collaborative, workgroup, network or task force.",
        ConstellationProps,
        "#117733",
        "hexagon",
    ),
    NodeKind(
        "assessment",
        "Assessment",
        "A rubric self-assessment of a constellation or initiative (seed 003).",
        AssessmentProps,
        "#882255",
        "box",
        structural=False,
    ),
    NodeKind(
        "event",
        "Event",
        "A meeting or engagement: a group's meeting, an inter-convener meeting, a stakeholder "
        "feedback session (seed 000).",
        EventProps,
        "#8c8c3c",
        "triangleDown",
        structural=False,
    ),
)

EDGE_KINDS: dict[str, EdgeKind] = {
    e.name: e
    for e in (
        EdgeKind(
            "signs",
            "Commits an institution to the shared agenda.",
            ("organization",),
            ("initiative",),
            SignsProps,
            "#332288",
        ),
        EdgeKind(
            "represents",
            "A person represents an organization.",
            ("person",),
            ("organization",),
            RepresentsProps,
            "#aa4499",
        ),
        EdgeKind(
            "member_of",
            "A person sits on the stewardship group.",
            ("person",),
            ("stewardship_group",),
            MemberOfProps,
            "#7570b3",
        ),
        EdgeKind(
            "stewards",
            "The stewardship group keeps the initiative's vision.",
            ("stewardship_group",),
            ("initiative",),
            NoProps,
            "#222222",
        ),
        EdgeKind(
            "pursues",
            "The initiative pursues a goal.",
            ("initiative",),
            ("goal",),
            NoProps,
            "#b8860b",
        ),
        EdgeKind(
            "in_area",
            "A goal or initiative belongs to an issue area.",
            ("goal", "initiative"),
            ("issue_area",),
            NoProps,
            "#8c510a",
            dashes=True,
        ),
        EdgeKind(
            "backbone_for",
            "An organization acts as backbone for an issue area.",
            ("organization",),
            ("issue_area",),
            BackboneForProps,
            "#d95f02",
        ),
        EdgeKind(
            "convenes",
            "An organization leads a constellation, as primary or co-convener.",
            ("organization",),
            ("constellation",),
            ConvenesProps,
            "#0072b2",
        ),
        EdgeKind(
            "participates_in",
            "An organization is a partner in a constellation.",
            ("organization",),
            ("constellation",),
            ParticipatesInProps,
            "#3f8fc4",
        ),
        EdgeKind(
            "advances",
            "A constellation works on a goal or indicator.",
            ("constellation",),
            ("goal", "indicator"),
            AdvancesProps,
            "#117733",
        ),
        EdgeKind(
            "measures",
            "An indicator measures a goal.",
            ("indicator",),
            ("goal",),
            NoProps,
            "#2a8a7c",
            dashes=True,
        ),
        EdgeKind(
            "funds",
            "An organization funds a constellation or another organization.",
            ("organization",),
            ("organization", "constellation"),
            FundsProps,
            "#c51b7d",
            repeats=True,
        ),
        EdgeKind(
            "spun_off_from",
            "A constellation grew out of another.",
            ("constellation",),
            ("constellation",),
            NoProps,
            "#5e8c31",
            dashes=True,
        ),
        EdgeKind(
            "assesses",
            "An assessment rates a constellation or initiative.",
            ("assessment",),
            ("constellation", "initiative"),
            NoProps,
            "#882255",
            dashes=True,
        ),
        EdgeKind(
            "held_for",
            "An event belongs to a constellation, initiative or stewardship group.",
            ("event",),
            ("constellation", "initiative", "stewardship_group"),
            NoProps,
            "#8c8c3c",
            dashes=True,
        ),
        EdgeKind(
            "attended",
            "An organization or person took part in an event.",
            ("organization", "person"),
            ("event",),
            AttendedProps,
            "#7a6a00",
            dashes=True,
        ),
        EdgeKind(
            "collaborates_with",
            "A tie between organizations outside any constellation.",
            ("organization",),
            ("organization",),
            CollaboratesWithProps,
            "#7f7f7f",
            dashes=True,
        ),
        EdgeKind(
            "related_to",
            "Fallback for imported relations that fit no kind.",
            (ANY,),
            (ANY,),
            RelatedToProps,
            "#6b5a48",
            dashes=True,
            repeats=True,
        ),
    )
}


CATEGORY_COLORS: tuple[str, ...] = (
    "#0072b2",
    "#117733",
    "#aa4499",
    "#b8860b",
    "#332288",
    "#2a8a7c",
    "#c51b7d",
    "#8c510a",
    "#7570b3",
    "#5e8c31",
    "#882255",
    "#3f8fc4",
    "#6b5a48",
)
"""The colours the map gives the values of a field it is coloured by (sector, status,
community …), in order; values past the last share `OTHER_COLOR`, and nodes without the
field are `NO_VALUE_COLOR`. Like every colour here, each has at least 3:1 contrast on
white (tests/viz/test_palette.py); the node kinds are also told apart under simulated
deuteranopia; none is near the colours of the finding marks (`viz.map.MARKS`)."""

OTHER_COLOR = "#222222"
NO_VALUE_COLOR = "#7f7f7f"


class PropertyError(ValueError):
    """Properties that do not fit their kind; `errors` holds (field, message) pairs."""

    def __init__(self, kind: str, errors: list[tuple[str, str]]):
        self.kind = kind
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" for f, m in errors))


def canonical_kind(name: str) -> str:
    """Normalise a kind name as people write it: 'Stewardship Group' → 'stewardship_group'.

    >>> canonical_kind(" Stewardship Group ")
    'stewardship_group'
    >>> canonical_kind("participates-in")
    'participates_in'
    """
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def node_kind(name: str) -> NodeKind | None:
    return NODE_KINDS.get(canonical_kind(name)) if isinstance(name, str) else None


def edge_kind(name: str) -> EdgeKind | None:
    return EDGE_KINDS.get(canonical_kind(name)) if isinstance(name, str) else None


def _model(kind: str) -> type[Properties]:
    spec = NODE_KINDS.get(kind) or EDGE_KINDS.get(kind)
    if spec is None:
        raise KeyError(kind)
    return spec.properties


def validate_properties(kind: str, properties: dict[str, Any] | None) -> dict[str, Any]:
    """Check properties against their kind's model; return them normalised, unset ones dropped.

    Raises `PropertyError` listing every field that is wrong.
    """
    model = _model(kind)
    try:
        parsed = model.model_validate(properties or {})
    except ValidationError as exc:
        raise PropertyError(
            kind,
            [(".".join(str(p) for p in e["loc"]) or "properties", e["msg"]) for e in exc.errors()],
        ) from None
    problems = parsed.problems()
    if problems:
        raise PropertyError(kind, problems)
    return parsed.model_dump(mode="json", exclude_none=True)


def endpoint_error(kind: str, source_kind: str, target_kind: str) -> str | None:
    """Say why an edge of `kind` cannot join these node kinds, or None if it can."""
    spec = EDGE_KINDS[kind]
    if spec.allows(source_kind, target_kind):
        return None
    return (
        f"a {kind} edge goes from {' or '.join(spec.sources)} to {' or '.join(spec.targets)}, "
        f"not from {source_kind} to {target_kind}"
    )
