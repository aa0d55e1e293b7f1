"""Word (.docx) and PDF policies: the same policy gives the same disclosures as its text or HTML
original; tables keep their rows; merged cells, wrapped cells and paragraphs; scans, damaged and
encrypted files are clear errors."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from sdkreg.cli import run
from sdkreg.errors import ExitCode, PolicyBinaryError, PolicyNoTextLayerError
from sdkreg.policy import extract_disclosures, read_policy
from sdkreg.policy.load import load_policy
from sdkreg.policy.model import PolicyResult
from sdkreg.policy.sources import document_text, open_policy
from sdkreg.registry import Registry
from sdkreg.schemas import validator
from tests.conftest import REPO
from tests.policy.conftest import FIXTURES
from tests.policy.documents import (
    Block,
    Para,
    Table,
    blocks_from_html,
    blocks_from_text,
    build_docx,
    build_pdf,
    build_scanned_pdf,
)

DEMO = REPO / "samples" / "demo-policy.txt"
ORIGINALS = [
    DEMO,  # record blocks (SDK name line, then 使用目的/合作方主体/… lines; long lines wrap in PDF)
    FIXTURES / "html_table.html",  # a table with a multi-paragraph cell, a permission table, a list
    FIXTURES / "numbered_list.txt",
    FIXTURES / "english_names.txt",
    FIXTURES / "sentence_list.txt",
    FIXTURES / "traps.txt",  # nothing to find: the document formats must not invent disclosures
]


def blocks_of(path: Path) -> list[Block]:
    return blocks_from_html(path) if path.suffix == ".html" else blocks_from_text(path)


def comparable(result: PolicyResult) -> list[tuple[Any, ...]]:
    """Everything a disclosure says except its line (line numbers are each format's own) and the
    white space in its texts: a PDF wraps long lines where the text file has none, and a line
    break at a space after a comma leaves no space behind."""

    def squashed(text: str | None) -> str | None:
        return None if text is None else re.sub(r"\s+", "", text)

    return [
        (d.as_written, d.sdk, d.level, d.match.method, squashed(d.fields.company),
         squashed(d.fields.purpose), squashed(d.fields.data_text), d.fields.data_types,
         squashed(d.fields.method), d.fields.url)
        for d in result.disclosures
    ]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("original", ORIGINALS, ids=[p.name for p in ORIGINALS])
def test_same_disclosures_as_the_original(original: Path, kind: str, registry: Registry,
                                          tmp_path: Path) -> None:
    expected = extract_disclosures(read_policy(original), registry)
    blocks = blocks_of(original)
    data = build_docx(blocks) if kind == "docx" else build_pdf(blocks)
    path = tmp_path / f"policy.{kind}"
    path.write_bytes(data)
    result = load_policy(str(path), registry)
    assert result.source.format == kind
    assert comparable(result) == comparable(expected)
    assert result.has_sdk_section == expected.has_sdk_section
    if original != FIXTURES / "traps.txt":
        assert result.disclosures  # the comparison is not between two empty lists


def test_docx_lines_are_paragraphs_and_table_rows() -> None:
    blocks: list[Block] = [
        Para("第三方SDK清单", heading=True),
        Para(""),
        Table([[["SDK名称"], ["公司"], ["收集的信息"]],
               [["友盟统计SDK"], ["友盟同欣（北京）科技有限公司"], ["设备信息", "IP地址"]]]),
        Para("最后一段"),
    ]
    text = document_text(build_docx(blocks), "p.docx", "docx")
    assert text.lines == (
        "第三方SDK清单",
        "",
        "SDK名称 | 公司 | 收集的信息",
        "友盟统计SDK | 友盟同欣（北京）科技有限公司 | 设备信息 IP地址",
        "最后一段",
    )
    assert (text.format, text.encoding) == ("docx", "docx")


def _docx_with_body(body_xml: str) -> bytes:
    """A .docx whose body is ``body_xml`` (WordprocessingML), written over python-docx's own
    package so that everything but the body is as Word makes it."""
    original = build_docx([Para("x")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                start = text.index("<w:body>") + len("<w:body>")
                end = text.index("<w:sectPr")
                data = (text[:start] + body_xml + text[end:]).encode("utf-8")
            dst.writestr(item, data)
    return out.getvalue()


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>"


def _tc(inner: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{inner}</w:tc>"


def test_docx_merged_cells_breaks_content_controls_and_tracked_changes() -> None:
    body = (
        # a content control around a paragraph (templates wrap whole sections like this)
        "<w:sdt><w:sdtContent>" + _p("第三方SDK清单") + "</w:sdtContent></w:sdt>"
        # manual line breaks: one line each; a deleted word is not text, an inserted one is
        "<w:p><w:r><w:t>SDK名称：个推</w:t><w:br/><w:t>使用目的：推送</w:t></w:r>"
        "<w:del><w:r><w:delText>删除的文字</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>（新增）</w:t></w:r></w:ins></w:p>"
        "<w:tbl>"
        "<w:tr>" + _tc(_p("公司")) + _tc(_p("SDK")) + _tc(_p("用途")) + "</w:tr>"
        # the company cell is merged down over two rows; a cell spans two grid columns
        "<w:tr>" + _tc(_p("北京百度网讯科技有限公司"), "<w:vMerge w:val=\"restart\"/>")
        + _tc(_p("百度定位SDK")) + _tc(_p("定位")) + "</w:tr>"
        "<w:tr>" + _tc("<w:p/>", "<w:vMerge/>") + _tc(_p("百度地图SDK")) + _tc(_p("地图")) + "</w:tr>"
        "<w:tr>" + _tc(_p("合计两项"), "<w:gridSpan w:val=\"2\"/>") + _tc(_p("a|b")) + "</w:tr>"
        "</w:tbl>"
    )
    text = document_text(_docx_with_body(body), "p.docx", "docx")
    assert text.lines == (
        "第三方SDK清单",
        "SDK名称：个推",
        "使用目的：推送（新增）",
        "公司 | SDK | 用途",
        "北京百度网讯科技有限公司 | 百度定位SDK | 定位",
        "北京百度网讯科技有限公司 | 百度地图SDK | 地图",
        "合计两项 | a/b",
    )


def test_pdf_table_spanning_pages_keeps_every_row(registry: Registry) -> None:
    header: list[list[str]] = [["SDK名称"], ["第三方名称"], ["使用目的"], ["收集个人信息类型"]]
    row: list[list[str]] = [["友盟统计SDK"], ["友盟同欣（北京）科技有限公司"], ["统计应用使用情况"],
                            ["设备信息（IMEI、OAID、Android ID）、IP地址、应用使用情况"]]
    blocks: list[Block] = [Para("第三方SDK清单", heading=True), Table([header] + [row] * 60)]
    text = document_text(build_pdf(blocks), "long.pdf", "pdf")
    rows = [line for line in text.lines if line.startswith("友盟统计SDK | ")]
    assert len(rows) == 60
    assert set(rows) == {"友盟统计SDK | 友盟同欣（北京）科技有限公司 | 统计应用使用情况 | "
                         "设备信息（IMEI、OAID、Android ID）、IP地址、应用使用情况"}
    assert text.lines.count("SDK名称 | 第三方名称 | 使用目的 | 收集个人信息类型") >= 2  # repeated per page


def test_pdf_rejoins_wrapped_paragraphs_but_not_list_items() -> None:
    long = "为实现本应用的部分功能，我们接入了下列第三方SDK，" * 4 + "并对接入的SDK进行严格的安全检测。"
    blocks: list[Block] = [Para(long), Para("1、小米推送SDK"), Para("2、高德定位SDK"), Para("短的一行")]
    lines = document_text(build_pdf(blocks, width_cm=8), "p.pdf", "pdf").lines
    assert lines == (long, "1、小米推送SDK", "2、高德定位SDK", "短的一行")


def test_scanned_pdf_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(build_scanned_pdf(pages=3))
    with pytest.raises(PolicyNoTextLayerError, match=r"no text layer \(3 page"):
        open_policy(str(path))
    assert run(["policy", str(path)]) == ExitCode.POLICY_NO_TEXT_LAYER
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("sdkreg: error: ") and "OCR" in err[0]


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_damaged_pdf_is_unreadable_not_a_traceback(damage: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    good = build_pdf([Para("第三方SDK清单"), Para("小米推送SDK")])
    data = good[: len(good) // 3] if damage == "truncated" else b"%PDF-1.7\n" + bytes(range(256)) * 40
    path = tmp_path / "bad.pdf"
    path.write_bytes(data)
    code = run(["policy", str(path)])
    err = capsys.readouterr().err
    assert code == ExitCode.POLICY_BINARY, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_encrypted_pdf_needs_a_password(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, encrypt="secret")
    canvas.drawString(72, 700, "Third-party SDK list")
    canvas.save()
    with pytest.raises(PolicyBinaryError, match="encrypted PDF"):
        document_text(out.getvalue(), "locked.pdf", "pdf")


def test_pdf_with_only_an_owner_password_is_read() -> None:
    """Owner passwords only restrict printing/copying; every reader opens the file."""
    from reportlab.lib import pdfencrypt
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4,
                    encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner", canCopy=0))
    canvas.drawString(72, 700, "Firebase Crashlytics")
    canvas.save()
    assert document_text(out.getvalue(), "restricted.pdf", "pdf").lines == ("Firebase Crashlytics",)


def test_zip_that_is_not_a_docx_is_still_refused(tmp_path: Path) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("AndroidManifest.xml", b"\x03\x00\x08\x00")
        archive.writestr("classes.dex", b"dex\n035\x00")
    path = tmp_path / "app.docx"  # the name does not make it a Word document
    path.write_bytes(out.getvalue())
    assert run(["policy", str(path)]) == ExitCode.POLICY_BINARY


def test_damaged_docx_is_refused(tmp_path: Path) -> None:
    data = bytearray(build_docx([Para("小米推送SDK")]))
    start = data.index(b"word/document.xml") + 40
    data[start:start + 200] = bytes(200)  # corrupt the main part's compressed bytes
    path = tmp_path / "bad.docx"
    path.write_bytes(bytes(data))
    assert run(["policy", str(path)]) == ExitCode.POLICY_BINARY


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    original = build_docx([Para("小米推送SDK")])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, \
            zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        dst.writestr("word/media/padding.bin", bytes(110 * 1024 * 1024))
    with pytest.raises(PolicyBinaryError, match=r"unpacks to 11\d MB"):
        document_text(out.getvalue(), "bomb.docx", "docx")


def test_policy_command_json_for_a_docx(registry: Registry, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "policy.docx"
    path.write_bytes(build_docx(blocks_from_text(DEMO)))
    capsys.readouterr()
    assert run(["policy", str(path), "--format", "json"]) == ExitCode.OK
    document = json.loads(capsys.readouterr().out)
    validator("policy").validate(document)
    assert document["policy"]["format"] == "docx"
    assert document["policy"]["linked_from"] is None
    assert document["summary"]["sdks"] == ["amap-location", "umeng-analytics", "xiaomi-push"]
    # the line of a disclosure is its paragraph: the demo policy has one paragraph per line
    demo_lines = DEMO.read_text(encoding="utf-8").splitlines()
    for disclosure in document["disclosures"]:
        assert demo_lines[disclosure["line"] - 1].startswith(disclosure["as_written"])


def test_audit_with_a_pdf_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "policy.pdf"
    path.write_bytes(build_pdf(blocks_from_text(DEMO)))
    text_code = run(["audit", str(REPO / "samples" / "demo.apk"), str(DEMO), "--format", "json"])
    from_text = json.loads(capsys.readouterr().out)
    pdf_code = run(["audit", str(REPO / "samples" / "demo.apk"), str(path), "--format", "json"])
    from_pdf = json.loads(capsys.readouterr().out)
    assert pdf_code == text_code == ExitCode.FINDINGS
    assert [(f["kind"], f["subject"]) for f in from_pdf["findings"]] == [
        (f["kind"], f["subject"]) for f in from_text["findings"]]
