"""A PDF policy → lines that keep its layout: a table row per line (``cell | cell``), a paragraph
per line.

pypdf reads the file (it bounds every decompression, which a PDF from the web needs); this module
rebuilds the layout from where pypdf says each piece of text is drawn and from the ruling lines
of the page. pypdf's own text (plain or layout mode) puts each wrapped line of a table cell on a
line of its own, so one SDK row came out as two or three lines that mix cells of different
columns; the extractor needs the row.

- **Tables**: horizontal rules cut the page into bands; a band crossed by three or more vertical
  rules (two or more columns) is a table row. Its text is gathered per column, the wrapped lines
  of a cell joined, and the cells joined by `` | ``. Tables without ruling lines read as text
  lines, with a wide gap between two pieces of a line written as `` | ``.
- **Paragraphs**: a line that runs to the right margin continues on the next line when that one
  is in the same font size, directly below, and does not start a new list item.

Line numbers count these lines from the first page on. A PDF whose pages carry no text at all is
a scan: ``PolicyNoTextLayerError`` (exit 24), never an empty policy.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sdkreg.errors import PolicyBinaryError, PolicyNoTextLayerError, first_line

# A policy is at most a few dozen pages; a 20 MB file of empty pages would otherwise cost minutes.
MAX_PAGES = 1000

_RULE_MIN_LENGTH = 5.0  # points; shorter strokes are glyph parts, underlines of a word, ticks
_THIN = 3.0  # a filled rectangle thinner than this is a ruling line (how Word draws borders)
_SNAP = 2.0  # rules within this distance are one rule
_LIST_ITEM = re.compile(
    r"^\s*(?:[(（]?[0-9一二三四五六七八九十]+[)）.、．]|[•·●○■□◆\-–—*]\s|第[一二三四五六七八九十0-9]+)"
)


@dataclass(frozen=True)
class _Piece:
    x: float
    y: float  # baseline
    size: float
    text: str

    @property
    def right(self) -> float:
        return self.x + _text_width(self.text) * self.size


@dataclass
class _Page:
    pieces: list[_Piece] = field(default_factory=list)
    horizontal: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1)
    vertical: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y0, y1)


def pdf_to_lines(data: bytes, name: str) -> tuple[str, ...]:
    from pypdf import PdfReader

    pages: list[_Page] = []
    with _quiet_pypdf():
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise PolicyBinaryError(f"{name}: an encrypted PDF that needs a password")
            if len(reader.pages) == 0:
                raise PolicyBinaryError(f"{name}: a PDF without pages (damaged?)")
            if len(reader.pages) > MAX_PAGES:
                raise PolicyBinaryError(
                    f"{name}: {len(reader.pages)} pages, far more than any policy (limit {MAX_PAGES})"
                )
            for page in reader.pages:
                pages.append(_read_page(page))
        except PolicyBinaryError:
            raise
        except Exception as exc:
            # pypdf raises a zoo of types on malformed files (PdfReadError, LimitReachedError,
            # KeyError, ValueError, RecursionError …): all mean "not a PDF we can read".
            raise PolicyBinaryError(f"{name}: not a readable PDF ({type(exc).__name__}: "
                                    f"{first_line(exc)})") from exc
    if not any(piece.text.strip() for page in pages for piece in page.pieces):
        raise PolicyNoTextLayerError(
            f"{name}: the PDF has no text layer ({len(pages)} page(s) of images: a scan?); "
            "OCR it or give the policy as text, HTML, .docx or a PDF with text"
        )
    lines: list[str] = []
    for read in pages:
        lines.extend(_layout(read))
    return tuple(lines)


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """pypdf logs a warning for every oddity of a damaged file; with no logging configured they
    would reach stderr, where sdkreg promises one line per error."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


# ---------------------------------------------------------------- reading a page


def _read_page(page: Any) -> _Page:
    out = _Page()
    path: list[tuple[tuple[float, float], tuple[float, float]]] = []
    rects: list[tuple[float, float, float, float]] = []
    cursor: list[tuple[float, float]] = []  # current point, and the subpath's start

    def visit_text(text: str, cm: list[float], tm: list[float], font: Any, font_size: float) -> None:
        if not text.strip():
            return
        x, y = _apply(cm, tm[4], tm[5])
        scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
        size = abs(font_size * scale) or 10.0
        for offset, part in enumerate(text.split("\n")):
            if part.strip():
                out.pieces.append(_Piece(x, y - offset * size * 1.2, size, part))

    def visit_operator(op: bytes, args: list[Any], cm: list[float], tm: list[float]) -> None:
        try:
            nums = [float(a) for a in args]
        except (TypeError, ValueError):
            nums = []
        if op == b"re" and len(nums) == 4:
            x, y, w, h = nums
            corners = [_apply(cm, px, py) for px, py in ((x, y), (x + w, y + h))]
            (ax, ay), (bx, by) = corners
            rects.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
        elif op == b"m" and len(nums) == 2:
            point = _apply(cm, nums[0], nums[1])
            cursor[:] = [point, point]
        elif op == b"l" and len(nums) == 2 and cursor:
            point = _apply(cm, nums[0], nums[1])
            path.append((cursor[0], point))
            cursor[0] = point
        elif op in (b"c", b"v", b"y") and len(nums) >= 4 and cursor:
            cursor[0] = _apply(cm, nums[-2], nums[-1])  # curves are never ruling lines
        elif op == b"h" and len(cursor) == 2:
            path.append((cursor[0], cursor[1]))
            cursor[0] = cursor[1]
        elif op in (b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"):
            _add_rules(out, path, rects)
            path.clear()
            rects.clear()
        elif op == b"n":  # a clipping path, never painted
            path.clear()
            rects.clear()

    page.extract_text(visitor_text=visit_text, visitor_operand_before=visit_operator)
    return out


def _apply(cm: list[float], x: float, y: float) -> tuple[float, float]:
    return x * cm[0] + y * cm[2] + cm[4], x * cm[1] + y * cm[3] + cm[5]


def _add_rules(
    page: _Page,
    segments: list[tuple[tuple[float, float], tuple[float, float]]],
    rects: list[tuple[float, float, float, float]],
) -> None:
    for (x0, y0), (x1, y1) in segments:
        if abs(y1 - y0) < 1 and abs(x1 - x0) >= _RULE_MIN_LENGTH:
            page.horizontal.append(((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x1 - x0) < 1 and abs(y1 - y0) >= _RULE_MIN_LENGTH:
            page.vertical.append(((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    for x0, y0, x1, y1 in rects:
        width, height = x1 - x0, y1 - y0
        if height < _THIN and width >= _RULE_MIN_LENGTH:
            page.horizontal.append(((y0 + y1) / 2, x0, x1))
        elif width < _THIN and height >= _RULE_MIN_LENGTH:
            page.vertical.append(((x0 + x1) / 2, y0, y1))
        elif width >= _RULE_MIN_LENGTH and height >= _RULE_MIN_LENGTH:
            # a bordered or shaded box: its four sides (a cell background lines up with the grid)
            page.horizontal += [(y0, x0, x1), (y1, x0, x1)]
            page.vertical += [(x0, y0, y1), (x1, y0, y1)]


# ---------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Band:
    top: float
    bottom: float
    columns: tuple[float, ...]  # x of the vertical rules, left to right


@dataclass
class _Line:
    top: float  # for ordering: larger is higher on the page
    text: str
    x: float = 0.0
    right: float = 0.0
    size: float = 0.0
    table: bool = False


def _layout(page: _Page) -> list[str]:
    bands = _table_bands(page)
    in_table: dict[int, list[_Piece]] = {}
    loose: list[_Piece] = []
    for piece in page.pieces:
        band = _band_of(bands, piece)
        if band is None:
            loose.append(piece)
        else:
            in_table.setdefault(band, []).append(piece)
    lines = [_table_row(bands[i], pieces) for i, pieces in in_table.items()]
    lines += _text_lines(loose)
    lines.sort(key=lambda line: -line.top)
    return _join_wrapped(lines)


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= _SNAP:
            continue
        out.append(value)
    return out


def _table_bands(page: _Page) -> list[_Band]:
    rows = sorted(_snap([y for y, _, _ in page.horizontal]), reverse=True)
    bands: list[_Band] = []
    for top, bottom in itertools.pairwise(rows):
        if top - bottom < 4:
            continue
        crossing = [x for x, y0, y1 in page.vertical if y0 <= bottom + _SNAP and y1 >= top - _SNAP]
        columns = _snap(crossing)
        if len(columns) >= 3:
            bands.append(_Band(top, bottom, tuple(columns)))
    return bands


def _band_of(bands: list[_Band], piece: _Piece) -> int | None:
    middle = piece.y + piece.size * 0.3
    for index, band in enumerate(bands):
        if band.bottom < middle < band.top and band.columns[0] - _SNAP <= piece.x < band.columns[-1]:
            return index
    return None


def _table_row(band: _Band, pieces: list[_Piece]) -> _Line:
    cells: list[list[_Piece]] = [[] for _ in range(len(band.columns) - 1)]
    for piece in pieces:
        column = min(max(bisect_right(band.columns, piece.x + _SNAP) - 1, 0), len(cells) - 1)
        cells[column].append(piece)
    texts = []
    for cell in cells:
        wrapped = [line.text for line in _text_lines(cell)]
        texts.append(_join_parts(wrapped).replace("|", "/"))
    return _Line(top=band.top, text=" | ".join(texts), table=True)


def _text_lines(pieces: list[_Piece]) -> list[_Line]:
    """Pieces on one baseline (within a third of the font size) form a line, left to right."""
    rows: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: (-p.y, p.x)):
        if rows and abs(rows[-1][0].y - piece.y) <= max(piece.size, rows[-1][0].size) / 3:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    lines = []
    for row in rows:
        row.sort(key=lambda p: p.x)
        text = row[0].text
        for before, after in itertools.pairwise(row):
            gap = after.x - before.right
            size = max(before.size, after.size)
            text += " | " if gap > 2 * size else " " if gap > 0.25 * size else ""
            text += after.text
        size = max(p.size for p in row)
        lines.append(_Line(top=row[0].y + size, text=text.strip(), x=row[0].x,
                           right=max(p.right for p in row), size=size))
    return lines


def _join_wrapped(lines: list[_Line]) -> list[str]:
    """Rejoin paragraphs the page wrapped: a line that reaches the right margin of the text
    continues on the next one (same size, directly below, not a new list item)."""
    body = [line for line in lines if not line.table]
    margin = max((line.right for line in body), default=0.0)
    out: list[str] = []
    previous: _Line | None = None
    for line in lines:
        joins = (
            previous is not None
            and not previous.table
            and not line.table
            and abs(previous.size - line.size) < 0.5
            and previous.right >= margin - 1.5 * line.size
            and 0 < previous.top - line.top <= 1.8 * line.size
            and not _LIST_ITEM.match(line.text)
        )
        if joins:
            out[-1] = _join_parts([out[-1], line.text])
        else:
            out.append(line.text)
        previous = line
    return out


_TAIL_WORD = re.compile(r"(^|[ \t])([A-Za-z0-9]+)$")


def _join_parts(parts: list[str]) -> str:
    """Join wrapped lines. Chinese wraps anywhere and needs no space; Latin text wraps at a
    space that the PDF does not draw, so two Latin words get one back — unless the word before
    the break is glued to Chinese text ("（IM" + "EI）": a break inside a word, which CJK line
    breaking allows) or part of a URL ("https://exampl" + "e.com")."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if text and part[0].isascii() and part[0].isalnum() and _TAIL_WORD.search(text):
            text += " "
        text += part
    return text


def _text_width(text: str) -> float:
    """Width in ems, estimated: pypdf gives where a piece starts, not where it ends."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)
