"""Batch items: the resumable ledger of ``sdkreg batch`` (additive: no existing table changes).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batch_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("apk_sha256", sa.String(64), nullable=False),
        sa.Column("policy_sha256", sa.String(64), nullable=False),
        sa.Column("registry_version", sa.String(64), nullable=False),
        sa.Column("apk_path", sa.Text(), nullable=False),
        sa.Column("policy_path", sa.Text(), nullable=False),
        sa.Column("declared_package", sa.String(255), nullable=True),
        sa.Column("declared_version", sa.String(128), nullable=True),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("exit_code", sa.Integer(), nullable=False),
        sa.Column("error_class", sa.String(64), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("audit_id", sa.Integer(),
                  sa.ForeignKey("audits.id", ondelete="SET NULL"), nullable=True),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.UniqueConstraint("apk_sha256", "policy_sha256", "registry_version",
                            name="uq_batch_items_key"),
    )
    op.create_index("ix_batch_items_registry_version", "batch_items", ["registry_version"])
    op.create_index("ix_batch_items_audit_id", "batch_items", ["audit_id"])


def downgrade() -> None:
    op.drop_table("batch_items")
