"""A web table pasted as text with one cell per line: the header cells first, each on its line
(separated by blank lines, or each ending in `` |``), then every row's cells in the same order.

Rows are not trusted to have exactly as many cells as the header: a cell with a line break
inside becomes two lines, an empty cell disappears or becomes a bare ``|``. So the cells are cut
into rows by content: a dynamic programme chooses row lengths (header width ± 1) and, within a
row, which column each cell fills, maximising how well every cell fits its column's role
(a URL in the link column, a company in the company column, a name in the name column …).
When every row opens with a line holding only ``|`` (a Markdown row broken per cell), those bars
cut the rows instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdkreg.policy.document import Document
from sdkreg.policy.labels import SENTENCE_PUNCT, label_fields
from sdkreg.policy.layouts.base import (
    MAX_CANDIDATES,
    Candidate,
    Context,
    context_of,
    fields_from,
    make,
    server_side,
)
from sdkreg.policy.roles import Roles
from sdkreg.policy.vocab import FieldName

STRENGTH = 85
NAME = "cells"

_MIN_COLUMNS = 3
_MAX_CELLS = 3000  # a region this long is no table a person pasted
_LENGTH_PENALTY = 0.8


@dataclass(frozen=True)
class _Cell:
    index: int  # first document line
    text: str  # folded, without the trailing bar (lines joined by a space)
    roles: Roles
    last: int  # last document line


def _cell_text(text: str) -> str:
    return text.rstrip("|").strip() if text.rstrip().endswith("|") else text.strip()


def _is_bar(text: str) -> bool:
    return text.strip() in ("|", "||")


def find(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    n = len(doc)
    index = 0
    while index < n and len(out) < MAX_CANDIDATES:
        text = doc.lines[index].text
        if len(text) > 60 or (text and not _is_bar(text) and not label_fields(_cell_text(text))):
            index += 1  # neither a bar nor a label: no header starts here
            continue
        header, after, openers, mode = _header_run(doc, index)
        if len(header) < _MIN_COLUMNS:
            index = max(after, index + 1)
            continue
        fields = [label_fields(cell) for _, cell in header]
        cells, end = _region(doc, ctx, after, openers, mode)
        out.extend(_rows(doc, ctx, header, fields, cells, openers))
        index = max(end, index + 1)
    return out


def _header_run(doc: Document, start: int) -> tuple[list[tuple[int, str]], int, bool, str]:
    """Consecutive label lines from ``start`` (blank lines and bars between them allowed), the
    line after them, whether bars open the rows, and how cells are delimited: "bar" (each cell
    ends in " |"), "paragraph" (blank lines between cells: a cell may hold several lines) or
    "line"."""
    header: list[tuple[int, str]] = []
    openers = False
    blanks = bars = 0
    index = start
    while index < len(doc):
        line = doc.lines[index]
        if line.blank:
            blanks += bool(header)
            index += 1
            continue
        if _is_bar(line.text):
            openers = openers or not header
            index += 1
            continue
        if " | " in line.text or line.sdk_heading:
            break
        cell = _cell_text(line.text)
        if not label_fields(cell) or line.marker.kind:
            break
        header.append((index, cell))
        bars += line.text.rstrip().endswith("|")
        index += 1
    if not header or not any("name" in label_fields(c) or label_fields(c)[0] == "company" for _, c in header):
        return [], max(index, start + 1), False, "line"
    mode = "bar" if bars >= len(header) - 1 else "paragraph" if blanks >= len(header) - 1 else "line"
    return header, index, openers, mode


def _region(
    doc: Document, ctx: Context, start: int, openers: bool, mode: str
) -> tuple[list[_Cell | None], int]:
    """The cells after the header (``None`` marks an opening bar), up to where the table ends:
    a heading, a new header, or prose. A cell is one line, or in "bar" mode the lines up to one
    ending in a bar, or in "paragraph" mode a run of lines without a blank between them."""
    cells: list[_Cell | None] = []
    index = start
    n = len(doc)
    while index < n and len(cells) < _MAX_CELLS:
        line = doc.lines[index]
        if line.blank:
            index += 1
            continue
        text = line.text
        if line.sdk_heading or (line.marker.kind and line.marker.rank <= 1) or " | " in text:
            break
        if _is_bar(text):
            cells.append(None if openers else _Cell(index, "", Roles(), index))
            index += 1
            continue
        if _looks_like_header(doc, index):
            break
        last = index
        if mode == "bar":
            while last < n and not doc.lines[last].text.rstrip().endswith("|"):
                if doc.lines[last].blank or last - index >= 4 or _is_bar(doc.lines[last].text):
                    return cells, index  # a line that ends no cell: the table is over
                last += 1
            if last >= n:
                break
        elif mode == "paragraph":
            while last + 1 < n and not doc.lines[last + 1].blank and not _is_bar(doc.lines[last + 1].text):
                last += 1
        cell = " ".join(_cell_text(doc.lines[k].text) for k in range(index, last + 1))
        roles = ctx.roles.of(cell.rstrip(";；,，、"))
        if mode != "bar" and _prose(cell, roles):
            break
        cells.append(_Cell(index, cell, roles, last))
        index = last + 1
    return cells, index


def _looks_like_header(doc: Document, index: int) -> bool:
    """Three label lines in a row: the next table's header."""
    count = 0
    cursor = index
    while cursor < len(doc) and count < _MIN_COLUMNS:
        line = doc.lines[cursor]
        cursor += 1
        if line.blank or _is_bar(line.text):
            continue
        if not label_fields(_cell_text(line.text)):
            return False
        count += 1
    return count >= _MIN_COLUMNS


def _prose(cell: str, roles: Roles) -> bool:
    """A paragraph after the table: a long sentence that is no data list or purpose."""
    return (
        len(cell) > 60
        and bool(SENTENCE_PUNCT.search(cell))
        and roles.data < 0.4
        and (roles.purpose < 0.5 or len(cell) > 200)
    )


# ---------------------------------------------------------------- rows


def _fit(cell: _Cell, field: FieldName, name_col: bool) -> float:
    """How well a cell fits a column."""
    roles = cell.roles
    if not cell.text:
        return 0.3  # an empty cell fits anywhere, a little
    if name_col:
        if roles.name < 0.35:
            return -0.5  # no name where the name goes: the row is cut wrong
        return roles.name - 0.5 * max(roles.company, roles.label) - roles.url
    if field == "url":
        # A URL is the surest anchor of a row: in its column it fits best, elsewhere worst.
        return 1.5 * roles.url or (0.2 if "链接" in cell.text or "link" in cell.text.casefold() else -0.3)
    if roles.url:
        return -1.0
    if field == "company":
        return roles.company or (0.2 if roles.name < 0.6 else -0.5)
    if field == "data":
        return max(roles.data, 0.2) - 0.5 * roles.url
    if field == "purpose":
        return max(roles.purpose, 0.3) - 0.5 * (roles.url + roles.company)
    return 0.3 - 0.5 * (roles.url + roles.company) - 0.3 * (roles.name >= 0.8)


def _align(row: list[_Cell], columns: list[FieldName], name_col: int) -> tuple[float, list[int]]:
    """Best monotone assignment of ``row``'s cells to columns: each cell gets one column, a
    column may be skipped (a lost empty cell) or get several cells (a cell broken in two)."""
    width, size = len(columns), len(row)
    if size == width:
        assignment = list(range(width))
    elif size < width:
        best: tuple[float, list[int]] = (-1e9, [])
        for skipped in range(width):
            cols = [c for c in range(width) if c != skipped][:size]
            score = sum(_fit(cell, columns[c], c == name_col) for cell, c in zip(row, cols, strict=True))
            if score > best[0]:
                best = (score, cols)
        return best[0] - _LENGTH_PENALTY * (width - size), best[1]
    else:
        best = (-1e9, [])
        for doubled in range(width):
            cols = []
            for c in range(width):
                cols.append(c)
                if c == doubled:
                    cols.extend([c] * (size - width))
            score = sum(_fit(cell, columns[c], c == name_col) for cell, c in zip(row, cols, strict=True))
            if score > best[0]:
                best = (score, cols)
        return best[0] - _LENGTH_PENALTY * (size - width), best[1]
    score = sum(_fit(cell, columns[c], c == name_col) for cell, c in zip(row, assignment, strict=True))
    return score, assignment


def _segment(
    cells: list[_Cell], columns: list[FieldName], name_col: int
) -> list[tuple[list[_Cell], list[int]]]:
    """Cut ``cells`` into rows: a dynamic programme over row lengths width-1 … width+1; cells
    left over at the end (a last row cut short) make one more row."""
    width = len(columns)
    n = len(cells)
    unset = -1e18
    best: list[float] = [0.0] + [unset] * n
    choice: list[tuple[int, list[int]]] = [(0, [])] * (n + 1)
    lengths = sorted({w for w in (width, width - 1, width + 1) if w >= 1})
    for end in range(1, n + 1):
        for length in lengths:
            start = end - length
            if start < 0 or best[start] == unset:
                continue
            score, assignment = _align(cells[start:end], columns, name_col)
            if best[start] + score > best[end]:
                best[end], choice[end] = best[start] + score, (start, assignment)
    # Where the full rows end: the best total once the cells after it (a last row cut short)
    # are scored as one more row.
    def total(end: int) -> float:
        return best[end] + (_align(cells[end:], columns, name_col)[0] if end < n else 0.0)

    last = max((e for e in range(max(0, n - 2 * width), n + 1) if best[e] != unset), key=total, default=0)
    rows: list[tuple[list[_Cell], list[int]]] = []
    if last < n:
        tail = cells[last:]
        rows.append((tail, _align(tail, columns, name_col)[1]))
    end = last
    while end > 0:
        start, assignment = choice[end]
        rows.append((cells[start:end], assignment))
        end = start
    rows.reverse()
    return rows


def _rows(
    doc: Document,
    ctx: Context,
    header: list[tuple[int, str]],
    fields: list[tuple[FieldName, ...]],
    region: list[_Cell | None],
    openers: bool,
) -> list[Candidate]:
    allowed = [c for c, f in enumerate(fields) if "name" in f and f[0] not in ("permission", "url", "data")]
    best: tuple[float, int, list[FieldName], list[tuple[list[_Cell], list[int]]]] | None = None
    for name_col in allowed:
        columns: list[FieldName] = [
            ("company" if f[0] == "name" and c != name_col else f[0]) for c, f in enumerate(fields)
        ]
        rows = _cut(region, columns, name_col, openers)
        names = [_name_cell(row, assignment, name_col) for row, assignment in rows]
        score = sum(n.roles.name for n in names if n is not None) / max(1, len(rows))
        if best is None or score > best[0]:
            best = (score, name_col, columns, rows)
    if best is None or best[0] < 0.3:
        return []
    _, name_col, columns, rows = best
    out: list[Candidate] = []
    first_line = header[0][0]
    for row, assignment in rows:
        name = _name_cell(row, assignment, name_col)
        if name is None or name.roles.label or name.roles.name <= 0.0:
            continue
        pairs: list[tuple[FieldName, str]] = [
            (columns[c], _written(doc, cell))
            for cell, c in zip(row, assignment, strict=True)
            if c != name_col
        ]
        needs_match = name.roles.name < 0.35
        api = server_side(pairs)
        # A name cell on several lines (a <br> inside it) names one product per line.
        lines = range(name.index, name.last + 1) if name.last > name.index else [name.index]
        for number in lines:
            line = doc.lines[number]
            if line.blank:
                continue
            text = _cell_text(line.text)
            roles = ctx.roles.of(text) if name.last > name.index else name.roles
            candidate = make(
                doc,
                number,
                line.start,
                line.start + len(text),
                finder=NAME,
                strength=STRENGTH,
                span=(first_line if not out else row[0].index, row[-1].last),
                fields=fields_from(pairs),
                context=context_of(pairs),
                needs_match=needs_match or roles.name < 0.35,
                server_side=api,
                roles=roles,
                ctx=ctx,
            )
            if candidate is not None:
                out.append(candidate)
    return out


def _cut(
    region: list[_Cell | None], columns: list[FieldName], name_col: int, openers: bool
) -> list[tuple[list[_Cell], list[int]]]:
    if not openers:
        return _segment([c for c in region if c is not None], columns, name_col)
    groups: list[list[_Cell]] = [[]]
    for cell in region:
        if cell is None:
            groups.append([])
        else:
            groups[-1].append(cell)
    return [(g, _align(g, columns, name_col)[1]) for g in groups if g]


def _name_cell(row: list[_Cell], assignment: list[int], name_col: int) -> _Cell | None:
    """The name column's cell; of a cell broken in two ("极光;" / "极光推送"), the better name."""
    named = [cell for cell, c in zip(row, assignment, strict=True) if c == name_col and cell.text]
    return max(named, key=lambda cell: (cell.roles.name, len(cell.text))) if named else None


def _written(doc: Document, cell: _Cell) -> str:
    parts = []
    for number in range(cell.index, cell.last + 1):
        line = doc.lines[number]
        if not line.blank:
            parts.append(doc.raw(number, line.start, line.start + len(_cell_text(line.text))))
    return "\n".join(parts)
