"""A product's disclosure covers what it always ships (`bundles`); evidence a product line shares
is undisclosed only when nothing of the line is disclosed. On ready-made evidence and on the
`bundles` and `shared-keys` fixture APKs scanned for real."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sdkreg.apk import scan_apk
from sdkreg.audit import Finding, audit
from sdkreg.cli import run
from sdkreg.detection import Detection, EvidenceItem
from sdkreg.registry import Registry
from tests.audit.builders import detected, disclosure, policy, scan


def kinds(findings: tuple[Finding, ...]) -> set[tuple[str, str]]:
    return {(f.kind, f.subject) for f in findings if f.kind in ("undisclosed", "over_disclosed")}


def family_level(registry: Registry, family: str, key: str) -> Detection:
    item = EvidenceItem("meta_data", f"meta-data {key}", key, family=family)
    return Detection(family, family, "medium", (item,), True, level="family")


def test_registry_knows_bundles_both_ways(registry: Registry) -> None:
    assert "umeng-common" in registry.entries["umeng-analytics"].bundles
    assert {"umeng-analytics", "umeng-push", "umeng-share"} <= set(registry.bundled_by("umeng-common"))
    assert {"huawei-push", "huawei-jos"} <= set(registry.bundled_by("huawei-hms-core"))
    assert set(registry.bundled_by("tencent-mid")) == {"tencent-mta", "tencent-xg-push"}
    assert registry.bundled(["tencent-xg-push", "umeng-push"]) >= {"tencent-mid", "umeng-common"}
    assert registry.bundled(["xiaomi-push"]) == frozenset()


@pytest.mark.parametrize(("product", "component"), [
    ("umeng-analytics", "umeng-common"),
    ("umeng-push", "umeng-common"),
    ("huawei-push", "huawei-hms-core"),
    ("huawei-jos", "huawei-hms-core"),
    ("tencent-xg-push", "tencent-mid"),
    ("tencent-mta", "tencent-mid"),
])
def test_disclosed_product_covers_its_bundled_component(registry: Registry, product: str,
                                                        component: str) -> None:
    findings = audit(scan(detected(registry, product), detected(registry, component)),
                     policy(disclosure(product)), registry)
    assert kinds(findings) == set()


def test_bundled_component_alone_is_still_undisclosed(registry: Registry) -> None:
    findings = audit(scan(detected(registry, "umeng-push"), detected(registry, "umeng-common")),
                     policy(), registry)
    assert kinds(findings) == {("undisclosed", "umeng-push"), ("undisclosed", "umeng-common")}


def test_disclosed_product_not_in_the_apk_is_over_disclosed_even_if_its_base_is(registry: Registry) -> None:
    # The policy names Umeng statistics, the APK carries Umeng push: the base is covered, push is
    # not, and statistics is over-disclosed.
    findings = audit(scan(detected(registry, "umeng-push"), detected(registry, "umeng-common")),
                     policy(disclosure("umeng-analytics")), registry)
    assert kinds(findings) == {("undisclosed", "umeng-push"), ("over_disclosed", "umeng-analytics")}


def test_naming_the_bundled_component_is_not_over_disclosure(registry: Registry) -> None:
    # The product is in the APK; its component's own code was not found (obfuscated), but it ships.
    findings = audit(scan(detected(registry, "tencent-xg-push")),
                     policy(disclosure("tencent-xg-push", 3), disclosure("tencent-mid", 9)), registry)
    assert kinds(findings) == set()


def test_family_disclosure_covers_members_bundles(registry: Registry) -> None:
    findings = audit(scan(detected(registry, "huawei-push"), detected(registry, "huawei-hms-core")),
                     policy(disclosure("huawei-hms", level="family")), registry)
    assert kinds(findings) == set()


def test_family_level_detection_needs_the_line_or_a_product_disclosed(registry: Registry) -> None:
    umeng_key = scan(family_level(registry, "umeng", "UMENG_APPKEY"))
    silent = audit(umeng_key, policy(), registry)
    (finding,) = [f for f in silent if f.kind == "undisclosed"]
    assert finding.subject == "umeng" and "product line" in finding.message
    for named in (disclosure("umeng-analytics"), disclosure("umeng", level="family")):
        findings = audit(umeng_key, policy(named), registry)
        # the line is in the APK (which product is unknown): neither undisclosed nor over-disclosed
        assert kinds(findings) == set(), named


def test_family_level_detection_is_covered_through_a_bundle(registry: Registry) -> None:
    # huawei-hms-core is a member of the huawei-hms line; a disclosed push kit bundles it.
    findings = audit(scan(family_level(registry, "huawei-hms", "com.huawei.hms.client.appid")),
                     policy(disclosure("huawei-push")), registry)
    assert kinds(findings) == set()


# --- fixture APKs, scanned for real ---------------------------------------------------------------


def test_bundles_fixture_audit(built_apks: dict[str, Path], registry: Registry) -> None:
    result = scan_apk(built_apks["bundles"], registry)
    disclosed = policy(disclosure("umeng-analytics", 3), disclosure("umeng-push", 9),
                       disclosure("huawei-push", 15), disclosure("tencent-xg-push", 21))
    assert kinds(audit(result, disclosed, registry)) == set()
    # Without the products, every component is reported, the bases included.
    assert {s for k, s in kinds(audit(result, policy(), registry))} == {d.sdk for d in result.sdks}


def test_shared_keys_fixture_audit(built_apks: dict[str, Path], registry: Registry) -> None:
    result = scan_apk(built_apks["shared-keys"], registry)
    disclosed = policy(disclosure("umeng-analytics", 3), disclosure("amap", 9, level="family"),
                       disclosure("huawei-push", 15))
    assert kinds(audit(result, disclosed, registry)) == {("undisclosed", "jiguang")}


def test_show_lists_bundles_and_bundled_by(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["registry", "show", "umeng-common"]) == 0
    shown = yaml.safe_load(capsys.readouterr().out)
    assert shown["bundles"] == [] and "umeng-analytics" in shown["bundled_by"]
    assert run(["registry", "show", "tencent-xg-push"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["bundles"] == ["tencent-mid"]
    assert run(["registry", "show", "umeng"]) == 0
    family = yaml.safe_load(capsys.readouterr().out)
    assert family["detect"]["meta_data"][0]["value"] == "UMENG_APPKEY"


def test_cli_audit_of_the_bundles_fixture_against_a_policy_naming_only_products(
    built_apks: dict[str, Path], tmp_path: Path
) -> None:
    from tests.audit.test_end_to_end import POLICIES, audit_json

    code, report = audit_json(built_apks["bundles"], POLICIES / "bundles.txt")
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [f for f in findings if f["kind"] in ("undisclosed", "over_disclosed")] == []
    assert code == 0
