"""Rules from the diagnosis of a third held-out set of real SDK lists (issue 8, round 3), each on
the smallest text of its layout and on the trap beside it. Round 3 widened existing mechanisms
(label vocabularies, section headings, resolution by context) rather than adding rules per page;
the full layouts are corpus fixtures (tests/policy/corpus, sidecars name the model pages)."""

from __future__ import annotations

import pytest

from sdkreg.policy.resolve import resolver_for
from sdkreg.registry import Registry
from tests.policy.reading import found, read_text, reason

# ---------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("name", "context", "ids"),
    [
        # a family's bare brand in a record about one kind of product: that product
        ("友盟平台", "消息推送服务合作方", ["umeng-push"]),
        ("友盟+SDK（com.umeng.sdk）", "以提供统计分析服务", ["umeng-analytics"]),
        ("匿名使用统计（友盟+ / Umeng+）", "", ["umeng-analytics"]),
        ("友盟SDK", "社会化分享", ["umeng-share"]),
        # … not when the record speaks of two kinds, or of none, or the family's name says a kind
        ("友盟+", "用于统计APP的崩溃记录、ANR等性能数据和活跃用户情况", ["umeng"]),
        ("友盟+SDK", "", ["umeng"]),
        ("高德地图SDK", "用于定位", ["amap"]),
        # a vendor's platform or app store is where the product is offered, not part of its name
        ("小米开放平台", "消息推送服务合作方", ["xiaomi-push"]),
        ("小米开放平台", "", [None]),
        ("华为应用市场联运和广告SDK", "", ["huawei-jos", "huawei-ads"]),
        (
            "OPPO应用市场联运SDK（内含支付宝,OPPO安全支付）和广告SDK",
            "",
            ["oppo-game", "oppo-ads", "alipay-sdk"],
        ),
        ("VIVO应用市场联运SDK（其可能集成快手广告sdk）", "", ["vivo-union", "kuaishou-ads"]),
        # nested parentheses are read from the outermost pair
        ("友盟+SDK （统计分析 SDK及应用性能检测（稳定性SDK））", "", ["umeng-analytics"]),
        # a Maven group naming a whole family, with a note naming the product
        ("com.huawei.hms(华为;华为推送)", "", ["huawei-push"]),
        ("com.huawei.agconnect(华为;华为联运应用)", "", ["huawei-jos"]),
        ("com.tencent.tauth(腾讯;QQ)", "", ["tencent-qq-connect"]),  # a product's package wins
        # a package the registry does not know is no misspelt alias
        ("com.tencent.mm", "", [None]),
        ("微信（com.tencent.mm）", "", ["wechat-opensdk"]),
    ],
)
def test_resolution_by_record(registry: Registry, name: str, context: str, ids: list[str | None]) -> None:
    assert [r.sdk for r in resolver_for(registry).resolve(name, context=context)] == ids


# ---------------------------------------------------------------- prose


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a name in quotation marks right before "SDK"
        (
            "我们可能使用第三方定位SDK，例如：使用“腾讯定位”SDK获取您的位置。",
            {("腾讯定位", "tencent-location")},
        ),
        # "本SDK", "该等SDK", "向SDK": the SDK spoken of, never a name
        ("在集成和装载本 SDK 产品前，请阅读本规则。", set()),
        ("如您发现这等SDK存在风险，请联系我们。", set()),
        ("您可以选择是否向SDK提供设备标识符。", set()),
        # a changelog line: a verb, then the SDK spoken of
        ("优化 SDK 收集的开发者应用信息及处理目的；", set()),
        # a kind of SDK that belongs to a registry name is that name's SDK
        ("我们在应用中加入了腾讯Bugly的异常日志SDK，用于上报崩溃。", {("腾讯Bugly", "tencent-bugly")}),
        # using a service means agreeing to its terms: a third-party service in the app
        ("2.使用Google Map，您将同意Google的服务条款及隐私政策：Google服务条款", {("Google Map", None)}),
        ("5. 使用QQ,您将同意QQ的服务条款及隐私政策", {("QQ", "tencent-qq-connect")}),
        ("By using Google Fit, you agree to Google's Terms of Service.", {("Google Fit", None)}),
        # … not the app itself, nor the reader's own use of a feature
        ("使用本服务，您即同意本隐私政策。", set()),
        ("By using our Service, you agree to the collection of information.", set()),
        ("当您开通使用步数同步时，您同意我们向系统请求步数信息。", set()),
    ],
)
def test_prose_mentions(registry: Registry, text: str, names: set[tuple[str, str | None]]) -> None:
    assert set(found(read_text(f"一、第三方服务\n{text}\n", registry))) == names


def test_a_defined_short_name_repeats_the_full_one(registry: Registry) -> None:
    result = read_text(
        "隐私政策\n我们集成了示例科技转化SDK（以下简称“转化SDK”），用于广告转化统计。\n"
        "转化SDK会收集设备标识符。\n",
        registry,
    )
    assert set(found(result)) == {("示例科技转化SDK", None)}
    assert reason(result, "转化SDK").startswith("repeats '示例科技转化SDK'")


def test_a_pasted_sdk_policy_discloses_its_own_sdk_only(registry: Registry) -> None:
    vendor = "\n".join(
        [
            "示例转化 SDK 隐私政策 https://example.com/privacy",
            "示例转化 SDK（以下简称“SDK产品”）由示例科技有限公司开发。",
            "在集成本 SDK 前，第三方开发者应告知终端用户。",
            "为实现 SDK 产品的功能，本 SDK 会收集设备信息。",
            "我们在本 SDK 中嵌入了示例风控SDK。",
        ]
    )
    result = read_text(f"某某游戏隐私政策\n我们重视您的隐私。\n{'-' * 40}\n{vendor}\n", registry)
    assert set(found(result)) == {("示例转化 SDK", None)}
    assert "SDK's own policy" in reason(result, "示例风控SDK")
    # the same prose in the app's own policy is the app's disclosure
    plain = read_text("某某游戏隐私政策\n我们在游戏中嵌入了示例风控SDK。\n", registry)
    assert set(found(plain)) == {("示例风控SDK", None)}


# ---------------------------------------------------------------- sections


@pytest.mark.parametrize(
    "heading",
    ["## 七、当前未接入的第三方 SDK", "## Not included in the current release", "未集成的第三方SDK："],
)
def test_a_section_of_sdks_not_used_discloses_nothing(registry: Registry, heading: str) -> None:
    text = f"# 第三方SDK\n- 小米推送SDK：推送消息\n\n{heading}\n- 穿山甲广告SDK\n- Google Mobile Ads SDK\n"
    result = read_text(text, registry, "markdown")
    assert set(found(result)) == {("小米推送SDK", "xiaomi-push")}
    assert reason(result, "穿山甲广告SDK") == "listed under a heading that says these SDKs are not used"


def test_a_word_export_bullet_keeps_the_items_own_number() -> None:
    from sdkreg.policy.document import marker_of

    marker = marker_of(". 2.1.7 应用运行崩溃处理")
    assert (marker.kind, marker.depth) == ("num", 3)
    assert ". 2.1.7 应用运行崩溃处理"[marker.end :] == "应用运行崩溃处理"
    assert marker_of(". 使用友盟").kind == "bullet"


@pytest.mark.parametrize(
    ("title", "heading"),
    [
        ("附二：《极速清理大师接入第三方SDK目录》", True),
        ("《某某App第三方SDK清单》", True),
        ("附录3 第三方共享清单", True),
        ("我们对接入的相关第三方SDK在目录中列明。", False),
        ("详见《第三方SDK清单》了解更多", False),
    ],
)
def test_a_list_title_naming_the_app_heads_the_list(title: str, heading: bool) -> None:
    from sdkreg.policy.document import is_sdk_heading

    assert is_sdk_heading(title) is heading


def test_bare_name_lines_under_an_appendix_title_are_records(registry: Registry) -> None:
    text = (
        "附二：《清理大师接入第三方SDK目录》\n我们对接入的相关第三方SDK在目录中列明。\n"
        "示例万能钥匙\n提供方名称：示例网络科技有限公司\n使用目的：用于优化推送效果\n\n"
        "小米登录SDK\n提供方名称：广州小米信息服务有限公司\n使用目的：账号登录\n"
    )
    assert set(found(read_text(text, registry))) == {
        ("示例万能钥匙", None),
        ("小米登录SDK", "xiaomi-account"),
    }


def test_maven_coordinates_with_a_note_name_their_product(registry: Registry) -> None:
    text = (
        "信息的收集\n"
        "2. 应用中集成了com.pangle.cn:ads-sdk-pro(穿山甲)，本SDK会获取设备信息。\n"
        "3. 华为版会集成com.huawei.hms(华为;华为推送) "
        "com.huawei.agconnect(华为;华为联运应用)，本SDK不收集信息。\n"
        "4. 日志见 https://example.com/com.example.app(see below)。\n"
    )
    assert set(found(read_text(text, registry))) == {
        ("com.pangle.cn:ads-sdk-pro(穿山甲)", "bytedance-pangle"),
        ("com.huawei.hms(华为;华为推送)", "huawei-push"),
        ("com.huawei.agconnect(华为;华为联运应用)", "huawei-jos"),
    }


def test_a_list_sentence_ending_in_including_heads_the_list(registry: Registry) -> None:
    text = (
        "## 1. 資訊收集\n但為了提供廣告功能，我們使用了由第三方提供的服務，包括：\n\n"
        "- **示例廣告聯盟**（示例股份有限公司）\n\n## 2. 聯絡我們\n- 電子郵件\n"
    )
    assert set(found(read_text(text, registry, "markdown"))) == {("示例廣告聯盟（示例股份有限公司）", None)}


def test_english_one_service_per_line_under_an_introducing_line(registry: Registry) -> None:
    text = (
        "The app does use third party services that may collect information used to identify you.\n\n"
        "Link to privacy policy of third party service providers used by the app\n\n"
        "Example Play Services\nLog Data\n\n"
        "We want to inform you that whenever you use our Service we collect Log Data.\n\n"
        "Cookies\n\nCookies are files with a small amount of data.\n"
    )
    assert set(found(read_text(text, registry, "text"))) == {("Example Play Services", None)}


def test_english_tools_headings_name_their_tools(registry: Registry) -> None:
    text = (
        "Tools we use\n\nExample Analytics\n"
        "This service is provided by Example, Inc. It uses cookies to analyse how you use the service.\n"
        "Other tools\nWe also send newsletters.\n"
    )
    assert set(found(read_text(text, registry, "text"))) == {("Example Analytics", None)}


@pytest.mark.parametrize(
    "line", ["Log Data", "Cookies", "Children's Privacy", "Changes to This Privacy Policy"]
)
def test_english_policy_sections_are_headings(line: str) -> None:
    from sdkreg.policy.roles import is_heading

    assert is_heading(line)
    assert not is_heading("Google Play Services")


def test_a_number_glued_to_a_product_word_is_a_brand(registry: Registry) -> None:
    text = (
        "⑨第三方SDK：示例渠道\nSDK名称：233广告SDK\n"
        "SDK提供方名称：北京示例互动科技有限公司\nSDK使用目的：加载广告\n"
    )
    assert ("233广告SDK", None) in found(read_text(text, registry))
    from sdkreg.policy.roles import name_shaped

    assert name_shaped("233广告SDK") and not name_shaped("广告SDK")
