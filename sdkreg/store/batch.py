"""The batch ledger: which (APK, policy, registry) triples are recorded, and how they ended.

``sdkreg batch`` is resumable because of this table: an item is keyed by the SHA-256 of its APK,
the SHA-256 of its policy and the registry version, so a re-run skips what is recorded and
redoes what is missing or stale (a new APK, a changed policy, another registry). An audit is
recorded in the same transaction as its ledger row, so a crash never leaves one without the other.

Recording is insert-if-absent on the key (``ON CONFLICT DO NOTHING`` on SQLite and PostgreSQL):
two clients running the same batch against one shared database record each item once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, Insert, and_, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from sdkreg import __version__
from sdkreg.report.model import AuditReport
from sdkreg.store import HistoryStore, audit_row
from sdkreg.store.tables import AuditRow, BatchItemRow

Status = Literal["audited", "error"]


@dataclass(frozen=True)
class BatchKey:
    apk_sha256: str
    policy_sha256: str
    registry_version: str


def unreadable_marker(path: str) -> str:
    """The key column of an input that could not be read (missing, a directory, no permission).

    Derived from its path, so the same unreadable input is recorded once; once it becomes
    readable, its content hash is a new key and the item is audited. 64 characters, like a hash,
    and never a hex digest (it starts with ``unreadable:``).
    """
    return "unreadable:" + hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:53]


@dataclass(frozen=True)
class BatchInput:
    """What the ledger records about an item besides its outcome."""

    key: BatchKey
    apk_path: str
    policy_path: str
    declared_package: str | None = None
    declared_version: str | None = None
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ItemError:
    """Why an item could not be audited: the exception's class and the exit code `sdkreg audit`
    gives it (see ``sdkreg.errors.ExitCode``)."""

    error_class: str
    exit_code: int
    message: str


@dataclass(frozen=True)
class BatchRecord:
    id: int
    key: BatchKey
    created_at: dt.datetime
    apk_path: str
    policy_path: str
    status: Status
    exit_code: int  # 0 for an audit (its verdict depends on --fail-on: see ``verdict``)
    error_class: str | None
    message: str | None
    audit_id: int | None
    package: str | None  # the APK's own package once audited, else the manifest's
    version: str | None
    labels: tuple[str, ...]
    errors: int
    warnings: int
    infos: int
    sdks: tuple[str, ...]
    undisclosed: tuple[str, ...]  # SDKs with an active `undisclosed` finding


class BatchLedger:
    def __init__(self, store: HistoryStore) -> None:
        self.store = store

    def lookup(self, key: BatchKey) -> BatchRecord | None:
        with self.store._session() as session:
            row = session.scalars(
                select(BatchItemRow)
                .where(_matches(key))
                .options(
                    selectinload(BatchItemRow.audit).selectinload(AuditRow.detections),
                    selectinload(BatchItemRow.audit).selectinload(AuditRow.findings),
                )
            ).first()
            return _record(row) if row is not None else None

    def record_audit(self, item: BatchInput, report: AuditReport, *, replace_error: bool = False
                     ) -> tuple[BatchRecord, bool]:
        """Record ``report`` with its ledger row. Returns the record and whether this call wrote
        it (False: the key was already recorded, by an earlier run or another client)."""
        return self._insert(item, "audited", None, report, replace_error)

    def record_error(self, item: BatchInput, error: ItemError, *, replace_error: bool = False
                     ) -> tuple[BatchRecord, bool]:
        return self._insert(item, "error", error, None, replace_error)

    def _insert(self, item: BatchInput, status: Status, error: ItemError | None,
                report: AuditReport | None, replace_error: bool) -> tuple[BatchRecord, bool]:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        values = dict(
            created_at=now,
            apk_sha256=item.key.apk_sha256,
            policy_sha256=item.key.policy_sha256,
            registry_version=item.key.registry_version,
            apk_path=item.apk_path,
            policy_path=item.policy_path,
            declared_package=item.declared_package,
            declared_version=item.declared_version,
            labels=json.dumps(list(item.labels), ensure_ascii=False),
            status=status,
            exit_code=error.exit_code if error else 0,
            error_class=error.error_class if error else None,
            message=error.message if error else None,
            tool_version=report.tool_version if report else __version__,
        )
        with self.store._session() as session:
            if replace_error:  # --retry-failed: the error row gives way to the new outcome
                session.execute(
                    delete(BatchItemRow).where(_matches(item.key), BatchItemRow.status == "error")
                )
            new_id = _insert_if_absent(session, values, item.key)
            if new_id is not None and report is not None:
                audit = audit_row(report, now)
                session.add(audit)
                session.flush()
                session.execute(
                    update(BatchItemRow).where(BatchItemRow.id == new_id).values(audit_id=audit.id)
                )
        record = self.lookup(item.key)
        if record is None:  # only a concurrent --retry-failed can delete it meanwhile
            raise LookupError(f"batch item {item.key} vanished after it was recorded")
        return record, new_id is not None


def _matches(key: BatchKey) -> ColumnElement[bool]:
    return and_(
        BatchItemRow.apk_sha256 == key.apk_sha256,
        BatchItemRow.policy_sha256 == key.policy_sha256,
        BatchItemRow.registry_version == key.registry_version,
    )


def _insert_if_absent(session: Session, values: dict[str, object], key: BatchKey) -> int | None:
    """Insert the ledger row unless its key exists; the new row's id, or None."""
    dialect = session.get_bind().dialect.name
    statement: Insert
    if dialect in ("postgresql", "sqlite"):
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(BatchItemRow)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["apk_sha256", "policy_sha256", "registry_version"])
            .returning(BatchItemRow.id)
        )
        new_id: int | None = session.execute(statement).scalar()
        return new_id
    # Other databases: check, then insert; the unique constraint still refuses a duplicate.
    if session.scalars(select(BatchItemRow.id).where(_matches(key))).first() is not None:
        return None
    row = BatchItemRow(**values)
    session.add(row)
    session.flush()
    return row.id


def _record(row: BatchItemRow) -> BatchRecord:
    audit = row.audit
    return BatchRecord(
        id=row.id,
        key=BatchKey(row.apk_sha256, row.policy_sha256, row.registry_version),
        created_at=row.created_at,
        apk_path=row.apk_path,
        policy_path=row.policy_path,
        status="audited" if row.status == "audited" else "error",
        exit_code=row.exit_code,
        error_class=row.error_class,
        message=row.message,
        audit_id=row.audit_id,
        package=audit.app_package if audit is not None else row.declared_package,
        version=audit.version_name if audit is not None else row.declared_version,
        labels=tuple(json.loads(row.labels or "[]")),
        errors=audit.errors if audit is not None else 0,
        warnings=audit.warnings if audit is not None else 0,
        infos=audit.infos if audit is not None else 0,
        sdks=tuple(sorted(d.sdk for d in audit.detections)) if audit is not None else (),
        undisclosed=tuple(sorted({
            f.sdk for f in audit.findings
            if f.kind == "undisclosed" and f.sdk and f.suppressed_reason is None
        })) if audit is not None else (),
    )
