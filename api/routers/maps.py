"""The interactive map of a workspace, as one self-contained HTML page, saved layouts and
saved views."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response, status
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from api.cache import AnalysesDep, etag, not_modified
from api.deps import CallerDep, ReadWs, RepoDep, WriteWs, expected_version, get_settings
from api.schemas import problems
from api.security import policy, script_hashes
from constellation.config import Settings
from constellation.errors import NotFound
from constellation.records import MapView
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
    request: Request,
    as_of: Annotated[dt.date | None, Query()] = None,
    size_by: Annotated[str, Query(description="degree, betweenness or partners")] = "degree",
) -> Response:
    may_write = caller.may(Role.EDITOR)
    # the page differs by whether its reader may save (its buttons): that is in the ETag
    tag = etag(net, request, may_write)
    if not_modified(request, tag):
        return Response(status_code=304, headers={"ETag": tag})
    save_url = f"/api/workspaces/{net.workspace}/map/positions" if may_write else None
    views_url = f"/api/workspaces/{net.workspace}/map/views"
    html = maps.page(
        net,
        as_of,
        size_by=size_by,
        save_url=save_url,
        views_url=views_url,
        audit_url=f"/api/workspaces/{net.workspace}/map/audit",
        may_save=may_write,
    )
    # its inline scripts (vis-network and the map's own) run by their hashes, nothing else
    csp = policy(scripts=script_hashes(html), frame_ancestors=settings.embed_origins)
    return HTMLResponse(html, headers={"Content-Security-Policy": csp, "ETag": tag})


class MapAudit(BaseModel):
    as_of: dt.date
    health: int | None = Field(None, description="The health score on that date, 0–100.")
    counts: dict[str, Any] = Field(..., description="Findings by severity and by kind.")
    findings: list[dict[str, Any]] = Field(
        ..., description="The findings as the map draws them: check, severity, title, subjects."
    )


@router.get(
    "/map/audit",
    response_model=MapAudit,
    summary="The audit a map shows on a date",
    description="What a served map asks for when its date moves to one whose audit it does "
    "not embed (a map embeds them only for a few dates): the health, the counts and the "
    "findings of that date, as the map draws them.",
)
def map_audit(
    net: AnalysesDep,
    request: Request,
    as_of: Annotated[dt.date | None, Query()] = None,
) -> Response:
    tag = etag(net, request)
    if not_modified(request, tag):
        return Response(status_code=304, headers={"ETag": tag})
    found = MapAudit.model_validate(maps.day_audit(net, as_of or dt.date.today()))
    return Response(found.model_dump_json(), media_type="application/json", headers={"ETag": tag})


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


ViewName = Annotated[str, Path(max_length=80, description="The view's name.")]
IfMatch = Annotated[
    str | None,
    Header(description="The ETag you read; required to change or delete a saved view."),
]


class MapViewList(BaseModel):
    workspace: str
    views: list[MapView]


class MapViewBody(BaseModel):
    fragment: str = Field(
        ...,
        max_length=4000,
        description="The map page's URL fragment, "
        "e.g. color=sector&focus=unite-la&as_of=2017-06-01.",
    )


def _shown(view: MapView, caller: CallerDep) -> MapView:
    """Who saved a view is for signed-in readers only, as in the change log."""
    return view.model_copy(update={"updated_by": None}) if caller.reads_as_public else view


@router.get("/map/views", summary="The workspace's saved map views")
def list_views(workspace: ReadWs, repo: RepoDep, caller: CallerDep) -> MapViewList:
    found = maps.views(Network(repo, workspace))
    return MapViewList(workspace=workspace, views=[_shown(v, caller) for v in found])


@router.get("/map/views/{name}", summary="One saved map view")
def get_view(
    workspace: ReadWs, name: ViewName, repo: RepoDep, caller: CallerDep, response: Response
) -> MapView:
    found = maps.view(Network(repo, workspace), name)
    response.headers["ETag"] = f'"{found.version}"'
    return _shown(found, caller)


@router.put(
    "/map/views/{name}",
    summary="Save the map's current view under a name (editor)",
    description="Creates the view (201), or changes it: to change one that exists send its "
    "ETag as If-Match (412 if someone saved it since; 428 without it where the service "
    "requires If-Match). Creating needs none, so the header is not declared required here. "
    "Every save is versioned and in the workspace's change log.",
    responses=problems(412, 428),
)
def put_view(
    workspace: WriteWs,
    name: ViewName,
    body: MapViewBody,
    repo: RepoDep,
    request: Request,
    response: Response,
) -> MapView:
    net = Network(repo, workspace)
    try:
        maps.view(net, name)
        exists = True
    except NotFound:
        exists = False
    if_match = request.headers.get("if-match")
    version = expected_version(request, if_match) if exists or if_match else None
    saved = maps.save_view(net, name, body.fragment, version)
    repo.commit()
    response.headers["ETag"] = f'"{saved.version}"'
    if not exists:
        response.status_code = status.HTTP_201_CREATED
    return saved


@router.delete(
    "/map/views/{name}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a saved map view (editor)",
    responses=problems(412, 428),
)
def delete_view(
    workspace: WriteWs,
    name: ViewName,
    repo: RepoDep,
    request: Request,
    if_match: IfMatch = None,
) -> Response:
    net = Network(repo, workspace)
    maps.view(net, name)  # 404 before asking for a version
    maps.delete_view(net, name, expected_version(request, if_match))
    repo.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)
