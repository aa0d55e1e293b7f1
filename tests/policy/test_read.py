"""Reading a policy file: encodings, HTML/Markdown flattening, and every refusal."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from sdkreg.errors import (
    InputMissingError,
    PolicyBinaryError,
    PolicyEmptyError,
    PolicyUndecodableError,
)
from sdkreg.policy import read, read_policy

TEXT = "第三方SDK清单\n小米推送SDK：推送消息\n使用目的：推送\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),
        (TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("gbk"), "gb18030"),
        ("隐私政策：我们不收集𠀀以外的信息\n".encode("gb18030"), "gb18030"),
    ],
)
def test_encodings_are_detected(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(data)
    text = read_policy(path)
    assert text.encoding == encoding
    assert text.lines[0].lstrip("\ufeff") == text.lines[0]  # BOM never leaks into the text
    assert text.lines[0] in TEXT or "隐私政策" in text.lines[0]


def test_crlf_and_cr_line_ends_count_like_lf(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes("一\r\n二\r三\n四".encode())
    assert read_policy(path).lines == ("一", "二", "三", "四")


def test_html_tables_and_lists_keep_their_structure() -> None:
    html = (
        "<html><head><style>p{}</style></head><body><script>x=1</script>"
        "<p>前言<br>第二行</p><ul><li>甲</li><li>乙 <b>丙</b></li></ul>"
        "<table><tr><th>SDK名称</th><th>使用目的</th></tr>"
        "<tr><td>小米推送</td><td><p>推送</p><p>消息</p></td></tr></table></body></html>"
    )
    text = read.policy_from_bytes(html.encode(), "p.html")
    assert text.format == "html"
    assert text.lines == ("前言", "第二行", "甲", "乙 丙", "SDK名称 | 使用目的", "小米推送 | 推送 ¦ 消息")


def test_markdown_table_rows_become_cells_and_rules_blank() -> None:
    md = "# 标题\n\n| SDK名称 | 目的 |\n|---|---|\n| **友盟** | [统计](https://x.example) |\n"
    text = read.policy_from_bytes(md.encode(), "p.md", "markdown")
    assert text.lines[:5] == ("# 标题", "", "SDK名称 | 目的", "", "友盟 | 统计 https://x.example")


def test_format_is_sniffed_without_a_suffix(tmp_path: Path) -> None:
    path = tmp_path / "policy"
    path.write_text("<!DOCTYPE html><p>隐私政策</p>", encoding="utf-8")
    assert read_policy(path).format == "html"
    path.write_text("## 一\n## 二\n| a | b |\n|---|---|\n", encoding="utf-8")
    assert read_policy(path).format == "markdown"


def test_an_html_file_without_a_tag_is_read_as_the_text_it_is(tmp_path: Path) -> None:
    # A plain-text policy saved as "yinsi.html": read as HTML its lines would run into one.
    path = tmp_path / "yinsi.html"
    path.write_text("隐私政策\n\n小米开放平台\n使用目的：消息推送\n", encoding="utf-8")
    text = read_policy(path)
    assert text.format == "text"
    assert text.lines[2:4] == ("小米开放平台", "使用目的：消息推送")
    path.write_text("隐私政策<br>小米推送", encoding="utf-8")
    assert read_policy(path).format == "html"  # one tag is enough to be HTML


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputMissingError, match="no such file"):
        read_policy(tmp_path / "nope.txt")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputMissingError, match="directory"):
        read_policy(tmp_path)


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n", "\u3000\n".encode(), codecs.BOM_UTF8])
def test_empty_or_whitespace(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(data)
    with pytest.raises(PolicyEmptyError):
        read_policy(path)


def test_html_without_text_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "p.html"
    path.write_text("<html><script>var a = 1;</script><p> </p></html>", encoding="utf-8")
    with pytest.raises(PolicyEmptyError):
        read_policy(path)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x00\x00", "zip"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x7fELF\x02\x01\x01", "ELF"),
        (bytes(range(256)) * 4 + b"\x00\x00\x01", "NUL"),
    ],
)
def test_binary_files_are_named(tmp_path: Path, data: bytes, what: str) -> None:
    path = tmp_path / "policy.txt"
    path.write_bytes(data)
    with pytest.raises(PolicyBinaryError, match=what):
        read_policy(path)


def test_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    # Bytes that are not UTF-8, not GB18030 (0xFF is never a GB18030 lead byte) and hold no NUL.
    path.write_bytes(b"\xff\xfa\xfb\xfc\xfd\xfe" * 200)
    with pytest.raises(PolicyUndecodableError, match=r"p\.txt"):
        read_policy(path)


def test_bad_bytes_after_a_bom_are_undecodable(tmp_path: Path) -> None:
    path = tmp_path / "p.txt"
    path.write_bytes(codecs.BOM_UTF8 + b"abc\xff\xfe\xfd")
    with pytest.raises(PolicyUndecodableError, match="byte-order mark"):
        read_policy(path)


def test_huge_input_is_refused_before_decoding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read, "MAX_POLICY_BYTES", 1024)
    path = tmp_path / "p.txt"
    path.write_bytes(b"a" * 2048)
    with pytest.raises(PolicyBinaryError, match="limit"):
        read_policy(path)


def test_error_messages_are_one_line_and_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(PolicyBinaryError) as info:
        read_policy(path)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)


# ---------------------------------------------------------------- source lines and hostile HTML


def test_text_and_markdown_lines_are_the_files_own() -> None:
    text = read.policy_from_bytes(b"a\nb\n\nc", "p.txt")
    assert text.line_numbers == (1, 2, 3, 4)
    assert [text.source_line(i) for i in range(4)] == [1, 2, 3, 4]


def test_html_lines_map_to_where_their_text_starts() -> None:
    html = (
        "<html><body>\n"  # 1
        "<h2>第三方SDK</h2>\n"  # 2
        "<table>\n"  # 3
        "<tr><th>SDK名称</th><th>公司</th></tr>\n"  # 4
        "<tr>\n"  # 5
        "  <td>公司甲</td>\n"  # 6
        "  <td>甲SDK<br>\n"  # 7
        "      乙SDK</td>\n"  # 8
        "</tr>\n"  # 9
        "</table>\n"  # 10
        "<p>第一句\n第二句</p>\n"  # 11, 12
        "</body></html>\n"
    )
    text = read.policy_from_bytes(html.encode(), "p.html")
    lines = list(text.lines)
    assert lines[0] == "## 第三方SDK" and text.line_numbers[0] == 2
    row = lines.index("公司甲 | 甲SDK ¦ 乙SDK")
    assert text.source_line(row) == 6  # the row starts with its first cell
    assert text.source_line(row, lines[row].index("甲SDK")) == 7
    assert text.source_line(row, lines[row].index("乙SDK")) == 8  # after the <br> and a newline
    paragraph = lines.index("第一句 第二句")
    assert text.source_line(paragraph) == 11
    assert text.source_line(paragraph, lines[paragraph].index("第二句")) == 12


def test_rowspan_and_colspan_keep_columns_aligned() -> None:
    html = (
        "<table><tr><td rowspan=2>公司A</td><td>甲SDK</td><td>x</td></tr>"
        "<tr><td>乙SDK</td><td>y</td></tr>"
        "<tr><td colspan=2>合并</td><td>z</td></tr></table>"
    )
    assert read.policy_from_bytes(html.encode(), "p.html").lines == (
        "公司A | 甲SDK | x",
        " | 乙SDK | y",
        "合并 |  | z",
    )


@pytest.mark.parametrize("depth", [300, 5000])
def test_deeply_nested_html_loses_no_text(depth: int) -> None:
    # libxml2 stops at 256 levels (2048 with huge_tree); deeper text used to vanish silently.
    html = "<html><body>" + "<div>" * depth + "<p>DEEP 小米推送SDK</p>" + "</div>" * depth + "<p>AFTER</p>"
    lines = read.policy_from_bytes(html.encode(), "p.html").lines
    assert lines == ("DEEP 小米推送SDK", "AFTER")


def test_pre_keeps_its_line_breaks() -> None:
    html = "<html><body><p>第三方SDK清单</p><pre>小米推送SDK\n华为推送SDK\n\n友盟统计SDK</pre></body></html>"
    lines = read.policy_from_bytes(html.encode(), "p.html").lines
    assert lines == ("第三方SDK清单", "小米推送SDK", "华为推送SDK", "友盟统计SDK")


def test_both_html_drivers_flatten_alike() -> None:
    from sdkreg.policy.html import _stdlib_lines, html_to_lines

    here = Path(__file__).parent
    pages = [*(here / "corpus").glob("*.html"), here / "fixtures" / "html_table.html"]
    assert pages
    for page in pages:
        source = page.read_text(encoding="utf-8")
        assert html_to_lines(source) == _stdlib_lines(source), page.name
