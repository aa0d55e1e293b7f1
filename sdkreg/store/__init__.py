"""Audit history over SQLAlchemy: the only code that opens a database session.

SQLite in the user's data directory by default; any SQLAlchemy URL (PostgreSQL when a team
shares one) with ``--db``. The schema is created and upgraded by Alembic migrations.

Setting up a database is one transaction under a lock, so that processes recording at once into a
new database never race and a process killed half-way leaves nothing behind: on SQLite the
migration runs inside ``BEGIN EXCLUSIVE`` (pysqlite's own implicit transactions are switched off,
which otherwise leave every ``CREATE TABLE`` in autocommit mode); on PostgreSQL, whose DDL is
transactional, inside a transaction-scoped advisory lock. A database left half set up by an
older sdkreg (tables but no Alembic version row) is repaired under the same lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Connection, Engine, create_engine, event, func, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from sdkreg.errors import NotFoundError, StorageError
from sdkreg.report.model import AuditReport
from sdkreg.store.tables import AuditRow, DetectionRow, DisclosureRow, FindingRow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The tables of the first migration, children first (the order to drop them in).
_INITIAL_TABLES = ("findings", "disclosures", "detections", "audits")
_INITIAL_REVISION = "0001"
# pg_advisory_xact_lock key: any constant; this one spells "sdkreg" in ASCII.
_PG_SETUP_LOCK = 0x73646B726567
# Seconds a SQLite writer waits for another process's lock (setup or a recording) before failing.
_SQLITE_BUSY_TIMEOUT = 60.0


def default_url() -> str:
    directory = Path(user_data_dir("sdkreg", appauthor=False))
    return f"sqlite:///{directory / 'history.db'}"


@dataclass(frozen=True)
class AuditSummary:
    id: int
    created_at: dt.datetime
    app_package: str | None
    version_name: str | None
    version_code: str | None
    apk_sha256: str
    policy_sha256: str
    registry_version: str
    passed: bool
    errors: int
    warnings: int
    infos: int
    sdks: tuple[str, ...]
    disclosed: tuple[str, ...]


@dataclass(frozen=True)
class SdkDiff:
    before: AuditSummary
    after: AuditSummary
    added: tuple[str, ...]
    removed: tuple[str, ...]
    disclosure_added: tuple[str, ...]
    disclosure_removed: tuple[str, ...]


class HistoryStore:
    """The audit history at ``url``. ``create=False`` (the reading commands) never creates a
    database: a SQLite file that does not exist is a ``NotFoundError``, and nothing is written."""

    def __init__(self, url: str | None = None, *, create: bool = True) -> None:
        self.url = url or default_url()
        path = _sqlite_path(self.url)
        if path is not None and not path.exists():
            if not create:
                raise NotFoundError(
                    f"no audit history at {path} (record an audit with `sdkreg audit --record`)"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(f"cannot create audit history at {path}: {exc.strerror or exc}") from exc
        try:
            self.engine: Engine = _engine(self.url)
            self._migrate()
        except (SQLAlchemyError, ImportError, ValueError, OSError) as exc:
            raise StorageError(f"cannot open audit history at {self._safe_url()}: {_why(exc)}") from exc

    def _safe_url(self) -> str:
        try:
            return self.engine.url.render_as_string(hide_password=True)
        except AttributeError:
            return self.url.split("@")[-1]

    def _migrate(self) -> None:
        config = AlembicConfig()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        with self.engine.connect() as connection:  # the usual case: up to date, no lock needed
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
        locked = self.engine.execution_options(sqlite_begin="BEGIN EXCLUSIVE")
        with locked.connect() as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_SETUP_LOCK})
            # Under the lock: another process may have set it up meanwhile (then this is a no-op).
            config.attributes["connection"] = connection
            if _repair_half_setup(connection, self._safe_url()):
                command.stamp(config, _INITIAL_REVISION)
            command.upgrade(config, "head")

    @contextmanager
    def _session(self) -> Iterator[Session]:
        # IMMEDIATE: a SQLite writer takes the write lock up front and waits its turn, instead of
        # failing when two deferred transactions both try to upgrade a read lock.
        bind = self.engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        try:
            with Session(bind) as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise StorageError(f"audit history at {self._safe_url()}: {_why(exc)}") from exc

    def record(self, report: AuditReport, when: dt.datetime | None = None) -> int:
        row = audit_row(report, when)
        with self._session() as session:
            session.add(row)
            session.flush()
            return row.id

    def history(self, package: str) -> tuple[AuditSummary, ...]:
        with self._session() as session:
            rows = session.scalars(
                select(AuditRow)
                .where(AuditRow.app_package == package)
                .order_by(AuditRow.created_at, AuditRow.id)
                .options(selectinload(AuditRow.detections), selectinload(AuditRow.disclosures))
            ).all()
            return tuple(_summary(row) for row in rows)

    def find(self, package: str, ref: str) -> AuditSummary:
        """An audit of ``package`` by id (``#12`` or ``12``) or version name (latest audit of it)."""
        return _pick(self.history(package), package, ref)

    def diff(self, package: str, before: str | None = None, after: str | None = None) -> SdkDiff:
        audits = self.history(package)  # read once: both ends are picked from it
        if before is None and len(audits) < 2:  # the default "before" is the second latest
            raise NotFoundError(
                f"{package} has {len(audits)} recorded audit(s); diff needs two (record with --record)"
            )
        old = _pick(audits, package, before) if before else audits[-2]
        new = _pick(audits, package, after) if after else audits[-1]
        return SdkDiff(
            before=old,
            after=new,
            added=tuple(sorted(set(new.sdks) - set(old.sdks))),
            removed=tuple(sorted(set(old.sdks) - set(new.sdks))),
            disclosure_added=tuple(sorted(set(new.disclosed) - set(old.disclosed))),
            disclosure_removed=tuple(sorted(set(old.disclosed) - set(new.disclosed))),
        )


def _sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for other databases and in-memory SQLite."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None  # create_engine reports the malformed URL
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):  # a URI filename (?uri=true): left to SQLite
        return None
    return Path(parsed.database)


def _engine(url: str) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url)
    engine = create_engine(url, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT})

    # pysqlite opens transactions implicitly, and only before INSERT/UPDATE/DELETE: DDL would run
    # in autocommit mode. Take over: no implicit transactions, and BEGIN (of the kind a caller asks
    # for with the ``sqlite_begin`` execution option) issued by SQLAlchemy itself.
    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))

    return engine


def _repair_half_setup(connection: Connection, where: str) -> bool:
    """True when the database holds the initial tables but no Alembic version row: an older
    sdkreg was killed while setting it up (its DDL was not transactional), or it was created by
    hand. Empty leftovers are dropped (the upgrade then creates them afresh); a complete set that
    holds data is the initial schema, to be stamped with its revision. Anything else is not ours
    to guess at."""
    names = set(inspect(connection).get_table_names())
    if "alembic_version" in names and connection.execute(
        text("SELECT version_num FROM alembic_version")
    ).first() is not None:
        return False
    present = [name for name in _INITIAL_TABLES if name in names]
    if not present:
        return False
    rows = sum(
        connection.execute(select(func.count()).select_from(table(name))).scalar_one()
        for name in present
    )
    if rows == 0:
        for name in present:
            connection.execute(text(f'DROP TABLE "{name}"'))
        return False
    if len(present) == len(_INITIAL_TABLES):
        return True
    raise StorageError(
        f"audit history at {where} holds data in tables {', '.join(sorted(present))} but has no "
        "schema version and lacks the other tables: repair or move it by hand"
    )


def _pick(audits: tuple[AuditSummary, ...], package: str, ref: str) -> AuditSummary:
    number = ref.removeprefix("#")
    if number.isdigit():
        for audit in audits:
            if audit.id == int(number):
                return audit
    matches = [a for a in audits if ref in (a.version_name, a.version_code)]
    if matches:
        return matches[-1]
    raise NotFoundError(f"no recorded audit of {package} matches '{ref}'")


def _summary(row: AuditRow) -> AuditSummary:
    return AuditSummary(
        id=row.id,
        created_at=row.created_at,
        app_package=row.app_package,
        version_name=row.version_name,
        version_code=row.version_code,
        apk_sha256=row.apk_sha256,
        policy_sha256=row.policy_sha256,
        registry_version=row.registry_version,
        passed=row.passed,
        errors=row.errors,
        warnings=row.warnings,
        infos=row.infos,
        sdks=tuple(sorted(d.sdk for d in row.detections)),
        disclosed=tuple(sorted({d.sdk for d in row.disclosures if d.sdk})),
    )


def _why(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def audit_row(report: AuditReport, when: dt.datetime | None = None) -> AuditRow:
    """The rows that record ``report`` (not yet added to a session): shared by ``record`` and the
    batch ledger, which adds them in the same transaction as its own row."""
    counts = report.counts()
    row = AuditRow(
        created_at=when or dt.datetime.now(dt.UTC).replace(tzinfo=None),
        app_package=report.app.package,
        version_name=report.app.version_name,
        version_code=report.app.version_code,
        apk_path=report.apk.path,
        apk_sha256=report.apk.sha256,
        policy_path=report.policy.path,
        policy_sha256=report.policy.sha256,
        registry_version=report.registry.version,
        tool_version=report.tool_version,
        passed=report.passed,
        errors=counts["error"],
        warnings=counts["warning"],
        infos=counts["info"],
    )
    row.detections = [
        DetectionRow(sdk=d.sdk, family=d.family, confidence=d.confidence,
                     evidence="\n".join(e.detail for e in d.evidence))
        for d in report.detections
    ]
    row.disclosures = [
        DisclosureRow(as_written=d.as_written, line=d.line, sdk=d.sdk, level=d.level)
        for d in report.disclosures
    ]
    row.findings = [
        FindingRow(kind=f.kind, severity=f.severity.label, sdk=f.sdk, subject=f.subject,
                   fingerprint=f.fingerprint, message=f.message, suppressed_reason=None)
        for f in report.findings
    ] + [
        FindingRow(kind=s.finding.kind, severity=s.finding.severity.label, sdk=s.finding.sdk,
                   subject=s.finding.subject, fingerprint=s.finding.fingerprint,
                   message=s.finding.message, suppressed_reason=s.reason)
        for s in report.suppressed
    ]
    return row
