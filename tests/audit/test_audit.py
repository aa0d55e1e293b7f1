"""The verdict: each finding kind where it belongs and nowhere else."""

from __future__ import annotations

from sdkreg.apk.model import Packer
from sdkreg.audit import Finding, audit
from sdkreg.detection import UnrecognisedTree
from sdkreg.findings import Severity
from sdkreg.registry import Registry
from tests.audit.builders import detected, disclosure, policy, scan


def kinds(findings: tuple[Finding, ...]) -> list[tuple[str, str]]:
    return sorted((f.kind, f.subject) for f in findings)


def full(registry: Registry, sdk: str, line: int = 10) -> object:
    """A disclosure with every field, listing exactly what the registry says the SDK collects,
    optional data included."""
    entry = registry.entries[sdk]
    return disclosure(sdk, line, data_types=(*entry.collects, *entry.collects_optional))


def test_honest_app_has_no_findings(registry: Registry) -> None:
    findings = audit(
        scan(detected(registry, "xiaomi-push"), detected(registry, "tencent-bugly")),
        policy(full(registry, "xiaomi-push", 3), full(registry, "tencent-bugly", 9)),  # type: ignore[arg-type]
        registry,
    )
    assert findings == ()


def test_undisclosed_and_over_disclosed_are_exact_on_product_level(registry: Registry) -> None:
    findings = audit(
        scan(detected(registry, "amap-location"), detected(registry, "xiaomi-push")),
        policy(full(registry, "amap-map"), full(registry, "xiaomi-push", 20)),  # type: ignore[arg-type]
        registry,
    )
    assert kinds(findings) == [("over_disclosed", "amap-map"), ("undisclosed", "amap-location")]
    undisclosed = next(f for f in findings if f.kind == "undisclosed")
    assert undisclosed.severity is Severity.ERROR
    assert undisclosed.apk_evidence and "classes under" in undisclosed.apk_evidence[0]
    over = next(f for f in findings if f.kind == "over_disclosed")
    assert over.severity is Severity.WARNING and over.policy_evidence[0].line == 10


def test_family_disclosure_covers_products_as_family_only(registry: Registry) -> None:
    findings = audit(
        scan(detected(registry, "amap-map"), detected(registry, "amap-location")),
        policy(disclosure("amap", 5, level="family", data_types=("device-identifiers", "location",
                                                                   "network-info", "device-info",
                                                                   "installed-apps", "app-info"))),
        registry,
    )
    family = [f for f in findings if f.kind == "family_only"]
    assert len(family) == 1 and family[0].severity is Severity.INFO
    assert "amap-location" in family[0].message and "amap-map" in family[0].message
    assert not [f for f in findings if f.kind in ("undisclosed", "over_disclosed")]


def test_family_disclosure_without_any_member_is_over_disclosed(registry: Registry) -> None:
    findings = audit(scan(), policy(disclosure("baidu-lbs", 7, level="family")), registry)
    assert ("over_disclosed", "baidu-lbs") in kinds(findings)


def test_same_sdk_named_twice_is_one_finding_with_both_lines(registry: Registry) -> None:
    findings = audit(scan(), policy(disclosure("tencent-tbs", 4, as_written="腾讯TBS"),
                                    disclosure("tencent-tbs", 6, as_written="腾讯X5")), registry)
    over = [f for f in findings if f.kind == "over_disclosed"]
    assert len(over) == 1 and [r.line for r in over[0].policy_evidence] == [4, 6]


def test_incomplete_disclosure_names_missing_fields(registry: Registry) -> None:
    findings = audit(scan(detected(registry, "xiaomi-push")),
                     policy(disclosure("xiaomi-push", company=None, url=None)), registry)
    incomplete = [f for f in findings if f.kind == "incomplete_disclosure"]
    assert len(incomplete) == 1
    assert incomplete[0].missing == ("company", "data_types", "url")
    assert "合作方主体" in incomplete[0].message


def test_fields_spread_over_two_mentions_count_together(registry: Registry) -> None:
    collects = registry.entries["xiaomi-push"].collects
    findings = audit(scan(detected(registry, "xiaomi-push")),
                     policy(disclosure("xiaomi-push", 3, url=None, data_types=collects),
                            disclosure("xiaomi-push", 40, company=None)), registry)
    assert [f for f in findings if f.kind == "incomplete_disclosure"] == []


def test_data_under_disclosed_respects_broader_terms(registry: Registry) -> None:
    entry = registry.entries["xiaomi-push"]
    assert "android-id" in entry.collects
    # "设备标识符" (device-identifiers) covers Android ID/OAID; naming only it plus the rest is fine.
    broad = tuple({registry.data_type_ancestors(t)[-1] for t in entry.collects})
    ok = audit(scan(detected(registry, "xiaomi-push")),
               policy(disclosure("xiaomi-push", data_types=broad)), registry)
    assert [f for f in ok if f.kind == "data_under_disclosed"] == []
    narrow = tuple(t for t in entry.collects if t != "android-id")
    findings = audit(scan(detected(registry, "xiaomi-push")),
                     policy(disclosure("xiaomi-push", data_types=narrow)), registry)
    under = [f for f in findings if f.kind == "data_under_disclosed"]
    assert len(under) == 1 and under[0].missing == ("android-id",)


def test_omitted_mandatory_data_is_a_warning_and_omitted_optional_data_is_info(
    registry: Registry,
) -> None:
    entry = registry.entries["jpush"]
    assert "android-id" in entry.collects and "imei" in entry.collects_optional
    listed = tuple(t for t in (*entry.collects, *entry.collects_optional)
                   if t not in ("android-id", "imei"))
    findings = audit(scan(detected(registry, "jpush")),
                     policy(disclosure("jpush", 7, data_types=listed)), registry)
    under = sorted((f for f in findings if f.kind == "data_under_disclosed"),
                   key=lambda f: -f.severity)
    assert [(f.severity, f.subject, f.missing) for f in under] == [
        (Severity.WARNING, "jpush", ("android-id",)),
        (Severity.INFO, "jpush#optional", ("imei",)),
    ]
    assert all(f.sdk == "jpush" for f in under)  # waivers and reports still key on the id
    assert under[0].fingerprint != under[1].fingerprint
    assert "when the app enables it" in under[1].message


def test_only_optional_data_omitted_is_info_alone(registry: Registry) -> None:
    entry = registry.entries["tencent-bugly"]
    assert entry.collects_optional == ("device-info",)
    findings = audit(scan(detected(registry, "tencent-bugly")),
                     policy(disclosure("tencent-bugly", data_types=entry.collects)), registry)
    assert [(f.kind, f.severity, f.subject) for f in findings] == [
        ("data_under_disclosed", Severity.INFO, "tencent-bugly#optional")]


def test_a_vendor_broad_term_is_satisfied_by_a_narrower_policy_term(registry: Registry) -> None:
    # Sensors Data documents "a device ID" (device-identifiers) and "device info"; a policy that
    # names Android ID and the model discloses them more precisely, which is not an omission.
    entry = registry.entries["sensorsdata"]
    assert {"device-identifiers", "device-info"} <= set(entry.collects)
    narrow = ("android-id", "device-model", "os-info", "usage-data", "precise-location", "sensors")
    findings = audit(scan(detected(registry, "sensorsdata")),
                     policy(disclosure("sensorsdata", data_types=narrow)), registry)
    assert [f for f in findings if f.kind == "data_under_disclosed"] == []


def test_family_disclosure_uses_the_detected_members_lists(registry: Registry) -> None:
    location, maps = registry.entries["baidu-location"], registry.entries["baidu-map"]
    only_location = set(location.collects) - set(maps.collects)
    assert "bluetooth" in only_location
    # Only the map SDK is in the APK: the family disclosure is judged against its list alone.
    findings = audit(scan(detected(registry, "baidu-map")),
                     policy(disclosure("baidu-lbs", level="family", data_types=maps.collects)),
                     registry)
    assert [f for f in findings if f.kind == "data_under_disclosed"] == []
    both = audit(scan(detected(registry, "baidu-map"), detected(registry, "baidu-location")),
                 policy(disclosure("baidu-lbs", level="family", data_types=maps.collects)),
                 registry)
    under = [f for f in both if f.kind == "data_under_disclosed"]
    assert len(under) == 1 and under[0].subject == "baidu-lbs"
    # The map SDK's list names 网络信息 (network-info), which covers the location SDK's IP, Wi-Fi,
    # cell and carrier items; the rest of what only the location SDK collects is missing.
    expected = {t for t in only_location if "network-info" not in registry.data_type_ancestors(t)}
    assert set(under[0].missing) == expected and {"bluetooth", "sensors"} <= expected


def test_a_vendor_that_documents_no_data_needs_none_listed(registry: Registry) -> None:
    entry = registry.entries["aliyun-httpdns"]
    assert entry.collects == () and entry.collects_source and entry.data_list == "sourced"
    findings = audit(scan(detected(registry, "aliyun-httpdns")),
                     policy(disclosure("aliyun-httpdns", data_types=("network-type",))), registry)
    assert [f for f in findings if f.kind == "data_under_disclosed"] == []


def test_libraries_are_never_undisclosed(registry: Registry) -> None:
    assert audit(scan(detected(registry, "okhttp"), detected(registry, "androidx")), policy(),
                 registry) == ()


def test_shared_code_is_satisfied_by_either_sdk(registry: Registry) -> None:
    umeng = detected(registry, "umeng-push", shared_with=("aliyun-push",))
    aliyun = detected(registry, "aliyun-push", shared_with=("umeng-push",))
    honest = audit(scan(umeng, aliyun), policy(full(registry, "aliyun-push")), registry)  # type: ignore[arg-type]
    assert [f for f in honest if f.kind in ("undisclosed", "over_disclosed")] == []
    silent = audit(scan(umeng, aliyun), policy(), registry)
    undisclosed = [f for f in silent if f.kind == "undisclosed"]
    assert len(undisclosed) == 1 and "aliyun-push" in undisclosed[0].message


def test_unregistered_unrecognised_and_packed(registry: Registry) -> None:
    packer = Packer("jiagu-360", "360加固", ("lib/armeabi-v7a/libjiagu.so",))
    findings = audit(
        scan(packer=packer, unrecognised=(UnrecognisedTree("com.acme.tracker", 40),)),
        policy(disclosure(None, 12, as_written="某某统计SDK"), disclosure("xiaomi-push", 20)),
        registry,
    )
    assert kinds(findings) == [
        ("incomplete_disclosure", "xiaomi-push"),  # no data list: incomplete, not under-disclosed
        ("over_disclosed", "xiaomi-push"),
        ("packed_app", "jiagu-360"),
        ("unrecognised_code", "com.acme.tracker"),
        ("unregistered_disclosure", "某某统计SDK"),
    ]
    over = next(f for f in findings if f.kind == "over_disclosed")
    assert over.severity is Severity.INFO and "360加固" in over.message  # absence is not evidence


def test_findings_sorted_by_severity_and_fingerprints_stable(registry: Registry) -> None:
    first = audit(scan(detected(registry, "jpush")), policy(disclosure("amap", 3, level="family")),
                  registry)
    again = audit(scan(detected(registry, "jpush")), policy(disclosure("amap", 99, level="family")),
                  registry)
    assert [f.severity for f in first] == sorted((f.severity for f in first), reverse=True)
    assert [f.fingerprint for f in first] == [f.fingerprint for f in again]
