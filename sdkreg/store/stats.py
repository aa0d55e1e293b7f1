"""Corpus statistics over the audit history: what ``sdkreg stats`` shows (and a chart can draw).

An *app* is an app package (an APK without a readable package counts by its SHA-256); each app
counts once per registry version, by its latest audit under that version. Changes between two
registry versions compare only audits of the same APK and policy, so they show what the registry
change did, not what the apps changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from sdkreg.errors import NotFoundError
from sdkreg.store import HistoryStore
from sdkreg.store.tables import AuditRow, BatchItemRow, DetectionRow, FindingRow


@dataclass(frozen=True)
class RegistryVersionInfo:
    version: str
    first_recorded: dt.datetime
    last_recorded: dt.datetime
    audits: int


@dataclass(frozen=True)
class SdkStat:
    sdk: str
    apps: int  # apps the SDK was detected in
    share: float  # apps / all apps audited under the registry version
    undisclosed: int  # of those apps, how many do not disclose it
    undisclosed_rate: float  # undisclosed / apps


@dataclass(frozen=True)
class AppStat:
    package: str | None
    version_name: str | None
    audit_id: int
    apk_sha256: str
    errors: int
    warnings: int
    infos: int
    undisclosed: int


@dataclass(frozen=True)
class ItemErrorStat:
    error_class: str
    exit_code: int
    items: int


@dataclass(frozen=True)
class SdkChange:
    sdk: str
    detected_gained: int  # apps the SDK is detected in under ``after`` but not ``before``
    detected_lost: int
    undisclosed_gained: int
    undisclosed_lost: int


@dataclass(frozen=True)
class RegistryChanges:
    before: str
    after: str
    compared: int  # APK + policy pairs audited under both versions
    newly_failing: int
    newly_passing: int
    sdks: tuple[SdkChange, ...]


@dataclass(frozen=True)
class CorpusStats:
    registry_version: str | None  # None: nothing recorded yet
    registry_versions: tuple[RegistryVersionInfo, ...]  # oldest first
    apps: int
    passed: int
    failed: int
    sdks: tuple[SdkStat, ...]  # most prevalent first
    top_apps: tuple[AppStat, ...]  # most findings first
    item_errors: tuple[ItemErrorStat, ...]  # batch items that could not be audited
    changes: RegistryChanges | None


def registry_versions(store: HistoryStore) -> tuple[RegistryVersionInfo, ...]:
    with store._session() as session:
        rows = session.execute(
            select(AuditRow.registry_version, func.min(AuditRow.created_at),
                   func.max(AuditRow.created_at), func.count())
            .group_by(AuditRow.registry_version)
            .order_by(func.min(AuditRow.created_at), AuditRow.registry_version)
        ).all()
    return tuple(RegistryVersionInfo(v, first, last, n) for v, first, last, n in rows)


def corpus_stats(store: HistoryStore, registry_version: str | None = None,
                 compare_to: str | None = None, top: int = 10) -> CorpusStats:
    """Statistics of the apps audited under ``registry_version`` (default: the latest recorded),
    and the changes from ``compare_to`` (default: the version recorded before it, if any)."""
    versions = registry_versions(store)
    known = [v.version for v in versions]
    if registry_version is None:
        if not versions:
            return CorpusStats(None, (), 0, 0, 0, (), (), (), None)
        registry_version = max(versions, key=lambda v: v.last_recorded).version
    for wanted in (registry_version, compare_to):
        if wanted is not None and wanted not in known:
            raise NotFoundError(f"no audits recorded under registry version '{wanted}'")
    if compare_to is None:
        index = known.index(registry_version)
        compare_to = known[index - 1] if index > 0 else None
    with store._session() as session:
        latest = _latest_per_app(registry_version)
        apps, passed = session.execute(
            select(func.count(), func.coalesce(func.sum(case((AuditRow.passed, 1), else_=0)), 0))
            .where(AuditRow.id.in_(latest))
        ).one()
        stats = CorpusStats(
            registry_version=registry_version,
            registry_versions=versions,
            apps=apps,
            passed=passed,
            failed=apps - passed,
            sdks=_sdk_stats(session, latest, apps),
            top_apps=_top_apps(session, latest, top),
            item_errors=_item_errors(session, registry_version),
            changes=(_changes(session, compare_to, registry_version)
                     if compare_to is not None and compare_to != registry_version else None),
        )
    return stats


def _latest_per_app(version: str) -> Select[int]:
    app = func.coalesce(AuditRow.app_package, AuditRow.apk_sha256)
    return select(func.max(AuditRow.id)).where(AuditRow.registry_version == version).group_by(app)


def _undisclosed(audits: Select[int]) -> Select[int, str | None]:
    return (
        select(FindingRow.audit_id, FindingRow.sdk)
        .where(FindingRow.audit_id.in_(audits), FindingRow.kind == "undisclosed",
               FindingRow.suppressed_reason.is_(None), FindingRow.sdk.is_not(None))
        .distinct()
    )


def _sdk_stats(session: Session, latest: Select[int], apps: int) -> tuple[SdkStat, ...]:
    detected: dict[str, int] = dict(session.execute(
        select(DetectionRow.sdk, func.count(func.distinct(DetectionRow.audit_id)))
        .where(DetectionRow.audit_id.in_(latest))
        .group_by(DetectionRow.sdk)
    ).all())
    # Undisclosed among the apps that carry the SDK (a finding always comes with its detection).
    hidden = _undisclosed(latest).subquery()
    undisclosed: dict[str, int] = dict(session.execute(
        select(hidden.c.sdk, func.count()).group_by(hidden.c.sdk)
    ).all())
    stats = [
        SdkStat(sdk, n, n / apps if apps else 0.0, undisclosed.get(sdk, 0),
                undisclosed.get(sdk, 0) / n)
        for sdk, n in detected.items()
    ]
    return tuple(sorted(stats, key=lambda s: (-s.apps, -s.undisclosed, s.sdk)))


def _top_apps(session: Session, latest: Select[int], top: int) -> tuple[AppStat, ...]:
    hidden = _undisclosed(latest).subquery()
    counts = (select(hidden.c.audit_id, func.count().label("n"))
              .group_by(hidden.c.audit_id).subquery())
    rows = session.execute(
        select(AuditRow.app_package, AuditRow.version_name, AuditRow.id, AuditRow.apk_sha256,
               AuditRow.errors, AuditRow.warnings, AuditRow.infos, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.audit_id == AuditRow.id)
        .where(AuditRow.id.in_(latest))
        .order_by(AuditRow.errors.desc(), AuditRow.warnings.desc(), AuditRow.infos.desc(),
                  AuditRow.app_package, AuditRow.id)
        .limit(top)
    ).all()
    return tuple(AppStat(*row) for row in rows)


def _item_errors(session: Session, version: str) -> tuple[ItemErrorStat, ...]:
    rows = session.execute(
        select(BatchItemRow.error_class, BatchItemRow.exit_code, func.count())
        .where(BatchItemRow.registry_version == version, BatchItemRow.status == "error")
        .group_by(BatchItemRow.error_class, BatchItemRow.exit_code)
    ).all()
    stats = [ItemErrorStat(cls or "?", code, n) for cls, code, n in rows]
    return tuple(sorted(stats, key=lambda s: (-s.items, s.error_class)))


def _changes(session: Session, before: str, after: str) -> RegistryChanges:
    """Per APK + policy pair audited under both versions: what the registry change changed."""

    def latest_per_input(version: str) -> dict[tuple[str, str], tuple[int, bool]]:
        ids = (select(func.max(AuditRow.id)).where(AuditRow.registry_version == version)
               .group_by(AuditRow.apk_sha256, AuditRow.policy_sha256))
        rows = session.execute(
            select(AuditRow.apk_sha256, AuditRow.policy_sha256, AuditRow.id, AuditRow.passed)
            .where(AuditRow.id.in_(ids))
        ).all()
        return {(apk, policy): (audit_id, passed) for apk, policy, audit_id, passed in rows}

    old, new = latest_per_input(before), latest_per_input(after)
    pairs = old.keys() & new.keys()
    old_ids = {old[p][0] for p in pairs}
    new_ids = {new[p][0] for p in pairs}

    def sets_by_audit(query: Select[int, str | None], wanted: set[int]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = defaultdict(set)
        for audit_id, sdk in session.execute(query):
            if audit_id in wanted and sdk:
                found[audit_id].add(sdk)
        return found

    def audits_of(version: str) -> Select[int]:
        return select(AuditRow.id).where(AuditRow.registry_version == version)

    detected_query = (select(DetectionRow.audit_id, DetectionRow.sdk)
                      .join(AuditRow, AuditRow.id == DetectionRow.audit_id))
    old_detected = sets_by_audit(
        detected_query.where(AuditRow.registry_version == before), old_ids)
    new_detected = sets_by_audit(
        detected_query.where(AuditRow.registry_version == after), new_ids)
    old_hidden = sets_by_audit(_undisclosed(audits_of(before)), old_ids)
    new_hidden = sets_by_audit(_undisclosed(audits_of(after)), new_ids)

    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    newly_failing = newly_passing = 0
    for pair in pairs:
        (old_id, old_passed), (new_id, new_passed) = old[pair], new[pair]
        for sdk in new_detected[new_id] - old_detected[old_id]:
            tallies[sdk][0] += 1
        for sdk in old_detected[old_id] - new_detected[new_id]:
            tallies[sdk][1] += 1
        for sdk in new_hidden[new_id] - old_hidden[old_id]:
            tallies[sdk][2] += 1
        for sdk in old_hidden[old_id] - new_hidden[new_id]:
            tallies[sdk][3] += 1
        newly_failing += old_passed and not new_passed
        newly_passing += new_passed and not old_passed
    changes = [SdkChange(sdk, *counts) for sdk, counts in tallies.items()]
    return RegistryChanges(
        before=before,
        after=after,
        compared=len(pairs),
        newly_failing=newly_failing,
        newly_passing=newly_passing,
        sdks=tuple(sorted(changes, key=lambda c: (-sum((c.detected_gained, c.detected_lost,
                                                         c.undisclosed_gained, c.undisclosed_lost)),
                                                   c.sdk))),
    )
