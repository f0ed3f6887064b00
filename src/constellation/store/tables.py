"""The tables: workspaces, nodes, edges, the change log, tokens and requests to join.

Kinds are stored as plain strings and checked against the vocabulary by the
repository, so adding a kind never needs a migration. Edges point at nodes
through a composite key (workspace, node), so the database itself refuses an
edge that crosses workspaces or dangles.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints from the first revision on: SQLite's batch migrations need names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")
# SQLite only auto-increments INTEGER PRIMARY KEY; BigInteger elsewhere.
PK = BigInteger().with_variant(Integer(), "sqlite")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timezone-aware timestamp on every engine (SQLite hands back naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value


class Base(DeclarativeBase):
    # Every class here is declared with __tablename__, so its __table__ is a Table, not any
    # FromClause (what DeclarativeBase promises); insert() and update() take only a Table.
    __table__: ClassVar[Table]

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSONType, list[str]: JSONType}


class Workspace(Base):
    """One independent network; nothing crosses workspaces."""

    __tablename__ = "workspaces"

    pk: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    public_read: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(BigInteger, default=0)
    """Bumped by every write in the workspace, so caches of analysis can key on it."""
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class _Record:
    """Columns that nodes and edges share: identity, payload, validity, versioning."""

    pk: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    workspace_pk: Mapped[int] = mapped_column(ForeignKey("workspaces.pk", ondelete="CASCADE"))
    id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    properties: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    tags: Mapped[list[str]] = mapped_column(default=list)
    valid_from: Mapped[dt.date | None] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    archived_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Node(_Record, Base):
    __tablename__ = "nodes"
    __table_args__ = (
        UniqueConstraint("workspace_pk", "id", name="uq_nodes_workspace_id"),
        UniqueConstraint("workspace_pk", "pk", name="uq_nodes_workspace_pk"),
        Index("ix_nodes_workspace_kind", "workspace_pk", "kind"),
    )

    label: Mapped[str] = mapped_column(String(500))


class Edge(_Record, Base):
    __tablename__ = "edges"
    __table_args__ = (
        UniqueConstraint("workspace_pk", "id", name="uq_edges_workspace_id"),
        ForeignKeyConstraint(
            ["workspace_pk", "source_pk"],
            ["nodes.workspace_pk", "nodes.pk"],
            name="fk_edges_source_nodes",
        ),
        ForeignKeyConstraint(
            ["workspace_pk", "target_pk"],
            ["nodes.workspace_pk", "nodes.pk"],
            name="fk_edges_target_nodes",
        ),
        Index("ix_edges_workspace_kind", "workspace_pk", "kind"),
        Index("ix_edges_source", "source_pk"),
        Index("ix_edges_target", "target_pk"),
    )

    source_pk: Mapped[int] = mapped_column(PK)
    target_pk: Mapped[int] = mapped_column(PK)


class Change(Base):
    """One create, update, archive, restore or delete: history is never lost."""

    __tablename__ = "changes"
    __table_args__ = (Index("ix_changes_entity", "workspace_pk", "entity", "entity_id"),)

    pk: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    workspace_pk: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.pk", ondelete="CASCADE"), index=True
    )
    entity: Mapped[str] = mapped_column(String(20))  # node | edge | workspace
    entity_id: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))
    version: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONType)


class Token(Base):
    """An API token. Only a hash of the secret is kept; the secret is shown once."""

    __tablename__ = "tokens"

    pk: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    workspace_pk: Mapped[int | None] = mapped_column(
        ForeignKey("workspaces.pk", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    organization: Mapped[str | None] = mapped_column(String(200))
    """A partner link's organization (a node id of its workspace): the one record it writes."""
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class JoinRequest(Base):
    """An organization asking to join a constellation, until its convener or an editor
    accepts (the tie is made) or declines it."""

    __tablename__ = "join_requests"
    __table_args__ = (
        UniqueConstraint("workspace_pk", "id", name="uq_join_requests_workspace_id"),
        Index("ix_join_requests_workspace_state", "workspace_pk", "state"),
    )

    pk: Mapped[int] = mapped_column(PK, primary_key=True, autoincrement=True)
    workspace_pk: Mapped[int] = mapped_column(ForeignKey("workspaces.pk", ondelete="CASCADE"))
    id: Mapped[str] = mapped_column(String(40))
    organization: Mapped[str] = mapped_column(String(200))
    constellation: Mapped[str] = mapped_column(String(200))
    message: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    asked_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    edge: Mapped[str | None] = mapped_column(String(200))
    """The tie an accepted request made."""
