"""Who could convene a constellation: HTTP over `constellation.services.candidates`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from api.cache import AnalysesDep
from api.schemas import AsOf, problems
from constellation.analysis.candidates import Candidate
from constellation.services import candidates as service

router = APIRouter(
    prefix="/api/workspaces/{workspace}/constellations",
    tags=["analysis"],
    responses=problems(401, 404, 413, 422),
)


class DescribedBody(BaseModel):
    """A constellation that does not exist yet, by what it would work on (ids or labels)."""

    model_config = ConfigDict(extra="forbid")
    label: str | None = Field(None, max_length=500, description="Its working name.")
    goals: list[str] = Field(default_factory=list, max_length=500)
    issue_areas: list[str] = Field(default_factory=list, max_length=500)
    limit: int = Field(10, ge=1, le=100)
    as_of: dt.date | None = None


@router.post(
    "/candidates",
    response_model=list[Candidate],
    summary="Who could convene a new constellation, described by its goals and issue areas",
)
def candidates_for_described(net: AnalysesDep, body: DescribedBody) -> list[Candidate]:
    return service.candidates(
        net,
        goals=body.goals,
        issue_areas=body.issue_areas,
        label=body.label,
        limit=body.limit,
        as_of=body.as_of,
    )


@router.get(
    "/{constellation}/candidates",
    response_model=list[Candidate],
    summary="Who could convene this constellation, ranked on seed 001's convener criteria",
)
def candidates(
    net: AnalysesDep,
    constellation: Annotated[str, Path(max_length=500, description="Id or exact label.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    as_of: AsOf = None,
) -> list[Candidate]:
    return service.candidates(net, constellation, limit=limit, as_of=as_of)
