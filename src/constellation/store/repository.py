"""The repository: every read and write of workspaces, nodes and edges goes through here.

Writes are checked against the vocabulary first, carry a version that a stale
caller cannot overwrite, bump the workspace's revision and land in the change log.
The bulk upsert validates every row before it writes any, so a file is imported
whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import typing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Literal, NamedTuple, TypeVar, overload

from pydantic import ValidationError
from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Select,
    and_,
    bindparam,
    cast,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from constellation import vocabulary as vocab
from constellation.errors import (
    AlreadyExists,
    DuplicateTie,
    InUse,
    InvalidRecords,
    NotFound,
    Problem,
    StoreUnavailable,
    VersionConflict,
    problems_from_validation,
)
from constellation.records import (
    ChangeOut,
    EdgeIn,
    EdgeOut,
    JoinRequestOut,
    MapView,
    NodeIn,
    NodeOut,
    UpsertReport,
    WorkspaceOut,
)
from constellation.store import join_requests, tokens
from constellation.store.tables import Change, Edge, Node, Workspace, utcnow
from constellation.vocabulary import slugify

__all__ = ["Repository", "GraphRows", "WorkspaceStamp", "slugify"]

_Item = TypeVar("_Item")
_Query = TypeVar("_Query", bound="Select[*tuple[Any, ...]]")  # filters keep a SELECT's type

CHUNK = 5000  # rows per IN (…) list; SQLite allows 32,766 bound parameters
ANALYZE_ROWS = 5000  # PostgreSQL: refresh planner statistics after inserting this many rows
WORKSPACE_ID = re.compile(r"^[a-z0-9][a-z0-9\-_]{0,99}$")
"""What a workspace id may be: lower-case letters, digits, '-' and '_', 100 at most."""


def _a(noun: str) -> str:
    """A noun with its article: 'an organization', 'a goal'."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _chunks(items: Sequence[_Item], size: int = CHUNK) -> Iterable[Sequence[_Item]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


MAP_VIEW_ENTITY = "map_view"
"""The change-log entity a saved map view is kept as (see `Repository.map_views`)."""

MAP_VIEW_NAME = re.compile(r"^[\w][\w .,()'-]{0,79}$")
_MAP_VIEW_FRAGMENT = re.compile(r"^[A-Za-z0-9_.~%!$'()*+,;:@/?=&-]*$")
MAP_VIEW_FRAGMENT_MAX = 4000


def _map_view_input(name: str, fragment: str) -> tuple[str, str]:
    """A view's name and fragment as kept, or `InvalidRecords` saying what is wrong."""
    problems = []
    name = name.strip() if isinstance(name, str) else ""
    if not MAP_VIEW_NAME.match(name):
        problems.append(
            Problem(
                "a view name is 1 to 80 letters, digits, spaces or . , ( ) ' - _, "
                "starting with a letter or digit",
                field="name",
                record=name,
            )
        )
    fragment = fragment.strip().removeprefix("#") if isinstance(fragment, str) else ""
    if len(fragment) > MAP_VIEW_FRAGMENT_MAX or not _MAP_VIEW_FRAGMENT.match(fragment):
        problems.append(
            Problem(
                f"a view is the map's URL fragment (name=value pairs joined by &, "
                f"percent-encoded, at most {MAP_VIEW_FRAGMENT_MAX} characters)",
                field="fragment",
                record=name,
            )
        )
    if problems:
        raise InvalidRecords(problems)
    return name, fragment


class GraphRows(NamedTuple):
    """What a graph of a workspace is built from: plain tuples, fetched set-based.

    `nodes` yields ``(pk, id, kind, label, properties, tags, attributes, valid_from,
    valid_to, updated_at)``; `edges` yields ``(id, kind, source_pk, target_pk, properties,
    valid_from, valid_to)``. Each is read once, nodes first.
    """

    revision: int
    nodes: Iterable[tuple[Any, ...]]
    edges: Iterable[tuple[Any, ...]]


class WorkspaceStamp(NamedTuple):
    """What every request needs of its workspace: its key, whether the public may read it,
    and what a cache of its analysis keys on (creation time and revision)."""

    pk: int
    created_at: dt.datetime
    revision: int
    public_read: bool


_STAMP = select(
    Workspace.pk, Workspace.created_at, Workspace.revision, Workspace.public_read
).where(Workspace.slug == bindparam("slug"))
"""One indexed query on the unique slug, no ORM object: the hot read paths' workspace."""

_N = Node.__table__.c
_NODE_BY_ID = select(
    _N.id,
    _N.kind,
    _N.label,
    _N.properties,
    _N.attributes,
    _N.tags,
    _N.valid_from,
    _N.valid_to,
    _N.archived_at,
    _N.version,
    _N.created_at,
    _N.updated_at,
).where(_N.workspace_pk == bindparam("ws"), _N.id == bindparam("id"))
"""One node by id, as a plain row (no ORM object): the API's most asked read."""


def missing_workspace(session: Session, slug: str) -> NotFound:
    """The error for a workspace that is not there, among every workspace: only for callers
    who may know them all (the CLI, an admin); the service narrows it to what its caller may
    read (`api.deps`)."""
    slugs = list(session.scalars(select(Workspace.slug).order_by(Workspace.slug)))
    return NotFound.among("workspace", slug, slugs)


class Repository:
    """Reads and writes within one SQLAlchemy session, and the unit of work around them.

    `Store.repository()` commits at the end of its block (or rolls back on an error);
    `commit()` makes what is written so far durable before that, and `savepoint()` marks
    writes that can be undone on their own. `actor` names who makes the changes (a token's
    name, a CLI user) for the change log.
    """

    def __init__(self, session: Session, actor: str | None = None):
        self.session = session
        self.actor = actor
        self._dialect = session.get_bind().dialect.name
        self._pks: dict[str, int] = {}  # slug -> key, read once per unit of work

    # ------------------------------------------------------------------ unit of work

    def commit(self) -> None:
        """Make every write so far durable; what follows runs in a new transaction."""
        self.session.commit()

    def rollback(self) -> None:
        """Undo every write since the last commit."""
        self._pks.clear()
        self.session.rollback()

    @contextmanager
    def savepoint(self, *, keep: bool = True) -> Iterator[None]:
        """Writes inside the block that can be undone without the rest of the transaction:
        undone if the block raises, and always undone without `keep` (a dry run)."""
        nested = self.session.begin_nested()
        try:
            yield
        except BaseException:
            self._pks.clear()
            if nested.is_active:
                nested.rollback()
            raise
        if nested.is_active:
            if keep:
                nested.commit()
            else:
                self._pks.clear()
                nested.rollback()

    # ------------------------------------------------------------------ tokens

    def create_token(
        self,
        role: str,
        workspace: str | None = None,
        name: str | None = None,
        *,
        organization: str | None = None,
        expires_at: dt.datetime | None = None,
    ) -> tuple[tokens.TokenInfo, str]:
        """Make an API token; return its description and the secret, which is not kept.
        A partner link is made by `create_partner_link`, which checks its organization."""
        return tokens.create_token(
            self.session, role, workspace, name, organization=organization, expires_at=expires_at
        )

    def create_partner_link(
        self,
        workspace: str,
        organization: str,
        expires_at: dt.datetime | None = None,
        name: str | None = None,
    ) -> tuple[tokens.TokenInfo, str]:
        """A partner link for one organization of the workspace (its id or label), named
        after it so that the change log shows the organization as who made its changes."""
        org = self.find_node(workspace, organization)
        if org.kind != "organization":
            raise InvalidRecords(
                [
                    Problem(
                        f"{org.id!r} is a {org.kind}; a partner link stands for an organization",
                        field="organization",
                        record=org.id,
                    )
                ]
            )
        return tokens.create_token(
            self.session,
            tokens.Role.PARTNER,
            workspace,
            name or org.label,
            organization=org.id,
            expires_at=expires_at,
        )

    def list_tokens(
        self, workspace: str | None = None, role: tokens.Role | None = None
    ) -> list[tokens.TokenInfo]:
        return tokens.list_tokens(self.session, workspace, role)

    def revoke_token(self, prefix: str) -> tokens.TokenInfo:
        return tokens.revoke_token(self.session, prefix)

    def authenticate(self, secret: str) -> tokens.Caller | None:
        """The caller a token stands for, or None if it is unknown, malformed or revoked."""
        return tokens.authenticate(self.session, secret)

    # ------------------------------------------------------------------ requests to join

    def ask_to_join(
        self, workspace: str, organization: str, constellation: str, message: str | None = None
    ) -> JoinRequestOut:
        """An organization's request to join a constellation (store.join_requests)."""
        return join_requests.ask(self, workspace, organization, constellation, message)

    def join_requests(
        self,
        workspace: str,
        *,
        state: str | None = None,
        organization: str | None = None,
        constellations: list[str] | None = None,
    ) -> list[JoinRequestOut]:
        return join_requests.listed(
            self, workspace, state=state, organization=organization, constellations=constellations
        )

    def join_request(self, workspace: str, request_id: str) -> JoinRequestOut:
        return join_requests.get(self, workspace, request_id)

    def decide_join_request(
        self,
        workspace: str,
        request_id: str,
        *,
        accept: bool,
        valid_from: dt.date | None = None,
        reason: str | None = None,
    ) -> JoinRequestOut:
        """Accept (the tie is made) or decline a pending request to join."""
        return join_requests.decide(
            self, workspace, request_id, accept=accept, valid_from=valid_from, reason=reason
        )

    def log_entry(
        self,
        workspace_pk: int,
        entity: str,
        entity_id: str,
        action: str,
        version: int | None,
        after: dict[str, Any] | None,
        before: dict[str, Any] | None = None,
    ) -> None:
        """A change-log row for a record that is not a node or an edge (a request to join)."""
        self._log(workspace_pk, entity, entity_id, action, version, before, after)

    # ------------------------------------------------------------------ graph rows

    def graph_rows(self, workspace: str, valid_on_day: dt.date | None) -> GraphRows:
        """The live (unarchived) nodes and edges of a workspace valid on a day, or on any
        day with None, as plain tuples for `constellation.graph`: no ORM objects."""
        found = self.session.execute(
            select(Workspace.pk, Workspace.revision).where(Workspace.slug == workspace)
        ).one_or_none()
        if found is None:
            raise missing_workspace(self.session, workspace)
        ws_pk, revision = found
        node_valid = true() if valid_on_day is None else valid_on(Node, valid_on_day)
        edge_valid = true() if valid_on_day is None else valid_on(Edge, valid_on_day)
        n, e = Node.__table__.c, Edge.__table__.c  # table columns: a plain Core statement
        node_stmt = select(
            n.pk,
            n.id,
            n.kind,
            n.label,
            n.properties,
            n.tags,
            n.attributes,
            n.valid_from,
            n.valid_to,
            n.updated_at,
        ).where(n.workspace_pk == ws_pk, n.archived_at.is_(None), node_valid)
        # In key order on every engine: the graph's order steers its community detection,
        # so the same rows must give the same audit on SQLite, on PostgreSQL, after a restore.
        node_stmt = node_stmt.order_by(n.pk)
        edge_stmt = select(
            e.id,
            e.kind,
            e.source_pk,
            e.target_pk,
            e.properties,
            e.valid_from,
            e.valid_to,
        ).where(e.workspace_pk == ws_pk, e.archived_at.is_(None), edge_valid)
        edge_stmt = edge_stmt.order_by(e.pk)
        return GraphRows(revision, self._rows(node_stmt), self._rows(edge_stmt))

    def _rows(self, stmt: Select[Any]) -> Iterator[tuple[Any, ...]]:
        """A statement's rows as tuples, run when first read (so one cursor at a time)."""
        yield from self.session.execute(stmt)

    # ------------------------------------------------------------------ workspaces

    def create_workspace(
        self,
        slug: str,
        name: str | None = None,
        description: str | None = None,
        public_read: bool = False,
    ) -> WorkspaceOut:
        if not WORKSPACE_ID.match(slug or ""):
            raise InvalidRecords(
                [
                    Problem(
                        "a workspace id is 1-100 lower-case letters, digits, '-' or '_', "
                        "starting with a letter or digit",
                        field="slug",
                        record=slug,
                    )
                ]
            )
        if self._workspace_row(slug, required=False) is not None:
            raise AlreadyExists("workspace", slug)
        ws = Workspace(
            slug=slug,
            name=name or slug,
            description=description,
            public_read=public_read,
            revision=0,
        )
        self.session.add(ws)
        self.session.flush()
        self._log(ws.pk, "workspace", slug, "create", None, None, self._workspace_dict(ws))
        return self.get_workspace(slug)

    def get_workspace(self, slug: str, counts: bool = True) -> WorkspaceOut:
        """A workspace; without `counts` its node and edge totals are left at 0, which saves
        two counting queries where only its settings matter (an access check)."""
        ws = self._workspace_row(slug)
        return self._workspace_out(ws, self._counts(ws.pk) if counts else (0, 0))

    def ping(self) -> None:
        """Reach the database and its schema, and nothing more: what a health check asks.
        Raises a `StoreError` (`StoreUnavailable` when nothing answers) if it cannot."""
        try:
            self.session.execute(select(Workspace.pk).limit(1))
        except SQLAlchemyError as exc:  # the pool's own errors (a timeout) are no DBAPI error
            raise StoreUnavailable(f"the database is not answering ({exc})") from exc

    def list_workspaces(self) -> list[WorkspaceOut]:
        rows = self.session.scalars(select(Workspace).order_by(Workspace.slug)).all()
        return [self._workspace_out(ws, self._counts(ws.pk)) for ws in rows]

    def update_workspace(
        self,
        slug: str,
        *,
        new_slug: str | None = None,
        name: str | None = None,
        description: str | None = None,
        public_read: bool | None = None,
    ) -> WorkspaceOut:
        ws = self._workspace_row(slug)
        before = self._workspace_dict(ws)
        self._pks.clear()
        if new_slug and new_slug != slug:
            if not WORKSPACE_ID.match(new_slug):
                raise InvalidRecords(
                    [Problem("not a valid workspace id", field="slug", record=new_slug)]
                )
            if self._workspace_row(new_slug, required=False) is not None:
                raise AlreadyExists("workspace", new_slug)
            ws.slug = new_slug
        if name is not None:
            ws.name = name
        if description is not None:
            ws.description = description
        if public_read is not None:
            ws.public_read = public_read
        ws.revision += 1
        self.session.flush()
        self._log(ws.pk, "workspace", ws.slug, "update", None, before, self._workspace_dict(ws))
        return self.get_workspace(ws.slug)

    def delete_workspace(self, slug: str) -> None:
        """Delete a workspace with everything in it (its change log goes too)."""
        ws = self._workspace_row(slug)
        self._pks.clear()
        for table in (Change, Edge, Node):
            self.session.execute(sql_delete(table).where(table.workspace_pk == ws.pk))
        self.session.delete(ws)
        self.session.flush()
        self._log(None, "workspace", slug, "delete", None, self._workspace_dict(ws), None)

    def revision(self, slug: str) -> int:
        return self._workspace_row(slug).revision

    def workspace_stamp(self, slug: str) -> WorkspaceStamp:
        """The workspace's key, public flag, creation time and revision, in one indexed query
        (what each API request checks access with and keys its cached analysis on)."""
        row = self.session.execute(_STAMP, {"slug": slug}).one_or_none()
        if row is None:
            raise missing_workspace(self.session, slug)
        self._pks[slug] = row.pk
        return WorkspaceStamp(*row)

    def _workspace_pk(self, slug: str) -> int:
        """The workspace's key, read once per unit of work (a rename or delete forgets it)."""
        pk = self._pks.get(slug)
        return self.workspace_stamp(slug).pk if pk is None else pk

    def stamp(self, slug: str) -> tuple[int, str, int]:
        """What a cache of this workspace's analysis keys on: its key and creation time (a
        workspace made later under the same id differs in them) and its revision (every
        write bumps it)."""
        ws = self._workspace_row(slug)
        return ws.pk, ws.created_at.isoformat(), ws.revision

    # ------------------------------------------------------------------ nodes

    def create_node(self, workspace: str, node: NodeIn | dict[str, Any]) -> NodeOut:
        report = self._upsert(workspace, [node], [], create_only=True)
        return self.get_node(workspace, (report.nodes_created or report.nodes_unchanged)[0])

    def get_node(self, workspace: str, node_id: str) -> NodeOut:
        row = self.session.execute(
            _NODE_BY_ID, {"ws": self._workspace_pk(workspace), "id": node_id}
        ).one_or_none()
        if row is None:
            raise NotFound("node", node_id, workspace)
        return NodeOut(workspace=workspace, **row._mapping)

    def update_node(
        self,
        workspace: str,
        node_id: str,
        changes: dict[str, Any],
        expected_version: int | None = None,
    ) -> NodeOut:
        """Change a node. `properties` and `attributes` merge (a None value removes a key);
        everything else replaces. Refused if `expected_version` is stale."""
        ws = self._workspace_row(workspace)
        row = self._node_row(ws.pk, node_id)
        self._check_version("node", row, expected_version)
        before = self._node_out(row, ws.slug)
        merged = self._merge(
            before,
            changes,
            allowed={"label", "properties", "attributes", "tags", "valid_from", "valid_to"},
        )
        clean, problems = self._check_node(merged, f"node {node_id!r}")
        if clean is None:
            raise InvalidRecords(problems)
        if self._same(before.model_dump(), clean, ("label",)):
            return before  # nothing to change: no new version, no log entry
        values = self._payload(clean) | {"label": clean.label}
        self._write(Node, "node", row, values, before, ws)
        return self.get_node(workspace, node_id)

    def archive_node(
        self, workspace: str, node_id: str, expected_version: int | None = None
    ) -> NodeOut:
        return self._set_archived(Node, "node", workspace, node_id, expected_version, True)

    def restore_node(
        self, workspace: str, node_id: str, expected_version: int | None = None
    ) -> NodeOut:
        return self._set_archived(Node, "node", workspace, node_id, expected_version, False)

    def delete_node(
        self,
        workspace: str,
        node_id: str,
        expected_version: int | None = None,
        cascade: bool = False,
    ) -> None:
        ws = self._workspace_row(workspace)
        row = self._node_row(ws.pk, node_id)
        self._check_version("node", row, expected_version)
        touching = select(Edge).where(
            Edge.workspace_pk == ws.pk, or_(Edge.source_pk == row.pk, Edge.target_pk == row.pk)
        )
        edges = self.session.scalars(touching).all()
        if edges and not cascade:
            raise InUse(node_id, len(edges))
        for edge in edges:
            self._delete_row("edge", edge, ws)
        self._delete_row("node", row, ws)

    def query_nodes(
        self,
        workspace: str,
        *,
        kind: str | None = None,
        tag: str | None = None,
        text: str | None = None,
        properties: dict[str, Any] | None = None,
        as_of: dt.date | None = None,
        include_archived: bool = False,
        ids: Sequence[str] | None = None,
        after: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[NodeOut]:
        """Nodes matching every filter given, ordered by id (so `after` pages by cursor)."""
        ws_pk = self._workspace_pk(workspace)
        stmt = self._node_filters(
            select(Node), ws_pk, kind, tag, text, properties, as_of, include_archived, ids
        )
        if after is not None:
            stmt = stmt.where(Node.id > after)
        stmt = stmt.order_by(Node.id).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        return [self._node_out(r, workspace) for r in self.session.scalars(stmt)]

    def count_nodes(
        self,
        workspace: str,
        *,
        kind: str | None = None,
        tag: str | None = None,
        text: str | None = None,
        properties: dict[str, Any] | None = None,
        as_of: dt.date | None = None,
        include_archived: bool = False,
    ) -> int:
        stmt = self._node_filters(
            select(func.count(Node.pk)),
            self._workspace_pk(workspace),
            kind,
            tag,
            text,
            properties,
            as_of,
            include_archived,
            None,
        )
        return self.session.execute(stmt).scalar_one()

    def find_node(self, workspace: str, name: str, kind: str | None = None) -> NodeOut:
        """Resolve a name people type: an id (exact, then case aside), else an exact label
        (case aside); several nodes with that label is an error that lists their ids. A name
        that is none of these is refused with the closest labels (of `kind`, when the
        question wants one kind: "no organization …; did you mean …?")."""
        ws = self._workspace_row(workspace)
        row = self.session.scalar(select(Node).where(Node.workspace_pk == ws.pk, Node.id == name))
        wanted = name.strip().lower()
        if row is None:
            row = self.session.scalar(
                select(Node).where(Node.workspace_pk == ws.pk, func.lower(Node.id) == wanted)
            )
        if row is None:
            rows = self.session.scalars(
                select(Node).where(Node.workspace_pk == ws.pk, func.lower(Node.label) == wanted)
            ).all()
            if len(rows) > 1:
                raise InvalidRecords(
                    [
                        Problem(
                            f"{len(rows)} nodes are labelled {name!r}; use one of their ids: "
                            + ", ".join(r.id for r in rows),
                            record=name,
                        )
                    ]
                )
            row = rows[0] if rows else None
        if row is None:
            raise self._no_node(ws, name, kind)
        return self._node_out(row, ws.slug)

    def closest_nodes(
        self, workspace: str, name: str, kind: str | None = None
    ) -> list[dict[str, str]]:
        """The live nodes (of `kind`) whose label or id is nearest `name`, best first, as
        {id, label, kind}: a "did you mean" for a name that matches nothing."""
        from constellation.names import closest

        stmt = select(Node.id, Node.label, Node.kind).where(
            Node.workspace_pk == self._workspace_pk(workspace), Node.archived_at.is_(None)
        )
        if kind is not None:
            stmt = stmt.where(Node.kind == kind)
        rows = {ident: (label, k) for ident, label, k in self.session.execute(stmt)}
        by_label: dict[str, str] = {}
        for ident, (label, _) in rows.items():
            by_label.setdefault(label, ident)
        found: dict[str, dict[str, str]] = {}
        for near in closest(name, [*by_label, *rows]):
            ident = by_label.get(near, near)
            label, k = rows[ident]
            found.setdefault(label, {"id": ident, "label": label, "kind": k})
        return list(found.values())

    def _no_node(self, ws: Workspace, name: str, kind: str | None) -> NotFound:
        shown = [n["label"] for n in self.closest_nodes(ws.slug, name, kind)]
        known = vocab.node_kind(kind) if kind else None
        what = known.title.lower() if known else "node"
        return NotFound(what, name, ws.slug, suggestions=shown)

    def find_node_ids(
        self, workspace: str, names: Iterable[str] | None, kind: str | None = None
    ) -> list[str]:
        """The ids of several names people typed (see `find_node`), in their order."""
        return [self.find_node(workspace, name, kind).id for name in names or ()]

    # ------------------------------------------------------------------ edges

    def create_edge(self, workspace: str, edge: EdgeIn | dict[str, Any]) -> EdgeOut:
        report = self._upsert(workspace, [], [edge], create_only=True)
        return self.get_edge(workspace, (report.edges_created or report.edges_unchanged)[0])

    def get_edge(self, workspace: str, edge_id: str) -> EdgeOut:
        pk = self._workspace_pk(workspace)
        rows = self._edge_rows(self._edge_select(pk).where(Edge.id == edge_id), workspace)
        if not rows:
            raise NotFound("edge", edge_id, workspace)
        return rows[0]

    def update_edge(
        self,
        workspace: str,
        edge_id: str,
        changes: dict[str, Any],
        expected_version: int | None = None,
    ) -> EdgeOut:
        ws = self._workspace_row(workspace)
        row = self._edge_row(ws.pk, edge_id)
        self._check_version("edge", row, expected_version)
        before = self.get_edge(workspace, edge_id)
        merged = self._merge(
            before,
            changes,
            allowed={
                "properties",
                "attributes",
                "tags",
                "valid_from",
                "valid_to",
                "source",
                "target",
            },
        )
        clean, problems = self._check_edge(merged, f"edge {edge_id!r}", ws.pk, {})
        if clean is None:
            raise InvalidRecords(problems)
        if self._same(before.model_dump(), clean, ("source", "target")):
            return before  # nothing to change: no new version, no log entry
        ends = self._node_kinds(ws.pk, [clean.source, clean.target])
        values = self._payload(clean) | {
            "source_pk": ends[clean.source][0],
            "target_pk": ends[clean.target][0],
        }
        self._write(Edge, "edge", row, values, before, ws)
        return self.get_edge(workspace, edge_id)

    def archive_edge(
        self, workspace: str, edge_id: str, expected_version: int | None = None
    ) -> EdgeOut:
        return self._set_archived(Edge, "edge", workspace, edge_id, expected_version, True)

    def restore_edge(
        self, workspace: str, edge_id: str, expected_version: int | None = None
    ) -> EdgeOut:
        return self._set_archived(Edge, "edge", workspace, edge_id, expected_version, False)

    def delete_edge(
        self, workspace: str, edge_id: str, expected_version: int | None = None
    ) -> None:
        ws = self._workspace_row(workspace)
        row = self._edge_row(ws.pk, edge_id)
        self._check_version("edge", row, expected_version)
        self._delete_row("edge", row, ws)

    def query_edges(
        self,
        workspace: str,
        *,
        kind: str | None = None,
        node: str | None = None,
        source: str | None = None,
        target: str | None = None,
        tag: str | None = None,
        properties: dict[str, Any] | None = None,
        as_of: dt.date | None = None,
        include_archived: bool = False,
        after: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[EdgeOut]:
        """Edges matching every filter; `node` matches either end."""
        ws_pk = self._workspace_pk(workspace)
        stmt = self._edge_filters(
            self._edge_select(ws_pk),
            ws_pk,
            kind,
            node,
            source,
            target,
            tag,
            properties,
            as_of,
            include_archived,
        )
        if after is not None:
            stmt = stmt.where(Edge.id > after)
        stmt = stmt.order_by(Edge.id).offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        return self._edge_rows(stmt, workspace)

    def count_edges(
        self,
        workspace: str,
        *,
        kind: str | None = None,
        node: str | None = None,
        source: str | None = None,
        target: str | None = None,
        tag: str | None = None,
        properties: dict[str, Any] | None = None,
        as_of: dt.date | None = None,
        include_archived: bool = False,
    ) -> int:
        stmt = self._edge_filters(
            select(func.count(Edge.pk)),
            self._workspace_pk(workspace),
            kind,
            node,
            source,
            target,
            tag,
            properties,
            as_of,
            include_archived,
        )
        return self.session.execute(stmt).scalar_one()

    def neighbourhood(
        self, workspace: str, node_id: str, hops: int = 1, as_of: dt.date | None = None
    ) -> tuple[list[NodeOut], list[EdgeOut]]:
        """A node with the nodes and edges within `hops` steps of it (either direction)."""
        ws = self._workspace_row(workspace)
        centre = self._node_row(ws.pk, node_id)
        seen, frontier = {centre.pk}, {centre.pk}
        edge_pks: set[int] = set()
        for _ in range(max(1, hops)):
            stmt = select(Edge.pk, Edge.source_pk, Edge.target_pk).where(
                Edge.workspace_pk == ws.pk,
                Edge.archived_at.is_(None),
                or_(Edge.source_pk.in_(frontier), Edge.target_pk.in_(frontier)),
            )
            if as_of is not None:
                stmt = stmt.where(valid_on(Edge, as_of))
            found = self.session.execute(stmt).all()
            ends = {end for _, s, t in found for end in (s, t)} - seen
            live = select(Node.pk).where(Node.pk.in_(ends), Node.archived_at.is_(None))
            if as_of is not None:
                live = live.where(valid_on(Node, as_of))
            frontier = set(self.session.scalars(live)) if ends else set()
            reachable = seen | frontier
            edge_pks.update(pk for pk, s, t in found if s in reachable and t in reachable)
            seen = reachable
        nodes = self.session.scalars(
            select(Node).where(Node.pk.in_(seen), Node.archived_at.is_(None)).order_by(Node.id)
        ).all()
        edges = (
            self._edge_rows(
                self._edge_select(ws.pk).where(Edge.pk.in_(edge_pks)).order_by(Edge.id), ws.slug
            )
            if edge_pks
            else []
        )
        live_ids = {n.id for n in nodes}
        return (
            [self._node_out(n, ws.slug) for n in nodes],
            [e for e in edges if e.source in live_ids and e.target in live_ids],
        )

    # ------------------------------------------------------------------ change log

    def changes(
        self,
        workspace: str,
        *,
        entity: str | None = None,
        entity_id: str | None = None,
        actor: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[ChangeOut]:
        """The change log, newest first. `actor` matches text in who made the change (case
        aside); `since` and `until` are the first and last day (UTC) it was made on."""
        ws = self._workspace_row(workspace)
        stmt = select(Change).where(Change.workspace_pk == ws.pk)
        if entity:
            stmt = stmt.where(Change.entity == entity)
        if entity_id:
            stmt = stmt.where(Change.entity_id == entity_id)
        if actor:
            stmt = stmt.where(func.lower(Change.actor).contains(actor.lower(), autoescape=True))
        if since:
            stmt = stmt.where(Change.at >= dt.datetime.combine(since, dt.time(), dt.UTC))
        if until:
            end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), dt.UTC)
            stmt = stmt.where(Change.at < end)
        stmt = stmt.order_by(Change.pk.desc()).offset(offset).limit(limit)
        rows = list(self.session.scalars(stmt))
        names = self._labels(ws.pk, rows)
        return [
            ChangeOut(
                workspace=ws.slug,
                entity=c.entity,
                entity_id=c.entity_id,
                action=c.action,
                version=c.version,
                actor=c.actor,
                at=c.at,
                before=c.before,
                after=c.after,
                label=_change_label(c, names),
            )
            for c in rows
        ]

    def _labels(self, workspace_pk: int, rows: Sequence[Change]) -> dict[str, str]:
        """The current labels of the nodes the ties in `rows` join (a deleted node keeps the
        label its last logged state had)."""
        ids: set[str] = set()
        for c in rows:
            if c.entity == "edge":
                state = c.after or c.before or {}
                ids |= {i for i in (state.get("source"), state.get("target")) if isinstance(i, str)}
        if not ids:
            return {}
        names = {
            nid: label
            for nid, label in self.session.execute(
                select(Node.id, Node.label).where(
                    Node.workspace_pk == workspace_pk, Node.id.in_(ids)
                )
            )
        }
        for gone in ids - set(names):
            last = self.session.scalar(
                select(Change)
                .where(
                    Change.workspace_pk == workspace_pk,
                    Change.entity == "node",
                    Change.entity_id == gone,
                )
                .order_by(Change.pk.desc())
                .limit(1)
            )
            logged = (last.after or last.before) if last is not None else None
            if logged:
                names[gone] = logged.get("label") or gone
        return names

    def version_of(
        self, workspace: str, entity: Literal["node", "edge"], ident: str, version: int
    ) -> dict[str, Any]:
        """A record as it was at one version: the logged state the change to that version
        left (the newest, should an id have been deleted and made again)."""
        ws = self._workspace_row(workspace)
        found = self.session.scalars(
            select(Change)
            .where(
                Change.workspace_pk == ws.pk,
                Change.entity == entity,
                Change.entity_id == ident,
                Change.version == version,
            )
            .order_by(Change.pk.desc())
        )
        for c in found:
            if c.after is not None:
                return c.after
        raise NotFound(f"version {version} of {entity}", ident, ws.slug)

    def restore_node_version(
        self, workspace: str, node_id: str, version: int, expected_version: int | None = None
    ) -> NodeOut:
        """Give a node back the values it had at `version`: an ordinary edit (a new version,
        logged as an update), never a rewrite of the history."""
        current = self.get_node(workspace, node_id)
        old = self.version_of(workspace, "node", node_id, version)
        changes = _restoring(current.model_dump(mode="json"), old, ("label",))
        return self.update_node(workspace, node_id, changes, expected_version)

    def restore_edge_version(
        self, workspace: str, edge_id: str, version: int, expected_version: int | None = None
    ) -> EdgeOut:
        """Give a tie back the values it had at `version` (its ends too): an ordinary edit."""
        current = self.get_edge(workspace, edge_id)
        old = self.version_of(workspace, "edge", edge_id, version)
        changes = _restoring(current.model_dump(mode="json"), old, ("source", "target"))
        return self.update_edge(workspace, edge_id, changes, expected_version)

    # ------------------------------------------------------------------ map views

    def map_views(self, workspace: str) -> list[MapView]:
        """The workspace's saved map views, by name: the latest change-log entry of each
        name that was not a delete."""
        ws = self._workspace_row(workspace)
        latest: dict[str, Change] = {}
        stmt = (
            select(Change)
            .where(Change.workspace_pk == ws.pk, Change.entity == MAP_VIEW_ENTITY)
            .order_by(Change.pk)
        )
        for change in self.session.scalars(stmt):
            latest[change.entity_id] = change
        return [
            self._map_view(ws.slug, c)
            for name, c in sorted(latest.items())
            if c.action != "delete" and c.after is not None
        ]

    def map_view(self, workspace: str, name: str) -> MapView:
        ws = self._workspace_row(workspace)
        change = self._map_view_change(ws.pk, name)
        if change is None or change.action == "delete" or change.after is None:
            raise NotFound("map view", name, workspace)
        return self._map_view(ws.slug, change)

    def save_map_view(
        self, workspace: str, name: str, fragment: str, expected: int | None = None
    ) -> MapView:
        """Create the view `name` or change its fragment; `expected` (the version read)
        refuses with `VersionConflict` if someone saved it since. Saving the fragment it
        already has changes nothing."""
        ws = self._workspace_row(workspace)
        name, fragment = _map_view_input(name, fragment)
        change = self._map_view_change(ws.pk, name)
        live = change is not None and change.action != "delete" and change.after is not None
        version = (change.version or 0) if change is not None else 0
        if expected is not None and (not live or version != expected):
            if not live:
                raise NotFound("map view", name, workspace)
            raise VersionConflict("map view", name, expected, version)
        before = change.after if live and change is not None else None
        if live and change is not None and before == {"fragment": fragment}:
            return self._map_view(ws.slug, change)
        self._log(
            ws.pk,
            MAP_VIEW_ENTITY,
            name,
            "update" if live else "create",
            version + 1,
            before,
            {"fragment": fragment},
        )
        self.session.flush()
        return self.map_view(workspace, name)

    def delete_map_view(self, workspace: str, name: str, expected: int | None = None) -> None:
        ws = self._workspace_row(workspace)
        view = self.map_view(workspace, name)
        if expected is not None and view.version != expected:
            raise VersionConflict("map view", name, expected, view.version)
        self._log(
            ws.pk,
            MAP_VIEW_ENTITY,
            name,
            "delete",
            view.version + 1,
            {"fragment": view.fragment},
            None,
        )
        self.session.flush()

    def _map_view_change(self, workspace_pk: int, name: str) -> Change | None:
        stmt = (
            select(Change)
            .where(
                Change.workspace_pk == workspace_pk,
                Change.entity == MAP_VIEW_ENTITY,
                Change.entity_id == name,
            )
            .order_by(Change.pk.desc())
            .limit(1)
        )
        return self.session.scalars(stmt).first()

    @staticmethod
    def _map_view(workspace: str, change: Change) -> MapView:
        return MapView(
            workspace=workspace,
            name=change.entity_id,
            fragment=str((change.after or {}).get("fragment", "")),
            version=change.version or 1,
            updated_by=change.actor,
            updated_at=change.at,
        )

    # ------------------------------------------------------------------ bulk

    def log_event(
        self,
        workspace: str,
        entity: str,
        entity_id: str,
        action: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """A change-log entry for what a job did across records (a merge), besides the
        entries of the records it changed."""
        ws = self._workspace_row(workspace)
        self._log(ws.pk, entity, entity_id, action, None, before, after)

    def bulk_upsert(
        self,
        workspace: str,
        nodes: Sequence[NodeIn | dict[str, Any]] = (),
        edges: Sequence[EdgeIn | dict[str, Any]] = (),
        *,
        dry_run: bool = False,
        positions: tuple[Sequence[str], Sequence[str]] | None = None,
    ) -> UpsertReport:
        """Create or update many nodes and edges at once, matched by id.

        Every row is checked before any is written; if one is wrong, `InvalidRecords`
        lists every problem (with its position: `nodes[3]`, or what `positions` names,
        such as a file's row) and nothing is written. Rows equal to what is stored are
        left alone, so loading the same data twice changes nothing.
        """
        return self._upsert(
            workspace, list(nodes), list(edges), dry_run=dry_run, positions=positions
        )

    def restore_state(
        self,
        workspace: str,
        nodes: dict[str, dict[str, Any]] | None = None,
        edges: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        """Give records the version, archive time and timestamps a backup says they had.

        For restoring a workspace from a native export: `nodes` and `edges` map ids of
        records this transaction has just created to ``{"version", "archived_at",
        "created_at", "updated_at"}`` (ISO texts or values; missing keys are left alone).
        The change log keeps the creation entries as they are.
        """
        ws = self._workspace_row(workspace)
        keys = ("version", "archived_at", "created_at", "updated_at")
        for table, states in ((Node, nodes or {}), (Edge, edges or {})):
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for ident, state in states.items():
                values = {k: _when(k, state[k]) for k in keys if k in state}
                if values:
                    groups.setdefault(tuple(sorted(values)), []).append(
                        {"_id": ident} | {f"_{k}": v for k, v in values.items()}
                    )
            for names, rows in groups.items():
                stmt = (
                    update(table.__table__)
                    .where(
                        table.__table__.c.workspace_pk == ws.pk,
                        table.__table__.c.id == bindparam("_id"),
                    )
                    .values({k: bindparam(f"_{k}") for k in names})
                )
                for chunk in _chunks(rows):
                    self.session.execute(stmt, list(chunk))

    # ------------------------------------------------------------------ internals

    def _upsert(
        self,
        workspace: str,
        nodes: list[NodeIn | dict[str, Any]],
        edges: list[EdgeIn | dict[str, Any]],
        *,
        dry_run: bool = False,
        create_only: bool = False,
        positions: tuple[Sequence[str], Sequence[str]] | None = None,
    ) -> UpsertReport:
        ws = self._workspace_row(workspace)
        node_pos = positions[0] if positions else [f"nodes[{i}]" for i in range(len(nodes))]
        edge_pos = positions[1] if positions else [f"edges[{i}]" for i in range(len(edges))]
        problems: list[Problem] = []
        seen_at: dict[str, str] = {}
        report = UpsertReport(workspace=ws.slug, dry_run=dry_run)

        # 1. every node row on its own
        clean_nodes: list[NodeIn] = []
        for i, raw in enumerate(nodes):
            clean, found = self._check_node(raw, node_pos[i])
            problems += found
            if clean is not None:
                clean_nodes.append(clean)
                first = seen_at.setdefault(clean.id, node_pos[i]) if clean.id else None
                if first is not None and first != node_pos[i]:
                    problems.append(
                        Problem(
                            f"id {clean.id!r} is used twice in this batch (also at {first})",
                            field="id",
                            record=clean.id,
                            position=node_pos[i],
                        )
                    )
        existing_nodes = self._existing(Node, ws.pk, [n.id for n in clean_nodes if n.id])
        if create_only and existing_nodes:
            raise AlreadyExists("node", next(iter(existing_nodes)), ws.slug)
        taken = set(existing_nodes) | set(seen_at)
        named_nodes: list[tuple[str, NodeIn]] = []  # each node with its id, given or made
        for n in clean_nodes:
            if n.id is None:
                n.id = self._fresh_id(ws.pk, slugify(n.label), taken)
                taken.add(n.id)
            named_nodes.append((n.id, n))

        # 2. every edge row, its endpoints looked up in the batch and the store
        batch_kinds = {nid: n.kind for nid, n in named_nodes}
        clean_edges: list[tuple[int, EdgeIn]] = []
        for i, raw_edge in enumerate(edges):
            try:  # a copy of the caller's own EdgeIn, or one made here: _check_edge may change it
                parsed = (
                    raw_edge.model_copy()
                    if isinstance(raw_edge, EdgeIn)
                    else EdgeIn.model_validate(raw_edge)
                )
            except ValidationError as exc:
                problems += problems_from_validation(
                    exc, position=edge_pos[i], record=_rid(raw_edge)
                )
                continue
            clean_edges.append((i, parsed))
        wanted = {e.source for _, e in clean_edges} | {e.target for _, e in clean_edges}
        stored_kinds = {
            k: v[1]
            for k, v in self._node_kinds(ws.pk, [x for x in wanted if x not in batch_kinds]).items()
        }
        known = stored_kinds | batch_kinds
        final_edges: list[tuple[str, EdgeIn]] = []  # each edge with its id, given or made
        seen_edges: dict[str, str] = {}
        for i, parsed in clean_edges:
            edge, found = self._check_edge(parsed, edge_pos[i], ws.pk, known, copy=False)
            problems += found
            if edge is None:
                continue
            if edge.id is None:  # a readable id that a second import finds again
                base = edge.id = f"{edge.source}--{edge.kind}--{edge.target}"
                suffix = 2
                while edge.id in seen_edges or (
                    create_only and self._existing(Edge, ws.pk, [edge.id])
                ):
                    edge.id = f"{base}-{suffix}"
                    suffix += 1
            elif edge.id in seen_edges:
                problems.append(
                    Problem(
                        f"id {edge.id!r} is used twice in this batch (also at "
                        f"{seen_edges[edge.id]})",
                        field="id",
                        record=edge.id,
                        position=edge_pos[i],
                    )
                )
            seen_edges.setdefault(edge.id, edge_pos[i])
            final_edges.append((edge.id, edge))
        existing_edges = self._existing(Edge, ws.pk, [eid for eid, _ in final_edges])
        if create_only and existing_edges:
            raise AlreadyExists("edge", next(iter(existing_edges)), ws.slug)
        if not problems:
            twins = self._twin_ties(ws.pk, [e for _, e in final_edges])
            if create_only and twins:
                made = next(e for _, e in final_edges if e.id in twins[0])
                other = next(i for i in twins[0] if i != made.id)
                raise DuplicateTie(made.kind, made.source, made.target, other, ws.slug)
            report.possible_duplicates = twins

        if problems:
            raise InvalidRecords(problems)

        # 3. sort into created, updated, unchanged
        new_nodes, changed_nodes = [], []
        for nid, n in named_nodes:
            old = existing_nodes.get(nid)
            if old is None:
                new_nodes.append(n)
                report.nodes_created.append(nid)
            elif self._same(old, n, ("kind", "label")):
                report.nodes_unchanged.append(nid)
            else:
                if old["kind"] != n.kind:
                    problems.append(
                        Problem(
                            f"node {nid!r} is a {old['kind']}; its kind cannot change to {n.kind}",
                            field="kind",
                            record=nid,
                        )
                    )
                changed_nodes.append((old, n))
                report.nodes_updated.append(nid)
        new_edges, changed_edges = [], []
        for eid, e in final_edges:
            old = existing_edges.get(eid)
            if old is None:
                new_edges.append(e)
                report.edges_created.append(eid)
            elif self._same(old, e, ("kind", "source", "target")):
                report.edges_unchanged.append(eid)
            else:
                if old["kind"] != e.kind:
                    problems.append(
                        Problem(
                            f"edge {eid!r} is a {old['kind']}; its kind cannot change to {e.kind}",
                            field="kind",
                            record=eid,
                        )
                    )
                changed_edges.append((old, e))
                report.edges_updated.append(eid)
        if problems:
            raise InvalidRecords(problems)
        if dry_run or not (new_nodes or changed_nodes or new_edges or changed_edges):
            return report

        # 4. write
        now = utcnow()
        log: list[dict[str, Any]] = []
        id_to_pk = {k: v["pk"] for k, v in existing_nodes.items()}
        for node_chunk in _chunks(new_nodes):
            rows = [
                self._payload(n)
                | {
                    "workspace_pk": ws.pk,
                    "id": n.id,
                    "kind": n.kind,
                    "label": n.label,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in node_chunk
            ]
            result = self.session.execute(
                insert(Node.__table__).returning(
                    Node.__table__.c.pk, Node.__table__.c.id, sort_by_parameter_order=True
                ),
                rows,
            )
            for pk, nid in result:
                id_to_pk[nid] = pk
            log += [
                self._log_row(
                    ws.pk, "node", r["id"], "create", 1, None, self._out_dict(r, ws.slug, now)
                )
                for r in rows
            ]
        for old, n in changed_nodes:
            values = self._payload(n) | {"label": n.label}
            self._versioned_update(Node, "node", old, values, now)
            log.append(
                self._log_row(
                    ws.pk,
                    "node",
                    old["id"],
                    "update",
                    old["version"] + 1,
                    self._out_dict(old, ws.slug),
                    self._out_dict(old | values, ws.slug, now, version=old["version"] + 1),
                )
            )
        missing = [x for x in wanted if x not in id_to_pk]
        id_to_pk |= {k: v[0] for k, v in self._node_kinds(ws.pk, missing).items()}
        for edge_chunk in _chunks(new_edges):
            rows = [
                self._payload(e)
                | {
                    "workspace_pk": ws.pk,
                    "id": e.id,
                    "kind": e.kind,
                    "source_pk": id_to_pk[e.source],
                    "target_pk": id_to_pk[e.target],
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for e in edge_chunk
            ]
            self.session.execute(insert(Edge.__table__), rows)
            log += [
                self._log_row(
                    ws.pk,
                    "edge",
                    r["id"],
                    "create",
                    1,
                    None,
                    self._out_dict(r | {"source": e.source, "target": e.target}, ws.slug, now),
                )
                for e, r in zip(edge_chunk, rows, strict=True)
            ]
        for old, e in changed_edges:
            values = self._payload(e) | {
                "source_pk": id_to_pk[e.source],
                "target_pk": id_to_pk[e.target],
            }
            self._versioned_update(Edge, "edge", old, values, now)
            log.append(
                self._log_row(
                    ws.pk,
                    "edge",
                    old["id"],
                    "update",
                    old["version"] + 1,
                    self._out_dict(old, ws.slug),
                    self._out_dict(
                        old | values | {"source": e.source, "target": e.target},
                        ws.slug,
                        now,
                        version=old["version"] + 1,
                    ),
                )
            )
        for log_chunk in _chunks(log):
            self.session.execute(insert(Change.__table__), list(log_chunk))
        if self._dialect == "postgresql" and len(new_nodes) + len(new_edges) >= ANALYZE_ROWS:
            # fresh statistics, or the next lookups plan as if the tables were empty
            for table in (Node, Edge):
                self.session.execute(text(f"ANALYZE {table.__tablename__}"))
        self._bump(ws)
        return report

    def _check_node(self, raw: Any, position: str | None) -> tuple[NodeIn | None, list[Problem]]:
        try:
            node = raw.model_copy() if isinstance(raw, NodeIn) else NodeIn.model_validate(raw)
        except ValidationError as exc:
            return None, problems_from_validation(exc, position=position, record=_rid(raw))
        spec = vocab.node_kind(node.kind)
        if spec is None:
            return None, [
                Problem(
                    f"unknown node kind {node.kind!r}; the kinds are: "
                    + ", ".join(vocab.NODE_KINDS),
                    field="kind",
                    record=node.id or node.label,
                    position=position,
                )
            ]
        node.kind = spec.name
        try:
            node.properties = vocab.validate_properties(spec.name, node.properties)
        except vocab.PropertyError as exc:
            return None, [
                Problem(m, field=f"properties.{f}", record=node.id or node.label, position=position)
                for f, m in exc.errors
            ]
        return node, []

    def _check_edge(
        self,
        raw: Any,
        position: str | None,
        workspace_pk: int,
        known: dict[str, str],
        *,
        copy: bool = True,
    ) -> tuple[EdgeIn | None, list[Problem]]:
        """`raw` checked (an EdgeIn is copied first, unless `copy` is False: the bulk path
        hands over EdgeIns that are its own)."""
        try:
            if isinstance(raw, EdgeIn):
                edge = raw.model_copy() if copy else raw
            else:
                edge = EdgeIn.model_validate(raw)
        except ValidationError as exc:
            return None, problems_from_validation(exc, position=position, record=_rid(raw))
        record = edge.id or f"{edge.source} -> {edge.target}"
        spec = vocab.edge_kind(edge.kind)
        if spec is None:
            return None, [
                Problem(
                    f"unknown edge kind {edge.kind!r}; the kinds are: "
                    + ", ".join(vocab.EDGE_KINDS),
                    field="kind",
                    record=record,
                    position=position,
                )
            ]
        edge.kind = spec.name
        problems = []
        try:
            edge.properties = vocab.validate_properties(spec.name, edge.properties)
        except vocab.PropertyError as exc:
            problems += [
                Problem(m, field=f"properties.{f}", record=record, position=position)
                for f, m in exc.errors
            ]
        missing = [x for x in (edge.source, edge.target) if x not in known]
        if missing:
            known |= {k: v[1] for k, v in self._node_kinds(workspace_pk, missing).items()}
        for end in ("source", "target"):
            ident = getattr(edge, end)
            if ident not in known:
                problems.append(
                    Problem(
                        f"no node {ident!r} in this workspace",
                        field=end,
                        record=record,
                        position=position,
                    )
                )
        if not problems:
            why = vocab.endpoint_error(spec.name, known[edge.source], known[edge.target])
            if why:
                problems.append(Problem(why, field="kind", record=record, position=position))
        if not problems:
            problems += [
                Problem(message, field=field, record=record, position=position)
                for field, message in self._check_references(
                    spec, edge.properties, workspace_pk, known
                )
            ]
        return (None if problems else edge), problems

    def _check_references(
        self,
        spec: vocab.EdgeKind | vocab.NodeKind,
        properties: dict[str, Any],
        workspace_pk: int,
        known: dict[str, str],
    ) -> list[tuple[str, str]]:
        """The node ids a record's properties name (a commitment's goal) must be nodes of the
        workspace of the kinds they may be: in this batch (`known`) or stored."""
        refs = spec.properties.references(properties)
        if not refs:
            return []
        missing = [r.node for r in refs if r.node not in known]
        if missing:
            known |= {k: v[1] for k, v in self._node_kinds(workspace_pk, missing).items()}
        problems = []
        for ref in refs:
            found = known.get(ref.node)
            if found in ref.kinds:
                continue
            wanted = " or ".join(ref.kinds)
            what = (
                f"no node {ref.node!r} in this workspace"
                if found is None
                else (f"{ref.node!r} is {_a(found)}, not {_a(wanted)}")
            )
            choices = self._ids_of_kinds(workspace_pk, ref.kinds, known)
            hint = (
                f"; name the id of one of the workspace's {wanted}s: " + ", ".join(choices)
                if choices
                else f"; the workspace has no {wanted} yet: create it first, or leave this out"
            )
            problems.append((f"properties.{ref.field}", what + hint))
        return problems

    def _ids_of_kinds(
        self, workspace_pk: int, kinds: tuple[str, ...], known: dict[str, str], most: int = 10
    ) -> list[str]:
        """Ids of nodes of these kinds, stored or in the batch, for an error's hint."""
        stmt = (
            select(Node.id)
            .where(Node.workspace_pk == workspace_pk, Node.kind.in_(kinds))
            .order_by(Node.id)
            .limit(most)
        )
        ids = set(self.session.scalars(stmt)) | {n for n, k in known.items() if k in kinds}
        return sorted(ids)[:most]

    def _merge(
        self, before: NodeOut | EdgeOut, changes: dict[str, Any], allowed: set[str]
    ) -> dict[str, Any]:
        unknown = sorted(set(changes) - allowed - {"id", "kind", "version"})
        if unknown:
            raise InvalidRecords(
                [
                    Problem(f"{f!r} cannot be changed here", field=f, record=before.id)
                    for f in unknown
                ]
            )
        for fixed in ("id", "kind"):
            if fixed in changes and changes[fixed] != getattr(before, fixed):
                raise InvalidRecords(
                    [
                        Problem(
                            f"the {fixed} of a record cannot change; create a new one instead",
                            field=fixed,
                            record=before.id,
                        )
                    ]
                )
        merged = before.model_dump(
            include={
                "id",
                "kind",
                "label",
                "source",
                "target",
                "properties",
                "attributes",
                "tags",
                "valid_from",
                "valid_to",
            }
        )
        for key, value in changes.items():
            if key in ("properties", "attributes") and isinstance(value, dict):
                merged[key] = {k: v for k, v in (merged[key] | value).items() if v is not None}
            elif key in allowed:
                merged[key] = value
        return merged

    def _payload(self, record: NodeIn | EdgeIn) -> dict[str, Any]:
        return {
            "properties": record.properties,
            "attributes": record.attributes,
            "tags": record.tags,
            "valid_from": record.valid_from,
            "valid_to": record.valid_to,
        }

    @staticmethod
    def _same(old: dict[str, Any], new: NodeIn | EdgeIn, keys: tuple[str, ...]) -> bool:
        return all(
            old[k] == getattr(new, k)
            for k in keys + ("properties", "attributes", "tags", "valid_from", "valid_to")
        )

    def _existing(
        self, table: type[Node] | type[Edge], workspace_pk: int, ids: list[str]
    ) -> dict[str, dict[str, Any]]:
        """Stored rows for these ids, as plain dicts (set-based, chunked)."""
        found: dict[str, dict[str, Any]] = {}
        if not ids:
            return found
        for chunk in _chunks(sorted(set(ids))):
            if table is Node:
                nodes = Node.__table__
                stmt = select(*nodes.c).where(
                    nodes.c.workspace_pk == workspace_pk, nodes.c.id.in_(chunk)
                )
                for r in self.session.execute(stmt).mappings():
                    found[r["id"]] = dict(r)
            else:
                edges = Edge.__table__
                src, tgt = Node.__table__.alias("src"), Node.__table__.alias("tgt")
                stmt = (
                    select(*edges.c, src.c.id.label("source"), tgt.c.id.label("target"))
                    .join(src, edges.c.source_pk == src.c.pk)
                    .join(tgt, edges.c.target_pk == tgt.c.pk)
                    .where(edges.c.workspace_pk == workspace_pk, edges.c.id.in_(chunk))
                )
                for r in self.session.execute(stmt).mappings():
                    found[r["id"]] = dict(r)
        return found

    def _twin_ties(self, workspace_pk: int, edges: list[EdgeIn]) -> list[list[str]]:
        """Groups of ties (ids, sorted) that say one thing twice: the same kind between the
        same two nodes at overlapping dates, each group holding at least one of `edges`
        (stored ties with their ids count as these). Kinds that repeat are never grouped."""
        batch = [e for e in edges if not vocab.EDGE_KINDS[e.kind].repeats]
        if not batch:
            return []
        src, tgt = aliased(Node), aliased(Node)
        periods: dict[tuple[str, str, str], dict[str, tuple[Any, Any]]] = {}
        for chunk in _chunks(sorted({e.source for e in batch})):
            stmt = (
                select(Edge.id, Edge.kind, src.id, tgt.id, Edge.valid_from, Edge.valid_to)
                .join(src, Edge.source_pk == src.pk)
                .join(tgt, Edge.target_pk == tgt.pk)
                .where(
                    Edge.workspace_pk == workspace_pk,
                    Edge.archived_at.is_(None),
                    Edge.kind.in_({e.kind for e in batch}),
                    src.id.in_(chunk),
                )
            )
            for eid, kind, source, target, start, end in self.session.execute(stmt):
                periods.setdefault((kind, source, target), {})[eid] = (start, end)
        mine: set[str] = set()
        for e in batch:
            assert e.id is not None
            periods.setdefault((e.kind, e.source, e.target), {})[e.id] = (
                e.valid_from,
                e.valid_to,
            )
            mine.add(e.id)
        groups = []
        for ties in periods.values():
            twins = sorted(
                a
                for a, (a_from, a_to) in ties.items()
                for b, (b_from, b_to) in ties.items()
                if a != b
                and (a_from is None or b_to is None or a_from <= b_to)
                and (b_from is None or a_to is None or b_from <= a_to)
            )
            found = sorted(set(twins))
            if found and mine & set(found):
                groups.append(found)
        return sorted(groups)

    def _node_kinds(self, workspace_pk: int, ids: Iterable[str]) -> dict[str, tuple[int, str]]:
        out: dict[str, tuple[int, str]] = {}
        for chunk in _chunks(sorted(set(ids))):
            stmt = select(Node.id, Node.pk, Node.kind).where(
                Node.workspace_pk == workspace_pk, Node.id.in_(chunk)
            )
            out |= {nid: (pk, kind) for nid, pk, kind in self.session.execute(stmt)}
        return out

    def _fresh_id(self, workspace_pk: int, base: str, taken: set[str]) -> str:
        candidates = [base] + [f"{base}-{n}" for n in range(2, 50)]
        stored = set(self._node_kinds(workspace_pk, candidates)) | taken
        for c in candidates:
            if c not in stored:
                return c
        return f"{base}-{len(taken) + 1}"

    def _versioned_update(
        self,
        table: type[Node] | type[Edge],
        what: str,
        old: dict[str, Any],
        values: dict[str, Any],
        now: dt.datetime,
    ) -> None:
        """UPDATE … WHERE version = old: a concurrent writer makes this match nothing."""
        result = self.session.execute(
            update(table.__table__)
            .where(table.pk == old["pk"], table.version == old["version"])
            .values(**values, version=old["version"] + 1, updated_at=now)
        )
        # An UPDATE answers with a CursorResult, which has the rowcount; Session.execute() is
        # typed for any statement.
        result = typing.cast(CursorResult[Any], result)
        if result.rowcount != 1:
            slug = self._slug(old["workspace_pk"])
            self._refuse_stale(table, what, old["pk"], old["id"], old["version"], slug)

    def _write(
        self,
        table: type[Node] | type[Edge],
        what: str,
        row: Node | Edge,
        values: dict[str, Any],
        before: NodeOut | EdgeOut,
        ws: Workspace,
    ) -> None:
        now = utcnow()
        old = {c.key: getattr(row, c.key) for c in table.__table__.c}
        self._versioned_update(table, what, old, values, now)
        self.session.expire(row)
        after = self.get_node(ws.slug, row.id) if table is Node else self.get_edge(ws.slug, row.id)
        self._log(ws.pk, what, row.id, "update", after.version, before, after)
        self._bump(ws)

    @overload
    def _set_archived(
        self,
        table: type[Node],
        what: str,
        workspace: str,
        ident: str,
        expected_version: int | None,
        archived: bool,
    ) -> NodeOut: ...
    @overload
    def _set_archived(
        self,
        table: type[Edge],
        what: str,
        workspace: str,
        ident: str,
        expected_version: int | None,
        archived: bool,
    ) -> EdgeOut: ...
    def _set_archived(
        self,
        table: type[Node] | type[Edge],
        what: str,
        workspace: str,
        ident: str,
        expected_version: int | None,
        archived: bool,
    ) -> NodeOut | EdgeOut:
        ws = self._workspace_row(workspace)
        row: Node | Edge = (
            self._node_row(ws.pk, ident) if table is Node else self._edge_row(ws.pk, ident)
        )
        self._check_version(what, row, expected_version)
        get: Callable[[str, str], NodeOut | EdgeOut] = (
            self.get_node if table is Node else self.get_edge
        )
        before = get(workspace, ident)
        if (before.archived_at is not None) == archived:
            return before
        now = utcnow()
        old = {c.key: getattr(row, c.key) for c in table.__table__.c}
        self._versioned_update(table, what, old, {"archived_at": now if archived else None}, now)
        self.session.expire(row)
        after = get(workspace, ident)
        self._log(
            ws.pk, what, ident, "archive" if archived else "restore", after.version, before, after
        )
        self._bump(ws)
        return after

    def _delete_row(self, what: str, row: Node | Edge, ws: Workspace) -> None:
        """DELETE … WHERE version = the one checked: a writer that committed since the check
        makes this match nothing, and the delete is refused instead of destroying its edit."""
        before = (
            self._node_out(row, ws.slug)
            if isinstance(row, Node)
            else self.get_edge(ws.slug, row.id)
        )
        table = Node if isinstance(row, Node) else Edge
        result = self.session.execute(
            sql_delete(table.__table__).where(table.pk == row.pk, table.version == row.version)
        )
        if typing.cast(CursorResult[Any], result).rowcount != 1:
            self._refuse_stale(table, what, row.pk, row.id, row.version, ws.slug)
        self.session.expunge(row)
        self._log(ws.pk, what, row.id, "delete", before.version, before, None)
        self._bump(ws)

    def _refuse_stale(
        self,
        table: type[Node] | type[Edge],
        what: str,
        pk: int,
        ident: str,
        expected: int,
        workspace: str,
    ) -> typing.NoReturn:
        """A conditional write matched nothing: someone changed the record (412) or deleted
        it (404) since it was read."""
        current = self.session.scalar(select(table.version).where(table.pk == pk))
        if current is None:
            raise NotFound(what, ident, workspace)
        raise VersionConflict(what, ident, expected, current)

    def _check_version(self, what: str, row: Node | Edge, expected: int | None) -> None:
        if expected is not None and row.version != expected:
            raise VersionConflict(what, row.id, expected, row.version)

    def _bump(self, ws: Workspace) -> None:
        self.session.execute(
            update(Workspace)
            .where(Workspace.pk == ws.pk)
            .values(revision=Workspace.revision + 1, updated_at=utcnow())
        )
        self.session.expire(ws, ["revision"])

    def _log(
        self,
        workspace_pk: int | None,
        entity: str,
        entity_id: str,
        action: str,
        version: int | None,
        before: NodeOut | EdgeOut | dict[str, Any] | None,
        after: NodeOut | EdgeOut | dict[str, Any] | None,
    ) -> None:
        self.session.execute(
            insert(Change),
            [
                self._log_row(
                    workspace_pk,
                    entity,
                    entity_id,
                    action,
                    version,
                    _logged(before),
                    _logged(after),
                )
            ],
        )

    def _log_row(
        self,
        workspace_pk: int | None,
        entity: str,
        entity_id: str,
        action: str,
        version: int | None,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> dict[str, Any]:
        return {
            "workspace_pk": workspace_pk,
            "entity": entity,
            "entity_id": entity_id,
            "action": action,
            "version": version,
            "actor": self.actor,
            "at": utcnow(),
            "before": before,
            "after": after,
        }

    @staticmethod
    def _out_dict(
        row: dict[str, Any],
        workspace: str,
        now: dt.datetime | None = None,
        version: int | None = None,
    ) -> dict[str, Any]:
        """A stored row as the change log keeps it (JSON-ready, the shape of NodeOut/EdgeOut)."""
        keep = (
            "id",
            "kind",
            "label",
            "source",
            "target",
            "properties",
            "attributes",
            "tags",
            "valid_from",
            "valid_to",
            "archived_at",
            "version",
        )
        out = {k: row[k] for k in keep if k in row}
        if version is not None:
            out["version"] = version
        out["workspace"] = workspace
        for k in ("valid_from", "valid_to", "archived_at"):
            if out.get(k) is not None:
                out[k] = out[k].isoformat()
        if now is not None:
            out["updated_at"] = now.isoformat()
        return out

    @overload
    def _workspace_row(self, slug: str, required: Literal[True] = True) -> Workspace: ...
    @overload
    def _workspace_row(self, slug: str, required: Literal[False]) -> Workspace | None: ...
    def _workspace_row(self, slug: str, required: bool = True) -> Workspace | None:
        ws = self.session.scalar(select(Workspace).where(Workspace.slug == slug))
        if ws is None and required:
            raise missing_workspace(self.session, slug)
        return ws

    def _node_row(self, workspace_pk: int, node_id: str) -> Node:
        row = self.session.scalar(
            select(Node).where(Node.workspace_pk == workspace_pk, Node.id == node_id)
        )
        if row is None:
            raise NotFound("node", node_id, self._slug(workspace_pk))
        return row

    def _edge_row(self, workspace_pk: int, edge_id: str) -> Edge:
        row = self.session.scalar(
            select(Edge).where(Edge.workspace_pk == workspace_pk, Edge.id == edge_id)
        )
        if row is None:
            raise NotFound("edge", edge_id, self._slug(workspace_pk))
        return row

    def _slug(self, workspace_pk: int) -> str:
        return self.session.execute(
            select(Workspace.slug).where(Workspace.pk == workspace_pk)
        ).scalar_one()

    def _counts(self, workspace_pk: int) -> tuple[int, int]:
        nodes = self.session.execute(
            select(func.count(Node.pk)).where(
                Node.workspace_pk == workspace_pk, Node.archived_at.is_(None)
            )
        ).scalar_one()
        edges = self.session.execute(
            select(func.count(Edge.pk)).where(
                Edge.workspace_pk == workspace_pk, Edge.archived_at.is_(None)
            )
        ).scalar_one()
        return nodes, edges

    def kind_counts(self, workspace: str) -> dict[str, Counter[str]]:
        """Live (unarchived) nodes and edges per kind."""
        ws = self._workspace_row(workspace)
        out = {}
        for name, table in (("nodes", Node), ("edges", Edge)):
            stmt = (
                select(table.kind, func.count(table.pk))
                .where(table.workspace_pk == ws.pk, table.archived_at.is_(None))
                .group_by(table.kind)
            )
            out[name] = Counter(dict(self.session.execute(stmt).all()))
        return out

    @staticmethod
    def _workspace_dict(ws: Workspace) -> dict[str, Any]:
        return {
            "slug": ws.slug,
            "name": ws.name,
            "description": ws.description,
            "public_read": ws.public_read,
        }

    @staticmethod
    def _workspace_out(ws: Workspace, counts: tuple[int, int]) -> WorkspaceOut:
        return WorkspaceOut(
            slug=ws.slug,
            name=ws.name,
            description=ws.description,
            public_read=ws.public_read,
            revision=ws.revision,
            created_at=ws.created_at,
            nodes=counts[0],
            edges=counts[1],
        )

    @staticmethod
    def _node_out(row: Node, workspace: str) -> NodeOut:
        return NodeOut(
            workspace=workspace,
            id=row.id,
            kind=row.kind,
            label=row.label,
            properties=row.properties,
            attributes=row.attributes,
            tags=row.tags,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            archived_at=row.archived_at,
            version=row.version,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )

    def _edge_select(self, workspace_pk: int) -> Select[Edge, str, str]:
        src, tgt = aliased(Node), aliased(Node)
        return (
            select(Edge, src.id.label("source"), tgt.id.label("target"))
            .join(src, Edge.source_pk == src.pk)
            .join(tgt, Edge.target_pk == tgt.pk)
            .where(Edge.workspace_pk == workspace_pk)
        )

    def _edge_rows(self, stmt: Select[Edge, str, str], workspace: str) -> list[EdgeOut]:
        return [
            EdgeOut(
                workspace=workspace,
                id=e.id,
                kind=e.kind,
                source=s,
                target=t,
                properties=e.properties,
                attributes=e.attributes,
                tags=e.tags,
                valid_from=e.valid_from,
                valid_to=e.valid_to,
                archived_at=e.archived_at,
                version=e.version,
                created_at=e.created_at,
                updated_at=e.updated_at,
            )
            for e, s, t in self.session.execute(stmt)
        ]

    # ------------------------------------------------------------------ filters

    def _node_filters(
        self,
        stmt: _Query,
        workspace_pk: int,
        kind: str | None,
        tag: str | None,
        text: str | None,
        properties: dict[str, Any] | None,
        as_of: dt.date | None,
        include_archived: bool,
        ids: Sequence[str] | None,
    ) -> _Query:
        stmt = stmt.where(Node.workspace_pk == workspace_pk)
        if kind:
            stmt = stmt.where(Node.kind == vocab.canonical_kind(kind))
        if text:
            stmt = stmt.where(Node.label.icontains(text, autoescape=True))
        if ids is not None:
            stmt = stmt.where(Node.id.in_(list(ids)))
        return self._common_filters(stmt, Node, tag, properties, as_of, include_archived)

    def _edge_filters(
        self,
        stmt: _Query,
        workspace_pk: int,
        kind: str | None,
        node: str | None,
        source: str | None,
        target: str | None,
        tag: str | None,
        properties: dict[str, Any] | None,
        as_of: dt.date | None,
        include_archived: bool,
    ) -> _Query:
        stmt = stmt.where(Edge.workspace_pk == workspace_pk)
        if kind:
            stmt = stmt.where(Edge.kind == vocab.canonical_kind(kind))
        for ident, col in ((source, Edge.source_pk), (target, Edge.target_pk)):
            if ident is not None:
                stmt = stmt.where(col == self._pk_of(workspace_pk, ident))
        if node is not None:
            pk = self._pk_of(workspace_pk, node)
            stmt = stmt.where(or_(Edge.source_pk == pk, Edge.target_pk == pk))
        return self._common_filters(stmt, Edge, tag, properties, as_of, include_archived)

    def _pk_of(self, workspace_pk: int, ident: str) -> int:
        found = self._node_kinds(workspace_pk, [ident])
        return found[ident][0] if ident in found else -1

    def _common_filters(
        self,
        stmt: _Query,
        table: type[Node] | type[Edge],
        tag: str | None,
        properties: dict[str, Any] | None,
        as_of: dt.date | None,
        include_archived: bool,
    ) -> _Query:
        if not include_archived:
            stmt = stmt.where(table.archived_at.is_(None))
        if as_of is not None:
            stmt = stmt.where(valid_on(table, as_of))
        if tag:
            stmt = stmt.where(self._has_tag(table, tag))
        for key, value in (properties or {}).items():
            _check_filter(key, value)
            stmt = stmt.where(self._property_equals(table, key, value))
        return stmt

    def _has_tag(self, table: type[Node] | type[Edge], tag: str) -> ColumnElement[bool]:
        if self._dialect == "postgresql":
            return table.tags.cast(JSONB).contains([tag])
        each = func.json_each(table.tags).table_valued("value")
        return exists(select(literal(1)).select_from(each).where(each.c.value == tag))

    def _property_equals(
        self, table: type[Node] | type[Edge], key: str, value: Any
    ) -> ColumnElement[bool]:
        if self._dialect == "postgresql":
            return table.properties.op("->")(key) == cast(literal(json.dumps(value)), JSONB)
        path = '$."' + key.replace('"', "") + '"'
        extracted = func.json_extract(table.properties, path)
        if isinstance(value, bool):
            return extracted == int(value)
        return extracted == value


def _check_filter(key: str, value: Any) -> None:
    """A property filter compares one plain value: text, a number, true or false."""
    problems = []
    if not key or not key.isprintable():
        problems.append(
            Problem("a property name is printable text", field="properties", record=repr(key))
        )
    if isinstance(value, dict | list) or value is None:
        problems.append(
            Problem(
                f"filter {key!r} by one value (text, a number, true or false), "
                f"not {json.dumps(value)[:40]}",
                field=f"properties.{key}",
            )
        )
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 2**63:
        problems.append(
            Problem(f"the number given for {key!r} is too large", field=f"properties.{key}")
        )
    elif isinstance(value, float) and not math.isfinite(value):
        problems.append(
            Problem(f"the number given for {key!r} is not finite", field=f"properties.{key}")
        )
    if problems:
        raise InvalidRecords(problems)


def _restoring(
    current: dict[str, Any], old: dict[str, Any], own: tuple[str, ...]
) -> dict[str, Any]:
    """The change that turns `current` back into the logged `old`: its fields replaced, and
    the properties and attributes it did not have removed (None removes a key)."""
    changes: dict[str, Any] = {k: old.get(k) for k in (*own, "tags", "valid_from", "valid_to")}
    changes["tags"] = changes["tags"] or []
    for group in ("properties", "attributes"):
        was = old.get(group) or {}
        changes[group] = {k: None for k in current.get(group) or {} if k not in was} | was
    return changes


def _change_label(change: Change, names: dict[str, str]) -> str | None:
    """How a change's record is named for people (see ChangeOut.label)."""
    state = change.after or change.before or {}
    if change.entity == "node":
        return state.get("label") or change.entity_id
    if change.entity == "edge":
        s, t = state.get("source"), state.get("target")
        if s is None or t is None:
            return change.entity_id
        return f"{names.get(s, s)} → {names.get(t, t)}"
    return state.get("name") or change.entity_id


def _logged(record: NodeOut | EdgeOut | dict[str, Any] | None) -> dict[str, Any] | None:
    """A record as the change log keeps it: JSON-ready."""
    return record.model_dump(mode="json") if isinstance(record, NodeOut | EdgeOut) else record


def valid_on(table: type[Node] | type[Edge], day: dt.date) -> ColumnElement[bool]:
    """The SQL condition 'valid on this day': both ends of the period are inclusive."""
    c = table.__table__.c  # table columns: usable in plain Core statements too
    return and_(
        or_(c.valid_from.is_(None), c.valid_from <= day),
        or_(c.valid_to.is_(None), c.valid_to >= day),
    )


def _when(key: str, value: Any) -> Any:
    if key != "version" and isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    return value


def _rid(raw: Any) -> str | None:
    if isinstance(raw, dict):
        return raw.get("id") or raw.get("label")
    return getattr(raw, "id", None)
