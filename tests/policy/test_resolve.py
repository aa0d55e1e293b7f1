"""Name → registry id: package, exact alias, split lists, context completion, fuzzy, none."""

from __future__ import annotations

import pytest

from sdkreg.policy.datatypes import DataTypeMatcher
from sdkreg.policy.resolve import FUZZY_THRESHOLD, NameResolver, resolve_name
from sdkreg.registry import Registry


def _ids(name: str, registry: Registry) -> list[str | None]:
    return [r.sdk for r in resolve_name(name, registry)]


def test_package_in_the_name_wins(registry: Registry) -> None:
    (res,) = resolve_name("MiPush(com.xiaomi.push)", registry)
    assert (res.sdk, res.match.method, res.match.score) == ("xiaomi-push", "package", 100.0)
    # a package deeper than the registry prefix still belongs to it
    assert _ids("某推送(com.xiaomi.mipush.sdk.internal)", registry) == ["xiaomi-push"]


def test_broad_package_of_one_family_resolves_to_the_family(registry: Registry) -> None:
    (res,) = resolve_name("友盟+ SDK服务(com.umeng)", registry)
    assert (res.sdk, res.level, res.match.method) == ("umeng", "family", "package")


def test_unknown_package_falls_back_to_the_name(registry: Registry) -> None:
    (res,) = resolve_name("小米推送(com.example.myapp)", registry)
    assert (res.sdk, res.match.method) == ("xiaomi-push", "exact")


def test_lookalike_package_is_not_a_match(registry: Registry) -> None:
    # package boundaries: com.xiaomi.pushx is not under com.xiaomi.push
    assert _ids("某SDK(com.xiaomi.pushx)", registry) == [None]


def test_exact_alias_ignores_width_case_spaces_and_suffix(registry: Registry) -> None:
    for name in ("小米 PUSH", "小米ＰＵＳＨ", "小米push SDK", "小米推送服务"):
        (res,) = resolve_name(name, registry)
        assert (res.sdk, res.match.method) == ("xiaomi-push", "exact"), name


def test_family_level_for_a_product_line(registry: Registry) -> None:
    (res,) = resolve_name("高德地图SDK", registry)
    assert (res.sdk, res.level) == ("amap", "family")


def test_split_carries_the_vendor_word(registry: Registry) -> None:
    assert sorted(_ids("高德地图3D、定位SDK", registry)) == ["amap-location", "amap-map"]  # type: ignore[type-var]


def test_split_carries_the_product_word_backwards(registry: Registry) -> None:
    assert sorted(_ids("小米、华为推送SDK", registry)) == ["huawei-push", "xiaomi-push"]  # type: ignore[type-var]


def test_context_completes_a_bare_vendor_name(registry: Registry) -> None:
    resolver = NameResolver(registry)
    # "魅族SDK" is not an alias; in a row about 推送 it is the Meizu push SDK
    assert [r.sdk for r in resolver.resolve("魅族SDK")] == [None]
    (res,) = resolver.resolve("魅族SDK", context="为向您提供推送服务，我们会收集设备标识")
    assert res.sdk == "meizu-push"


def test_fuzzy_matches_a_close_variant_above_the_threshold(registry: Registry) -> None:
    (res,) = resolve_name("Sensor Analytics", registry)  # the alias is "Sensors Analytics"
    assert res.sdk == "sensorsdata"
    assert res.match.method == "fuzzy"
    assert FUZZY_THRESHOLD <= res.match.score < 100


@pytest.mark.parametrize(
    "name",
    ["第三方应用", "设备信息", "微信账号", "腾讯地图导航", "某某客服组件", "推送", "百度", "华为"],
)
def test_lookalikes_and_generic_words_stay_unresolved(name: str, registry: Registry) -> None:
    (res,) = resolve_name(name, registry)
    assert res.sdk is None and res.match.method == "none" and res.match.score == 0


def test_every_registry_policy_example_resolves_to_its_entry(registry: Registry) -> None:
    failures = [
        (entry.id, phrase)
        for entry in registry.entries.values()
        for phrase in entry.examples.policy
        if entry.id not in _ids(phrase, registry)
    ]
    assert not failures


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        ("IP地址、MAC地址", {"ip-address", "mac"}, set()),
        ("VIP会员、ZIP文件、MACHINE", set(), {"ip-address", "mac"}),
        ("设备标识符(如IMEI、Android ID、ANDROIDID)", {"device-identifiers", "imei", "android-id"}, set()),
        ("ＧＰＳ定位、ｗｉｆｉ信息", {"precise-location", "wifi-info"}, set()),
        ("SIM 卡序列号", {"iccid"}, set()),
    ],
)
def test_data_types_match_on_word_boundaries(
    registry: Registry, text: str, expected: set[str], absent: set[str]
) -> None:
    found = set(DataTypeMatcher(registry).find(text))
    assert expected <= found
    assert not (absent & found)


def test_the_resolver_belongs_to_the_registry(registry: Registry) -> None:
    from sdkreg.policy import resolve

    assert resolve.resolver_for(registry) is resolve.resolver_for(registry)
    assert not hasattr(resolve, "_RESOLVERS")  # no module-global cache keyed by id()


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("華為推送服務", ["huawei-push"]),  # Traditional, folded before resolving
        ("極光推送 SDK", ["jpush"]),
        ("支付宝(Alipay)SDK", ["alipay-sdk"]),  # a parenthesis with another name: one product
        ("Bugly(腾讯)", ["tencent-bugly"]),  # … or the vendor
        ("友盟+(U-App统计、U-Push推送)", ["umeng-analytics", "umeng-push"]),  # products, not the family
        # an umbrella is no product
        ("某厂商SDK(含友盟统计SDK、极光推送SDK等)", ["umeng-analytics", "jpush"]),
        ("个推推送sdk（含华为、小米厂商通道）", ["getui-push", "huawei-push", "xiaomi-push"]),
        ("高德开放平台导航sdk（内嵌科大讯飞语音合成SDK）", ["amap-navi", "iflytek"]),
        ("华为推送、小米推送、OPPO推送", ["huawei-push", "xiaomi-push", "oppo-push"]),
        (
            "Xiaomi Push, Huawei Push Kit, OPPO Push and vivo Push",
            ["xiaomi-push", "huawei-push", "oppo-push", "vivo-push"],
        ),
        ("百度定位 Baidu Location", ["baidu-location"]),  # Chinese and English names of one product
        ("Qiniu Cloud Storage SDK", ["qiniu"]),  # a vendor alias and generic English words
        ("高德定位SDK（iOS版）", ["amap-location"]),  # a platform note
        ("腾讯浏览服务TBS", ["tencent-tbs"]),  # a code beside the Chinese name
    ],
)
def test_structured_names(name: str, ids: list[str], registry: Registry) -> None:
    assert _ids(name, registry) == ids


@pytest.mark.parametrize(
    "name",
    [
        "OPPO(小布助手)",  # a vendor word before a product the registry does not know
        "腾讯地图导航",  # holds an alias, but names another product of the vendor
        "分享",  # a bare product word is no vendor's sharing SDK
    ],
)
def test_structured_lookalikes_stay_unresolved(name: str, registry: Registry) -> None:
    assert _ids(name, registry) == [None]
