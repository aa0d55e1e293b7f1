"""Audit-history tables. Schema changes go through Alembic migrations (``migrations/``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class AuditRow(Base):
    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(index=True)
    app_package: Mapped[str | None] = mapped_column(String(255), index=True)
    version_name: Mapped[str | None] = mapped_column(String(128))
    version_code: Mapped[str | None] = mapped_column(String(64))
    apk_path: Mapped[str] = mapped_column(Text)
    apk_sha256: Mapped[str] = mapped_column(String(64))
    policy_path: Mapped[str] = mapped_column(Text)
    policy_sha256: Mapped[str] = mapped_column(String(64))
    registry_version: Mapped[str] = mapped_column(String(64))
    tool_version: Mapped[str] = mapped_column(String(32))
    passed: Mapped[bool]
    errors: Mapped[int]
    warnings: Mapped[int]
    infos: Mapped[int]

    detections: Mapped[list[DetectionRow]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="DetectionRow.sdk"
    )
    disclosures: Mapped[list[DisclosureRow]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="DisclosureRow.line"
    )
    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="audit", cascade="all, delete-orphan", order_by="FindingRow.id"
    )


class DetectionRow(Base):
    __tablename__ = "detections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    sdk: Mapped[str] = mapped_column(String(128))
    family: Mapped[str | None] = mapped_column(String(128))
    confidence: Mapped[str] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text)  # one evidence line per text line

    audit: Mapped[AuditRow] = relationship(back_populates="detections")


class DisclosureRow(Base):
    __tablename__ = "disclosures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    as_written: Mapped[str] = mapped_column(Text)
    line: Mapped[int]
    sdk: Mapped[str | None] = mapped_column(String(128))
    level: Mapped[str | None] = mapped_column(String(16))

    audit: Mapped[AuditRow] = relationship(back_populates="disclosures")


class FindingRow(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(16))
    sdk: Mapped[str | None] = mapped_column(String(128))
    subject: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    suppressed_reason: Mapped[str | None] = mapped_column(Text)

    audit: Mapped[AuditRow] = relationship(back_populates="findings")


class BatchItemRow(Base):
    """One item of ``sdkreg batch``: the key that makes a batch resumable, and its outcome.

    The key is the content of both inputs and the registry that judged them, so a re-run skips
    what is recorded and redoes what changed. An input that could not be read has no content hash:
    its column holds ``unreadable_marker(path)`` instead (see ``sdkreg.store.batch``).
    """

    __tablename__ = "batch_items"
    __table_args__ = (
        UniqueConstraint("apk_sha256", "policy_sha256", "registry_version", name="uq_batch_items_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime]
    apk_sha256: Mapped[str] = mapped_column(String(64))
    policy_sha256: Mapped[str] = mapped_column(String(64))
    registry_version: Mapped[str] = mapped_column(String(64), index=True)
    apk_path: Mapped[str] = mapped_column(Text)
    policy_path: Mapped[str] = mapped_column(Text)
    declared_package: Mapped[str | None] = mapped_column(String(255))  # from the manifest row
    declared_version: Mapped[str | None] = mapped_column(String(128))
    labels: Mapped[str] = mapped_column(Text)  # JSON array of strings
    status: Mapped[str] = mapped_column(String(16))  # "audited" or "error"
    exit_code: Mapped[int]  # what `sdkreg audit` exits with for an error; 0 for an audit
    error_class: Mapped[str | None] = mapped_column(String(64))
    message: Mapped[str | None] = mapped_column(Text)
    audit_id: Mapped[int | None] = mapped_column(
        ForeignKey("audits.id", ondelete="SET NULL"), index=True
    )
    tool_version: Mapped[str] = mapped_column(String(32))

    audit: Mapped[AuditRow | None] = relationship()
