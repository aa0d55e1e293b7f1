"""Every fixture APK, scanned for real: the exact SDK set, packer and app identity, or for a
broken input its own exit code and a one-line error naming the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sdkreg.cli import run
from sdkreg.pipeline import scan_apk
from sdkreg.registry import Registry
from tests.apk.conftest import fixture_specs

SPECS = fixture_specs()
GOOD = [n for n, s in SPECS.items() if "broken" not in s and not s.get("members_only")]
BROKEN = [n for n, s in SPECS.items() if "broken" in s]


def test_every_kind_of_fixture_is_present() -> None:
    kinds = {s["broken"] for s in SPECS.values() if "broken" in s}
    assert kinds >= {"not-zip", "truncated", "zip-bomb", "no-manifest", "corrupt-dex",
                     "encrypted", "directory", "missing"}
    assert {"split-apks", "split-xapk", "packed-jiagu", "obfuscated", "lookalike",
            "multidex"} <= set(GOOD)


@pytest.mark.parametrize("name", GOOD)
def test_fixture_detects_exactly_the_expected_sdks(
    name: str, built_apks: dict[str, Path], registry: Registry
) -> None:
    spec: dict[str, Any] = SPECS[name]
    result = scan_apk(built_apks[name], registry)
    assert sorted(d.sdk for d in result.sdks) == sorted(spec["sdks"])
    assert (result.packer.id if result.packer else None) == spec["packer"]
    assert result.code_evidence_complete is (spec["packer"] is None)
    assert result.app.package == spec["package"]
    if "unrecognised" in spec:
        assert [t.package for t in result.unrecognised] == spec["unrecognised"]
    for detection in result.sdks:
        assert detection.evidence, detection.sdk


@pytest.mark.parametrize("name", BROKEN)
def test_broken_input_gets_its_own_exit_code_and_one_line(
    name: str, built_apks: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    spec = SPECS[name]
    path = built_apks[name]
    code = run(["scan", str(path)])
    captured = capsys.readouterr()
    assert code == spec["exit_code"], captured.err
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert str(path) in lines[0]
    assert spec["error"] in lines[0]
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_broken_exit_codes_are_distinct_per_failure_kind() -> None:
    by_code: dict[int, set[str]] = {}
    for spec in SPECS.values():
        if "broken" in spec:
            by_code.setdefault(spec["exit_code"], set()).add(spec["broken"])
    # not-zip/empty share "not a zip"; directory/missing share "input missing"; the
    # two manifest failures share "no manifest". Everything else is on its own.
    assert by_code[12] == {"truncated"}
    assert by_code[13] == {"zip-bomb"}
    assert by_code[15] == {"corrupt-dex"}
    assert by_code[16] == {"encrypted"}


def test_split_containers_merge_members_into_one_app(
    built_apks: dict[str, Path], registry: Registry
) -> None:
    apks = scan_apk(built_apks["split-apks"], registry)
    xapk = scan_apk(built_apks["split-xapk"], registry)
    # The bundletool standalone copy is not scanned: classes are not counted twice.
    assert "standalones/standalone-arm64_v8a.apk" not in apks.splits
    assert apks.class_count == xapk.class_count
    bugly = {d.sdk: d for d in xapk.sdks}["tencent-bugly"]
    kinds = {e.kind for e in bugly.evidence}
    # Native library from the config split, classes from the feature split.
    assert kinds == {"native_lib", "code"}
    assert bugly.confidence == "high"


def test_packed_app_keeps_manifest_evidence(built_apks: dict[str, Path], registry: Registry) -> None:
    result = scan_apk(built_apks["packed-jiagu"], registry)
    assert result.packer is not None
    assert any("libjiagu.so" in e for e in result.packer.evidence)
    assert any("com.stub.StubApp" in e for e in result.packer.evidence)
    (xiaomi,) = result.sdks
    assert {e.kind for e in xiaomi.evidence} == {"component"}
    # Packer stub classes are not reported as unrecognised third-party code.
    assert all(not t.package.startswith("com.stub") for t in result.unrecognised)


def test_obfuscated_app_finds_sdk_through_manifest(
    built_apks: dict[str, Path], registry: Registry
) -> None:
    result = scan_apk(built_apks["obfuscated"], registry)
    (baidu,) = result.sdks
    assert baidu.confidence == "medium"
    details = {e.detail for e in baidu.evidence}
    assert "service com.baidu.android.pushservice.PushService" in details
    assert result.unrecognised == ()  # a.a, com.a.a… are not reported


def test_evidence_reads_like_the_issue(built_apks: dict[str, Path], registry: Registry) -> None:
    result = scan_apk(built_apks["demo"], registry)
    by_id = {d.sdk: d for d in result.sdks}
    details = {e.detail for d in result.sdks for e in d.evidence}
    assert "service com.xiaomi.push.service.XMPushService" in details
    assert any(d.startswith("lib/arm64-v8a/libBugly.so") for d in details)
    assert "5 classes under com.tencent.bugly" in details
    assert by_id["xiaomi-push"].confidence == "high"
    assert by_id["xiaomi-push"].requires_disclosure


def test_cli_json_report(built_apks: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["scan", str(built_apks["multidex"]), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema_version"] == "1"
    assert doc["app"] == {"package": "com.example.multidex", "version_name": "2.0.1",
                          "version_code": "201"}
    assert doc["stats"] == {"classes": 25, "dex_files": 3}
    assert {s["id"] for s in doc["sdks"]} == set(SPECS["multidex"]["sdks"])
    common = {s["id"] for s in doc["sdks"] if not s["requires_disclosure"]}
    assert common == {"androidx", "okhttp"}
    assert doc["unrecognised"] == [{"package": "me.jessyan.autosize", "classes": 3}]


def test_cli_text_report_to_file(built_apks: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "report.txt"
    assert run(["scan", str(built_apks["packed-legu"]), "--output", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "腾讯乐固" in text and "code evidence is incomplete" in text
    assert "amap-location" in text


def test_demo_sample_is_current(built_apks: dict[str, Path], registry: Registry) -> None:
    sample = Path(__file__).resolve().parents[2] / "samples" / "demo.apk"
    result = scan_apk(sample, registry)
    assert sorted(d.sdk for d in result.sdks) == sorted(SPECS["demo"]["sdks"])
