"""The batch ledger on SQLite and PostgreSQL: insert-if-absent on the key, what it returns equals
what it stored, two clients recording the same item, --retry-failed replacing an error."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sdkreg.registry import Registry
from sdkreg.report.model import AuditReport
from sdkreg.store import HistoryStore
from sdkreg.store.batch import BatchInput, BatchKey, BatchLedger, ItemError, item_key, unreadable_marker
from tests.audit.builders import detected, disclosure, policy, report, scan


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.db'}"
    result: str = request.getfixturevalue("postgres_url")
    return result


def demo_report(registry: Registry) -> AuditReport:
    return report(registry, scan(detected(registry, "xiaomi-push"), detected(registry, "tencent-bugly")),
                  policy(disclosure("xiaomi-push")))


def entry(made: AuditReport, labels: tuple[str, ...] = ("a",)) -> BatchInput:
    key = BatchKey(made.apk.sha256, made.policy.sha256, made.registry.version)
    return BatchInput(key, "/apps/app.apk", "/apps/app.txt", "com.declared", "9", labels)


def test_what_is_recorded_is_what_is_returned(url: str, registry: Registry) -> None:
    ledger = BatchLedger(HistoryStore(url))
    made = demo_report(registry)
    broken = BatchInput(BatchKey(unreadable_marker("/apps/gone.apk"), "1" * 64, "v"), "/apps/gone.apk", "")
    missing = ItemError("InputMissingError", 10, "/apps/gone.apk: no such file")
    written = ledger.record([(entry(made), made), (broken, missing)])
    assert [wrote for _, wrote in written] == [True, True]
    audited, failed = (record for record, _ in written)
    assert (audited.package, audited.sdks, audited.undisclosed) == (
        "com.example.app", ("tencent-bugly", "xiaomi-push"), ("tencent-bugly",))
    assert (audited.errors, audited.audit_id is not None, audited.labels) == (1, True, ("a",))
    assert (failed.status, failed.error_class, failed.exit_code, failed.package) == (
        "error", "InputMissingError", 10, None)
    assert len(unreadable_marker("/apps/gone.apk")) == 64
    stored = ledger.lookup([audited.key, failed.key, BatchKey("f" * 64, "f" * 64, "v")])
    assert stored == {audited.key: audited, failed.key: failed}
    assert HistoryStore(url).history("com.example.app")[0].id == audited.audit_id


def test_two_clients_record_one_item_once(url: str, registry: Registry) -> None:
    first, second = BatchLedger(HistoryStore(url)), BatchLedger(HistoryStore(url))
    made = demo_report(registry)
    (mine, wrote), = first.record([(entry(made), made)])
    (theirs, wrote_again), = second.record([(entry(made, labels=("b",)), made)])
    assert wrote and not wrote_again
    assert theirs == mine  # the second client gets the first one's record
    assert len(HistoryStore(url).history("com.example.app")) == 1  # and wrote no audit of its own


def test_retry_replaces_only_an_error(url: str, registry: Registry) -> None:
    ledger = BatchLedger(HistoryStore(url))
    made = demo_report(registry)
    crash = ItemError("KilledWorker", 70, "the worker auditing it died repeatedly")
    (failed, _), = ledger.record([(entry(made), crash)])
    (kept, wrote), = ledger.record([(entry(made), made)])
    assert not wrote and kept == failed  # without --retry-failed the error stands
    (redone, wrote), = ledger.record([(entry(made), made)], replace_error=True)
    assert wrote and redone.status == "audited" and ledger.lookup([redone.key]) == {redone.key: redone}
    other = replace(made, registry=replace(made.registry, version="v2"))
    (audit_again, wrote), = ledger.record([(entry(other), other)], replace_error=True)
    assert wrote and audit_again.key.registry_version == "v2"
    # An audit is never replaced, even with replace_error.
    (same, wrote), = ledger.record([(entry(made), crash)], replace_error=True)
    assert not wrote and same == redone


def test_an_input_read_at_last_supersedes_its_unreadable_past(url: str, registry: Registry) -> None:
    """While the APK was missing its row had a marker key; once read, the item has its content
    key, and the ledger keeps one row for it, not two."""
    ledger = BatchLedger(HistoryStore(url))
    made = demo_report(registry)
    version = made.registry.version
    missing = BatchInput(item_key("/apps/app.apk", "/apps/app.txt", version, None, made.policy.sha256),
                         "/apps/app.apk", "/apps/app.txt")
    (gone, _), = ledger.record([(missing, ItemError("InputMissingError", 10, "no such file"))])
    assert gone.key.apk_sha256 == unreadable_marker("/apps/app.apk")
    other = BatchInput(item_key("/apps/other.apk", "", version), "/apps/other.apk", "")
    (kept, _), = ledger.record([(other, ItemError("InputMissingError", 10, "no policy beside it"))])

    (audited, wrote), = ledger.record([(entry(made), made)])
    assert wrote and audited.key == item_key("/apps/app.apk", "/apps/app.txt", version,
                                             made.apk.sha256, made.policy.sha256)
    assert ledger.lookup([gone.key, kept.key, audited.key]) == {kept.key: kept, audited.key: audited}
