"""Audit history over SQLAlchemy: the only code that opens a database session.

SQLite in the user's data directory by default; any SQLAlchemy URL (PostgreSQL when a team
shares one) with ``--db``. The schema is created and upgraded by Alembic migrations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from sdkreg.errors import NotFoundError, StorageError
from sdkreg.report.model import AuditReport
from sdkreg.store.tables import AuditRow, DetectionRow, DisclosureRow, FindingRow

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


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
    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        if self.url.startswith("sqlite:///") and not self.url.startswith("sqlite:///:memory:"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(self.url)
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
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with Session(self.engine) as session, session.begin():
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
