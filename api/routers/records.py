"""Nodes and edges: create, read, change (with If-Match), archive, restore, delete, list.

The two share every route but their lists' filters, so one factory builds both routers.
"""

import datetime as dt
from typing import Annotated, Any, Literal, TypedDict
from urllib.parse import quote

from fastapi import APIRouter, Header, Path, Query, Request, Response, status

from api.deps import PARTNER_ONLY, CallerDep, ReadWs, RecordWriteWs, RepoDep, expected_version
from api.problems import HTTPProblem
from api.routers.workspaces import for_caller
from api.schemas import (
    EdgeCreate,
    EdgePage,
    EdgePatch,
    Neighbourhood,
    NodeCreate,
    NodePage,
    NodePatch,
    as_record,
    problems,
)
from constellation.records import ChangeOut, EdgeOut, NodeOut
from constellation.services.partner_links import Action, refusal
from constellation.services.records import properties
from constellation.store import Repository
from constellation.store.tokens import Caller

IfMatch = Annotated[
    str | None,
    Header(
        description="The ETag you read; required for changes unless the service allows otherwise."
    ),
]
Limit = Annotated[int, Query(ge=1, le=1000, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
Version = Annotated[int, Path(ge=1, le=2_000_000_000, description="The version to go back to.")]
Cursor = Annotated[
    str | None, Query(max_length=200, description="The next_cursor of the previous page.")
]
AsOf = Annotated[dt.date | None, Query(description="Only what was valid on this date.")]
Props = Annotated[list[str] | None, Query(description="key=value property filter; repeat.")]


class NodeFilters(TypedDict):
    """What a list of nodes and its count are both filtered by."""

    kind: str | None
    tag: str | None
    text: str | None
    properties: dict[str, Any] | None
    as_of: dt.date | None
    include_archived: bool


class EdgeFilters(TypedDict):
    """What a list of edges and its count are both filtered by."""

    kind: str | None
    node: str | None
    source: str | None
    target: str | None
    tag: str | None
    properties: dict[str, Any] | None
    as_of: dt.date | None
    include_archived: bool


def tagged(response: Response, record: NodeOut | EdgeOut) -> NodeOut | EdgeOut:
    response.headers["ETag"] = f'"{record.version}"'
    return record


def page(items, total: int, limit: int, offset: int) -> dict[str, Any]:
    """A page from `limit + 1` items: the extra one only says that there is a next page."""
    more = len(items) > limit
    items = items[:limit]
    return {
        "items": items,
        "total": total,
        "limit": limit,
        "offset": offset,
        "next_cursor": items[-1].id if more else None,
    }


def item_routes(
    router: APIRouter, entity: Literal["node", "edge"], out_model, create_model, patch_model
) -> None:
    """The routes nodes and edges share, on `router` (prefix …/{workspace}/{entity}s).

    Editors write any record; a partner link its organization's own (`refuse_partner`)."""
    get = f"get_{entity}"

    def refuse_partner(
        caller: Caller,
        repo: Repository,
        workspace: str,
        action: Action,
        record_id: str | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        if not caller.partner:
            return
        assert caller.organization is not None
        why = refusal(repo, workspace, caller.organization, entity, action, record_id, body or {})
        if why is not None:  # answered as an anonymous caller is: 401
            raise HTTPProblem(401, f"{why} {PARTNER_ONLY}", headers={"WWW-Authenticate": "Bearer"})

    @router.post(
        "",
        status_code=status.HTTP_201_CREATED,
        response_model=out_model,
        summary=f"Create a {entity} (editor)",
        name=f"create_{entity}",
    )
    def create(
        workspace: RecordWriteWs,
        body: create_model,
        repo: RepoDep,
        caller: CallerDep,
        request: Request,
        response: Response,
    ):
        refuse_partner(caller, repo, workspace, "create", None, body.model_dump())
        record = getattr(repo, f"create_{entity}")(workspace, as_record(body))
        repo.commit()
        response.headers["Location"] = f"{request.url.path}/{quote(record.id, safe='')}"
        return tagged(response, record)

    @router.get("/{record_id}", response_model=out_model, summary=f"One {entity}", name=get)
    def read(workspace: ReadWs, record_id: str, repo: RepoDep, response: Response):
        return tagged(response, getattr(repo, get)(workspace, record_id))

    @router.patch(
        "/{record_id}",
        response_model=out_model,
        summary=f"Change a {entity} (editor; If-Match)",
        name=f"update_{entity}",
    )
    def update(
        workspace: RecordWriteWs,
        record_id: str,
        body: patch_model,
        repo: RepoDep,
        caller: CallerDep,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ):
        version = expected_version(request, if_match)
        changes = body.model_dump(exclude_unset=True)
        refuse_partner(caller, repo, workspace, "update", record_id, changes)
        record = getattr(repo, f"update_{entity}")(workspace, record_id, changes, version)
        repo.commit()
        return tagged(response, record)

    def state_route(action: Literal["archive", "restore"]):
        """The route for one action, closed over it: a loop variable bound as a default
        argument would become a query parameter that could switch the action."""

        def change_state(
            workspace: RecordWriteWs,
            record_id: str,
            repo: RepoDep,
            caller: CallerDep,
            request: Request,
            response: Response,
            if_match: IfMatch = None,
        ):
            refuse_partner(caller, repo, workspace, action, record_id)
            version = expected_version(request, if_match)
            record = getattr(repo, f"{action}_{entity}")(workspace, record_id, version)
            repo.commit()
            return tagged(response, record)

        return change_state

    for action in ("archive", "restore"):
        router.add_api_route(
            f"/{{record_id}}/{action}",
            state_route(action),
            methods=["POST"],
            response_model=out_model,
            name=f"{action}_{entity}",
            summary=f"{action.title()} a {entity} (editor; If-Match)"
            + (
                ": it leaves maps and analyses but stays in the history"
                if action == "archive"
                else ""
            ),
        )

    @router.post(
        "/{record_id}/versions/{version}/restore",
        response_model=out_model,
        summary=f"Give a {entity} back the values of an older version (editor; If-Match)",
        description="An ordinary edit: the record gets a new version, logged as an update "
        "(the history keeps every version). `If-Match` names the current version, as for "
        "any change; the version to go back to is in the path (its number as "
        f"`GET …/{entity}s/{{id}}/changes` lists it).",
        name=f"restore_{entity}_version",
    )
    def restore_version(
        workspace: RecordWriteWs,
        record_id: str,
        version: Version,
        repo: RepoDep,
        caller: CallerDep,
        request: Request,
        response: Response,
        if_match: IfMatch = None,
    ):
        refuse_partner(caller, repo, workspace, "restore", record_id)
        expected = expected_version(request, if_match)
        restore = getattr(repo, f"restore_{entity}_version")
        record = restore(workspace, record_id, version, expected)
        repo.commit()
        return tagged(response, record)

    @router.delete(
        "/{record_id}",
        status_code=status.HTTP_204_NO_CONTENT,
        summary=f"Delete a {entity} for good (editor; If-Match)",
        name=f"delete_{entity}",
    )
    def delete(
        workspace: RecordWriteWs,
        record_id: str,
        repo: RepoDep,
        caller: CallerDep,
        request: Request,
        if_match: IfMatch = None,
        cascade: bool = False,
    ):
        refuse_partner(caller, repo, workspace, "delete", record_id)
        version = expected_version(request, if_match)
        if entity == "node":
            repo.delete_node(workspace, record_id, version, cascade=cascade)
        else:
            repo.delete_edge(workspace, record_id, version)
        repo.commit()
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    @router.get(
        "/{record_id}/changes",
        summary=f"The {entity}'s change log, newest first",
        name=f"{entity}_changes",
    )
    def changes(
        workspace: ReadWs,
        record_id: str,
        repo: RepoDep,
        caller: CallerDep,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[ChangeOut]:
        found = repo.changes(
            workspace, entity=entity, entity_id=record_id, limit=limit, offset=offset
        )
        if not found and offset:
            return []
        if not found:  # a deleted record keeps its history; one that never was has none
            getattr(repo, get)(workspace, record_id)
        return for_caller(found, caller)


nodes = APIRouter(
    prefix="/api/workspaces/{workspace}/nodes",
    tags=["nodes"],
    responses=problems(401, 403, 404, 409, 412, 413, 422, 428),
)
edges = APIRouter(
    prefix="/api/workspaces/{workspace}/edges",
    tags=["edges"],
    responses=problems(401, 403, 404, 409, 412, 413, 422, 428),
)


@nodes.get("", response_model=NodePage, summary="List nodes, filtered and paged")
def list_nodes(
    workspace: ReadWs,
    repo: RepoDep,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    tag: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in the label.")] = None,
    prop: Props = None,
    as_of: AsOf = None,
    include_archived: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Cursor = None,
):
    filters: NodeFilters = {
        "kind": kind,
        "tag": tag,
        "text": q,
        "properties": properties(prop),
        "as_of": as_of,
        "include_archived": include_archived,
    }
    total = repo.count_nodes(workspace, **filters)
    items = repo.query_nodes(
        workspace, **filters, after=cursor, limit=limit + 1, offset=0 if cursor else offset
    )
    near = repo.closest_nodes(workspace, q, kind) if q and not total else []
    return page(items, total, limit, offset) | {"did_you_mean": near}


@nodes.get(
    "/{record_id}/neighbourhood",
    response_model=Neighbourhood,
    summary="A node with the nodes and edges one or two steps away",
)
def neighbourhood(
    workspace: ReadWs,
    record_id: str,
    repo: RepoDep,
    hops: Annotated[int, Query(ge=1, le=2)] = 1,
    as_of: AsOf = None,
):
    found, links = repo.neighbourhood(workspace, record_id, hops=hops, as_of=as_of)
    return Neighbourhood(centre=record_id, hops=hops, nodes=found, edges=links)


@edges.get("", response_model=EdgePage, summary="List edges, filtered and paged")
def list_edges(
    workspace: ReadWs,
    repo: RepoDep,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    node: Annotated[str | None, Query(max_length=200, description="Touching this node.")] = None,
    source: Annotated[str | None, Query(max_length=200)] = None,
    target: Annotated[str | None, Query(max_length=200)] = None,
    tag: Annotated[str | None, Query(max_length=200)] = None,
    prop: Props = None,
    as_of: AsOf = None,
    include_archived: bool = False,
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Cursor = None,
):
    filters: EdgeFilters = {
        "kind": kind,
        "node": node,
        "source": source,
        "target": target,
        "tag": tag,
        "properties": properties(prop),
        "as_of": as_of,
        "include_archived": include_archived,
    }
    total = repo.count_edges(workspace, **filters)
    items = repo.query_edges(
        workspace, **filters, after=cursor, limit=limit + 1, offset=0 if cursor else offset
    )
    return page(items, total, limit, offset)


item_routes(nodes, "node", NodeOut, NodeCreate, NodePatch)
item_routes(edges, "edge", EdgeOut, EdgeCreate, EdgePatch)
