"""`sdkreg stats` over a history built from audit reports (no Dask needed): prevalence,
undisclosed rate, apps with the most findings, changes between registry versions."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from sdkreg.apk.model import AppInfo
from sdkreg.cli import run
from sdkreg.errors import ExitCode, NotFoundError
from sdkreg.registry import Registry
from sdkreg.report.model import AuditReport
from sdkreg.report.stats import stats_document, stats_text
from sdkreg.schemas import validator
from sdkreg.store import HistoryStore
from sdkreg.store.batch import BatchInput, BatchKey, BatchLedger, ItemError
from sdkreg.store.stats import corpus_stats
from tests.audit.builders import detected, disclosure, policy, report, scan


def app_report(registry: Registry, version: str, package: str, app_version: str, sha: str,
               sdks: tuple[str, ...], disclosed: tuple[str, ...]) -> AuditReport:
    result = replace(scan(*(detected(registry, s) for s in sdks)), sha256=sha * 64,
                     app=AppInfo(package, app_version, "1"))
    made = report(registry, result, policy(*(disclosure(s, 10 + i) for i, s in enumerate(disclosed))))
    return replace(made, registry=replace(made.registry, version=version))


@pytest.fixture
def store(tmp_path: Path, registry: Registry) -> HistoryStore:
    """Three apps under registry v1 (app A also has an older build), the same inputs under v2,
    where the registry no longer detects Bugly in app A; one batch item failed under v2."""
    history = HistoryStore(f"sqlite:///{tmp_path / 'history.db'}")
    history.record(app_report(registry, "v1", "com.a", "0.9", "0", ("amap-location",), ()))
    history.record(app_report(registry, "v1", "com.a", "1.0", "a", ("xiaomi-push", "tencent-bugly"),
                              ("xiaomi-push",)))
    history.record(app_report(registry, "v1", "com.b", "2.0", "b", ("xiaomi-push",), ("xiaomi-push",)))
    history.record(app_report(registry, "v1", "com.c", "3.0", "c", ("tencent-bugly", "amap-location"), ()))
    history.record(app_report(registry, "v2", "com.a", "1.0", "a", ("xiaomi-push",), ("xiaomi-push",)))
    history.record(app_report(registry, "v2", "com.b", "2.0", "b", ("xiaomi-push",), ("xiaomi-push",)))
    history.record(app_report(registry, "v2", "com.c", "3.0", "c", ("tencent-bugly", "amap-location"), ()))
    BatchLedger(history).record([(
        BatchInput(BatchKey("d" * 64, "1" * 64, "v2"), "/apps/d.apk", "/apps/d.txt"),
        ItemError("ApkCorruptError", 12, "/apps/d.apk: truncated or damaged zip"),
    )])
    return history


def test_prevalence_undisclosed_rate_and_top_apps(store: HistoryStore) -> None:
    stats = corpus_stats(store, "v1")
    assert (stats.apps, stats.passed, stats.failed) == (3, 1, 2)  # com.a counts once: its 1.0
    assert [(s.sdk, s.apps, round(s.share, 3), s.undisclosed, s.undisclosed_rate) for s in stats.sdks] == [
        ("tencent-bugly", 2, 0.667, 2, 1.0),
        ("xiaomi-push", 2, 0.667, 0, 0.0),
        ("amap-location", 1, 0.333, 1, 1.0),
    ]
    assert [(a.package, a.errors, a.undisclosed) for a in stats.top_apps] == [
        ("com.c", 2, 2), ("com.a", 1, 1), ("com.b", 0, 0)]
    assert stats.changes is None  # nothing was recorded before v1
    assert stats.item_errors == ()


def test_changes_between_registry_versions(store: HistoryStore) -> None:
    stats = corpus_stats(store)  # the latest version, compared with the one before
    assert stats.registry_version == "v2"
    assert [v.version for v in stats.registry_versions] == ["v1", "v2"]
    change = stats.changes
    assert change is not None
    assert (change.before, change.after, change.compared) == ("v1", "v2", 3)
    assert (change.newly_failing, change.newly_passing) == (0, 1)
    assert [(c.sdk, c.detected_gained, c.detected_lost, c.undisclosed_gained, c.undisclosed_lost)
            for c in change.sdks] == [("tencent-bugly", 0, 1, 0, 1)]
    assert [(e.error_class, e.exit_code, e.items) for e in stats.item_errors] == [("ApkCorruptError", 12, 1)]
    assert corpus_stats(store, "v2", compare_to="v2").changes is None


def test_unknown_version_and_empty_history(store: HistoryStore, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="v9"):
        corpus_stats(store, "v9")
    empty = corpus_stats(HistoryStore(f"sqlite:///{tmp_path / 'empty.db'}"))
    assert empty.registry_version is None and empty.apps == 0
    assert stats_text(empty).startswith("no audits recorded")
    validator("stats").validate(stats_document(empty))


def test_stats_command_text_and_json(store: HistoryStore, capsys: pytest.CaptureFixture[str]) -> None:
    url = store.url
    assert run(["stats", "--db", url, "--format", "json"]) == ExitCode.OK
    document = json.loads(capsys.readouterr().out)
    validator("stats").validate(document)
    assert document["registry_version"] == "v2" and document["changes"]["compared"] == 3

    assert run(["stats", "--db", url, "--registry-version", "v1", "--top", "2"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.startswith("3 app(s) audited under registry v1: 1 pass, 2 fail")
    assert "tencent-bugly" in out and "… 1 more" in out
    assert "com.c" in out and "com.b" not in out  # --top 2
    assert run(["stats", "--db", url, "--registry-version", "nope"]) == ExitCode.NOT_FOUND
