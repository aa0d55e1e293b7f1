"""Initial audit-history schema: audits, detections, disclosures, findings.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audits",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("app_package", sa.String(255), nullable=True),
        sa.Column("version_name", sa.String(128), nullable=True),
        sa.Column("version_code", sa.String(64), nullable=True),
        sa.Column("apk_path", sa.Text(), nullable=False),
        sa.Column("apk_sha256", sa.String(64), nullable=False),
        sa.Column("policy_path", sa.Text(), nullable=False),
        sa.Column("policy_sha256", sa.String(64), nullable=False),
        sa.Column("registry_version", sa.String(64), nullable=False),
        sa.Column("tool_version", sa.String(32), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Integer(), nullable=False),
        sa.Column("infos", sa.Integer(), nullable=False),
    )
    op.create_index("ix_audits_created_at", "audits", ["created_at"])
    op.create_index("ix_audits_app_package", "audits", ["app_package"])
    op.create_table(
        "detections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("audit_id", sa.Integer(),
                  sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("sdk", sa.String(128), nullable=False),
        sa.Column("family", sa.String(128), nullable=True),
        sa.Column("confidence", sa.String(16), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
    )
    op.create_index("ix_detections_audit_id", "detections", ["audit_id"])
    op.create_table(
        "disclosures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("audit_id", sa.Integer(),
                  sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("as_written", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("sdk", sa.String(128), nullable=True),
        sa.Column("level", sa.String(16), nullable=True),
    )
    op.create_index("ix_disclosures_audit_id", "disclosures", ["audit_id"])
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("audit_id", sa.Integer(),
                  sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("sdk", sa.String(128), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("suppressed_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_findings_audit_id", "findings", ["audit_id"])


def downgrade() -> None:
    op.drop_table("findings")
    op.drop_table("disclosures")
    op.drop_table("detections")
    op.drop_table("audits")
