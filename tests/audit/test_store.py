"""Audit history on SQLite, and on a real PostgreSQL server when one is given (CI starts one)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from sdkreg.apk.model import AppInfo
from sdkreg.cli import run
from sdkreg.errors import ExitCode, NotFoundError, StorageError
from sdkreg.registry import Registry, load_registry
from sdkreg.store import MIGRATIONS, HistoryStore
from sdkreg.store.tables import Base
from tests.audit.builders import detected, disclosure, policy, report, scan

REPO = Path(__file__).resolve().parents[2]

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


# --- first-time setup: atomic and serialised (issue 12, defect 1) -----------------------------

RECORDERS = 8


def _record_after_barrier(url: str, barrier: Any, results: Any) -> None:
    """One recording process: build the report first, then all processes hit the new database
    at the same moment."""
    registry = load_registry(REPO / "registry")
    ready = report(registry, scan(), policy())
    barrier.wait(120)
    try:
        results.put(HistoryStore(url).record(ready))
    except Exception as exc:  # reported to the parent, which asserts on it
        results.put(f"{type(exc).__name__}: {exc}")


def _record_concurrently(url: str) -> list[object]:
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(RECORDERS), ctx.Queue()
    workers = [ctx.Process(target=_record_after_barrier, args=(url, barrier, results))
               for _ in range(RECORDERS)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=300) for _ in workers]
    for worker in workers:
        worker.join(60)
    return outcomes


def test_eight_processes_recording_into_a_new_sqlite_database_lose_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new' / 'history.db'}"
    outcomes = _record_concurrently(url)
    assert sorted(outcomes, key=str) == list(range(1, RECORDERS + 1)), outcomes
    assert len(HistoryStore(url).history("com.example.app")) == RECORDERS


@pytest.mark.skipif(not POSTGRES_URL and not os.environ.get("CI"),
                    reason="set SDKREG_TEST_POSTGRES_URL (CI starts a server)")
def test_eight_processes_recording_into_a_new_postgresql_database_lose_nothing() -> None:
    assert POSTGRES_URL, "CI must provide SDKREG_TEST_POSTGRES_URL"
    name = f"sdkreg_race_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        outcomes = _record_concurrently(url)
        assert sorted(outcomes, key=str) == list(range(1, RECORDERS + 1)), outcomes
        store = HistoryStore(url)
        assert len(store.history("com.example.app")) == RECORDERS
        store.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _set_up_and_hang(url: str, marker: str) -> None:
    """Start setting up a new database, stop for good after its first table."""
    from alembic import op

    real = op.create_table

    def create_then_hang(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        Path(marker).write_text("one table created")
        time.sleep(600)
        return result

    op.create_table = create_then_hang  # type: ignore[assignment]
    HistoryStore(url)


def test_a_kill_during_setup_leaves_a_database_that_still_works(tmp_path: Path, registry: Registry) -> None:
    url = f"sqlite:///{tmp_path / 'history.db'}"
    marker = tmp_path / "marker"
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=_set_up_and_hang, args=(url, str(marker)))
    child.start()
    try:
        for _ in range(600):
            if marker.exists() or not child.is_alive():
                break
            time.sleep(0.1)
        assert marker.exists(), "the child never reached the middle of the setup"
    finally:
        os.kill(child.pid or 0, signal.SIGKILL)
        child.join(30)
    store = HistoryStore(url)
    assert store.record(report(registry, scan(), policy())) == 1
    assert len(store.history("com.example.app")) == 1


def _half_set_up(path: Path, tables: tuple[str, ...], with_row: bool) -> str:
    """A database as the old, non-atomic setup could leave it: some tables, no version row."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    Base.metadata.create_all(engine, tables=[Base.metadata.tables[t] for t in tables])
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
        if with_row:
            connection.execute(text(
                "INSERT INTO audits (created_at, apk_path, apk_sha256, policy_path, policy_sha256,"
                " registry_version, tool_version, passed, errors, warnings, infos, app_package)"
                " VALUES ('2026-01-01', 'a.apk', 'x', 'p.txt', 'y', 'r', 't', 1, 0, 0, 0, 'com.kept')"))
    engine.dispose()
    return url


def test_empty_half_set_up_tables_are_rebuilt(tmp_path: Path, registry: Registry) -> None:
    url = _half_set_up(tmp_path / "h.db", ("audits", "detections"), with_row=False)
    store = HistoryStore(url)
    assert store.record(report(registry, scan(), policy())) == 1
    with store.engine.connect() as connection:
        assert connection.execute(text("select version_num from alembic_version")).scalar() == HEAD


def test_a_complete_unversioned_schema_with_data_is_stamped_and_kept(tmp_path: Path) -> None:
    url = _half_set_up(tmp_path / "h.db", ("audits", "detections", "disclosures", "findings"),
                       with_row=True)
    assert [a.apk_sha256 for a in HistoryStore(url).history("com.kept")] == ["x"]


def test_an_incomplete_schema_holding_data_is_refused_not_guessed(tmp_path: Path) -> None:
    url = _half_set_up(tmp_path / "h.db", ("audits",), with_row=True)
    with pytest.raises(StorageError, match="repair or move it by hand"):
        HistoryStore(url)


# --- SDKREG_DB chooses where, never whether (issue 12, defect 2) -------------------------------

DEMO_APK = str(REPO / "samples" / "demo.apk")
DEMO_POLICY = str(REPO / "samples" / "demo-policy.txt")


def test_sdkreg_db_alone_does_not_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "env" / "history.db"
    monkeypatch.setenv("SDKREG_DB", f"sqlite:///{db}")
    assert run(["audit", DEMO_APK, DEMO_POLICY]) == ExitCode.FINDINGS
    assert not db.exists() and not db.parent.exists()
    assert run(["audit", DEMO_APK, DEMO_POLICY, "--record"]) == ExitCode.FINDINGS
    assert len(HistoryStore(f"sqlite:///{db}").history("com.example.sdkdemo")) == 1
    assert run(["history", "com.example.sdkdemo", "--format", "json"]) == ExitCode.OK


def test_db_option_records_where_it_says(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_db, option_db = tmp_path / "env.db", tmp_path / "option.db"
    monkeypatch.setenv("SDKREG_DB", f"sqlite:///{env_db}")
    assert run(["audit", DEMO_APK, DEMO_POLICY, "--db", f"sqlite:///{option_db}"]) == ExitCode.FINDINGS
    assert option_db.exists() and not env_db.exists()


@pytest.mark.parametrize("command", [["history", "com.example.sdkdemo"], ["diff", "com.example.sdkdemo"],
                                     ["stats"]])
def test_reading_a_missing_history_creates_nothing(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "no" / "such" / "history.db"
    assert run([*command, "--db", f"sqlite:///{db}"]) == ExitCode.NOT_FOUND
    assert not (tmp_path / "no").exists()
    assert capsys.readouterr().err.startswith(f"sdkreg: error: no audit history at {db}")


def test_an_audit_that_does_not_record_never_imports_the_history_store() -> None:
    """SQLAlchemy and Alembic cost every audit a quarter of a second before (bench_startup.py)."""
    code = (
        "import sys; from sdkreg.cli import run; "
        f"code = run(['audit', {DEMO_APK!r}, {DEMO_POLICY!r}, '--format', 'json']); "
        "print(code, sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'alembic'}))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.stdout.strip().splitlines()[-1] == f"{int(ExitCode.FINDINGS)} []", proc.stderr
