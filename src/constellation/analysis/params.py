"""Every threshold the checks use, with its default, in one place.

Pass an `AuditParams` (or a dict of overrides) to any check or to the audit; the CLI's
``--param name=value`` and the API's query parameters fill the same model.
"""

from __future__ import annotations

from typing import Any, TypeVar, overload

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from constellation.errors import InvalidQuestion, problems_from_validation

__all__ = ["AuditParams", "DEFAULTS", "resolve"]


class AuditParams(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_active_convened: int = Field(
        3,
        ge=0,
        description="An organization convening more active constellations than this "
        "is overloaded (seed 001: 'Do you have the bandwidth?').",
    )
    partners_per_fte: float = Field(
        10.0,
        gt=0,
        description="Partner organizations one full-time convening staff member "
        "can support; capacity = staff_capacity × this.",
    )
    co_convener_weight: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of a constellation's load a co-convener carries "
        "(a primary convener carries all of it).",
    )
    min_partners: int = Field(
        3, ge=0, description="A constellation with fewer member organizations is thin."
    )
    min_sectors: int = Field(
        2,
        ge=0,
        description="A constellation whose members span fewer sectors is not "
        "cross-sector (seed 000).",
    )
    dormant_after_days: int = Field(
        365,
        ge=1,
        description="An active constellation with no recorded activity (last_activity, "
        "a meeting, or its launch) for this long looks dormant.",
    )
    feedback_within_days: int = Field(
        183,
        ge=1,
        description="An active constellation should have heard its stakeholders this recently "
        "(seed 000: feedback sessions 'preferably twice a year').",
    )
    coordination_within_days: int = Field(
        183,
        ge=1,
        description="A convener should have attended an inter-convener meeting this recently "
        "(seed 000: 'periodic convening partners meetings').",
    )
    attendance_within_days: int = Field(
        365,
        ge=1,
        description="The window of a constellation's own meetings its conveners' attendance "
        "is counted over.",
    )
    min_attendance: float = Field(
        0.5,
        ge=0,
        le=1,
        description="A convener attending a smaller share of its group's meetings missed most "
        "of them (seed 000: 'Conveners regularly attend the CAN meetings').",
    )
    assessment_within_days: int = Field(
        365,
        ge=1,
        description="An active constellation should have assessed itself on the rubric this "
        "recently (seed 003).",
    )
    indicator_value_within_days: int = Field(
        365,
        ge=1,
        description="An indicator should have a value this recent (seed 002: 'Review the data').",
    )
    stalled_after_months: int = Field(
        12,
        ge=1,
        le=600,
        description="An active constellation on one step of the process (seed 002) longer "
        "than this is stalled; the last step, continual improvement, never is.",
    )
    stale_commitment_months: int = Field(
        12,
        ge=1,
        le=600,
        description="A signer's commitment that is neither fulfilled nor withdrawn, with no "
        "progress note in this many months, is stale (seed 001: signers keep 'tracking "
        "progress, and updating' their institutional commitments).",
    )
    weak_tie_below: float = Field(
        2.5,
        ge=1,
        le=4,
        description="Average trust or value (1–4 scale) below which ties are weak.",
    )
    brokers: int = Field(5, ge=0, description="How many brokers the summary lists.")
    exact_measures_up_to: int = Field(
        500,
        ge=0,
        description="Up to this many nodes the structural measures are computed "
        "with networkx; above it, with igraph built straight from the id pairs.",
    )
    betweenness_exact_up_to: int = Field(
        2000,
        ge=0,
        description="Above this many nodes betweenness is estimated from a "
        "sample of source nodes (igraph) and marked approximate.",
    )
    betweenness_sample: int = Field(
        100, ge=1, description="Source nodes sampled for estimated betweenness."
    )
    spof_detail_limit: int = Field(
        50,
        ge=0,
        description="Articulation points for which the split sizes are computed; "
        "the rest are listed with less detail.",
    )


DEFAULTS = AuditParams()


Model = TypeVar("Model", bound=BaseModel)


@overload
def resolve(params: BaseModel | dict[str, Any] | None) -> AuditParams: ...
@overload
def resolve(params: BaseModel | dict[str, Any] | None, model: type[Model]) -> Model: ...
def resolve(
    params: BaseModel | dict[str, Any] | None, model: type[BaseModel] = AuditParams
) -> BaseModel:
    """Parameters as the model, from the model itself, a dict of overrides or None (the
    defaults). A bad value raises `InvalidQuestion` naming ``params.<field>``."""
    if isinstance(params, model):
        return params
    if isinstance(params, BaseModel):
        raise TypeError(f"{model.__name__} wanted, not {type(params).__name__}")
    try:
        return model(**(params or {}))
    except ValidationError as exc:
        raise InvalidQuestion(problems_from_validation(exc, "params.")) from None
