"""Dependencies: the store, the caller behind the token, and access to a workspace."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Request

from api.problems import HTTPProblem
from constellation.config import Settings
from constellation.errors import NotFound
from constellation.store import Repository, Store
from constellation.store.tokens import Caller, Role

BEARER = "Bearer "
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
"""The methods that only read: every other one may write."""
COOKIE = "constellation_token"
"""The cookie the web pages sign in with (see routers/session.py)."""


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
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


def get_caller(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    authorization: Annotated[str | None, Header()] = None,
) -> Caller:
    """Anonymous without a token; a bad or revoked token is refused outright (401).

    The token comes as `Authorization: Bearer …`, or from the web pages' sign-in cookie.
    """
    if not authorization:
        return _cookie_caller(request, store)
    if not authorization.startswith(BEARER):
        raise HTTPProblem(
            401,
            "Send the token as 'Authorization: Bearer <token>'.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    caller = caller_for(
        store, authorization[len(BEARER) :].strip(), write=request.method not in SAFE_METHODS
    )
    if caller is None:
        raise HTTPProblem(401, BAD_TOKEN, headers={"WWW-Authenticate": "Bearer"})
    return caller


def _cookie_caller(request: Request, store: Store) -> Caller:
    """The caller behind the web pages' sign-in cookie. A stale cookie (revoked token) reads
    as anonymous. A write carried by the cookie must come from our own pages: the browser's
    Origin (or Sec-Fetch-Site) header says so, which a form on another site cannot fake."""
    cookie = request.cookies.get(COOKIE)
    if not cookie:
        return Caller()
    caller = caller_for(store, cookie, write=request.method not in SAFE_METHODS)
    if caller is None:
        return Caller()
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


def get_repo(
    request: Request, store: Annotated[Store, Depends(get_store)], caller: CallerDep
) -> Iterator[Repository]:
    """A repository in one transaction; routes that write call `repo.commit()` before they
    answer, so that a failed commit is the answer and not a log line after it. A request
    that may write (not GET, HEAD or OPTIONS) takes the write lock as it begins."""
    actor = caller.name and f"{caller.name} ({caller.token})"
    with store.repository(actor=actor, write=request.method not in SAFE_METHODS) as repo:
        yield repo


RepoDep = Annotated[Repository, Depends(get_repo)]
WorkspacePath = Annotated[
    str, Path(description="The workspace id, e.g. la-compact.", max_length=100)
]


def _require(caller: Caller, role: Role) -> None:
    if caller.role is None:  # anonymous
        raise HTTPProblem(
            401, "Sign in with a token to do this.", headers={"WWW-Authenticate": "Bearer"}
        )
    if not caller.role.allows(role):
        raise HTTPProblem(
            403, f"This needs a {role.value} token; yours is a {caller.role.value} token."
        )


def readable_workspace(workspace: WorkspacePath, caller: CallerDep, repo: RepoDep) -> str:
    """The workspace, if the caller may read it. Private means invisible: to an anonymous
    caller a private workspace, and to a token scoped elsewhere any other workspace, answers
    exactly as a missing one does (404), so that its existence does not leak."""
    if not caller.can_see(workspace):
        raise NotFound("workspace", workspace)
    ws = repo.get_workspace(workspace, counts=False)  # every request: no counting here
    if caller.anonymous and not ws.public_read:
        raise NotFound("workspace", workspace)
    return workspace


def writable_workspace(
    workspace: Annotated[str, Depends(readable_workspace)], caller: CallerDep
) -> str:
    _require(caller, Role.EDITOR)
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
