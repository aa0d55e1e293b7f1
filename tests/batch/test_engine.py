"""`sdkreg batch`'s engine on a real 2-worker Dask LocalCluster, recording into PostgreSQL (the
server CI starts) and SQLite: every item once, a killed worker, a re-run, a registry change."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import dask
import distributed
from sqlalchemy import select, text

from sdkreg.batch.engine import BatchRunner, ItemOutcome, connect
from sdkreg.batch.manifest import Manifest
from sdkreg.pipeline import run_audit
from sdkreg.registry import Registry, load_registry
from sdkreg.store import HistoryStore
from sdkreg.store.batch import BatchLedger
from sdkreg.store.stats import corpus_stats
from sdkreg.store.tables import BatchItemRow
from tests.batch.conftest import POLICIES, distinct_items, write_manifest
from tests.conftest import REGISTRY_DIR


def run_batch(runner: BatchRunner, manifest: Path) -> list[ItemOutcome]:
    return list(runner.run(Manifest(manifest)))


def ledger(store: HistoryStore) -> list[BatchItemRow]:
    with store._session() as session:
        rows = list(session.scalars(select(BatchItemRow).order_by(BatchItemRow.id)))
        session.expunge_all()
    return rows


def audit_ids(store: HistoryStore) -> list[int]:
    with store.engine.connect() as connection:
        return [row[0] for row in connection.execute(text("select id from audits order by id"))]


def assert_recorded_once(store: HistoryStore, expected_keys: int, expected_audits: int) -> None:
    rows = ledger(store)
    keys = {(r.apk_sha256, r.policy_sha256, r.registry_version) for r in rows}
    assert len(rows) == len(keys) == expected_keys
    audited = [r.audit_id for r in rows if r.status == "audited"]
    # Every audit belongs to exactly one ledger row, and no audit was written without one.
    assert sorted(audited) == audit_ids(store)
    assert len(audited) == expected_audits


def test_batch_on_postgres_records_every_item_once(
    client: distributed.Client, postgres_url: str, built_apks: dict[str, Path], registry: Registry,
    tmp_path: Path,
) -> None:
    good = distinct_items(built_apks, tmp_path, 10)
    corrupt = (built_apks["broken-truncated"], POLICIES[0])
    not_zip = (built_apks["broken-not-zip"], POLICIES[1])
    no_policy = (built_apks["demo"], tmp_path / "deleted-policy.txt")
    manifest = write_manifest(tmp_path / "batch.csv", [*good, corrupt, not_zip, no_policy, good[0]])
    store = HistoryStore(postgres_url)
    runner = BatchRunner(client, BatchLedger(store), registry)
    runner.prepare()
    audits_before = runner.audits_run()

    outcomes = run_batch(runner, manifest)

    assert store.engine.dialect.name == "postgresql"
    assert len(outcomes) == 14
    assert_recorded_once(store, expected_keys=13, expected_audits=10)
    # The last row repeats the first item's content: it waits for that audit and reuses it.
    assert [o.reused for o in outcomes].count(True) == 1
    assert outcomes_by_apk(outcomes, good[0][0], good[0][1])[1].reused
    # Items that reach the audit stage: 10 good, the corrupt and the non-zip APK (the missing
    # policy fails while hashing, the repeated item is not audited twice).
    assert runner.audits_run() - audits_before == 12
    failures = {(r.apk_path, r.error_class, r.exit_code) for r in ledger(store) if r.status == "error"}
    assert failures == {
        (str(corrupt[0]), "ApkCorruptError", 12),
        (str(not_zip[0]), "ApkNotZipError", 11),
        (str(no_policy[0]), "InputMissingError", 10),
    }
    # Audited exactly as `sdkreg audit` would: the same SDKs, findings and verdict.
    for apk, policy in good:
        outcome = outcomes_by_apk(outcomes, apk, policy)[0]
        direct = run_audit(apk, policy, registry)
        assert outcome.record.sdks == tuple(sorted(d.sdk for d in direct.detections))
        assert outcome.verdict == ("pass" if direct.passed else "fail")
        assert (outcome.record.errors, outcome.record.warnings, outcome.record.infos) == tuple(
            direct.counts().values())
        assert outcome.record.labels == ("fixture", apk.stem)


def outcomes_by_apk(outcomes: list[ItemOutcome], apk: Path, policy: Path) -> list[ItemOutcome]:
    return [o for o in outcomes if (o.item.apk, o.item.policy) == (str(apk), str(policy))]


def test_rerun_does_no_work(client: distributed.Client, postgres_url: str,
                            built_apks: dict[str, Path], registry: Registry, tmp_path: Path) -> None:
    items = [*distinct_items(built_apks, tmp_path, 5), (built_apks["broken-corrupt-dex"], POLICIES[0])]
    manifest = write_manifest(tmp_path / "batch.csv", items)
    store = HistoryStore(postgres_url)
    first = run_batch(BatchRunner(client, BatchLedger(store), registry), manifest)
    rows_before = [(r.id, r.created_at, r.status) for r in ledger(store)]
    audits_before = audit_ids(store)
    assert [o.verdict for o in first].count("error") == 1

    runner = BatchRunner(client, BatchLedger(HistoryStore(postgres_url)), registry)
    runner.prepare()
    worker_audits = runner.audits_run()
    second = run_batch(runner, manifest)

    assert all(o.reused for o in second) and len(second) == len(items)
    assert runner.audits_run() == worker_audits  # no worker audited anything
    assert [(r.id, r.created_at, r.status) for r in ledger(store)] == rows_before
    assert audit_ids(store) == audits_before
    verdicts = {(o.item.apk, o.item.policy): (o.verdict, o.record.id) for o in first}
    assert {(o.item.apk, o.item.policy): (o.verdict, o.record.id) for o in second} == verdicts


def test_killing_a_worker_mid_batch_still_records_every_item_once(
    client: distributed.Client, postgres_url: str, built_apks: dict[str, Path], registry: Registry,
    tmp_path: Path,
) -> None:
    items = distinct_items(built_apks, tmp_path, 24)
    manifest = write_manifest(tmp_path / "batch.csv", items)
    store = HistoryStore(postgres_url)
    runner = BatchRunner(client, BatchLedger(store), registry)

    outcomes, killed = run_killing_a_busy_worker(client, runner, manifest, after=3)

    assert killed is not None, "no worker was killed mid-batch"
    assert killed not in client.run(os.getpid).values()  # that process is gone
    assert len(outcomes) == 24 and not any(o.reused for o in outcomes)
    assert {o.verdict for o in outcomes} <= {"pass", "fail"}
    assert_recorded_once(store, expected_keys=24, expected_audits=24)


def run_killing_a_busy_worker(client: distributed.Client, runner: BatchRunner, manifest: Path,
                              after: int) -> tuple[list[ItemOutcome], int | None]:
    """Run the batch while, from beside it (as the OOM killer or a lost machine would), the
    process of a worker in the middle of an audit is killed once ``after`` items are recorded.
    The outcomes, and the pid of the process killed (None: none was)."""
    pids: dict[str, int] = client.run(os.getpid)
    outcomes: list[ItemOutcome] = []
    killed: list[int] = []

    def kill_a_busy_worker() -> None:
        while len(outcomes) < after:
            time.sleep(0.01)
        victim = pids[worker_auditing(client)]
        os.kill(victim, signal.SIGKILL)
        killed.append(victim)

    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    for outcome in runner.run(Manifest(manifest)):
        outcomes.append(outcome)
    killer.join(timeout=60)
    return outcomes, killed[0] if killed else None


def worker_auditing(client: distributed.Client) -> str:
    """A worker that has an audit task in progress (the scheduler's view)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for worker, tasks in client.processing().items():
            if any(str(task).startswith("sdkreg-audit-") for task in tasks):
                return worker
        time.sleep(0.005)
    raise AssertionError("no worker was auditing")


def test_registry_change_redoes_stale_items(
    client: distributed.Client, postgres_url: str, built_apks: dict[str, Path], registry: Registry,
    tmp_path: Path,
) -> None:
    items = distinct_items(built_apks, tmp_path, 7)
    manifest = write_manifest(tmp_path / "batch.csv", items)
    store = HistoryStore(postgres_url)
    first = run_batch(BatchRunner(client, BatchLedger(store), registry), manifest)
    with_bugly = sum("tencent-bugly" in o.record.sdks for o in first)
    assert with_bugly >= 2  # demo and multidex carry it

    # A registry that no longer knows Tencent Bugly: another version, so every item is stale.
    changed_dir = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, changed_dir)
    (changed_dir / "sdks" / "tencent-bugly.yaml").unlink()
    changed = load_registry(changed_dir, use_cache=False)
    assert changed.version != registry.version
    runner = BatchRunner(client, BatchLedger(store), changed)
    second = run_batch(runner, manifest)
    assert not any(o.reused for o in second)
    assert_recorded_once(store, expected_keys=14, expected_audits=14)
    assert not any("tencent-bugly" in o.record.sdks for o in second)
    assert all(o.reused for o in run_batch(runner, manifest))  # and now that is recorded too

    stats = corpus_stats(store)
    assert stats.registry_version == changed.version
    assert stats.changes is not None and stats.changes.before == registry.version
    assert stats.changes.compared == 7
    bugly = next(c for c in stats.changes.sdks if c.sdk == "tencent-bugly")
    assert (bugly.detected_gained, bugly.detected_lost) == (0, with_bugly)


def test_retry_failed_replaces_the_error_row(
    client: distributed.Client, built_apks: dict[str, Path], registry: Registry, tmp_path: Path,
) -> None:
    broken = tmp_path / "app.apk"
    shutil.copyfile(built_apks["broken-truncated"], broken)
    manifest = write_manifest(tmp_path / "batch.csv", [(broken, POLICIES[0])])
    store = HistoryStore(f"sqlite:///{tmp_path / 'history.db'}")
    first = run_batch(BatchRunner(client, BatchLedger(store), registry), manifest)
    assert [(o.verdict, o.record.error_class) for o in first] == [("error", "ApkCorruptError")]

    assert run_batch(BatchRunner(client, BatchLedger(store), registry), manifest)[0].reused
    retried = run_batch(BatchRunner(client, BatchLedger(store), registry, retry_failed=True), manifest)
    assert not retried[0].reused and retried[0].record.created_at > first[0].record.created_at
    assert_recorded_once(store, expected_keys=1, expected_audits=0)

    # The APK is replaced by a good build: new content, new key, audited.
    shutil.copyfile(built_apks["demo"], broken)
    fixed = run_batch(BatchRunner(client, BatchLedger(store), registry), manifest)
    assert fixed[0].verdict == "fail" and "tencent-bugly" in fixed[0].record.undisclosed
    assert_recorded_once(store, expected_keys=2, expected_audits=1)


def test_an_item_that_kills_its_worker_is_recorded_as_failed(
    built_apks: dict[str, Path], registry: Registry, tmp_path: Path,
) -> None:
    """Dask gives up on a task whose worker dies more often than allowed (here: once), as it would
    on an APK that exhausts a worker's memory every time; the item is recorded as failed
    (KilledWorker, exit 70), the batch goes on, and --retry-failed audits it again."""
    items = distinct_items(built_apks, tmp_path, 16)
    manifest = write_manifest(tmp_path / "batch.csv", items)
    store = HistoryStore(f"sqlite:///{tmp_path / 'history.db'}")
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), connect(workers=1) as client:
        outcomes, killed = run_killing_a_busy_worker(
            client, BatchRunner(client, BatchLedger(store), registry), manifest, after=2)
        assert killed is not None
        crashed = [o for o in outcomes if o.verdict == "error"]
        assert crashed
        assert {(o.record.error_class, o.record.exit_code) for o in crashed} == {("KilledWorker", 70)}
        assert len(outcomes) == 16
        assert_recorded_once(store, expected_keys=16, expected_audits=16 - len(crashed))

        client.wait_for_workers(1, timeout=120)
        retried = run_batch(BatchRunner(client, BatchLedger(store), registry, retry_failed=True), manifest)
        assert sorted(o.item.where for o in retried if not o.reused) == sorted(o.item.where for o in crashed)
        assert {o.verdict for o in retried} <= {"pass", "fail"}
        assert_recorded_once(store, expected_keys=16, expected_audits=16)
