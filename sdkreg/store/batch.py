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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, Insert, and_, delete, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from sdkreg import __version__
from sdkreg.errors import StorageError
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
    readable, its content hash is a new key, the item is audited, and the row of its unreadable
    past is dropped (see ``BatchLedger.record``). 64 characters, like a hash, and never a hex
    digest (it starts with ``unreadable:``).
    """
    return "unreadable:" + hashlib.sha256(path.encode("utf-8", "surrogateescape")).hexdigest()[:53]


def item_key(apk_path: str, policy_path: str, registry_version: str,
             apk_sha256: str | None = None, policy_sha256: str | None = None) -> BatchKey:
    """An item's key: the content hashes, or the marker of an input that could not be read
    (``policy_path`` "" when there is no policy at all)."""
    return BatchKey(
        apk_sha256 or unreadable_marker(apk_path),
        policy_sha256 or unreadable_marker(policy_path or apk_path + "\0no policy"),
        registry_version,
    )


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


Outcome = AuditReport | ItemError  # what an item came to: a report to record, or why not


class BatchLedger:
    def __init__(self, store: HistoryStore) -> None:
        self.store = store

    def lookup(self, keys: Iterable[BatchKey]) -> dict[BatchKey, BatchRecord]:
        """The recorded items among ``keys`` (one query)."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        columns = tuple_(BatchItemRow.apk_sha256, BatchItemRow.policy_sha256, BatchItemRow.registry_version)
        with self.store._session() as session:
            rows = session.scalars(
                select(BatchItemRow)
                .where(columns.in_([(k.apk_sha256, k.policy_sha256, k.registry_version) for k in wanted]))
                .options(
                    selectinload(BatchItemRow.audit).selectinload(AuditRow.detections),
                    selectinload(BatchItemRow.audit).selectinload(AuditRow.findings),
                )
            ).all()
            records = [_record(row) for row in rows]
        return {record.key: record for record in records}

    def record(self, items: Sequence[tuple[BatchInput, Outcome]], *, replace_error: bool = False
               ) -> list[tuple[BatchRecord, bool]]:
        """Record each item's outcome (a report, with its ledger row; or an error) in one
        transaction. Returns, per item, its record and whether this call wrote it (False: the key
        was recorded already, by an earlier run or another client). ``replace_error``
        (--retry-failed) lets a new outcome take the place of a recorded error."""
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        written: list[BatchRecord | None] = []
        with self.store._session() as session:
            for item, outcome in items:
                if replace_error:
                    session.execute(
                        delete(BatchItemRow).where(_matches(item.key), BatchItemRow.status == "error")
                    )
                _drop_unreadable_past(session, item)
                values = _values(item, outcome, now)
                new_id = _insert_if_absent(session, values, item.key)
                if new_id is None:
                    written.append(None)
                    continue
                audit_id = None
                if isinstance(outcome, AuditReport):
                    audit = audit_row(outcome, now)
                    session.add(audit)
                    session.flush()
                    audit_id = audit.id
                    session.execute(
                        update(BatchItemRow).where(BatchItemRow.id == new_id).values(audit_id=audit_id)
                    )
                written.append(_new_record(new_id, audit_id, item, outcome, now))
        # Keys someone else recorded first: what they recorded is the outcome.
        missing = [item.key for (item, _), record in zip(items, written, strict=True) if record is None]
        earlier = self.lookup(missing)
        results: list[tuple[BatchRecord, bool]] = []
        for (item, _), record in zip(items, written, strict=True):
            if record is not None:
                results.append((record, True))
            elif item.key in earlier:
                results.append((earlier[item.key], False))
            else:  # only a concurrent --retry-failed can delete it meanwhile
                raise StorageError(f"batch item {item.apk_path} vanished while it was recorded")
        return results


def _drop_unreadable_past(session: Session, item: BatchInput) -> None:
    """An item now read (its key has a content hash) supersedes the error rows its paths were
    recorded under while an input could not be read (keys with markers), so that the ledger keeps
    one row per item. By exact keys: the unique index finds them."""
    version = item.key.registry_version
    unreadable = item_key(item.apk_path, item.policy_path, version)
    past = {
        (unreadable.apk_sha256, unreadable.policy_sha256),
        (unreadable.apk_sha256, item.key.policy_sha256),
        (item.key.apk_sha256, unreadable.policy_sha256),
    } - {(item.key.apk_sha256, item.key.policy_sha256)}
    if not past:  # the item itself could not be read: nothing it supersedes
        return
    session.execute(
        delete(BatchItemRow).where(
            tuple_(BatchItemRow.apk_sha256, BatchItemRow.policy_sha256).in_(sorted(past)),
            BatchItemRow.registry_version == version,
            BatchItemRow.status == "error",
        )
    )


def _values(item: BatchInput, outcome: Outcome, now: dt.datetime) -> dict[str, object]:
    error = outcome if isinstance(outcome, ItemError) else None
    return dict(
        created_at=now,
        apk_sha256=item.key.apk_sha256,
        policy_sha256=item.key.policy_sha256,
        registry_version=item.key.registry_version,
        apk_path=item.apk_path,
        policy_path=item.policy_path,
        declared_package=item.declared_package,
        declared_version=item.declared_version,
        labels=json.dumps(list(item.labels), ensure_ascii=False),
        status="error" if error else "audited",
        exit_code=error.exit_code if error else 0,
        error_class=error.error_class if error else None,
        message=error.message if error else None,
        tool_version=outcome.tool_version if isinstance(outcome, AuditReport) else __version__,
    )


def _new_record(row_id: int, audit_id: int | None, item: BatchInput, outcome: Outcome,
                now: dt.datetime) -> BatchRecord:
    """The record just written, built from what was written (no query back)."""
    if isinstance(outcome, ItemError):
        return BatchRecord(row_id, item.key, now, item.apk_path, item.policy_path, "error",
                           outcome.exit_code, outcome.error_class, outcome.message, None,
                           item.declared_package, item.declared_version, item.labels, 0, 0, 0, (), ())
    counts = outcome.counts()
    return BatchRecord(
        row_id, item.key, now, item.apk_path, item.policy_path, "audited", 0, None, None, audit_id,
        outcome.app.package, outcome.app.version_name, item.labels,
        counts["error"], counts["warning"], counts["info"],
        tuple(sorted(d.sdk for d in outcome.detections)),
        tuple(sorted({f.sdk for f in outcome.findings if f.kind == "undisclosed" and f.sdk})),
    )


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
