"""Partner links: what one organization's people see and may change without an account.

A partner link (a token with the role ``partner``) stands for one organization of one
workspace. It reads what an anonymous visitor reads, and writes through the ordinary
record endpoints only what is that organization's own:

* its organization's node (changed, never archived or deleted);
* its representatives: people whose every `represents` tie goes to it, and new people;
* the ties with the organization at one end: changed (ended on a date, its commitments
  updated), never archived or deleted, never moved to other records (that would join a
  group without asking); a grant (`funds`) only by its funder;
* new `represents` ties to it (a representative added).

Joining a constellation is asked (store.join_requests), not written: the group's convener
or an editor decides. `refusal` says why a write is not the organization's to make.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from constellation.records import EdgeOut, JoinRequestOut, NodeOut
from constellation.store import Repository
from constellation.vocabulary import LIVE_STATUSES

__all__ = [
    "DEFAULT_DAYS",
    "Group",
    "PartnerView",
    "Representative",
    "expiry",
    "link_url",
    "refusal",
    "view",
]

Action = Literal["create", "update", "archive", "restore", "delete"]
DEFAULT_DAYS = 90
"""A link made without an expiry works this many days: one that leaks stops by itself."""


def expiry(last_day: dt.date | None) -> dt.datetime:
    """When a link whose last day is `last_day` (default `DEFAULT_DAYS` from today) stops:
    the midnight, UTC, after it."""
    day = last_day or dt.date.today() + dt.timedelta(days=DEFAULT_DAYS)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)


def link_url(base: str, workspace: str, secret: str) -> str:
    """The partner page's address with the secret in the fragment (never sent to a server,
    kept out of logs and Referer headers)."""
    return f"{base.rstrip('/')}/partner.html?w={workspace}#token={secret}"


def _represents_only(repo: Repository, workspace: str, person: str, organization: str) -> bool:
    ties = repo.query_edges(workspace, kind="represents", source=person, include_archived=True)
    return all(t.target == organization for t in ties)


def refusal(
    repo: Repository,
    workspace: str,
    organization: str,
    entity: Literal["node", "edge"],
    action: Action,
    record_id: str | None,
    body: dict[str, Any],
) -> str | None:
    """None where a partner link for `organization` may make this write; else the reason,
    a sentence for its people."""
    if action in ("archive", "restore", "delete"):
        return (
            f"A partner link does not {action} records; to leave a group or end a tie, "
            "set the day it ended (valid_to)."
        )
    if entity == "node":
        if action == "create":
            if body.get("kind") != "person":
                return "A partner link adds people (its representatives) only."
            return None
        assert record_id is not None
        if record_id == organization:
            return None
        node = repo.get_node(workspace, record_id)
        if node.kind == "person" and _represents_only(repo, workspace, node.id, organization):
            return None
        return "A partner link changes its own organization's record and representatives only."
    if action == "create":
        if body.get("kind") == "represents" and body.get("target") == organization:
            if _represents_only(repo, workspace, str(body.get("source")), organization):
                return None
            return "That person represents another organization too; ask an editor."
        return (
            "A partner link adds representatives only; to join a group, ask to join it "
            "(its convener or an editor decides)."
        )
    assert record_id is not None
    tie = repo.get_edge(workspace, record_id)
    ends = {"source": tie.source, "target": tie.target}
    if organization not in ends.values():
        return "A partner link changes its own organization's ties only."
    if any(end in body and body[end] != was for end, was in ends.items()):
        # moving a participation to another group would join it without asking
        return "A partner link cannot move a tie to another record; end it, or ask to join."
    if tie.kind == "funds" and tie.source != organization:
        return "A grant is its funder's to change; ask the funder or an editor."
    return None


class Group(BaseModel):
    """A constellation the organization takes part in or convenes, with the tie."""

    constellation: NodeOut
    tie: EdgeOut
    role: Literal["convenes", "participates_in"]
    ended: bool = Field(description="The tie has an end date, today or before: it left.")


class Representative(BaseModel):
    person: NodeOut
    tie: EdgeOut


class Choice(BaseModel):
    id: str
    label: str
    status: str | None = None


class PartnerView(BaseModel):
    """The partner page: one organization's record, groups, commitments, representatives,
    its requests to join and the requests waiting for it (for groups it convenes)."""

    workspace: str
    organization: NodeOut
    expires_at: dt.datetime | None
    groups: list[Group]
    signs: list[EdgeOut] = Field(
        description="Its signature(s) of the shared agenda, with the "
        "commitments in their properties."
    )
    representatives: list[Representative]
    requests: list[JoinRequestOut] = Field(description="Its requests to join, newest first.")
    to_decide: list[JoinRequestOut] = Field(
        description="Pending requests to join the groups it convenes."
    )
    open_groups: list[Choice] = Field(
        description="Forming and active constellations it is not in: what it may ask to join."
    )
    goals: list[Choice] = Field(description="The workspace's goals (what commitments serve).")


def view(
    repo: Repository, workspace: str, organization: str, expires_at: dt.datetime | None = None
) -> PartnerView:
    """What the partner page shows its organization, read in one unit of work."""
    today = dt.date.today()
    org = repo.get_node(workspace, organization)
    ties = repo.query_edges(workspace, node=org.id)
    groups, signs, reps = [], [], []
    nodes = {
        n.id: n
        for n in repo.query_nodes(workspace, kind="constellation", limit=100_000)
        + repo.query_nodes(workspace, kind="person", limit=100_000)
    }
    for tie in ties:
        if tie.kind in ("convenes", "participates_in") and tie.source == org.id:
            group = nodes.get(tie.target)
            if group is not None:
                ended = tie.valid_to is not None and tie.valid_to <= today
                role: Literal["convenes", "participates_in"] = (
                    "convenes" if tie.kind == "convenes" else "participates_in"
                )
                groups.append(Group(constellation=group, tie=tie, role=role, ended=ended))
        elif tie.kind == "signs" and tie.source == org.id:
            signs.append(tie)
        elif tie.kind == "represents" and tie.target == org.id and tie.source in nodes:
            if tie.valid_to is None or tie.valid_to >= today:
                reps.append(Representative(person=nodes[tie.source], tie=tie))
    groups.sort(key=lambda g: (g.ended, g.role != "convenes", g.constellation.label.lower()))
    current = {g.constellation.id for g in groups if not g.ended}
    convened = [g.constellation.id for g in groups if g.role == "convenes" and not g.ended]
    requests = repo.join_requests(workspace, organization=org.id, constellations=convened)
    open_groups = [
        Choice(id=n.id, label=n.label, status=n.properties.get("status"))
        for n in sorted(nodes.values(), key=lambda n: n.label.lower())
        if n.kind == "constellation"
        and n.id not in current
        and n.properties.get("status", "active") in {s.value for s in LIVE_STATUSES}
    ]
    goals = [
        Choice(id=n.id, label=n.label)
        for n in sorted(
            repo.query_nodes(workspace, kind="goal", limit=100_000), key=lambda n: n.label.lower()
        )
    ]
    return PartnerView(
        workspace=workspace,
        organization=org,
        expires_at=expires_at,
        groups=groups,
        signs=signs,
        representatives=sorted(reps, key=lambda r: r.person.label.lower()),
        requests=[r for r in requests if r.organization == org.id],
        to_decide=[r for r in requests if r.constellation in convened and r.state == "pending"],
        open_groups=open_groups,
        goals=goals,
    )
