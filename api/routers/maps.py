"""The interactive map of a workspace, as one self-contained HTML page, and saved layouts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from api.cache import AnalysesDep
from api.deps import CallerDep, ReadWs, RepoDep, WriteWs
from api.problems import HTTPProblem
from api.schemas import problems
from constellation.store.tokens import Role
from constellation.viz import PositionsSaved, map_workspace, save_positions
from constellation.viz.measures import SIZE_MEASURES

router = APIRouter(
    prefix="/api/workspaces/{workspace}", tags=["map"], responses=problems(401, 403, 404, 413, 422)
)


@router.get(
    "/map",
    response_class=HTMLResponse,
    summary="The interactive map (one self-contained HTML page)",
    description="The same page `constellation map` writes. For a caller who may edit, "
    "its 'Save layout' button stores node positions for everyone.",
)
def workspace_map(
    workspace: ReadWs,
    repo: RepoDep,
    caller: CallerDep,
    cache: AnalysesDep,
    as_of: Annotated[dt.date | None, Query()] = None,
    size_by: Annotated[str, Query(description="degree, betweenness or partners")] = "degree",
) -> HTMLResponse:
    if size_by not in SIZE_MEASURES:
        raise HTTPProblem(
            422, f"size_by must be one of {', '.join(SIZE_MEASURES)}.", title="Invalid request"
        )
    may_write = caller.may(Role.EDITOR)
    save_url = f"/api/workspaces/{workspace}/map/positions" if may_write else None
    page = cache.get(
        "map",
        as_of or dt.date.today(),
        size_by,
        save_url,
        make=lambda: map_workspace(repo, workspace, as_of, size_by=size_by, save_url=save_url),
    )
    return HTMLResponse(page)


class Point(BaseModel):
    x: float = Field(..., allow_inf_nan=False)
    y: float = Field(..., allow_inf_nan=False)


class PositionsBody(BaseModel):
    positions: dict[str, Point] = Field(
        ..., max_length=200_000, description="Node id → its place on the map."
    )


@router.put("/map/positions", summary="Save where nodes sit on the map (editor)")
def put_positions(workspace: WriteWs, body: PositionsBody, repo: RepoDep) -> PositionsSaved:
    saved = save_positions(repo, workspace, {k: v.model_dump() for k, v in body.positions.items()})
    repo.commit()
    return saved
