"""Partner links and requests to join: the partner page's view of its organization, the
links editors make and revoke, and requests to join a constellation and their decisions.

What a link may write through the ordinary record routes is decided in
`constellation.services.partner_links`; these routes are the rest of its page.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Path, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from api.deps import (
    PARTNER_ONLY,
    CallerDep,
    PartnerWs,
    ReadWs,
    RepoDep,
    WriteWs,
)
from api.problems import HTTPProblem
from api.schemas import problems
from constellation.records import JoinRequestOut
from constellation.services import partner_links
from constellation.services.partner_links import PartnerView
from constellation.store import Repository
from constellation.store.tokens import Caller, Role, TokenInfo

router = APIRouter(
    prefix="/api/workspaces/{workspace}",
    tags=["partner links"],
    responses=problems(401, 403, 404, 409, 422),
)


@router.get(
    "/partner",
    response_model=PartnerView,
    summary="The partner page's view of its organization (partner link)",
)
def partner_view(workspace: PartnerWs, repo: RepoDep, caller: CallerDep) -> PartnerView:
    assert caller.organization is not None
    return partner_links.view(repo, workspace, caller.organization, caller.expires_at)


class PartnerLink(BaseModel):
    """A partner link as listed: never its secret."""

    prefix: str
    name: str
    organization: str
    organization_label: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    state: Literal["active", "expired", "revoked"]


class PartnerLinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    organization: str = Field(..., min_length=1, max_length=200, description="Its id or label.")
    expires: dt.date | None = Field(
        None,
        description=f"The last day it works; {partner_links.DEFAULT_DAYS} days from today "
        "if left out.",
    )
    name: str | None = Field(None, max_length=200, description="Defaults to the organization.")


class PartnerLinkMade(BaseModel):
    link: PartnerLink
    secret: str = Field(description="Shown once; it is not stored.")
    url: str = Field(description="The partner page, the secret in its fragment.")


def _link(info: TokenInfo, labels: dict[str, str]) -> PartnerLink:
    assert info.organization is not None
    state: Literal["active", "expired", "revoked"] = (
        "revoked" if info.revoked_at else "expired" if info.expired else "active"
    )
    return PartnerLink(
        prefix=info.prefix,
        name=info.name,
        organization=info.organization,
        organization_label=labels.get(info.organization),
        created_at=info.created_at,
        expires_at=info.expires_at,
        last_used_at=info.last_used_at,
        revoked_at=info.revoked_at,
        state=state,
    )


def _labels(repo: Repository, workspace: str, ids: set[str]) -> dict[str, str]:
    return {
        n.id: n.label
        for n in repo.query_nodes(workspace, kind="organization", limit=100_000)
        if n.id in ids
    }


@router.get(
    "/partner-links",
    response_model=list[PartnerLink],
    summary="The workspace's partner links (editor)",
)
def list_links(workspace: WriteWs, repo: RepoDep) -> list[PartnerLink]:
    infos = repo.list_tokens(workspace, Role.PARTNER)
    labels = _labels(repo, workspace, {i.organization for i in infos if i.organization})
    return [_link(i, labels) for i in infos]


@router.post(
    "/partner-links",
    status_code=status.HTTP_201_CREATED,
    response_model=PartnerLinkMade,
    summary="Make a partner link for one organization (editor); its secret is shown once",
)
def create_link(
    workspace: WriteWs, body: PartnerLinkCreate, repo: RepoDep, request: Request
) -> PartnerLinkMade:
    expires = partner_links.expiry(body.expires)
    info, secret = repo.create_partner_link(workspace, body.organization, expires, body.name)
    repo.commit()
    assert info.organization is not None
    labels = _labels(repo, workspace, {info.organization})
    base = str(request.base_url)
    return PartnerLinkMade(
        link=_link(info, labels),
        secret=secret,
        url=partner_links.link_url(base, workspace, secret),
    )


@router.post(
    "/partner-links/{prefix}/revoke",
    response_model=PartnerLink,
    summary="Revoke a partner link (editor): it stops within a second",
)
def revoke_link(
    workspace: WriteWs, prefix: Annotated[str, Path(max_length=16)], repo: RepoDep
) -> PartnerLink:
    mine = {i.prefix for i in repo.list_tokens(workspace, Role.PARTNER)}
    if prefix not in mine:
        raise HTTPProblem(404, f"No partner link {prefix!r} in {workspace!r}.")
    info = repo.revoke_token(prefix)
    repo.commit()
    assert info.organization is not None
    return _link(info, _labels(repo, workspace, {info.organization}))


# ------------------------------------------------------------------ requests to join


class JoinAsk(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    constellation: str = Field(..., min_length=1, max_length=200)
    organization: str | None = Field(
        None, max_length=200, description="Who asks (editors); a partner link asks for its own."
    )
    message: str | None = Field(None, max_length=2000)


class JoinAccept(BaseModel):
    model_config = ConfigDict(extra="forbid")
    valid_from: dt.date | None = Field(None, description="The day it joins; today if left out.")


class JoinDecline(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    reason: str | None = Field(None, max_length=2000)


def asking_workspace(workspace: ReadWs, caller: CallerDep) -> str:
    """Asking to join is for a partner link (its organization) or an editor (any)."""
    if not (caller.partner or caller.may(Role.EDITOR)):
        raise HTTPProblem(
            401 if caller.anonymous else 403,
            "Asking to join is for a partner link (its organization) or an editor.",
        )
    return workspace


def _may_ask(caller: Caller, body: JoinAsk) -> str:
    """The organization that asks: a partner link's own; an editor names it."""
    if caller.partner:
        assert caller.organization is not None
        if body.organization not in (None, caller.organization):
            raise HTTPProblem(401, PARTNER_ONLY, headers={"WWW-Authenticate": "Bearer"})
        return caller.organization
    if body.organization is None:
        raise HTTPProblem(422, "Name the organization that asks to join (organization).")
    return body.organization


def _may_decide(caller: Caller, repo: Repository, workspace: str, request_id: str) -> None:
    """An editor decides any request; a partner link those for the groups it convenes."""
    if caller.may(Role.EDITOR):
        return
    if caller.partner:
        assert caller.organization is not None
        asked = repo.join_request(workspace, request_id)
        convenes = repo.query_edges(
            workspace,
            kind="convenes",
            source=caller.organization,
            target=asked.constellation,
            as_of=dt.date.today(),
        )
        if convenes:
            return
        raise HTTPProblem(
            401,
            "Only the group's convener or an editor decides a request to join it.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    raise HTTPProblem(
        401 if caller.anonymous else 403,
        "Only the group's convener (through its partner link) or an editor decides this.",
    )


@router.post(
    "/join-requests",
    status_code=status.HTTP_201_CREATED,
    response_model=JoinRequestOut,
    summary="Ask to join a constellation (partner link, or an editor for an organization)",
)
def ask_to_join(
    workspace: Annotated[str, Depends(asking_workspace)],
    body: JoinAsk,
    repo: RepoDep,
    caller: CallerDep,
) -> JoinRequestOut:
    organization = _may_ask(caller, body)
    if not caller.partner:
        organization = repo.find_node(workspace, organization).id
    group = repo.find_node(workspace, body.constellation).id
    asked = repo.ask_to_join(workspace, organization, group, body.message)
    repo.commit()
    return asked


@router.get(
    "/join-requests",
    response_model=list[JoinRequestOut],
    summary="Requests to join, newest first (signed in; a partner link sees its own and "
    "those for the groups it convenes)",
)
def list_requests(
    workspace: ReadWs,
    repo: RepoDep,
    caller: CallerDep,
    state: Annotated[str | None, Query(max_length=20)] = None,
) -> list[JoinRequestOut]:
    if caller.partner:
        assert caller.organization is not None
        convened = [
            e.target
            for e in repo.query_edges(
                workspace, kind="convenes", source=caller.organization, as_of=dt.date.today()
            )
        ]
        return repo.join_requests(
            workspace, state=state, organization=caller.organization, constellations=convened
        )
    if caller.anonymous:
        raise HTTPProblem(
            401, "Sign in with a token to do this.", headers={"WWW-Authenticate": "Bearer"}
        )
    return repo.join_requests(workspace, state=state)


@router.post(
    "/join-requests/{request_id}/accept",
    response_model=JoinRequestOut,
    summary="Accept a request to join: the tie is made (its convener or an editor)",
)
def accept(
    workspace: ReadWs,
    request_id: Annotated[str, Path(max_length=40)],
    repo: RepoDep,
    caller: CallerDep,
    body: Annotated[JoinAccept | None, Body()] = None,
) -> JoinRequestOut:
    _may_decide(caller, repo, workspace, request_id)
    decided = repo.decide_join_request(
        workspace, request_id, accept=True, valid_from=body.valid_from if body else None
    )
    repo.commit()
    return decided


@router.post(
    "/join-requests/{request_id}/decline",
    response_model=JoinRequestOut,
    summary="Decline a request to join (its convener or an editor)",
)
def decline(
    workspace: ReadWs,
    request_id: Annotated[str, Path(max_length=40)],
    repo: RepoDep,
    caller: CallerDep,
    body: Annotated[JoinDecline | None, Body()] = None,
) -> JoinRequestOut:
    _may_decide(caller, repo, workspace, request_id)
    decided = repo.decide_join_request(
        workspace, request_id, accept=False, reason=body.reason if body else None
    )
    repo.commit()
    return decided
