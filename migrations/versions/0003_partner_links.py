"""Partner links and requests to join: a token may stand for one organization and expire;
an organization's request to join a constellation waits for its convener or an editor.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organization", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))

    op.create_table(
        "join_requests",
        sa.Column("pk", PK, autoincrement=True, nullable=False),
        sa.Column("workspace_pk", PK, nullable=False),
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("organization", sa.String(length=200), nullable=False),
        sa.Column("constellation", sa.String(length=200), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("asked_by", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("edge", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_pk"],
            ["workspaces.pk"],
            name=op.f("fk_join_requests_workspace_pk_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("pk", name=op.f("pk_join_requests")),
        sa.UniqueConstraint("workspace_pk", "id", name="uq_join_requests_workspace_id"),
    )
    with op.batch_alter_table("join_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_join_requests_workspace_state", ["workspace_pk", "state"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("join_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_join_requests_workspace_state")
    op.drop_table("join_requests")
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
        batch_op.drop_column("organization")
