"""Exit codes are an API: one test per row of README's table, and the table matches the code."""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from sdkreg.cli import run
from sdkreg.errors import ExitCode
from tests.conftest import REGISTRY_DIR, REPO
from tests.policy.documents import build_scanned_pdf

DEMO_POLICY = str(REPO / "samples" / "demo-policy.txt")
FAMILY_POLICY = str(REPO / "tests" / "audit" / "policies" / "demo-family.txt")

Case = Callable[[dict[str, Path], Path], list[str]]


def broken_registry(tmp: Path) -> str:
    root = tmp / "registry"
    shutil.copytree(REGISTRY_DIR, root)
    path = root / "sdks" / "xiaomi-push.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("category: push", "category: pushh"),
                    encoding="utf-8")
    return str(root)


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
        "audit", str(apks["demo"]), DEMO_POLICY, "--registry", broken_registry(tmp)],
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
