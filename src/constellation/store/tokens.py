"""API tokens: created with a role and an optional workspace, stored only as hashes.

A partner link is a token too: scoped to one workspace and one organization of it, and
usually with an expiry. It reads what an anonymous visitor reads and writes only that
organization's record and ties (the API decides what that covers: api.partner).

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
    """Viewers read, editors also write, admins also manage workspaces and tokens. A partner
    stands beside them: it holds none of their rights, only its organization's."""

    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"
    PARTNER = "partner"

    def allows(self, needed: Role) -> bool:
        if Role.PARTNER in (self, needed):
            return self is needed
        order = [Role.VIEWER, Role.EDITOR, Role.ADMIN]
        return order.index(self) >= order.index(needed)


class Caller(BaseModel):
    """Who is asking: a token's name, role and scope, or nobody (anonymous)."""

    name: str | None = None
    role: Role | None = None
    workspace: str | None = None  # None: every workspace
    token: str | None = None  # the prefix, for the change log
    organization: str | None = None  # a partner link's organization (node id)
    expires_at: dt.datetime | None = None

    @property
    def anonymous(self) -> bool:
        return self.role is None

    @property
    def partner(self) -> bool:
        return self.role is Role.PARTNER

    @property
    def reads_as_public(self) -> bool:
        """Whether it reads what an anonymous visitor does (not who changed what)."""
        return self.role is None or self.role is Role.PARTNER

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
    organization: str | None = None
    expires_at: dt.datetime | None = None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= utcnow()


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
        organization=row.organization,
        expires_at=row.expires_at,
    )


def create_token(
    session: Session,
    role: str,
    workspace: str | None = None,
    name: str | None = None,
    *,
    organization: str | None = None,
    expires_at: dt.datetime | None = None,
) -> tuple[TokenInfo, str]:
    """Make a token; return its description and the secret, which is not kept.

    A partner token needs its workspace and organization (a node id, checked by the caller:
    `Repository.create_partner_link`); no other role takes an organization."""
    try:
        role = Role(role)
    except ValueError:
        raise InvalidRecords(
            [Problem(f"role must be one of {', '.join(Role)}", field="role", record=str(role))]
        ) from None
    problems = []
    if role is Role.PARTNER and (workspace is None or organization is None):
        problems.append(
            Problem(
                "a partner link needs --workspace and --organization",
                field="organization",
                record="partner",
            )
        )
    if role is not Role.PARTNER and organization is not None:
        problems.append(
            Problem(
                "only a partner link stands for an organization; use --role partner",
                field="organization",
                record=role.value,
            )
        )
    if expires_at is not None and expires_at <= utcnow():
        problems.append(
            Problem(
                f"the expiry {expires_at:%Y-%m-%d %H:%M} UTC has passed; give a later date",
                field="expires",
                record=role.value,
            )
        )
    if problems:
        raise InvalidRecords(problems)
    ws_pk = None
    if workspace is not None:
        ws_pk = session.scalar(select(Workspace.pk).where(Workspace.slug == workspace))
        if ws_pk is None:
            from constellation.store.repository import missing_workspace

            raise missing_workspace(session, workspace)
    prefix = secrets.token_hex(4)
    secret = f"cst_{prefix}_{secrets.token_urlsafe(32)}"
    row = Token(
        prefix=prefix,
        secret_hash=_hash(secret),
        role=role.value,
        name=name or f"{role.value} token",
        workspace_pk=ws_pk,
        organization=organization,
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return _info(row, workspace), secret


def list_tokens(
    session: Session, workspace: str | None = None, role: Role | None = None
) -> list[TokenInfo]:
    """Every token, or those of one workspace and one role (a workspace's partner links)."""
    stmt = (
        select(Token, Workspace.slug)
        .join(Workspace, Token.workspace_pk == Workspace.pk, isouter=True)
        .order_by(Token.created_at)
    )
    if workspace is not None:
        stmt = stmt.where(Workspace.slug == workspace)
    if role is not None:
        stmt = stmt.where(Token.role == role.value)
    return [_info(t, slug) for t, slug in session.execute(stmt).all()]


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
        Token.organization,
        Token.expires_at,
        Workspace.slug,
    )
    .join(Workspace, Token.workspace_pk == Workspace.pk, isouter=True)
    .where(Token.prefix == bindparam("prefix"))
)
"""Every request's token check: one query on the unique prefix, its workspace joined in."""
_USED = update(Token).where(Token.pk == bindparam("token_pk")).values(last_used_at=bindparam("at"))


def authenticate(session: Session, secret: str) -> Caller | None:
    """The caller a token stands for, or None if it is unknown, malformed, revoked or
    expired.

    One indexed query and no ORM object: it runs on every request, and reads the token
    afresh each time, so a revocation counts from the next request on."""
    parts = secret.split("_")
    if len(parts) < 3 or parts[0] != "cst":
        return None
    row = session.execute(_BY_PREFIX, {"prefix": parts[1]}).one_or_none()
    now = utcnow()
    if row is None or row.revoked_at is not None:
        return None
    if row.expires_at is not None and row.expires_at <= now:
        return None
    if not hmac.compare_digest(row.secret_hash, _hash(secret)):
        return None
    if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
        # at most once a minute: reads should not all write
        session.execute(_USED, {"token_pk": row.pk, "at": now})
    return Caller(
        name=row.name,
        role=Role(row.role),
        workspace=row.slug,
        token=parts[1],
        organization=row.organization,
        expires_at=row.expires_at,
    )
