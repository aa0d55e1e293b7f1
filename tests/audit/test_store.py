"""Audit history on SQLite, and on a real PostgreSQL server when one is given (CI starts one)."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from sdkreg.apk.model import AppInfo
from sdkreg.errors import NotFoundError, StorageError
from sdkreg.registry import Registry
from sdkreg.store import MIGRATIONS, HistoryStore
from tests.audit.builders import detected, disclosure, policy, report, scan

POSTGRES_URL = os.environ.get("SDKREG_TEST_POSTGRES_URL")
# The newest migration: every open brings a database up to it.
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _exercise(store: HistoryStore, registry: Registry) -> None:
    v1_scan = scan(detected(registry, "xiaomi-push"), detected(registry, "tencent-bugly"))
    v1 = report(registry, v1_scan, policy(disclosure("xiaomi-push", 3)))
    v2_scan = scan(detected(registry, "xiaomi-push"), detected(registry, "amap-location"))
    v2_scan = replace(v2_scan, app=AppInfo("com.example.app", "2.0", "2"))
    v2_policy = policy(disclosure("xiaomi-push", 3), disclosure("amap", 8, level="family"))
    v2 = report(registry, v2_scan, v2_policy)
    first, second = store.record(v1), store.record(v2)
    assert second > first
    audits = store.history("com.example.app")
    assert [(a.version_name, a.sdks) for a in audits] == [
        ("1.0", ("tencent-bugly", "xiaomi-push")),
        ("2.0", ("amap-location", "xiaomi-push")),
    ]
    assert audits[0].passed is False and audits[0].errors == 1
    change = store.diff("com.example.app")
    assert (change.added, change.removed) == (("amap-location",), ("tencent-bugly",))
    assert change.disclosure_added == ("amap",)
    assert store.diff("com.example.app", "2.0", "1.0").added == ("tencent-bugly",)
    assert store.find("com.example.app", f"#{first}").version_name == "1.0"
    with pytest.raises(NotFoundError):
        store.find("com.example.app", "9.9")
    assert store.history("com.other") == ()


def test_sqlite_history_and_migrations(tmp_path: Path, registry: Registry) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'history.db'}"
    store = HistoryStore(url)
    _exercise(store, registry)
    with store.engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == HEAD
    assert {"audits", "detections", "disclosures", "findings", "batch_items"} <= set(
        inspect(store.engine).get_table_names())
    HistoryStore(url)  # reopening an up-to-date database migrates nothing and keeps the data
    assert len(HistoryStore(url).history("com.example.app")) == 2


def test_diff_needs_two_audits(tmp_path: Path, registry: Registry) -> None:
    store = HistoryStore(f"sqlite:///{tmp_path / 'h.db'}")
    with pytest.raises(NotFoundError, match="needs two"):
        store.diff("com.example.app")
    store.record(report(registry, scan(), policy()))
    with pytest.raises(NotFoundError, match="needs two"):
        store.diff("com.example.app", after="1.0")  # only --to: the default --from is missing
    with pytest.raises(NotFoundError, match=r"matches '9\.9'"):
        store.diff("com.example.app", before="9.9")


def test_unreachable_database_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="cannot open audit history"):
        HistoryStore("postgresql://nobody:secret@127.0.0.1:9/none")


@pytest.mark.skipif(not POSTGRES_URL and not os.environ.get("CI"),
                    reason="set SDKREG_TEST_POSTGRES_URL (CI starts a server)")
def test_postgresql_history(registry: Registry) -> None:
    assert POSTGRES_URL, "CI must provide SDKREG_TEST_POSTGRES_URL"
    store = HistoryStore(POSTGRES_URL)
    with store.engine.begin() as connection:
        for table in ("findings", "disclosures", "detections", "audits"):
            connection.execute(text(f"delete from {table}"))
    assert store.engine.dialect.name == "postgresql"
    _exercise(store, registry)
