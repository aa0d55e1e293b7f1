"""Exit codes are an API: one test per row of README's table, and the table matches the code."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sdkreg.cli import run
from sdkreg.errors import ExitCode
from tests.conftest import REPO, broken_registry
from tests.policy.documents import build_scanned_pdf

DEMO_POLICY = str(REPO / "samples" / "demo-policy.txt")
FAMILY_POLICY = str(REPO / "tests" / "audit" / "policies" / "demo-family.txt")

Case = Callable[[dict[str, Path], Path], list[str]]


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def unreachable_url() -> str:
    """A loopback port nobody listens on: the connection is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/privacy.html"


CASES: dict[ExitCode, Case] = {
    ExitCode.OK: lambda apks, tmp: ["audit", str(apks["demo"]), FAMILY_POLICY],
    ExitCode.FINDINGS: lambda apks, tmp: ["audit", str(apks["demo"]), DEMO_POLICY],
    ExitCode.USAGE: lambda apks, tmp: ["audit", str(apks["demo"]), DEMO_POLICY, "--fail-on", "fatal"],
    ExitCode.REGISTRY_INVALID: lambda apks, tmp: [
        "audit", str(apks["demo"]), DEMO_POLICY, "--registry", str(broken_registry(tmp))],
    ExitCode.CONFIG_INVALID: lambda apks, tmp: [
        "audit", str(apks["demo"]), DEMO_POLICY, "--config", write(tmp / "c.toml", b"[[ignore]\n")],
    ExitCode.STORAGE_FAILED: lambda apks, tmp: [
        "audit", str(apks["demo"]), DEMO_POLICY, "--db", "postgresql+psycopg://u@127.0.0.1:9/x"],
    ExitCode.NOT_FOUND: lambda apks, tmp: ["registry", "show", "no-such-sdk"],
    ExitCode.ENGINE_FAILED: lambda apks, tmp: [
        "batch", write(tmp / "m.csv", b"apk,policy\n"), "--scheduler", "tcp://127.0.0.1:9",
        "--connect-timeout", "1", "--db", f"sqlite:///{tmp / 'h.db'}"],
    ExitCode.INPUT_MISSING: lambda apks, tmp: ["audit", str(tmp / "missing.apk"), DEMO_POLICY],
    ExitCode.APK_NOT_ZIP: lambda apks, tmp: ["scan", str(apks["broken-not-zip"])],
    ExitCode.APK_CORRUPT: lambda apks, tmp: ["scan", str(apks["broken-truncated"])],
    ExitCode.APK_TOO_LARGE: lambda apks, tmp: ["scan", str(apks["broken-zip-bomb"])],
    ExitCode.APK_NO_MANIFEST: lambda apks, tmp: ["scan", str(apks["broken-no-manifest"])],
    ExitCode.APK_BAD_DEX: lambda apks, tmp: ["scan", str(apks["broken-corrupt-dex"])],
    ExitCode.APK_ENCRYPTED: lambda apks, tmp: ["scan", str(apks["broken-encrypted"])],
    ExitCode.POLICY_EMPTY: lambda apks, tmp: ["policy", write(tmp / "p.txt", b" \n\n")],
    ExitCode.POLICY_BINARY: lambda apks, tmp: [
        "policy", write(tmp / "p.txt", b"\x89PNG\r\n\x1a\n" + bytes(64))],
    ExitCode.POLICY_UNDECODABLE: lambda apks, tmp: [
        "policy", write(tmp / "p.txt", b"\xef\xbb\xbf\xe5\xb0\x8f\xff\xfe")],
    ExitCode.POLICY_URL_FAILED: lambda apks, tmp: ["audit", str(apks["demo"]), unreachable_url()],
    ExitCode.POLICY_NO_TEXT_LAYER: lambda apks, tmp: [
        "policy", write(tmp / "scan.pdf", build_scanned_pdf())],
}


@pytest.mark.parametrize("code", list(CASES), ids=[c.name for c in CASES])
def test_each_exit_code(code: ExitCode, built_apks: dict[str, Path], tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    args = CASES[code](built_apks, tmp_path)
    capsys.readouterr()
    assert run(args) == code
    err = capsys.readouterr().err
    if code not in (ExitCode.OK, ExitCode.FINDINGS):
        lines = [line for line in err.splitlines() if line.strip()]
        assert "Traceback" not in err
        if code is not ExitCode.USAGE:  # click's own usage text spans a few lines
            assert len(lines) == 1 and lines[0].startswith("sdkreg: error: "), err


def test_internal_error_is_one_line(monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("sdkreg.cli.registry_cmd.open_registry", broken)
    assert run(["registry", "list"]) == ExitCode.INTERNAL
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["sdkreg: error: internal error: RuntimeError: boom "
                   "(set SDKREG_DEBUG=1 for a traceback)"]


def test_every_code_is_tested_and_documented() -> None:
    assert set(CASES) | {ExitCode.INTERNAL} == set(ExitCode)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    documented = {int(m) for m in re.findall(r"^\| (\d+) \|", section, flags=re.MULTILINE)}
    assert documented == {int(c) for c in ExitCode}


# --- every path a user can name: our one-line error and README's code, never click's (defect 12)


def fifo(tmp: Path) -> str:
    path = tmp / "fifo"
    if not path.exists():
        os.mkfifo(path)
    return str(path)


DEMO_APK = str(REPO / "samples" / "demo.apk")
README = str(REPO / "README.md")

PATH_CASES: dict[str, tuple[Callable[[Path], list[str]], ExitCode]] = {
    "config-is-a-directory": (lambda tmp: ["audit", DEMO_APK, DEMO_POLICY, "--config", str(tmp)],
                              ExitCode.CONFIG_INVALID),
    "config-is-a-fifo": (lambda tmp: ["audit", DEMO_APK, DEMO_POLICY, "--config", fifo(tmp)],
                         ExitCode.CONFIG_INVALID),
    "baseline-is-a-directory": (lambda tmp: ["audit", DEMO_APK, DEMO_POLICY, "--baseline", str(tmp)],
                                ExitCode.CONFIG_INVALID),
    "baseline-is-a-fifo": (lambda tmp: ["audit", DEMO_APK, DEMO_POLICY, "--baseline", fifo(tmp)],
                           ExitCode.CONFIG_INVALID),
    "registry-is-a-file": (lambda tmp: ["scan", DEMO_APK, "--registry", README],
                           ExitCode.REGISTRY_INVALID),
    "registry-list-on-a-file": (lambda tmp: ["registry", "list", "--registry", README],
                                ExitCode.REGISTRY_INVALID),
    "validate-a-file": (lambda tmp: ["registry", "validate", README], ExitCode.REGISTRY_INVALID),
    "policy-is-a-fifo": (lambda tmp: ["policy", fifo(tmp)], ExitCode.INPUT_MISSING),
    "policy-is-a-device": (lambda tmp: ["policy", "/dev/zero"], ExitCode.INPUT_MISSING),
    "audit-policy-is-a-fifo": (lambda tmp: ["audit", DEMO_APK, fifo(tmp)], ExitCode.INPUT_MISSING),
    "apk-is-a-fifo": (lambda tmp: ["scan", fifo(tmp)], ExitCode.INPUT_MISSING),
    "apk-is-a-directory": (lambda tmp: ["scan", str(tmp)], ExitCode.INPUT_MISSING),
}


@pytest.mark.parametrize("case", list(PATH_CASES))
def test_paths_get_our_exit_codes(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_args, expected = PATH_CASES[case]
    args = make_args(tmp_path)
    capsys.readouterr()
    assert run(args) == expected
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("sdkreg: error: "), lines


UNREADABLE_CASES: dict[str, tuple[Callable[[str], list[str]], ExitCode]] = {
    "scan": (lambda f: ["scan", f], ExitCode.INPUT_MISSING),
    "policy": (lambda f: ["policy", f], ExitCode.INPUT_MISSING),
    "audit-apk": (lambda f: ["audit", f, DEMO_POLICY], ExitCode.INPUT_MISSING),
    "audit-policy": (lambda f: ["audit", DEMO_APK, f], ExitCode.INPUT_MISSING),
    "config": (lambda f: ["audit", DEMO_APK, DEMO_POLICY, "--config", f], ExitCode.CONFIG_INVALID),
    "baseline": (lambda f: ["audit", DEMO_APK, DEMO_POLICY, "--baseline", f], ExitCode.CONFIG_INVALID),
}


@pytest.fixture(scope="module")
def unreadable_file() -> Iterator[str]:
    directory = Path(tempfile.mkdtemp(prefix="sdkreg-unreadable-"))
    path = directory / "secret.txt"
    path.write_text("本应用接入了小米推送SDK。\n", encoding="utf-8")
    path.chmod(0)
    try:
        yield str(path)
    finally:
        shutil.rmtree(directory)


def without_root_read_override() -> list[str]:
    """How to run a command that file permissions bind: tests run as root in CI, and root reads
    any file unless it lacks CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH (util-linux's setpriv)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


@pytest.mark.parametrize("case", list(UNREADABLE_CASES))
def test_an_unreadable_file_is_our_one_line_error(case: str, unreadable_file: str) -> None:
    make_args, expected = UNREADABLE_CASES[case]
    proc = subprocess.run(
        [*without_root_read_override(), sys.executable, "-m", "sdkreg", *make_args(unreadable_file)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "SDKREG_NO_CACHE": "1"},
    )
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == expected, proc.stderr
    assert len(lines) == 1 and lines[0].startswith("sdkreg: error: ") and "Permission denied" in lines[0]

