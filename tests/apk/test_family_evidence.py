"""Evidence that backs a product, and evidence that only backs its product line.

A family's own signatures (families.yaml `detect`: UMENG_APPKEY, com.huawei.hms.client.appid, the
AMap key, JPUSH_APPKEY) never report a product: they support the products found from their own
evidence, and alone give one family-level detection. Legacy generations are found by their own
packages. Checked on fixture APKs built with smali/aapt and on evidence built here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdkreg import schemas
from sdkreg.apk import scan_apk
from sdkreg.apk.model import Component
from sdkreg.cli import run
from sdkreg.detection import Detection
from sdkreg.match import detect
from sdkreg.registry import Registry
from tests.apk.test_match import evidence


def by_id(detections: tuple[Detection, ...]) -> dict[str, Detection]:
    return {d.sdk: d for d in detections}


def test_a_shared_app_key_alone_is_a_family_detection(registry: Registry) -> None:
    (found,) = detect(evidence(meta=(("UMENG_APPKEY", "5f00"),)), registry).sdks
    assert (found.sdk, found.level, found.family, found.confidence) == ("umeng", "family", "umeng", "medium")
    assert found.requires_disclosure
    assert [(e.kind, e.value, e.family) for e in found.evidence] == [("meta_data", "UMENG_APPKEY", "umeng")]


def test_the_key_supports_the_product_found_from_its_own_code(registry: Registry) -> None:
    # An old, all-in-one Umeng statistics SDK: its own package and the app key, no common base.
    ev = evidence(classes=("com.umeng.analytics.MobclickAgent",), meta=(("UMENG_APPKEY", "5f00"),))
    found = by_id(detect(ev, registry).sdks)
    assert set(found) == {"umeng-analytics"}  # neither umeng-common nor a family-level detection
    analytics = found["umeng-analytics"]
    assert analytics.level == "product" and analytics.confidence == "high"
    support = [e for e in analytics.evidence if e.family]
    assert [(e.value, e.family) for e in support] == [("UMENG_APPKEY", "umeng")]


def test_jcore_key_is_not_jpush(registry: Registry) -> None:
    """JPUSH_APPKEY is read by JCore for every Jiguang product: with JVerification's code alone it
    must not report JPush."""
    ev = evidence(classes=("cn.jiguang.verifysdk.api.JVerificationInterface",),
                  meta=(("JPUSH_APPKEY", "0123"), ("JPUSH_CHANNEL", "default")),
                  libs=("lib/arm64-v8a/libjcore220.so",))
    assert set(by_id(detect(ev, registry).sdks)) == {"jiguang-jverification"}


def test_hms_app_id_alone_reports_the_line_not_the_base(registry: Registry) -> None:
    (found,) = detect(evidence(meta=(("com.huawei.hms.client.appid", "appid=1"),)), registry).sdks
    assert (found.sdk, found.level) == ("huawei-hms", "family")


def test_amap_key_supports_location_without_reporting_map(registry: Registry) -> None:
    ev = evidence(meta=(("com.amap.api.v2.apikey", "abc"),),
                  components=(Component("service", "com.amap.api.location.APSService"),))
    found = by_id(detect(ev, registry).sdks)
    assert set(found) == {"amap-location"}
    assert {e.family for e in found["amap-location"].evidence} == {None, "amap"}


def test_family_signature_claimed_by_an_entry_is_a_lint_error(tmp_path: Path) -> None:
    import shutil

    from sdkreg.registry.lint import lint_registry
    from tests.conftest import REGISTRY_DIR

    root = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, root)
    path = root / "sdks" / "umeng-common.yaml"
    text = path.read_text(encoding="utf-8")
    claimed = "  - com.umeng.commonsdk\n  meta_data:\n  - UMENG_APPKEY\n"
    path.write_text(text.replace("  - com.umeng.commonsdk\n", claimed), encoding="utf-8")
    problems = [p for p in lint_registry(root).problems if p.code == "R006"]
    assert {p.path.name for p in problems} == {"umeng-common.yaml", "families.yaml"}
    assert all("UMENG_APPKEY" in p.message and "family" in p.fix for p in problems)


# --- fixture APKs ---------------------------------------------------------------------------------


def test_shared_keys_fixture_reports_only_product_lines(
    built_apks: dict[str, Path], registry: Registry
) -> None:
    result = scan_apk(built_apks["shared-keys"], registry)
    assert {(d.sdk, d.level) for d in result.sdks} == {
        ("umeng", "family"), ("huawei-hms", "family"), ("amap", "family"), ("jiguang", "family"),
    }


def test_legacy_generations_are_their_products(built_apks: dict[str, Path], registry: Registry) -> None:
    found = by_id(scan_apk(built_apks["legacy-generations"], registry).sdks)
    # Each old package root is attributed to its product, by its own code.
    expectations = {
        "umeng-analytics": "u.aly",  # statistics before 7.x: obfuscated internals, no common base
        "getui-push": "com.igexin",
        "baidu-push": "com.baidu.android.pushservice",
        "tencent-xg-push": "com.tencent.android.tpush",  # XG 3.x, with MID beside it
        "tencent-mid": "com.tencent.mid",
        "jpush": "cn.jpush.android",  # JPush 2.x, before JCore
        "tencent-bugly": "com.tencent.bugly",  # crash reporting only, no beta/upgrade module
        "jiguang-jverification": "cn.jiguang.verify",  # JVerification 1.x API package
        "huawei-push": "com.huawei.android.pushagent",  # Push 2.x, before HMS Core
    }
    for sdk, prefix in expectations.items():
        assert any(e.kind == "code" and e.value == prefix for e in found[sdk].evidence), sdk
    assert "umeng-common" not in found and "huawei-hms-core" not in found
    assert all(d.level == "product" for d in found.values())


def test_scan_json_carries_levels_and_validates(built_apks: dict[str, Path],
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["scan", str(built_apks["shared-keys"]), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    schemas.validator("scan").validate(doc)
    assert {s["id"]: s["level"] for s in doc["sdks"]}["umeng"] == "family"
    assert doc["sdks"][0]["evidence"][0]["family"] == doc["sdks"][0]["id"]


def test_audit_json_of_family_level_detections_validates(built_apks: dict[str, Path]) -> None:
    from tests.audit.test_end_to_end import POLICIES, audit_json

    code, report = audit_json(built_apks["shared-keys"], POLICIES / "demo-family.txt")
    detections = report["detections"]
    assert isinstance(detections, list)
    assert {d["id"]: d["level"] for d in detections}["jiguang"] == "family"
    findings = report["findings"]
    assert isinstance(findings, list)
    # the policy names the AMap line: only the three other lines are undisclosed
    undisclosed = {f["subject"] for f in findings if f["kind"] == "undisclosed"}
    assert undisclosed == {"umeng", "huawei-hms", "jiguang"}
    assert code == 1
