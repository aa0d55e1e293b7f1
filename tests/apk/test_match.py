"""Matching rules on evidence built in the test, against the shipped registry and a small
registry written here (for shared / via / class-name signatures the shipped data may lack)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sdkreg.apk.model import ApkEvidence, AppInfo, Component
from sdkreg.match import SignatureIndex, detect
from sdkreg.registry import Registry, load_registry

REPO = Path(__file__).resolve().parents[2]


def evidence(
    package: str = "com.example.app",
    classes: tuple[str, ...] = (),
    components: tuple[Component, ...] = (),
    meta: tuple[tuple[str, str], ...] = (),
    libs: tuple[str, ...] = (),
    assets: tuple[str, ...] = (),
) -> ApkEvidence:
    return ApkEvidence(
        path="test.apk", sha256="0" * 64, app=AppInfo(package, "1.0", "1"), permissions=(),
        components=components, meta_data=meta, class_names=classes, native_libs=libs,
        assets=assets, dex_files=("classes.dex",), splits=(), packer=None,
    )


def ids(ev: ApkEvidence, registry: Registry) -> list[str]:
    return sorted(d.sdk for d in detect(ev, registry).sdks)


def test_prefix_matches_on_package_boundaries_only(registry: Registry) -> None:
    index = SignatureIndex(registry)
    assert index.classify_class("com.xiaomi.push.service.XMPushService") == ("xiaomi-push",)
    assert index.classify_class("com.xiaomi.pushx.Foo") == ()
    assert index.classify_class("com.tencent.buglyx.Foo") == ()
    assert index.classify_class("com.loc.Foo") == ("amap-location",)
    assert index.classify_class("com.locx.Foo") == ()
    assert ids(evidence(classes=("com.xiaomi.pushx.Foo", "com.tencent.buglyx.A")), registry) == []


def test_component_exact_signature_wins(registry: Registry) -> None:
    index = SignatureIndex(registry)
    assert index.classify_component("com.xiaomi.push.service.XMPushService") == ("xiaomi-push",)
    assert index.classify_component("com.example.app.Unknown") == ()


def test_every_shipped_example_classifies(registry: Registry) -> None:
    index = SignatureIndex(registry)
    for entry in registry.entries.values():
        for name in entry.examples.classes:
            assert entry.id in index.classify_class(name), (entry.id, name)
        for name in entry.examples.not_classes:
            assert entry.id not in index.classify_class(name), (entry.id, name)


def test_app_own_package_is_not_an_sdk(registry: Registry) -> None:
    # com.loc is an AMap location prefix; an app named com.loc.tracker is still app code.
    ev = evidence("com.loc.tracker", classes=("com.loc.tracker.Main", "com.loc.tracker.db.Dao"))
    result = detect(ev, registry)
    assert result.sdks == ()
    assert result.unrecognised == ()


def test_registered_prefix_deeper_than_app_package_still_counts(registry: Registry) -> None:
    # The app's package is com.amap.api, but com.amap.api.location is the SDK's, deeper.
    ev = evidence("com.amap.api", classes=("com.amap.api.Main", "com.amap.api.location.AMapLocation"))
    assert ids(ev, registry) == ["amap-location"]


def test_manifest_only_sdk_has_medium_confidence(registry: Registry) -> None:
    ev = evidence(components=(Component("service", "com.xiaomi.push.service.XMPushService"),))
    (d,) = detect(ev, registry).sdks
    assert (d.sdk, d.confidence) == ("xiaomi-push", "medium")


def test_code_plus_native_lib_is_high(registry: Registry) -> None:
    ev = evidence(classes=("com.tencent.bugly.crashreport.CrashReport",),
                  libs=("lib/arm64-v8a/libBugly.so", "lib/x86/libBugly.so"))
    (d,) = detect(ev, registry).sdks
    assert d.confidence == "high"
    lib = next(e for e in d.evidence if e.kind == "native_lib")
    assert lib.count == 2 and "lib/x86/libBugly.so" in lib.detail


def test_shared_code_alone_is_low_for_every_claimant(registry: Registry) -> None:
    # org.android.agoo (Alibaba's ACCS/Agoo channel) ships with Umeng push and Aliyun push alike.
    ev = evidence(classes=("org.android.agoo.service.SendMessage",))
    result = detect(ev, registry).sdks
    assert {d.sdk for d in result} == {"umeng-push", "aliyun-push"}
    for d in result:
        assert d.confidence == "low"
        assert d.evidence[0].shared_with


def test_shared_evidence_goes_to_the_entry_other_evidence_singles_out(registry: Registry) -> None:
    ev = evidence(
        classes=("org.android.agoo.service.SendMessage", "com.umeng.message.PushAgent"),
    )
    assert ids(ev, registry) == ["umeng-push"]


def test_common_library_is_flagged(registry: Registry) -> None:
    ev = evidence(classes=("okhttp3.internal.Util", "androidx.core.content.ContextCompat"))
    result = detect(ev, registry).sdks
    assert result and all(not d.requires_disclosure for d in result)


def test_unrecognised_trees_skip_app_runtime_and_obfuscated(registry: Registry) -> None:
    classes = (
        *(f"me.jessyan.autosize.C{i}" for i in range(3)),
        *(f"org.greenrobot.greendao.C{i}" for i in range(5)),
        "com.example.app.Main", "android.support.v4.Foo", "kotlin.io.FilesKt", "a.b.c", "com.a.b.C",
    )
    result = detect(evidence(classes=classes), registry)
    packages = [(t.package, t.classes) for t in result.unrecognised]
    assert ("org.greenrobot.greendao", 5) in packages and ("me.jessyan.autosize", 3) in packages
    assert all(not p.startswith(("com.example", "android", "kotlin", "a.", "com.a")) for p, _ in packages)
    assert packages == sorted(packages, key=lambda kv: (-kv[1], kv[0]))


# --- a small registry of our own ------------------------------------------------------------

ENTRY = """id: {id}
name: {name}
category: push
vendor: {{name_zh: 测试, name_en: Test}}
aliases: [{alias}]
detect:
{detect}
collects: []
links: {{}}
sources: ["https://example.org/{id}"]
examples: {{classes: [{example}], policy: [{alias}]}}
"""


@pytest.fixture(scope="module")
def small_registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    root = tmp_path_factory.mktemp("registry")
    shutil.copytree(REPO / "registry" / "schema", root / "schema")
    shutil.copy(REPO / "registry" / "data-types.yaml", root / "data-types.yaml")
    (root / "families.yaml").write_text("families: []\n", encoding="utf-8")
    sdks = root / "sdks"
    sdks.mkdir()
    entries = {
        "alpha-push": ("  packages:\n    - org.sample.alpha\n"
                       "    - {value: org.sample.common, shared_with: [beta-push]}\n"
                       "  receivers:\n    - {value: org.sample.beta.AlphaBridge, via: beta-push}\n"
                       "  native_libs: [libalpha-*.so]\n  assets: [alpha/]\n",
                       "org.sample.alpha.Client"),
        "beta-push": ("  packages:\n    - org.sample.beta\n"
                      "    - {value: org.sample.common, shared_with: [alpha-push]}\n"
                      "    - org.sample.gamma.Single\n",
                      "org.sample.beta.Client"),
    }
    for sid, (detect_yaml, example) in entries.items():
        (sdks / f"{sid}.yaml").write_text(
            ENTRY.format(id=sid, name=sid.title(), alias=f"{sid}测试", detect=detect_yaml,
                         example=example), encoding="utf-8")
    return load_registry(root)


def test_shared_prefix_is_low_for_both_and_says_so(small_registry: Registry) -> None:
    result = detect(evidence(classes=("org.sample.common.A", "org.sample.common.B")), small_registry)
    assert [(d.sdk, d.confidence) for d in result.sdks] == [("alpha-push", "low"), ("beta-push", "low")]
    assert result.sdks[0].evidence[0].shared_with == ("beta-push",)


def test_via_is_carried_on_the_evidence(small_registry: Registry) -> None:
    ev = evidence(components=(Component("receiver", "org.sample.beta.AlphaBridge"),))
    (d,) = detect(ev, small_registry).sdks
    assert d.sdk == "alpha-push" and d.evidence[0].via == "beta-push"


def test_class_name_signature_inside_a_package(small_registry: Registry) -> None:
    ev = evidence(classes=("org.sample.gamma.Single", "org.sample.gamma.Other"))
    result = detect(ev, small_registry)
    (d,) = result.sdks
    assert d.sdk == "beta-push" and d.evidence[0].count == 1
    assert [(t.package, t.classes) for t in result.unrecognised] == [("org.sample.gamma", 1)]


def test_glob_native_lib_and_asset_directory(small_registry: Registry) -> None:
    ev = evidence(libs=("lib/arm64-v8a/libalpha-2.1.so",), assets=("assets/alpha/conf.json",))
    (d,) = detect(ev, small_registry).sdks
    assert d.sdk == "alpha-push"
    assert {e.kind for e in d.evidence} == {"native_lib", "asset"}
    assert d.confidence == "medium"
