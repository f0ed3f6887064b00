"""Requests to join a constellation: asked by an organization (through its partner link or
an editor), decided by the constellation's convener or an editor. An accepted request
becomes a `participates_in` tie dated from the day it was accepted (or the day given).

The requests are rows of their own, not graph records: a request is not yet a tie, and
the audit must not count it. Each asking and each decision is in the change log too
(entity ``join_request``), under whoever made it.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

from sqlalchemy import select

from constellation.errors import InvalidRecords, NotFound, NotNow, Problem
from constellation.records import JoinRequestOut
from constellation.store.tables import JoinRequest, Node, utcnow

if TYPE_CHECKING:
    from constellation.store.repository import Repository

STATES = ("pending", "accepted", "declined")


def _out(row: JoinRequest, workspace: str, labels: dict[str, str]) -> JoinRequestOut:
    return JoinRequestOut(
        id=row.id,
        workspace=workspace,
        organization=row.organization,
        organization_label=labels.get(row.organization),
        constellation=row.constellation,
        constellation_label=labels.get(row.constellation),
        message=row.message,
        state=row.state,
        asked_by=row.asked_by,
        created_at=row.created_at,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        reason=row.reason,
        edge=row.edge,
    )


def _labels(repo: Repository, ws_pk: int, ids: set[str]) -> dict[str, str]:
    rows = repo.session.execute(
        select(Node.id, Node.label).where(Node.workspace_pk == ws_pk, Node.id.in_(ids))
    )
    return {ident: label for ident, label in rows}


def _member(repo: Repository, workspace: str, organization: str, constellation: str) -> bool:
    """Whether the organization has a tie to the group today (takes part in or convenes it)."""
    for kind in ("participates_in", "convenes"):
        if repo.query_edges(
            workspace, kind=kind, source=organization, target=constellation, as_of=dt.date.today()
        ):
            return True
    return False


def ask(
    repo: Repository,
    workspace: str,
    organization: str,
    constellation: str,
    message: str | None = None,
) -> JoinRequestOut:
    """A new pending request. Refused when either is not of its kind, when the organization
    is a member already, or when it has a request for that group waiting."""
    ws_pk = repo.workspace_stamp(workspace).pk
    org, group = repo.get_node(workspace, organization), repo.get_node(workspace, constellation)
    problems = [
        Problem(f"{node.id!r} is a {node.kind}, not an {kind}", field=field, record=node.id)
        for node, kind, field in (
            (org, "organization", "organization"),
            (group, "constellation", "constellation"),
        )
        if node.kind != kind
    ]
    if problems:
        raise InvalidRecords(problems)
    if _member(repo, workspace, org.id, group.id):
        raise NotNow(f"{org.label} already takes part in {group.label}.")
    waiting = repo.session.scalar(
        select(JoinRequest.id).where(
            JoinRequest.workspace_pk == ws_pk,
            JoinRequest.organization == org.id,
            JoinRequest.constellation == group.id,
            JoinRequest.state == "pending",
        )
    )
    if waiting:
        raise NotNow(
            f"{org.label} already asked to join {group.label} (request {waiting}); "
            "it waits for the group's convener or an editor."
        )
    row = JoinRequest(
        workspace_pk=ws_pk,
        id=f"jr-{secrets.token_hex(5)}",
        organization=org.id,
        constellation=group.id,
        message=message or None,
        state="pending",
        asked_by=repo.actor,
    )
    repo.session.add(row)
    repo.session.flush()
    out = _out(row, workspace, {org.id: org.label, group.id: group.label})
    repo.log_entry(ws_pk, "join_request", row.id, "create", None, out.model_dump(mode="json"))
    return out


def listed(
    repo: Repository,
    workspace: str,
    *,
    state: str | None = None,
    organization: str | None = None,
    constellations: list[str] | None = None,
) -> list[JoinRequestOut]:
    """The workspace's requests, newest first; with `organization` and `constellations`,
    those it asked or those for the groups listed (what a partner link sees)."""
    if state is not None and state not in STATES:
        raise InvalidRecords(
            [Problem(f"state must be one of {', '.join(STATES)}", field="state", record=state)]
        )
    ws_pk = repo.workspace_stamp(workspace).pk
    stmt = select(JoinRequest).where(JoinRequest.workspace_pk == ws_pk)
    if state is not None:
        stmt = stmt.where(JoinRequest.state == state)
    if organization is not None:
        stmt = stmt.where(
            (JoinRequest.organization == organization)
            | JoinRequest.constellation.in_(constellations or [])
        )
    rows = repo.session.scalars(stmt.order_by(JoinRequest.created_at.desc())).all()
    labels = _labels(repo, ws_pk, {r.organization for r in rows} | {r.constellation for r in rows})
    return [_out(r, workspace, labels) for r in rows]


def get(repo: Repository, workspace: str, request_id: str) -> JoinRequestOut:
    ws_pk = repo.workspace_stamp(workspace).pk
    row = _row(repo, ws_pk, workspace, request_id)
    return _out(row, workspace, _labels(repo, ws_pk, {row.organization, row.constellation}))


def _row(repo: Repository, ws_pk: int, workspace: str, request_id: str) -> JoinRequest:
    row = repo.session.scalar(
        select(JoinRequest).where(JoinRequest.workspace_pk == ws_pk, JoinRequest.id == request_id)
    )
    if row is None:
        raise NotFound("request to join", request_id, workspace)
    return row


def decide(
    repo: Repository,
    workspace: str,
    request_id: str,
    *,
    accept: bool,
    valid_from: dt.date | None = None,
    reason: str | None = None,
) -> JoinRequestOut:
    """Accept (the tie is made, dated `valid_from`, default today) or decline a pending
    request; a decided one is refused, saying how it was decided."""
    ws_pk = repo.workspace_stamp(workspace).pk
    row = _row(repo, ws_pk, workspace, request_id)
    if row.state != "pending":
        raise NotNow(
            f"Request {row.id} was already {row.state}"
            + (f" by {row.decided_by}" if row.decided_by else "")
            + (f" on {row.decided_at:%Y-%m-%d}." if row.decided_at else ".")
        )
    before = get(repo, workspace, request_id).model_dump(mode="json")
    if accept:
        if _member(repo, workspace, row.organization, row.constellation):
            raise NotNow(f"{row.organization!r} already takes part in {row.constellation!r}.")
        tie = repo.create_edge(
            workspace,
            {
                "kind": "participates_in",
                "source": row.organization,
                "target": row.constellation,
                "valid_from": valid_from or dt.date.today(),
                "attributes": {"join_request": row.id},
            },
        )
        row.edge = tie.id
    row.state = "accepted" if accept else "declined"
    row.decided_at, row.decided_by, row.reason = utcnow(), repo.actor, reason or None
    repo.session.flush()
    out = get(repo, workspace, request_id)
    repo.log_entry(
        ws_pk, "join_request", row.id, row.state, None, out.model_dump(mode="json"), before
    )
    return out
