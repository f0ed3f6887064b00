"""Dependencies: the store, the caller behind the token, and access to a workspace."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Path, Request
from starlette.concurrency import run_in_threadpool

from api.callers import Callers
from api.problems import HTTPProblem
from constellation.config import Settings
from constellation.errors import NotFound
from constellation.records import WorkspaceOut
from constellation.store import Repository, Store
from constellation.store.tokens import Caller, Role

BEARER = "Bearer "
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
"""The methods that only read: every other one may write."""
COOKIE = "constellation_token"
"""The cookie the web pages sign in with (see routers/session.py)."""


async def get_store(request: Request) -> Store:
    # async: nothing here waits, so it runs on the event loop rather than a thread
    return request.app.state.store


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


BAD_TOKEN = (
    "This token is not valid or has been revoked; ask an admin for a new one "
    "(constellation token create)."
)


def caller_for(store: Store, token: str, *, write: bool = False) -> Caller | None:
    """Who a token belongs to, or None when it is unknown or revoked. It may note when the
    token was last used (a write): in a request that writes anyway, it queues as one."""
    with store.repository(write=write) as repo:
        return repo.authenticate(token)


async def known_caller(request: Request, store: Store, token: str) -> Caller | None:
    """`caller_for`, remembered for a second (api.callers): most requests ask no query,
    and those that do ask it off the event loop."""
    callers: Callers = request.app.state.callers
    caller = callers.get(token)
    if caller is None:
        asked_at = time.monotonic()
        caller = await run_in_threadpool(
            caller_for, store, token, write=request.method not in SAFE_METHODS
        )
        if caller is not None:
            callers.put(token, caller, asked_at)
    return caller


async def get_caller(
    request: Request, authorization: Annotated[str | None, Header()] = None
) -> Caller:
    """Anonymous without a token; a bad or revoked token is refused outright (401).

    The token comes as `Authorization: Bearer …`, or from the web pages' sign-in cookie.
    Every route asks for it, so it depends on nothing but the request (FastAPI solves each
    dependency's own dependencies again wherever it is named).
    """
    store: Store = request.app.state.store
    if not authorization:
        return await _cookie_caller(request, store)
    if not authorization.startswith(BEARER):
        raise HTTPProblem(
            401,
            "Send the token as 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    caller = await known_caller(request, store, authorization[len(BEARER) :].strip())
    if caller is None:
        raise HTTPProblem(401, BAD_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    return outside_its_workspace(request, caller)


def outside_its_workspace(request: Request, caller: Caller) -> Caller:
    """A partner link is anonymous in every workspace but its own: there it reads and
    writes only as its organization."""
    workspace = request.path_params.get("workspace")
    if caller.partner and workspace is not None and workspace != caller.workspace:
        return Caller()
    return caller


async def _cookie_caller(request: Request, store: Store) -> Caller:
    """The caller behind the web pages' sign-in cookie. A stale cookie (revoked token) reads
    as anonymous. A write carried by the cookie must come from our own pages: the browser's
    Origin (or Sec-Fetch-Site) header says so, which a form on another site cannot fake."""
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return Caller()
    caller = await known_caller(request, store, cookie)
    if caller is None:
        return Caller()
    caller = outside_its_workspace(request, caller)
    if request.method not in SAFE_METHODS:
        own = f"{request.url.scheme}://{request.url.netloc}"
        if not (
            request.headers.get("origin") == own
            or request.headers.get("sec-fetch-site") == "same-origin"
        ):
            raise HTTPProblem(
                403,
                "This change did not come from this service's own pages; sign "
                "in here, or send the token in an Authorization header.",
            )
    return caller


CallerDep = Annotated[Caller, Depends(get_caller)]


async def get_repo(request: Request, caller: CallerDep) -> AsyncIterator[Repository]:
    """A repository in one transaction; routes that write call `repo.commit()` before they
    answer, so that a failed commit is the answer and not a log line after it. A request
    that may write (not GET, HEAD or OPTIONS) takes the write lock as it begins.

    Opening the unit of work asks nothing of the database, so it happens on the event loop;
    only its end (the commit or rollback) goes to a thread: a request costs one thread hop
    fewer."""
    store: Store = request.app.state.store
    actor = caller.name and (
        f"{caller.name} (partner link {caller.token})"
        if caller.partner
        else f"{caller.name} ({caller.token})"
    )
    unit = store.repository(actor=actor, write=request.method not in SAFE_METHODS)
    repo = unit.__enter__()
    try:
        yield repo
    except BaseException as exc:
        await run_in_threadpool(unit.__exit__, type(exc), exc, exc.__traceback__)
        raise
    await run_in_threadpool(unit.__exit__, None, None, None)
    workspace = request.path_params.get("workspace")
    if request.method not in SAFE_METHODS and workspace:
        request.app.state.warmer.after_write(workspace)  # api.cache.Warmer


RepoDep = Annotated[Repository, Depends(get_repo)]
WorkspacePath = Annotated[
    str, Path(description="The workspace id, e.g. la-compact.", max_length=100)
]


PARTNER_ONLY = (
    "A partner link changes only its own organization's record and ties; this needs "
    "an editor's token."
)


def _require(caller: Caller, role: Role) -> None:
    if caller.role is None:  # anonymous
        raise HTTPProblem(
            401, "Sign in with a token to do this.", headers={"WWW-Authenticate": "Bearer"}
        )
    if caller.partner and role is not Role.PARTNER:  # answered as an anonymous caller is
        raise HTTPProblem(401, PARTNER_ONLY, headers={"WWW-Authenticate": "Bearer"})
    if not caller.role.allows(role):
        raise HTTPProblem(
            403, f"This needs a {role.value} token; yours is a {caller.role.value} token."
        )


async def readable_workspace(
    workspace: WorkspacePath, caller: CallerDep, repo: RepoDep, request: Request
) -> str:
    """The workspace, if the caller may read it. Private means invisible: to an anonymous
    caller a private workspace, and to a token scoped elsewhere any other workspace, answers
    exactly as a missing one does (404), so that its existence does not leak.

    Every request asks this: one indexed query, its answer kept on the request (the
    analysis cache keys on it) and in the repository (the routes' queries use its key)."""
    if not caller.can_see(workspace):
        raise await _unknown_workspace(repo, caller, workspace)
    try:
        stamp = await run_in_threadpool(repo.workspace_stamp, workspace)
    except NotFound:
        raise await _unknown_workspace(repo, caller, workspace) from None
    if caller.anonymous and not stamp.public_read:
        raise await _unknown_workspace(repo, caller, workspace)
    request.state.workspace_stamp = stamp
    return workspace


def visible_workspaces(repo: Repository, caller: Caller) -> list[WorkspaceOut]:
    """The workspaces `caller` may read: its own (a scoped token), and the public ones, or
    every one to a signed-in caller of no single workspace."""
    if caller.partner:  # its own, and the public ones as for anyone
        return [w for w in repo.list_workspaces() if w.public_read or caller.can_see(w.slug)]
    return [
        w
        for w in repo.list_workspaces()
        if caller.can_see(w.slug) and (w.public_read or not caller.anonymous)
    ]


async def _unknown_workspace(repo: Repository, caller: Caller, workspace: str) -> NotFound:
    """A missing (or, to this caller, invisible) workspace's 404: the closest of the
    workspaces it may read, and those listed, the same whether the one named exists or
    not, so that the answer tells nothing of a private one."""
    slugs = [w.slug for w in await run_in_threadpool(visible_workspaces, repo, caller)]
    return NotFound.among("workspace", workspace, slugs)


def writable_workspace(
    workspace: Annotated[str, Depends(readable_workspace)], caller: CallerDep
) -> str:
    _require(caller, Role.EDITOR)
    return workspace


def record_writable_workspace(
    workspace: Annotated[str, Depends(readable_workspace)], caller: CallerDep
) -> str:
    """An editor's, or a partner link's own (the record routes then ask
    `constellation.services.partner_links.refusal` what it may write)."""
    if not caller.partner:
        _require(caller, Role.EDITOR)
    return workspace


def partner_workspace(
    workspace: Annotated[str, Depends(readable_workspace)], caller: CallerDep
) -> str:
    """A partner link's own workspace (its page's routes)."""
    if not caller.partner:
        if caller.anonymous:
            _require(caller, Role.PARTNER)
        raise HTTPProblem(
            403,
            "This is a partner link's own view; open the link an editor made for the "
            "organization (the edit page makes them).",
        )
    return workspace


def managed_workspace(
    workspace: Annotated[str, Depends(readable_workspace)], caller: CallerDep
) -> str:
    _require(caller, Role.ADMIN)
    return workspace


def admin(caller: CallerDep) -> Caller:
    """An admin token for every workspace (not one scoped to a single workspace)."""
    _require(caller, Role.ADMIN)
    if caller.workspace is not None:
        raise HTTPProblem(
            403,
            "This needs an admin token for every workspace; yours is scoped "
            f"to {caller.workspace!r}.",
        )
    return caller


ReadWs = Annotated[str, Depends(readable_workspace)]
WriteWs = Annotated[str, Depends(writable_workspace)]
RecordWriteWs = Annotated[str, Depends(record_writable_workspace)]
PartnerWs = Annotated[str, Depends(partner_workspace)]
AdminWs = Annotated[str, Depends(managed_workspace)]
Admin = Annotated[Caller, Depends(admin)]


def expected_version(request: Request, if_match: str | None) -> int | None:
    """The version an If-Match header names; None where it may be left out (see settings).

    `If-Match: *` ("any version") would skip the check that keeps two editors from
    overwriting each other, so it counts as no If-Match at all: refused with 428 where
    If-Match is required, accepted only where the service is set not to require it."""
    if if_match is None or if_match.strip() == "*":
        if request.app.state.settings.require_if_match:
            raise HTTPProblem(
                428,
                (
                    "If-Match: * names no version; send the ETag you read"
                    if if_match is not None
                    else "Send If-Match with the ETag you read"
                )
                + ", so that two editors never overwrite each other's changes.",
                title="Precondition Required",
            )
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise HTTPProblem(
            412,
            f"If-Match {if_match!r} names no version of this record; send the ETag you read.",
            title="Changed since you read it",
        )
    return int(value)
