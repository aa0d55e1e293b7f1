"""Factories for Word and PDF policies: the same document (paragraphs and tables) as a .docx
(python-docx, as Word writes it) and as a PDF (reportlab: wrapped paragraphs, a ruled table whose
cells wrap, a CJK font), built from one of our text or HTML fixtures."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

Cell = list[str]  # a cell's paragraphs


@dataclass(frozen=True)
class Para:
    text: str
    heading: bool = False


@dataclass(frozen=True)
class Table:
    rows: list[list[Cell]]


Block = Para | Table

_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div"}


def blocks_from_text(path: Path) -> list[Block]:
    """One paragraph per line of a text policy (blank lines included)."""
    return [Para(line) for line in path.read_text(encoding="utf-8").splitlines()]


def blocks_from_html(path: Path) -> list[Block]:
    """Headings, paragraphs, list items and tables of an HTML policy, in order."""
    import lxml.html

    root = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
    body = root.find("body")
    assert body is not None
    blocks: list[Block] = []

    def text_of(node: lxml.html.HtmlElement) -> str:
        return " ".join(" ".join(node.itertext()).split())

    def walk(node: lxml.html.HtmlElement) -> None:
        for child in node:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "table":
                rows = []
                for tr in child.iter("tr"):
                    cells = []
                    for cell in tr:
                        if cell.tag not in ("td", "th"):
                            continue
                        paragraphs = [text_of(p) for p in cell.iter("p")] or [text_of(cell)]
                        cells.append(paragraphs)
                    rows.append(cells)
                blocks.append(Table(rows))
            elif child.tag in _BLOCK_TAGS and child.find(".//table") is None:
                blocks.append(Para(text_of(child), heading=child.tag.startswith("h")))
            else:
                walk(child)

    walk(body)
    return blocks


def build_docx(blocks: list[Block]) -> bytes:
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, Para):
            if block.heading:
                document.add_heading(block.text, level=2)
            else:
                document.add_paragraph(block.text)
            continue
        columns = max(len(row) for row in block.rows)
        table = document.add_table(rows=len(block.rows), cols=columns)
        table.style = "Table Grid"
        for row, cells in zip(table.rows, block.rows, strict=True):
            for cell, paragraphs in zip(row.cells, cells, strict=False):
                cell.text = paragraphs[0]
                for extra in paragraphs[1:]:
                    cell.add_paragraph(extra)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cjk_styles() -> tuple[object, object]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    body = ParagraphStyle("zh", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK")
    heading = ParagraphStyle("zh-h", parent=body, fontSize=13, leading=18, spaceBefore=6, spaceAfter=4)
    return body, heading


def build_pdf(blocks: list[Block], width_cm: float = 14.0) -> bytes:
    """An A4 PDF; text lines wrap at ``width_cm`` (long lines of the policy wrap, as in print)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
    from reportlab.platypus import Table as PdfTable

    body, heading = _cjk_styles()
    story: list[object] = []
    for block in blocks:
        if isinstance(block, Para):
            if block.text.strip():
                story.append(Paragraph(escape(block.text), heading if block.heading else body))
            else:
                story.append(Spacer(1, 6))
            continue
        columns = max(len(row) for row in block.rows)
        data = [
            [Paragraph("<br/>".join(escape(p) for p in cell), body) for cell in row]
            + [""] * (columns - len(row))
            for row in block.rows
        ]
        table = PdfTable(data, colWidths=[width_cm * cm / columns] * columns, repeatRows=1)
        table.setStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        story.append(table)
    out = io.BytesIO()
    margin = (A4[0] - width_cm * cm) / 2
    SimpleDocTemplate(out, pagesize=A4, leftMargin=margin, rightMargin=margin).build(story)
    return out.getvalue()


def build_scanned_pdf(pages: int = 2) -> bytes:
    """Pages that carry only an image of text, as a scanner makes them: no text layer."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    # A tiny grey bitmap, drawn page-sized: what matters is that no page has text operators.
    pixels = io.BytesIO()
    _write_png(pixels, 8, 8)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4)
    for _ in range(pages):
        canvas.drawImage(ImageReader(io.BytesIO(pixels.getvalue())), 40, 40, A4[0] - 80, A4[1] - 80)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _write_png(out: io.BytesIO, width: int, height: int) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + bytes([200]) * width for _ in range(height))
    out.write(b"\x89PNG\r\n\x1a\n")
    out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)))
    out.write(chunk(b"IDAT", zlib.compress(raw)))
    out.write(chunk(b"IEND", b""))
