"""API tokens: created with a role and an optional workspace, stored only as hashes.

A token reads ``cst_<prefix>_<secret>``. The prefix finds the row; the SHA-256 of the whole
token is compared in constant time. The secrets are 32 random bytes, so a fast hash is
enough: there is nothing to brute-force as there is with a password.

>>> from constellation.store import Store
>>> store = Store("sqlite://")
>>> with store.session() as s:
...     info, secret = create_token(s, role="viewer", name="laptop")
...     authenticate(s, secret).role.value, authenticate(s, secret + "x")
('viewer', None)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from enum import StrEnum

from pydantic import BaseModel
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from constellation.errors import InvalidRecords, NotFound, Problem
from constellation.store.tables import Token, Workspace, utcnow

__all__ = [
    "Role",
    "Caller",
    "TokenInfo",
    "create_token",
    "list_tokens",
    "revoke_token",
    "authenticate",
]


class Role(StrEnum):
    """Viewers read, editors also write, admins also manage workspaces and tokens."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    def allows(self, needed: Role) -> bool:
        order = [Role.VIEWER, Role.EDITOR, Role.ADMIN]
        return order.index(self) >= order.index(needed)


class Caller(BaseModel):
    """Who is asking: a token's name, role and scope, or nobody (anonymous)."""

    name: str | None = None
    role: Role | None = None
    workspace: str | None = None  # None: every workspace
    token: str | None = None  # the prefix, for the change log

    @property
    def anonymous(self) -> bool:
        return self.role is None

    def may(self, needed: Role) -> bool:
        """Whether this caller holds `needed` or a higher role (an anonymous caller: no)."""
        return self.role is not None and self.role.allows(needed)

    def can_see(self, workspace: str) -> bool:
        return self.workspace is None or self.workspace == workspace


class TokenInfo(BaseModel):
    prefix: str
    name: str
    role: Role
    workspace: str | None
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _info(row: Token, workspace: str | None) -> TokenInfo:
    return TokenInfo(
        prefix=row.prefix,
        name=row.name,
        role=Role(row.role),
        workspace=workspace,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


def create_token(
    session: Session, role: str, workspace: str | None = None, name: str | None = None
) -> tuple[TokenInfo, str]:
    """Make a token; return its description and the secret, which is not kept."""
    try:
        role = Role(role)
    except ValueError:
        raise InvalidRecords(
            [Problem(f"role must be one of {', '.join(Role)}", field="role", record=str(role))]
        ) from None
    ws_pk = None
    if workspace is not None:
        ws_pk = session.scalar(select(Workspace.pk).where(Workspace.slug == workspace))
        if ws_pk is None:
            raise NotFound("workspace", workspace)
    prefix = secrets.token_hex(4)
    secret = f"cst_{prefix}_{secrets.token_urlsafe(32)}"
    row = Token(
        prefix=prefix,
        secret_hash=_hash(secret),
        role=role.value,
        name=name or f"{role.value} token",
        workspace_pk=ws_pk,
    )
    session.add(row)
    session.flush()
    return _info(row, workspace), secret


def list_tokens(session: Session) -> list[TokenInfo]:
    rows = session.execute(
        select(Token, Workspace.slug)
        .join(Workspace, Token.workspace_pk == Workspace.pk, isouter=True)
        .order_by(Token.created_at)
    ).all()
    return [_info(t, slug) for t, slug in rows]


REVOKED = [0]
"""How many revocations this process has made: a cache of callers (the API's) that sees it
change forgets what it holds, so a revocation made here counts at once."""


def revoke_token(session: Session, prefix: str) -> TokenInfo:
    row = session.scalar(select(Token).where(Token.prefix == prefix))
    if row is None:
        raise NotFound("token", prefix)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
        REVOKED[0] += 1
    slug = session.scalar(select(Workspace.slug).where(Workspace.pk == row.workspace_pk))
    return _info(row, slug)


_BY_PREFIX = (
    select(
        Token.pk,
        Token.secret_hash,
        Token.name,
        Token.role,
        Token.revoked_at,
        Token.last_used_at,
        Workspace.slug,
    )
    .join(Workspace, Token.workspace_pk == Workspace.pk, isouter=True)
    .where(Token.prefix == bindparam("prefix"))
)
"""Every request's token check: one query on the unique prefix, its workspace joined in."""
_USED = update(Token).where(Token.pk == bindparam("token_pk")).values(last_used_at=bindparam("at"))


def authenticate(session: Session, secret: str) -> Caller | None:
    """The caller a token stands for, or None if it is unknown, malformed or revoked.

    One indexed query and no ORM object: it runs on every request, and reads the token
    afresh each time, so a revocation counts from the next request on."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "cst":
        return None
    row = session.execute(_BY_PREFIX, {"prefix": parts[1]}).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_hash, _hash(secret)):
        return None
    now = utcnow()
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        # at most once a minute: reads should not all write
        session.execute(_USED, {"token_pk": row.pk, "at": now})
    return Caller(name=row.name, role=Role(row.role), workspace=row.slug, token=parts[1])
