"""Hostile policies (issue 12, items 9 and 10): linear work and bounded memory on one huge line,
no text lost in deep HTML. Speed itself is measured in benchmarks/bench_policy.py."""

from __future__ import annotations

from sdkreg.policy import extract_disclosures
from sdkreg.policy.layouts.base import MAX_CANDIDATES, MAX_PAIRS_PER_LINE, MAX_VALUE_CHARS, label_pairs
from sdkreg.policy.read import policy_from_bytes
from sdkreg.registry import Registry

RECORD = (
    "SDK名称:小米推送;使用目的:推送消息;合作方主体:北京小米移动软件有限公司;涉及个人信息:设备标识符、OAID;"
)


def test_a_line_of_field_pairs_is_read_up_to_its_bound() -> None:
    line = RECORD * 20_000  # 80,000 pairs on one line (about 2 MB)
    pairs = label_pairs(line)
    assert len(pairs) == MAX_PAIRS_PER_LINE
    # the last pair read ends where the next label starts: the rest of the line is no value
    last = pairs[-1]
    assert line[last.start : last.end] == "设备标识符、OAID"


def test_a_one_line_policy_gives_bounded_records(registry: Registry) -> None:
    data = (RECORD * 20_000).encode()
    result = extract_disclosures(policy_from_bytes(data, "one-line.txt"), registry)
    assert len(result.disclosures) == MAX_PAIRS_PER_LINE // 4
    first = result.disclosures[0]
    assert (first.as_written, first.sdk, first.fields.company) == (
        "小米推送",
        "xiaomi-push",
        "北京小米移动软件有限公司",
    )
    assert all(len(d.fields.data_text or "") <= MAX_VALUE_CHARS for d in result.disclosures)


def test_many_lines_of_records_are_bounded_per_finder(registry: Registry) -> None:
    data = ("SDK名称:小米推送\n" * (MAX_CANDIDATES + 500)).encode()
    result = extract_disclosures(policy_from_bytes(data, "many.txt"), registry)
    assert len(result.disclosures) == MAX_CANDIDATES


def test_sdk_list_below_a_deep_nesting_is_read(registry: Registry) -> None:
    html = (
        "<html><body>"
        + "<div>" * 3000
        + "<p>导语</p>"
        + "</div>" * 3000
        + "<h2>第三方SDK清单</h2><table><tr><th>SDK名称</th><th>使用目的</th></tr>"
        "<tr><td>小米推送SDK</td><td>推送</td></tr></table></body></html>"
    )
    result = extract_disclosures(policy_from_bytes(html.encode(), "deep.html"), registry)
    assert [d.sdk for d in result.disclosures] == ["xiaomi-push"]


def test_an_sdk_list_in_pre_is_read(registry: Registry) -> None:
    html = (
        "<html><body><h2>第三方SDK清单</h2>"
        "<pre>• 小米推送SDK：推送消息\n• 友盟统计SDK：统计</pre></body></html>"
    )
    result = extract_disclosures(policy_from_bytes(html.encode(), "pre.html"), registry)
    assert [d.sdk for d in result.disclosures] == ["xiaomi-push", "umeng-analytics"]
