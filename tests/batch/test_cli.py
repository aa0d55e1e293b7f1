"""`sdkreg batch` from the command line: on an existing cluster (--scheduler) and on its own
local cluster; the JSONL verdicts follow their schema; the progress bar is for terminals only."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import distributed
import pytest

from sdkreg.cli import run
from sdkreg.cli.batch_progress import ProgressBar, progress_line
from sdkreg.errors import ExitCode
from sdkreg.schemas import validator
from tests.batch.conftest import POLICIES, distinct_items, write_manifest


def test_batch_on_an_existing_scheduler(client: distributed.Client, built_apks: dict[str, Path],
                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = [*distinct_items(built_apks, tmp_path, 4), (built_apks["broken-truncated"], POLICIES[0])]
    manifest = write_manifest(tmp_path / "batch.csv", items)
    db = f"sqlite:///{tmp_path / 'history.db'}"
    verdicts = tmp_path / "verdicts.jsonl"
    args = ["batch", str(manifest), "--scheduler", client.scheduler.address, "--db", db,
            "--jsonl", str(verdicts)]

    assert run(args) == ExitCode.FINDINGS  # some items fail, one cannot be audited
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in verdicts.read_text(encoding="utf-8").splitlines()]
    check = validator("batch-item")
    for line in lines:
        check.validate(line)
    assert sorted(line["where"] for line in lines) == sorted(f"{manifest}:{n}" for n in range(2, 7))
    broken = next(line for line in lines if line["verdict"] == "error")
    assert (broken["exit_code"], broken["error"]["class"]) == (12, "ApkCorruptError")
    demo = next(line for line in lines if line["apk"].endswith("demo.apk"))
    assert demo["verdict"] == "fail" and demo["exit_code"] == 1 and demo["audit_id"] is not None
    assert "tencent-bugly" in demo["undisclosed"] and demo["labels"] == ["fixture", "demo"]
    assert "5 item(s)" in err and "5 audited now" in err and "ApkCorruptError (exit 12) 1" in err
    assert "peak memory per worker: " in err
    assert "\r" not in err  # stderr is not a terminal: no progress bar

    # Again: nothing to do, the same verdicts, all marked as reused.
    assert run(args) == ExitCode.FINDINGS
    assert "0 audited now, 5 recorded before" in capsys.readouterr().err
    again = [json.loads(line) for line in verdicts.read_text(encoding="utf-8").splitlines()]
    assert all(line["reused"] for line in again)
    assert sorted((x["apk"], x["verdict"], x["audit_id"]) for x in again) == sorted(
        (x["apk"], x["verdict"], x["audit_id"]) for x in lines)
    # Another threshold judges the recorded findings again, without auditing.
    assert run([*args, "--fail-on", "never"]) == ExitCode.FINDINGS  # the corrupt APK still fails
    relaxed = [json.loads(line) for line in verdicts.read_text(encoding="utf-8").splitlines()]
    assert {x["verdict"] for x in relaxed} == {"pass", "error"}


def test_batch_on_its_own_local_cluster(built_apks: dict[str, Path], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The default engine: a LocalCluster of worker processes started (and stopped) by the command;
    a directory manifest; verdicts on stdout."""
    apps = tmp_path / "apps"
    apps.mkdir()
    shutil.copyfile(built_apks["demo"], apps / "demo.apk")
    shutil.copyfile(REPO_POLICY_FAMILY, apps / "demo.txt")  # discloses everything: passes
    shutil.copyfile(built_apks["lookalike"], apps / "lonely.apk")  # no policy beside it
    code = run(["batch", str(apps), "--workers", "1", "--db", f"sqlite:///{tmp_path / 'h.db'}",
                "--jsonl", "-"])
    out = capsys.readouterr().out
    verdicts = {Path(x["apk"]).name: x for x in map(json.loads, out.splitlines())}
    assert verdicts["demo.apk"]["verdict"] == "pass"
    assert verdicts["lonely.apk"]["verdict"] == "error"
    assert verdicts["lonely.apk"]["exit_code"] == ExitCode.INPUT_MISSING
    assert "no policy beside it" in verdicts["lonely.apk"]["error"]["message"]
    assert code == ExitCode.FINDINGS


def test_workers_and_scheduler_exclude_each_other(tmp_path: Path) -> None:
    manifest = write_manifest(tmp_path / "m.csv", [])
    assert run(["batch", str(manifest), "--scheduler", "tcp://127.0.0.1:9", "--workers", "2",
                "--db", f"sqlite:///{tmp_path / 'h.db'}"]) == ExitCode.USAGE


def test_progress_line() -> None:
    assert progress_line(81, 212, 17.6) == (
        "[#########---------------]  81/212   38%  4.6 APKs/s  ETA 0:28")
    assert progress_line(0, 10, 0.0).endswith("0.0 APKs/s  ETA -:--")
    assert progress_line(1, 20000, 1.0).endswith("ETA 5:33:19")


def test_progress_bar_redraws_in_place_and_clears() -> None:
    now = [0.0]
    stream = io.StringIO()
    bar = ProgressBar(4, stream, clock=lambda: now[0])
    for done in range(1, 5):
        now[0] += 0.5
        bar.update(done)
    bar.close()
    frames = stream.getvalue().split("\r")
    assert frames[1].startswith("[######------------------] 1/4")
    assert frames[4].startswith("[########################] 4/4  100%  2.0 APKs/s")
    assert frames[-1] == "" and set(frames[-2]) == {" "}  # the line is blanked at the end


REPO_POLICY_FAMILY = Path(__file__).resolve().parents[1] / "audit" / "policies" / "demo-family.txt"


def test_without_dask_the_batch_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """Dask is an optional extra: without it, `batch` is exit 7 with the install command."""
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    for name in ("sdkreg.batch.engine", "sdkreg.batch.work"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    manifest = write_manifest(tmp_path / "m.csv", [])
    assert run(["batch", str(manifest), "--db", f"sqlite:///{tmp_path / 'h.db'}"]) == ExitCode.ENGINE_FAILED
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'sdkreg[batch]'" in err[0]
