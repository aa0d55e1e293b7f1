"""What a value is by its content: labels, headings, names, companies, URLs, data lists."""

from __future__ import annotations

import pytest

from sdkreg.policy.labels import label_fields
from sdkreg.policy.roles import is_heading, role_reader
from sdkreg.registry import Registry


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("SDK名称", "name"),
        ("第三方SDK名称", "name"),
        ("产品/类型", "name"),
        ("第三方公司名称", "company"),
        ("共享信息名称", "data"),
        ("使用目的", "purpose"),
        ("第三方隐私链接 |", "url"),
        ("是否去标识化", "other"),
        ("平台", "platform"),
        ("声明/申请权限", "permission"),
        ("Purpose of Use", "purpose"),
        ("Type of personal information collected", "data"),
        ("公司名称 Company Name", "company"),  # a Chinese label and its translation
    ],
)
def test_labels(text: str, first: str) -> None:
    assert label_fields(text)[0] == first


def test_a_two_sided_label_speaks_of_both() -> None:
    assert set(label_fields("第三方名称")) == {"company", "name"}  # decided by the column's content


@pytest.mark.parametrize(
    "text",
    [
        "百度定位SDK",
        "第三方SDK清单",
        "第三方SDK接入说明",
        "华为(华为推送服务)",
        "Purpose: deliver push",
        "用于推送消息，提升到达率",
    ],
)
def test_not_labels(text: str) -> None:
    assert label_fields(text) == ()


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("第三方SDK信息共享清单", True),
        ("Android端第三方SDK", True),
        ("Third-party SDKs", True),
        ("推送类", True),
        ("其他SDK及第三方服务", True),
        ("友盟+ SDK服务", False),
        ("极光推送", False),
    ],
)
def test_headings(text: str, heading: bool) -> None:
    assert is_heading(text) is heading


def test_content_roles(registry: Registry) -> None:
    roles = role_reader(registry)
    assert roles.of("小米推送").name == 1.0  # a registry alias
    assert roles.of("某某统计SDK").name == 0.8  # says SDK
    assert roles.of("深圳市腾讯计算机系统有限公司").company == 1.0
    assert roles.of("深圳市腾讯计算机系统有限公司").name == 0.0
    assert roles.of("https://example.com/privacy").url == 1.0
    assert roles.of("设备标识符（IMEI、OAID、Android ID）、IP地址").data >= 0.5
    assert roles.of("用于向您推送消息").purpose >= 0.7
    assert roles.of("SDK名称").label == 1.0 and roles.of("SDK名称").name == 0.0
    assert roles.of("READ_PHONE_STATE").name == 0.0  # a permission, not a name
    assert roles.of("无").name == 0.0  # an empty cell
