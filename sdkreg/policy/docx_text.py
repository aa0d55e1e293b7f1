"""A Word .docx policy → lines, in document order.

One line per paragraph (a manual line break inside a paragraph starts a new line) and one line per
table row, its cells joined by `` | `` as the HTML reader does, so the same layouts are found in
both. Line numbers are therefore "the Nth paragraph or table row" of the document (counting a
manual line break as a new paragraph), including empty paragraphs: Word shows no line numbers,
and this count is stable for a given file.

A cell merged down from the row above (``w:vMerge``) repeats the text of the cell it continues,
so that each SDK row keeps the company or purpose a merged column gives it. Headers, footers,
footnotes, comments and deleted (tracked) text are not part of the policy body and are skipped.
Word's automatic list numbers are not in the text (they are computed from numbering.xml), so a
numbered list reads as its items without their numbers.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from sdkreg.errors import PolicyBinaryError, first_line

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _SDT = (f"{_W}{tag}" for tag in ("p", "tbl", "tr", "tc", "sdt"))
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")

# python-docx reads every part of the package into memory. A real policy .docx is well under
# 5 MB uncompressed (text XML plus a logo); 100 MB bounds a zip bomb far above any of them.
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 10_000


def is_docx(data: bytes) -> bool:
    """A zip with a WordprocessingML main part (other zips — .xlsx, .apk — are not policies)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)


def docx_to_lines(data: bytes, name: str) -> tuple[str, ...]:
    _check_package(data, name)
    import docx  # python-docx: only a .docx policy pays its import

    try:
        body = docx.Document(io.BytesIO(data)).element.body
    except Exception as exc:
        # python-docx and zipfile raise many types on a damaged package (PackageNotFoundError,
        # BadZipFile, zlib.error, KeyError, ValueError, lxml's XMLSyntaxError …): all mean "not a
        # Word document we can read".
        raise PolicyBinaryError(
            f"{name}: not a readable Word .docx document ({type(exc).__name__}: {first_line(exc)})"
        ) from exc
    lines: list[str] = []
    for block in _blocks(body):
        if block.tag == _P:
            lines.extend(_paragraph_text(block).split("\n"))
        else:
            lines.extend(_table_rows(block))
    return tuple(line.rstrip() for line in lines)


def _check_package(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PolicyBinaryError(f"{name}: a damaged .docx (zip) file: {exc}") from exc
    total = sum(info.file_size for info in infos)
    if len(infos) > MAX_ENTRIES or total > MAX_UNCOMPRESSED_BYTES:
        raise PolicyBinaryError(
            f"{name}: the .docx unpacks to {total / 1_048_576:.0f} MB in {len(infos)} parts, "
            f"far more than any policy (limit {MAX_UNCOMPRESSED_BYTES // 1_048_576} MB)"
        )


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order; content controls (``w:sdt``) are opened."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _blocks(content)


def _paragraph_text(paragraph: Any) -> str:
    """Text runs in order: ``w:t``, tabs, breaks. Deleted text is ``w:delText`` and field codes
    are ``w:instrText``, so neither is picked up; inserted (tracked) text is."""
    out: list[str] = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}noBreakHyphen"):
        tag = node.tag[len(_W):]
        if tag == "t":
            out.append(node.text or "")
        elif tag == "tab":
            # a w:tab inside w:pPr/w:tabs is a tab stop definition, not a tab character
            if node.getparent() is not None and node.getparent().tag != f"{_W}tabs":
                out.append("\t")
        elif tag in ("br", "cr"):
            if node.get(f"{_W}type") in (None, "textWrapping"):
                out.append("\n")
        else:
            out.append("-")
    return "".join(out)


def _table_rows(table: Any) -> list[str]:
    rows: list[str] = []
    above: dict[int, str] = {}  # grid column → text of the cell that starts there (for vMerge)
    for row in table.iter(_TR):
        if _enclosing_table(row) is not table:
            continue  # a nested table's row: its text is part of the enclosing cell
        column = _int_attr(row.find(f"{_W}trPr/{_W}gridBefore"), 0)
        cells: list[str] = []
        for cell in _row_cells(row):
            span = _int_attr(cell.find(f"{_W}tcPr/{_W}gridSpan"), 1)
            merge = cell.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val") in (None, "continue"):
                text = above.get(column, "")
            else:
                text = _cell_text(cell)
                above[column] = text
            cells.append(text)
            column += span
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _row_cells(row: Any) -> Iterator[Any]:
    for child in row:
        if child.tag == _TC:
            yield child
        elif child.tag == _SDT:
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from (c for c in content if c.tag == _TC)


def _enclosing_table(node: Any) -> Any:
    parent = node.getparent()
    while parent is not None and parent.tag != _TBL:
        parent = parent.getparent()
    return parent


def _cell_text(cell: Any) -> str:
    parts = (_paragraph_text(p) for p in cell.iter(_P))
    text = " ".join(part for part in parts if part.strip())
    return _SPACE_RUN.sub(" ", text).strip().replace("|", "/")


def _int_attr(node: Any, default: int) -> int:
    if node is None:
        return default
    value = node.get(f"{_W}val")
    return int(value) if value and value.isdigit() else default
