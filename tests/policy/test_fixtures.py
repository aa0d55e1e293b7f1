"""Our own policies in the other formats real policies use, with incidental-mention traps."""

from __future__ import annotations

import pytest

from sdkreg.policy import extract_disclosures, read_policy
from sdkreg.policy.model import PolicyResult
from sdkreg.registry import Registry
from tests.policy.conftest import FIXTURES, expected_multiset, load_expected, result_multiset

EXPECTED = load_expected(FIXTURES)


def _extract(name: str, registry: Registry) -> PolicyResult:
    return extract_disclosures(read_policy(FIXTURES / name), registry)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_reproduces_expected(name: str, registry: Registry) -> None:
    got = result_multiset(_extract(name, registry))
    want = expected_multiset(EXPECTED[name])
    assert got == want, f"missing: {dict(want - got)}; extra: {dict(got - want)}"


def test_html_table_keeps_cells_apart(registry: Registry) -> None:
    result = _extract("html_table.html", registry)
    assert result.source.format == "html"
    umeng = next(d for d in result.disclosures if d.sdk == "umeng-analytics")
    assert umeng.fields.company == "友盟同欣（北京）科技有限公司"
    assert umeng.fields.purpose == "统计应用使用情况"
    assert umeng.fields.url == "https://example.com/umeng-privacy"
    assert {"imei", "oaid", "android-id", "ip-address"} <= set(umeng.fields.data_types)
    # the line is the file's own: the line of the SDK's cell, not of the flattened row
    raw = (FIXTURES / "html_table.html").read_text(encoding="utf-8").splitlines()
    for d in result.disclosures:
        assert f"<td>{d.as_written}</td>" in raw[d.line - 1], (d.as_written, d.line)
    assert umeng.line == 32


def test_html_drops_script_and_style(registry: Registry) -> None:
    text = read_policy(FIXTURES / "html_table.html")
    assert not any("hidden" in line or "content:" in line for line in text.lines)


def test_markdown_table_lines_are_file_lines(registry: Registry) -> None:
    result = _extract("markdown_table.md", registry)
    raw = (FIXTURES / "markdown_table.md").read_text(encoding="utf-8").splitlines()
    for d in result.disclosures:
        assert d.as_written in raw[d.line - 1]
    qq = next(d for d in result.disclosures if d.sdk == "tencent-qq-connect")
    assert qq.fields.url == "https://example.com/qq"
    assert "account-info" in qq.fields.data_types


def test_gbk_inline_and_block_fields(registry: Registry) -> None:
    result = _extract("gbk_fields.txt", registry)
    assert result.source.encoding == "gb18030"
    bugly = next(d for d in result.disclosures if d.sdk == "tencent-bugly")
    assert bugly.fields.company == "深圳市腾讯计算机系统有限公司"
    assert bugly.fields.purpose == "崩溃分析"
    assert bugly.fields.url == "https://example.com/bugly"
    assert "crash-logs" in bugly.fields.data_types
    weibo = next(d for d in result.disclosures if d.sdk == "sina-weibo-sdk")
    assert weibo.fields.method == "SDK自行采集"
    # the contact block at the end (联系地址/电子邮箱) is not an SDK
    assert len(result.disclosures) == 4


def test_same_text_in_every_encoding_gives_same_result(registry: Registry) -> None:
    utf8 = _extract("numbered_list.txt", registry)
    utf16 = _extract("numbered_utf16be_nobom.txt", registry)
    assert utf16.source.encoding == "utf-16-be"
    assert utf8.disclosures == utf16.disclosures
    bom = _extract("english_utf16_bom.txt", registry)
    assert bom.source.encoding == "utf-16-le"
    assert bom.disclosures == _extract("english_names.txt", registry).disclosures


def test_traps_only_policy_has_no_sdk_section(registry: Registry) -> None:
    result = _extract("traps.txt", registry)
    assert result.disclosures == ()
    assert not result.has_sdk_section


def test_split_name_reports_both_products_on_one_line(registry: Registry) -> None:
    result = _extract("numbered_list.txt", registry)
    amap = [d for d in result.disclosures if d.as_written == "高德地图3D、定位SDK"]
    assert {d.sdk for d in amap} == {"amap-map", "amap-location"}
    assert len({d.line for d in amap}) == 1
