"""Rules from the third batch of corpus fixtures modelled on the held-out set 3 layouts (each
fixture's sidecar names its model page): each rule on the smallest text of its layout and on the
trap beside it."""

from __future__ import annotations

from sdkreg.policy.layouts.base import label_pairs
from sdkreg.registry import Registry
from tests.policy.reading import found, read_text


def test_a_permission_row_enumerating_listed_sdks_repeats_them(registry: Registry) -> None:
    directory = (
        "附二：第三方SDK目录\n穿山甲广告SDK\n提供方名称：北京巨量引擎网络技术有限公司\n使用目的：展示广告\n"
    )
    row = "序号 | 权限 | 目的\n2 | 读取手机状态 | 用于第三方广告SDK展示广告，包括穿山甲、优量汇\n"
    result = read_text(row + directory, registry)
    # 穿山甲 repeats the directory's record; 优量汇, named nowhere else, is still disclosed.
    assert set(found(result)) == {("穿山甲广告SDK", "bytedance-pangle"), ("优量汇", "tencent-gdt")}


def test_a_noted_coordinate_needs_no_word_of_sdk(registry: Registry) -> None:
    text = "信息的收集\n4. 发布于vivo应用商店的版本会集成com.vivo.push(vivo;vivo推送)，用于发送提醒。\n"
    assert set(found(read_text(text, registry))) == {("com.vivo.push(vivo;vivo推送)", "vivo-push")}
    # a package in parentheses without a note naming anything stays no name there
    assert not found(read_text("信息的收集\n数据保存在com.example.app(see below)目录中。\n", registry))


def test_glued_fields_end_at_a_spaced_label() -> None:
    line = (
        "共享类型：推送 SDK。 SDK 名称：个推消息推送 SDK。 SDK 包名：com.igexin.sdk。 "
        "当前接入版本：3.3.7.0。"
    )
    pairs = label_pairs(line.replace("：", ":"))
    values = {p.label: line[p.start : p.end] for p in pairs}
    assert values["SDK 名称"] == "个推消息推送 SDK"
    assert values["SDK 包名"] == "com.igexin.sdk"
    assert values["当前接入版本"] == "3.3.7.0"


def test_a_partner_named_by_its_policy_title(registry: Registry) -> None:
    text = (
        "三、共享\n以下列举了具体的授权合作伙伴：\n"
        "（1）消息推送服务供应商：由深圳市和讯华谷信息技术有限公司提供推送技术服务，详细内容请访问《极光推送隐私政策》\n"
        "（2）服务器服务供应商：由华为云计算技术有限公司提供云服务器，详见《华为云隐私政策》\n"
        "（3）您使用微信登录时，请阅读《微信隐私政策》。\n"
    )
    # a host the registry does not know, and a title read by the reader himself, name no SDK
    assert set(found(read_text(text, registry))) == {("极光推送", "jpush")}


def test_subheadings_under_tools_we_use_are_the_tools(registry: Registry) -> None:
    text = (
        "# Policy\n## Tools we use\n### Amplitude\nThis service is provided by Amplitude, Inc.\n"
        "### Firebase Crashlytics\nCrash reports are sent to Google.\n## How we share your information\n"
        "### Legal requests\nWe answer subpoenas.\n"
    )
    names = set(found(read_text(text, registry, "markdown")))
    assert names == {("Amplitude", None), ("Firebase Crashlytics", "firebase-crashlytics")}


def test_not_part_of_this_release_is_a_section_of_sdks_not_used(registry: Registry) -> None:
    text = "# Third-Party SDK Notice\n## Not part of this release\n- Facebook SDK (login)\n- Unity Ads\n"
    assert not found(read_text(text, registry, "markdown"))


def test_a_line_of_examples_of_a_kind_is_no_name(registry: Registry) -> None:
    text = (
        "六、第三方 SDK 与技术组件说明\n"
        "flutter_map / latlong2 等地图展示组件\n使用目的：绘制地图\n可能处理的信息范围：地点坐标\n"
        "某某数据同步SDK\n使用目的：同步步数\n可能处理的信息范围：步数\n"
    )
    assert set(found(read_text(text, registry))) == {("某某数据同步SDK", None)}


def test_a_name_field_over_another_name_field_is_a_title(registry: Registry) -> None:
    text = (
        "三、第三方SDK\n⑦第三方SDK：4399渠道\nSDK名称：4399游戏盒SDK\n用途：渠道登录\n"
        "⑧第三方SDK：TapTap SDK\n用途：登录\n"
        # the same label twice: a record cut short after its name, then the next record
        "SDK名称：示例统计SDK\nSDK名称：示例推送SDK\n用途：推送\n"
    )
    assert set(found(read_text(text, registry))) == {
        ("4399游戏盒SDK", None),
        ("TapTap SDK", "taptap-sdk"),
        ("示例统计SDK", None),
        ("示例推送SDK", None),
    }
