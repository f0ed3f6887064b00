"""The interactive map of a workspace, as one self-contained HTML page, and saved layouts."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from api.cache import AnalysesDep
from api.deps import CallerDep, RepoDep, WriteWs, get_settings
from api.schemas import problems
from api.security import policy, script_hashes
from constellation.config import Settings
from constellation.services import maps
from constellation.services.network import Network
from constellation.store.tokens import Role
from constellation.viz.positions import PositionsSaved

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
    caller: CallerDep,
    settings: Annotated[Settings, Depends(get_settings)],
    net: AnalysesDep,
    as_of: Annotated[dt.date | None, Query()] = None,
    size_by: Annotated[str, Query(description="degree, betweenness or partners")] = "degree",
) -> HTMLResponse:
    may_write = caller.may(Role.EDITOR)
    save_url = f"/api/workspaces/{net.workspace}/map/positions" if may_write else None
    html = maps.page(net, as_of, size_by=size_by, save_url=save_url)
    # its inline scripts (vis-network and the map's own) run by their hashes, nothing else
    csp = policy(scripts=script_hashes(html), frame_ancestors=settings.embed_origins)
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})


class Point(BaseModel):
    x: float = Field(..., allow_inf_nan=False)
    y: float = Field(..., allow_inf_nan=False)


class PositionsBody(BaseModel):
    positions: dict[str, Point] = Field(
        ..., max_length=200_000, description="Node id → its place on the map."
    )


@router.put("/map/positions", summary="Save where nodes sit on the map (editor)")
def put_positions(workspace: WriteWs, body: PositionsBody, repo: RepoDep) -> PositionsSaved:
    positions = {k: v.model_dump() for k, v in body.positions.items()}
    saved = maps.save_layout(Network(repo, workspace), positions)
    repo.commit()
    return saved
