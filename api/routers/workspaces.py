"""Workspaces: list what the caller may see; admins create, rename, open and delete."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from api.deps import Admin, AdminWs, CallerDep, ReadWs, RepoDep, visible_workspaces
from api.problems import HTTPProblem
from api.schemas import WorkspaceCreate, WorkspacePatch, problems
from constellation.errors import InvalidQuestion, Problem
from constellation.records import ChangeOut, WorkspaceOut
from constellation.store.tokens import Caller

router = APIRouter(
    prefix="/api/workspaces", tags=["workspaces"], responses=problems(401, 403, 404, 409, 413, 422)
)


@router.get("", summary="The workspaces you may read")
def list_workspaces(repo: RepoDep, caller: CallerDep) -> list[WorkspaceOut]:
    return visible_workspaces(repo, caller)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a workspace (admin)")
def create_workspace(
    body: WorkspaceCreate, repo: RepoDep, _: Admin, response: Response
) -> WorkspaceOut:
    ws = repo.create_workspace(
        body.slug, name=body.name, description=body.description, public_read=body.public_read
    )
    repo.commit()
    response.headers["Location"] = f"/api/workspaces/{ws.slug}"
    return ws


@router.get("/{workspace}", summary="One workspace with its counts")
def get_workspace(workspace: ReadWs, repo: RepoDep) -> WorkspaceOut:
    return repo.get_workspace(workspace)


@router.patch("/{workspace}", summary="Rename, describe or open a workspace (admin)")
def update_workspace(workspace: AdminWs, body: WorkspacePatch, repo: RepoDep) -> WorkspaceOut:
    ws = repo.update_workspace(
        workspace,
        new_slug=body.slug,
        name=body.name,
        description=body.description,
        public_read=body.public_read,
    )
    repo.commit()
    return ws


@router.delete(
    "/{workspace}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a workspace and everything in it (admin)",
)
def delete_workspace(workspace: AdminWs, repo: RepoDep) -> Response:
    repo.delete_workspace(workspace)
    repo.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/{workspace}/changes",
    summary="The workspace's change log, newest first",
    description="Anonymous readers of a public workspace see the changes but not who made "
    "them (and cannot filter by it). Each change names its record (`label`) and lists what it "
    "set, altered or removed (`changed`: field, before, after).",
)
def workspace_changes(
    workspace: ReadWs,
    repo: RepoDep,
    caller: CallerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    entity: Annotated[
        Literal["node", "edge", "workspace", "map_view", "join_request"] | None,
        Query(description="Only changes to records of this sort."),
    ] = None,
    record: Annotated[
        str | None, Query(max_length=200, description="Only the changes to this record (id).")
    ] = None,
    actor: Annotated[
        str | None,
        Query(max_length=200, description="Only changes made by someone whose name holds this."),
    ] = None,
    since: Annotated[dt.date | None, Query(description="Made on or after this day (UTC).")] = None,
    until: Annotated[dt.date | None, Query(description="Made on or before this day (UTC).")] = None,
) -> list[ChangeOut]:
    if actor and caller.reads_as_public:
        raise HTTPProblem(
            401,
            "Who made a change is shown to signed-in readers only: sign in to filter by it.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if since and until and since > until:
        raise InvalidQuestion(
            [Problem(f"since ({since}) comes after until ({until}): swap them", field="since")]
        )
    found = repo.changes(
        workspace,
        entity=entity,
        entity_id=record,
        actor=actor,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
    return for_caller(found, caller)


def for_caller(changes: list[ChangeOut], caller: Caller) -> list[ChangeOut]:
    """Who made a change is for signed-in readers only (a partner link reads as anonymous)."""
    if caller.reads_as_public:
        return [c.model_copy(update={"actor": None}) for c in changes]
    return changes
