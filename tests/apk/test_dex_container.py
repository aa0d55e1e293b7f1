"""The DEX name reader against androguard's full parser, its corruption checks, the container's
decompression limits, the manifest reader and the JSON schema."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import jsonschema
import pytest

from sdkreg.apk import inspect_apk
from sdkreg.apk.container import Limits
from sdkreg.apk.dex import class_names
from sdkreg.apk.manifest import resolve_class
from sdkreg.cli import run
from sdkreg.errors import ApkBadDexError, ApkTooLargeError

REPO = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((REPO / "sdkreg" / "schemas" / "scan.schema.json").read_text(encoding="utf-8"))


def dex_of(apk: Path, name: str = "classes.dex") -> bytes:
    with zipfile.ZipFile(apk) as zf:
        return zf.read(name)


@pytest.mark.parametrize("dex", ["classes.dex", "classes2.dex", "classes3.dex"])
def test_names_equal_androguards_full_parse(built_apks: dict[str, Path], dex: str) -> None:
    from loguru import logger

    logger.disable("androguard")
    from androguard.core.dex import DEX

    data = dex_of(built_apks["multidex"], dex)
    expected = sorted(c.get_name()[1:-1].replace("/", ".") for c in DEX(data).get_classes())
    assert sorted(class_names(data, dex)) == expected


def test_inner_class_names_keep_their_dollar(built_apks: dict[str, Path]) -> None:
    names = class_names(dex_of(built_apks["demo"]), "classes.dex")
    assert "com.tencent.bugly.crashreport.CrashReport$UserStrategy" in names


def _patched(data: bytes, offset: int, value: int) -> bytes:
    buf = bytearray(data)
    struct.pack_into("<I", buf, offset, value)
    return bytes(buf)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: b"dey\n035\0" + d[8:], "bad magic"),
        (lambda d: d[:0x40], "shorter than a header"),
        (lambda d: d[: len(d) // 2], "truncated"),
        (lambda d: _patched(d, 40, 0x78563412), "endian"),
        (lambda d: _patched(d, 60, len(d) + 64), "string_ids"),  # string_ids_off
        (lambda d: _patched(d, 100, 0x7FFF_FFF0), "class_defs"),  # class_defs_off
    ],
)
def test_corrupt_dex_is_a_one_line_error(
    built_apks: dict[str, Path], mutate: object, message: str
) -> None:
    data = dex_of(built_apks["demo"])
    with pytest.raises(ApkBadDexError) as info:
        class_names(mutate(data), "x.apk!classes.dex")  # type: ignore[operator]
    assert message in str(info.value) and "\n" not in str(info.value)


def test_type_index_out_of_range_is_caught(built_apks: dict[str, Path]) -> None:
    data = dex_of(built_apks["demo"])
    class_defs_off = struct.unpack_from("<I", data, 100)[0]
    with pytest.raises(ApkBadDexError, match="out of range"):
        class_names(_patched(data, class_defs_off, 0xFFFF), "x")


def test_total_decompression_budget_is_enforced(built_apks: dict[str, Path]) -> None:
    with pytest.raises(ApkTooLargeError, match="total limit"):
        inspect_apk(built_apks["multidex"], Limits(max_total_bytes=4096))


def test_per_entry_limit_is_enforced(built_apks: dict[str, Path]) -> None:
    with pytest.raises(ApkTooLargeError, match="per-entry limit"):
        inspect_apk(built_apks["demo"], Limits(max_entry_bytes=1024))


def test_ratio_limit_is_enforced(built_apks: dict[str, Path]) -> None:
    with pytest.raises(ApkTooLargeError, match="ratio"):
        inspect_apk(built_apks["demo"], Limits(max_ratio=1.0, ratio_floor=0))


def test_member_count_limit_for_containers(built_apks: dict[str, Path]) -> None:
    with pytest.raises(ApkTooLargeError, match="member APKs"):
        inspect_apk(built_apks["split-xapk"], Limits(max_members=2))


def test_manifest_evidence(built_apks: dict[str, Path]) -> None:
    ev = inspect_apk(built_apks["demo"])
    assert ev.app.package == "com.example.sdkdemo"
    assert (ev.app.version_name, ev.app.version_code) == ("1.2.0", "12")
    assert "android.permission.ACCESS_FINE_LOCATION" in ev.permissions
    names = {c.name for c in ev.components}
    # ".push.DemoMessageReceiver" resolved against the package
    assert "com.example.sdkdemo.push.DemoMessageReceiver" in names
    assert ev.main_activity == "com.example.sdkdemo.MainActivity"
    assert ev.application == "com.example.sdkdemo.App"
    obf = inspect_apk(built_apks["obfuscated"])
    # A resource reference stays as written, not resolved.
    assert dict(obf.meta_data)["com.example.obf.CHANNEL"].startswith("@")


def test_resolve_class() -> None:
    assert resolve_class(".Main", "com.a") == "com.a.Main"
    assert resolve_class("Main", "com.a") == "com.a.Main"
    assert resolve_class("org.x.Main", "com.a") == "org.x.Main"


@pytest.mark.parametrize("name", ["demo", "multidex", "packed-jiagu", "split-xapk", "lookalike"])
def test_json_output_matches_schema(
    name: str, built_apks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["scan", str(built_apks[name]), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)


def test_console_script_runs_cleanly(built_apks: dict[str, Path]) -> None:
    """The real entry point in a fresh process: import order, no log lines on stderr."""
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("sdkreg")
    proc = subprocess.run([str(exe), "scan", str(built_apks["packed-jiagu"])],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "xiaomi-push" in proc.stdout
    bad = subprocess.run([str(exe), "scan", str(built_apks["broken-corrupt-dex"])],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 15 and len(bad.stderr.splitlines()) == 1
