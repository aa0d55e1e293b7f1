"""``sdkreg batch`` on Dask: stream a manifest through a cluster, record every item once.

The client is the only writer of the history store. Workers identify (hash) and audit items and
send back reports; the client records each one, with its ledger row, in one transaction as it
arrives. So workers need no database credentials, SQLite works with a remote cluster, and a
worker killed mid-audit costs only that audit: Dask runs its task again elsewhere, and the item
is recorded when a result first arrives.

Each item is two tasks. ``identify`` hashes the APK and the policy; if the ledger already holds
that key (APK SHA-256, policy SHA-256, registry version) the item is reused without an audit;
otherwise ``audit`` runs it. At most ``max_in_flight`` items are between the manifest and the
ledger at any time (``as_completed``, refilled as each finishes), so memory stays flat however
long the manifest is.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Literal

from distributed import Client, Future, LocalCluster, as_completed
from distributed.scheduler import KilledWorker

from sdkreg import __version__
from sdkreg.batch.manifest import BatchItem
from sdkreg.batch.work import (
    ItemIdentity,
    ItemResult,
    RegistryPlugin,
    audit,
    audits_run,
    identify,
    peak_memory,
    plugin_name,
    tool_version,
)
from sdkreg.errors import EngineError, ExitCode, first_line
from sdkreg.findings import Severity
from sdkreg.registry import Registry
from sdkreg.store.batch import (
    BatchInput,
    BatchKey,
    BatchLedger,
    BatchRecord,
    ItemError,
    Outcome,
    item_key,
)

Verdict = Literal["pass", "fail", "error"]
# Items in flight per worker thread: enough that a worker does not wait while the client commits
# (each item passes through the client twice: identified, then audited), few enough that a killed
# worker has little to redo. 2 left a worker idle behind SQLite commits (16 APKs/s with one worker
# on the benchmark corpus); 4 kept it busy (19.6 APKs/s).
IN_FLIGHT_PER_THREAD = 4


@dataclass(frozen=True)
class ItemOutcome:
    item: BatchItem
    record: BatchRecord  # what the ledger holds for the item
    verdict: Verdict
    reused: bool  # recorded before (an earlier run, another client, a duplicate row): not audited now


def verdict_of(record: BatchRecord, fail_on: Severity | None) -> Verdict:
    """The verdict at this run's ``--fail-on``: the ledger keeps counts, not a verdict."""
    if record.status == "error":
        return "error"
    if fail_on is None:
        return "pass"
    at_or_above = {Severity.ERROR: record.errors,
                   Severity.WARNING: record.errors + record.warnings,
                   Severity.INFO: record.errors + record.warnings + record.infos}[fail_on]
    return "fail" if at_or_above else "pass"


@dataclass(frozen=True)
class BatchSummary:
    items: int
    audited: int  # audits run by this batch
    reused: int
    verdicts: tuple[tuple[Verdict, int], ...]  # pass, fail, error
    errors: tuple[tuple[str, int, int], ...]  # (error class, exit code, items), most frequent first


class Tally:
    """Counts outcomes as they stream by (for the progress bar and the closing summary)."""

    def __init__(self) -> None:
        self.items = 0
        self.reused = 0
        self.verdicts: Counter[Verdict] = Counter()
        self.errors: Counter[tuple[str, int]] = Counter()

    def add(self, outcome: ItemOutcome) -> None:
        self.items += 1
        self.reused += outcome.reused
        self.verdicts[outcome.verdict] += 1
        if outcome.verdict == "error":
            self.errors[(outcome.record.error_class or "?", outcome.record.exit_code)] += 1

    def summary(self) -> BatchSummary:
        return BatchSummary(
            items=self.items,
            audited=self.items - self.reused,
            reused=self.reused,
            verdicts=tuple((v, self.verdicts[v]) for v in ("pass", "fail", "error")),
            errors=tuple(sorted(((c, code, n) for (c, code), n in self.errors.items()),
                                key=lambda e: (-e[2], e[0]))),
        )


@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None,
            timeout: float = 30.0) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a new local cluster of ``workers``
    single-threaded processes (default: one per core available to this process)."""
    cluster: LocalCluster | None = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=timeout)
        else:
            count = workers or len(os.sched_getaffinity(0))
            # One thread per process: an audit is pure Python, threads would share one GIL.
            # Loopback only, and no dashboard; its HTTP server (health checks) on a free port.
            cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                                   host="127.0.0.1", dashboard_address=None,
                                   scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                                   silence_logs=logging.ERROR)
            client = Client(cluster, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        where = scheduler or "a local cluster"
        raise EngineError(f"cannot start the batch on {where}: {first_line(exc)}") from exc
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class BatchRunner:
    def __init__(self, client: Client, ledger: BatchLedger, registry: Registry, *,
                 fail_on: Severity | None = Severity.ERROR, max_in_flight: int | None = None,
                 retry_failed: bool = False) -> None:
        self.client = client
        self.ledger = ledger
        self.registry = registry
        self.fail_on = fail_on
        self.max_in_flight = max_in_flight
        self.retry_failed = retry_failed
        self._prepared = False

    def prepare(self) -> None:
        """Ship the registry to every worker (once per registry version and cluster) and check
        that the workers run this sdkreg."""
        if self._prepared:
            return
        try:
            versions = self.client.run(tool_version)
            wrong = sorted({v for v in versions.values() if v != __version__})
            if wrong:
                raise EngineError(f"the cluster's workers run sdkreg {', '.join(wrong)}, this client "
                                  f"{__version__}: install the same version on both")
            self.client.register_plugin(RegistryPlugin(self.registry),
                                        name=plugin_name(self.registry.version))
        except EngineError:
            raise
        except Exception as exc:  # e.g. sdkreg missing on a remote worker: the plugin cannot load
            raise EngineError(f"cannot load the registry on the cluster's workers: "
                              f"{type(exc).__name__}: {first_line(exc)}") from exc
        self._prepared = True

    def run(self, items: Iterable[BatchItem]) -> Iterator[ItemOutcome]:
        """Audit ``items`` (read lazily), yielding each item's outcome once it is recorded."""
        self.prepare()
        window = self.max_in_flight or max(8, IN_FLIGHT_PER_THREAD * sum(self.client.nthreads().values()))
        source = iter(items)
        # Results travel with their futures (no round trip per result); a failed task's result is
        # its exception, handled in _value.
        pending = as_completed(with_results=True, raise_errors=False)
        staged: dict[Future[Any], tuple[BatchItem, BatchInput | None]] = {}
        # Keys being audited now, with the items of the same content that wait for that audit.
        auditing: dict[BatchKey, list[BatchItem]] = {}
        waiting = 0

        def refill() -> None:
            while pending.count() + waiting < window:
                item = next(source, None)
                if item is None:
                    return
                future = self.client.submit(identify, item, key=_task_key("identify"), pure=False)
                staged[future] = (item, None)
                pending.add(future)

        refill()
        # Whatever has finished is handled together: one transaction for the audits, one lookup
        # for the identified items. When the client falls behind, groups grow and it catches up.
        # An item is yielded only once its transaction has committed.
        for ready in pending.batches():
            identified: list[tuple[BatchItem, BatchInput, ItemIdentity]] = []
            audited: list[tuple[BatchItem, BatchInput, Outcome]] = []
            twins: list[list[BatchItem]] = []
            for future, result in ready:
                item, entry = staged.pop(future)
                value = self._value(future, result, item, identifying=entry is None)
                if isinstance(value, ItemIdentity):
                    identified.append((item, self._entry(item, value), value))
                    continue
                assert entry is not None
                twins.append(auditing.pop(entry.key))
                waiting -= len(twins[-1])
                if value.report is not None:
                    # Keyed by what was audited (it differs only if a file changed meanwhile).
                    key = BatchKey(value.report.apk.sha256, value.report.policy.sha256,
                                   self.registry.version)
                    audited.append((item, replace(entry, key=key), value.report))
                else:
                    assert value.error is not None
                    audited.append((item, entry, value.error))
            for (item, record, wrote), same in zip(self._record(audited), twins, strict=True):
                yield self._outcome(item, record, reused=not wrote)
                for twin in same:
                    yield self._outcome(twin, record, reused=True)

            # After the audits above are recorded, so that their twins are found recorded.
            known = self.ledger.lookup(entry.key for _, entry, _ in identified)
            failed: list[tuple[BatchItem, BatchInput, Outcome]] = []
            for item, entry, identity in identified:
                earlier = known.get(entry.key)
                if earlier is not None and not (earlier.status == "error" and self.retry_failed):
                    yield self._outcome(item, earlier, reused=True)
                elif entry.key in auditing:
                    auditing[entry.key].append(item)
                    waiting += 1
                elif identity.error is not None:
                    failed.append((item, entry, identity.error))
                else:
                    task = self.client.submit(audit, item, self.registry.version, self.fail_on,
                                              key=_task_key("audit"), pure=False)
                    staged[task] = (item, entry)
                    auditing[entry.key] = []
                    pending.add(task)
            for item, record, wrote in self._record(failed):
                yield self._outcome(item, record, reused=not wrote)
            refill()

    def _record(self, items: list[tuple[BatchItem, BatchInput, Outcome]]
                ) -> list[tuple[BatchItem, BatchRecord, bool]]:
        if not items:
            return []
        recorded = self.ledger.record([(entry, outcome) for _, entry, outcome in items],
                                      replace_error=self.retry_failed)
        return [(item, record, wrote)
                for (item, _, _), (record, wrote) in zip(items, recorded, strict=True)]

    def audits_run(self) -> int:
        """Audits the cluster's current workers ran with this registry (a restarted worker
        starts again from zero)."""
        return sum(self.client.run(audits_run, self.registry.version).values())

    def peak_memory(self) -> dict[str, int]:
        """Peak resident memory of each current worker, in bytes."""
        result: dict[str, int] = self.client.run(peak_memory)
        return result

    def _entry(self, item: BatchItem, identity: ItemIdentity) -> BatchInput:
        policy = item.policy or ""
        return BatchInput(
            key=item_key(item.apk, policy, self.registry.version, identity.apk_sha256,
                         identity.policy_sha256),
            apk_path=item.apk,
            policy_path=policy,
            declared_package=item.package,
            declared_version=item.version,
            labels=item.labels,
        )

    def _outcome(self, item: BatchItem, record: BatchRecord, *, reused: bool) -> ItemOutcome:
        return ItemOutcome(item, record, verdict_of(record, self.fail_on), reused)

    @staticmethod
    def _value(future: Future[Any], result: Any, item: BatchItem, *,
               identifying: bool) -> ItemIdentity | ItemResult:
        if future.status == "error":  # as_completed(raise_errors=False) hands (type, exc, tb)
            exc = result[1]
            if isinstance(exc, KilledWorker):
                # Dask gave up on the task after it killed its worker several times (e.g. out of
                # memory): the item fails; the batch goes on.
                error = ItemError("KilledWorker", int(ExitCode.INTERNAL),
                                  f"{item.apk}: the worker auditing it died repeatedly ({first_line(exc)})")
                return ItemIdentity(None, None, error) if identifying else ItemResult(None, error)
            raise EngineError(f"the Dask cluster failed: {type(exc).__name__}: {first_line(exc)}") from exc
        if isinstance(result, BaseException):  # cancelled: the cluster or the client went away
            raise EngineError(f"the Dask cluster failed: {type(result).__name__}: {first_line(result)}")
        assert isinstance(result, ItemIdentity | ItemResult)
        return result


def _task_key(stage: str) -> str:
    return f"sdkreg-{stage}-{uuid.uuid4().hex}"
