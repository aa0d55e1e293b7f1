"""Rules from the diagnosis of a third held-out set of real SDK lists (issue 8, round 3), each on
the smallest text of its layout and on the trap beside it. Round 3 widened existing mechanisms
(label vocabularies, section headings, resolution by context) rather than adding rules per page;
the full layouts are corpus fixtures (tests/policy/corpus, sidecars name the model pages)."""

from __future__ import annotations

from collections import Counter

import pytest

from sdkreg.policy import extract_disclosures
from sdkreg.policy.model import PolicyResult
from sdkreg.policy.read import Format, policy_from_bytes
from sdkreg.policy.resolve import resolver_for
from sdkreg.registry import Registry


def _read(text: str, registry: Registry, fmt: Format | None = None) -> PolicyResult:
    return extract_disclosures(policy_from_bytes(text.encode(), "p", fmt), registry, explain=True)


def _found(result: PolicyResult) -> Counter[tuple[str, str | None]]:
    return Counter((d.as_written, d.sdk) for d in result.disclosures)


def _reason(result: PolicyResult, name: str) -> str:
    return next(e.reason for e in result.explanations if e.as_written == name and not e.kept)


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
        ("OPPO应用市场联运SDK（内含支付宝,OPPO安全支付）和广告SDK", "", ["oppo-game", "oppo-ads", "alipay-sdk"]),
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
