"""The prepared document: folding keeps offsets, markers, and which lines lie in an SDK section."""

from __future__ import annotations

import dataclasses

import pytest

from sdkreg.policy.document import marker_of, prepare
from sdkreg.policy.fold import Folder
from sdkreg.policy.model import PolicyText


def _doc(*lines: str) -> tuple[PolicyText, list[bool]]:
    text = PolicyText("p.txt", "0" * 64, "utf-8", "text", lines)
    return text, [line.in_sdk for line in prepare(text).lines]


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ＳＤＫ名称：小米推送", "SDK名称:小米推送"),  # full width
        ("⽀付宝⽀付", "支付宝支付"),  # Kangxi radicals (a PDF export) → the common characters
        ("華為推送服務", "华为推送服务"),  # Traditional → Simplified
        ("隱私政策鏈接：", "隐私政策链接:"),
        ("①微信SDK", "①微信SDK"),  # an enclosed number stays a list marker
        ("第三方\u3000SDK", "第三方 SDK"),
    ],
)
def test_fold_is_one_character_for_one(raw: str, folded: str) -> None:
    result = Folder().fold(raw)
    assert result == folded
    assert len(result) == len(raw)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("一、我们如何收集信息", "cn"),
        ("(二)第三方SDK", "cnparen"),  # markers are read on the folded text
        ("4.2 第三方SDK", "num"),
        ("(3)支付宝支付", "numparen"),
        ("②高德定位SDK", "circled"),
        ("• 小米推送SDK", "bullet"),
        ("b) 新浪微博SDK", "letter"),
        ("II. Push notification services", "roman"),
        ("## 第三方服务", "md"),
        ("2 个月内删除", ""),  # a quantity, not a list number
        ("华为推送", ""),
    ],
)
def test_markers(line: str, kind: str) -> None:
    assert marker_of(line).kind == kind


def test_sdk_section_ends_at_the_next_sibling() -> None:
    _, inside = _doc("一、收集信息", "设备型号", "二、第三方SDK", "小米推送", "三、联系我们", "邮箱")
    assert inside == [False, False, False, True, False, False]


def test_the_most_explicit_sdk_heading_wins_among_siblings() -> None:
    # The title speaks of sharing and SDKs; its first part lists API partners, its second SDKs.
    _, inside = _doc(
        "第三方信息共享和SDK服务清单",
        "引言",
        "1. 第三方信息共享清单",
        "某语音平台",
        "2. 第三方SDK服务清单",
        "小米推送",
        "3. 联系我们",
        "邮箱",
    )
    assert inside == [False, True, False, False, False, True, False, False]


def test_a_bulleted_heading_stays_inside_its_numbered_section() -> None:
    _, inside = _doc("4.2 第三方软件", "• 其他SDK及第三方服务", "某SDK", "4.3 法律例外", "6.4.1 近亲属的权利")
    assert inside == [False, True, True, False, False]


def test_markdown_headings_nest() -> None:
    _, inside = _doc("# 隐私政策", "## 第三方服务", "### Android 端", "- 华为推送", "## 联系我们", "- 邮箱")
    assert inside == [False, False, True, True, False, False]


def test_a_label_is_not_a_heading() -> None:
    text, _ = _doc("SDK名称", "使用目的")
    assert not any(line.sdk_heading for line in prepare(text).lines)


def test_the_document_is_immutable() -> None:
    text, _ = _doc("二、第三方SDK", "小米推送")
    doc = prepare(text)
    with pytest.raises(dataclasses.FrozenInstanceError):
        doc.lines[0].text = "x"  # type: ignore[misc]
    assert isinstance(doc.lines, tuple)
