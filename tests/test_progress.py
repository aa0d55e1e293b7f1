"""The progress line: on a terminal for a person only — never in machine-readable output, CI logs
or a redirected stderr. Terminals are real pseudo-terminals (``pty``)."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
from pathlib import Path

SDKREG = str(Path(sys.executable).parent / "sdkreg")
ERASE = b"\r\x1b[K"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(extra)
    return env


def _on_terminal(args: list[str], env: dict[str, str]) -> tuple[bytes, bytes, int]:
    """Run sdkreg with stderr on a pseudo-terminal; stdout stays a pipe."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([SDKREG, *args], stdout=subprocess.PIPE, stderr=terminal, env=env)
    os.close(terminal)
    seen = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(controller)
    stdout = process.stdout.read() if process.stdout else b""
    return seen, stdout, process.wait()


def test_shown_on_a_terminal_then_erased(built_apks: dict[str, Path]) -> None:
    seen, stdout, code = _on_terminal(["scan", str(built_apks["split-apks"])], _env())
    assert code == 0
    assert b"opening split.apks" in seen
    assert b"reading splits/base-master.apk!classes.dex (1/2)" in seen
    assert b"matching 17 classes against the registry" in seen
    assert seen.startswith(ERASE) and seen.endswith(ERASE)  # drawn in place, erased at the end
    plain = subprocess.run([SDKREG, "scan", str(built_apks["split-apks"])], capture_output=True, env=_env())
    assert stdout == plain.stdout and plain.stderr == b""  # the report itself is untouched


def test_in_the_readers_language(built_apks: dict[str, Path]) -> None:
    seen, _, _ = _on_terminal(["scan", str(built_apks["demo"]), "--lang", "zh-CN"], _env())
    assert "正在打开 demo.apk".encode() in seen


def test_audit_shows_each_input(built_apks: dict[str, Path]) -> None:
    policy = Path(__file__).resolve().parents[1] / "samples" / "demo-policy.txt"
    seen, _, code = _on_terminal(["audit", str(built_apks["demo"]), str(policy)], _env())
    assert code == 1
    for step in (b"reading the policy demo-policy.txt", b"opening demo.apk", b"reading classes.dex (1/1)",
                 b"cross-checking the APK and the policy"):
        assert step in seen


def test_never_in_machine_readable_output(built_apks: dict[str, Path]) -> None:
    seen, stdout, _ = _on_terminal(["scan", str(built_apks["demo"]), "--format", "json"], _env())
    assert seen == b"" and stdout.startswith(b"{")


def test_never_in_ci_logs(built_apks: dict[str, Path]) -> None:
    seen, _, _ = _on_terminal(["scan", str(built_apks["demo"])], _env(CI="true"))
    assert seen == b""
    seen, _, _ = _on_terminal(["scan", str(built_apks["demo"])], _env(TERM="dumb"))
    assert seen == b""


def test_not_shown_when_stderr_is_not_a_terminal(built_apks: dict[str, Path]) -> None:
    result = subprocess.run([SDKREG, "scan", str(built_apks["demo"])], capture_output=True, env=_env())
    assert result.returncode == 0 and result.stderr == b""
