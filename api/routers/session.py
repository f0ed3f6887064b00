"""Signing in from the web pages: a token exchanged for an HttpOnly cookie.

The pages (and the map inside them) then send the cookie with every request, so the token
never sits where a script could read it. The cookie is SameSite=Strict: other sites cannot
make a browser send it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Request, Response, status
from pydantic import BaseModel

from api.deps import BAD_TOKEN, COOKIE, CallerDep, caller_for
from api.problems import HTTPProblem
from api.schemas import problems
from constellation.store.tokens import Caller

router = APIRouter(prefix="/api/session", tags=["session"], responses=problems(401, 422))


class SessionOut(BaseModel):
    signed_in: bool
    name: str | None = None
    role: str | None = None
    workspace: str | None = None


def _out(caller: Caller) -> SessionOut:
    return SessionOut(
        signed_in=not caller.anonymous,
        name=caller.name,
        role=caller.role.value if caller.role else None,
        workspace=caller.workspace,
    )


@router.get("", summary="Who the request is signed in as")
def whoami(caller: CallerDep) -> SessionOut:
    return _out(caller)


@router.post("", summary="Sign in with a token: sets an HttpOnly cookie holding it")
def sign_in(
    request: Request,
    response: Response,
    token: Annotated[str, Body(embed=True, min_length=8, max_length=200)],
) -> SessionOut:
    caller = caller_for(request.app.state.store, token.strip())
    if caller is None:
        raise HTTPProblem(401, BAD_TOKEN)
    response.set_cookie(
        COOKIE,
        token.strip(),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return _out(caller)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT, summary="Sign out")
def sign_out() -> Response:
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(COOKIE, path="/")
    return response
