"""Each layout finder on the smallest policy of its layout, and the arbiter between them."""

from __future__ import annotations

from collections import Counter

import pytest

from sdkreg.policy.document import prepare
from sdkreg.policy.layouts import FINDERS, Context
from sdkreg.policy.read import policy_from_bytes
from sdkreg.policy.roles import role_reader
from sdkreg.registry import Registry
from tests.policy.reading import found, read_text, reason


def test_finders_are_pure_and_listed_strongest_first(registry: Registry) -> None:
    text = policy_from_bytes("二、第三方SDK\nSDK名称 | 使用目的\n小米推送 | 推送\n".encode(), "p.txt")
    doc = prepare(text)
    ctx = Context(role_reader(registry))
    strengths = [f.strength for f in FINDERS]
    assert strengths == sorted(strengths, reverse=True)
    for finder in FINDERS:
        assert finder.find(doc, ctx) == finder.find(doc, ctx)  # no state carried between calls
    assert prepare(text) == doc


def test_company_first_table_takes_names_from_the_product_column(registry: Registry) -> None:
    result = read_text(
        "第三方SDK清单\n"
        "第三方公司名称\t产品/类型\t共享信息名称\t使用目的\n"
        "北京小米移动软件有限公司\t小米推送\t设备标识符\t推送消息\n"
        "某某网络科技有限公司\t某某客服组件\t设备型号\t在线客服\n",
        registry,
    )
    assert found(result) == Counter({("小米推送", "xiaomi-push"): 1, ("某某客服组件", None): 1})
    assert result.disclosures[0].fields.company == "北京小米移动软件有限公司"


def test_a_third_party_name_column_of_companies_is_not_the_name_column(registry: Registry) -> None:
    result = read_text(
        "SDK名称 | 第三方名称 | 使用目的\n"
        "友盟统计SDK | 友盟同欣（北京）科技有限公司 | 统计\n"
        "极光推送SDK | 深圳市和讯华谷信息技术有限公司 | 推送\n",
        registry,
    )
    assert [d.sdk for d in result.disclosures] == ["umeng-analytics", "jpush"]


def test_one_cell_per_line_with_bars(registry: Registry) -> None:
    result = read_text(
        "第三方共享清单\n|\n第三方公司名称 |\n产品/类型 |\n使用目的 |\n共享方式 |\n第三方隐私链接 |\n|\n"
        "北京小米移动软件有限公司 |\n小米推送SDK |\n推送消息 |\nSDK本机采集 |\n"
        "https://dev.mi.com/privacy |\n|\n"
        "某某物流有限公司 |\n配送服务 |\n配送 |\n后台接口传输 |\n|\n",
        registry,
    )
    assert found(result) == Counter({("小米推送SDK", "xiaomi-push"): 1})
    assert result.disclosures[0].fields.url == "https://dev.mi.com/privacy"


def test_field_blocks_starting_with_the_company_name_the_sdk_in_another_field(registry: Registry) -> None:
    result = read_text(
        "第三方公司名称: 高德软件有限公司\n共享类型: 内嵌 SDK(高德定位 SDK)\n使用目的: 定位\n"
        "第三方公司名称: 某某物流有限公司\n共享类型: 后台接口传输\n使用目的: 配送\n",
        registry,
    )
    assert found(result) == Counter({("高德定位 SDK", "amap-location"): 1})
    assert result.disclosures[0].fields.company == "高德软件有限公司"


def test_a_record_cut_short_after_its_name_still_counts(registry: Registry) -> None:
    result = read_text(
        "九、第三方SDK\nSDK名称:百度定位SDK\n使用目的:定位\nSDK名称:某某出行安全SDK\n十、联系我们\n", registry
    )
    assert found(result) == Counter({("百度定位SDK", "baidu-location"): 1, ("某某出行安全SDK", None): 1})


def test_field_values_are_never_disclosures(registry: Registry) -> None:
    result = read_text(
        "小米推送SDK\n使用目的: 接入HMS Core推送通道\n合作方主体: 北京小米移动软件有限公司\n"
        "涉及个人信息: 设备标识符\n链接: https://dev.mi.com\n",
        registry,
    )
    assert found(result) == Counter({("小米推送SDK", "xiaomi-push"): 1})


def test_glued_rows(registry: Registry) -> None:
    result = read_text(
        "序号SDK名称第三方主体信息类型\n"
        "1小米推送SDK北京小米移动软件有限公司设备标识符\n"
        "2DemoStat Android SDK示例数据科技(上海)有限公司设备信息:型号\n",
        registry,
    )
    assert found(result) == Counter({("小米推送SDK", "xiaomi-push"): 1, ("DemoStat Android SDK", None): 1})


def test_spaced_rows(registry: Registry) -> None:
    result = read_text(
        "第三方SDK列表\n第三方公司名称 SDK名称 涉及个人信息 第三方隐私政策链接\n"
        "广东欢太科技有限公司 OPPO PUSH 客户端SDK 设备标识符、应用信息 https://open.oppomobile.com\n",
        registry,
    )
    assert found(result) == Counter({("OPPO PUSH 客户端SDK", "oppo-push"): 1})


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        # counted: an integration verb, or a specific name ending in SDK
        ("本产品集成了友盟统计SDK，该SDK需要读取设备标识。", {("友盟统计SDK", "umeng-analytics")}),
        (
            "认证流程接入了阿里云实人认证SDK和某某活体SDK。",
            {("阿里云实人认证SDK", "aliyun-realperson"), ("某某活体SDK", None)},
        ),
        ("三方穿山甲SDK需要读取设备信息。", {("穿山甲SDK", "bytedance-pangle")}),
        ("本应用接入了个推推送服务，用于推送。", {("个推推送服务", "getui-push")}),  # no SDK word: registry
        # not counted: negated, generic, a feature, a description, an unknown name without SDK
        ("本应用内未集成地图SDK。", set()),
        ("我们会使用第三方SDK，这些SDK也可能申请权限。", set()),
        ("我们集成了微信登录功能和QQ登录功能。", set()),
        ("以下厂商推送SDK也会处理您的信息。", set()),
        ("We report crashes through a crash-reporting SDK.", set()),
        ("本应用接入了某某云服务，用于存储。", set()),
    ],
)
def test_integration_sentences(registry: Registry, sentence: str, names: set[tuple[str, str | None]]) -> None:
    result = read_text(f"三、权限说明\n（1）存储权限：{sentence}\n", registry)
    assert set(found(result)) == names


def test_an_integration_sentence_repeating_a_listed_sdk_is_no_new_disclosure(registry: Registry) -> None:
    result = read_text(
        "二、第三方SDK\nSDK名称 | 使用目的\n小米推送 | 推送\n"
        "三、权限\n我们集成了小米推送SDK，需要读取设备标识。\n",
        registry,
    )
    assert found(result) == Counter({("小米推送", "xiaomi-push"): 1})
    assert reason(result, "小米推送SDK").startswith("repeats '小米推送'")


def test_labels_and_headings_are_never_names(registry: Registry) -> None:
    result = read_text(
        "Android端第三方SDK\n第三方SDK信息共享清单\n• 推送类SDK\n"
        "平台：安卓\n是否去标识化：是\n• 小米推送SDK：推送消息\n",
        registry,
    )
    assert found(result) == Counter({("小米推送SDK", "xiaomi-push"): 1})


def test_one_cell_naming_several_products(registry: Registry) -> None:
    result = read_text(
        "二、第三方SDK\nSDK名称 | 使用目的\n华为推送、小米推送、OPPO推送 | 推送\n"
        "某厂商SDK(含友盟统计SDK、极光推送SDK等) | 统计\n",
        registry,
    )
    assert found(result) == Counter(
        {
            ("华为推送、小米推送、OPPO推送", "huawei-push"): 1,
            ("华为推送、小米推送、OPPO推送", "xiaomi-push"): 1,
            ("华为推送、小米推送、OPPO推送", "oppo-push"): 1,
            ("某厂商SDK(含友盟统计SDK、极光推送SDK等)", "umeng-analytics"): 1,
            ("某厂商SDK(含友盟统计SDK、极光推送SDK等)", "jpush"): 1,
        }
    )


def test_traditional_chinese_resolves_but_is_reported_as_written(registry: Registry) -> None:
    result = read_text("第三方SDK清單\n第三方SDK名稱：華為推送服務\n使用目的：推送訊息\n", registry)
    assert found(result) == Counter({("華為推送服務", "huawei-push"): 1})


def test_a_server_side_partner_is_no_sdk(registry: Registry) -> None:
    result = read_text(
        "二、第三方共享清单\n小米检查更新\n第三方公司名称：小米科技有限责任公司\n共享方式：后台接口传输\n",
        registry,
    )
    assert result.disclosures == ()
    assert "server to server" in reason(result, "小米检查更新")


def test_every_dropped_candidate_says_why(registry: Registry) -> None:
    result = read_text(
        "二、第三方SDK\nSDK名称 | 第三方名称 | 使用目的\n小米推送 | 北京小米移动软件有限公司 | 推送\n",
        registry,
    )
    assert result.explanations
    assert all(e.reason for e in result.explanations)
    assert {e.finder for e in result.explanations if e.kept} == {"table"}


def test_one_small_table_per_sdk_is_a_field_block(registry: Registry) -> None:
    html = (
        "<html><body><h2>第三方SDK目录</h2>"
        "<table><tr><td>SDK名称</td><td>小米推送SDK</td></tr><tr><td>使用目的</td><td>推送消息</td></tr>"
        "<tr><td>第三方主体</td><td>北京小米移动软件有限公司</td></tr></table>"
        "<table><tr><td>SDK名称</td><td>某某统计SDK</td></tr><tr><td>使用目的</td><td>统计</td></tr></table>"
        "</body></html>"
    )
    result = read_text(html, registry, name="p.html")
    assert found(result) == Counter({("小米推送SDK", "xiaomi-push"): 1, ("某某统计SDK", None): 1})
    assert result.disclosures[0].fields.company == "北京小米移动软件有限公司"
    assert {e.finder for e in result.explanations if e.kept} == {"fields"}
