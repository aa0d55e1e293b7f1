"""Tables whose rows are lines: ``cell | cell`` (HTML rows, Markdown, pasted pipe tables with or
without a trailing bar) or tab-separated cells.

A header is a row whose cells are labels (roles.label_fields). The name column is chosen by
content among the columns whose header may hold a name ("SDK名称", "产品/类型", "第三方名称",
"合作方产品", "服务名称"): the one whose cells read most like names — so a company-first table
("第三方公司名称 | 产品/类型 | …") takes its names from the second column, and a "第三方名称" column
of companies is not mistaken for names. Rows whose name cell is empty or no name (a rowspan
continued, a cell wrapped onto the next line) continue the record above. A table outside a
third-party SDK section counts only if its name header or its cells say SDK; a permission table
("权限名称 | 使用目的") names no SDK in its first column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sdkreg.policy.document import Document
from sdkreg.policy.html import CELL_BREAK
from sdkreg.policy.labels import URL_RE, label_fields
from sdkreg.policy.layouts.base import (
    MAX_CANDIDATES,
    Candidate,
    Context,
    Fields,
    context_of,
    fields_from,
    make,
    server_side,
)
from sdkreg.policy.roles import has_sdk_word
from sdkreg.policy.vocab import FieldName

STRENGTH = 90
NAME = "table"

_SDK_COLUMN_WORDS = (
    "sdk",
    "第三方",
    "合作方",
    "插件",
    "组件",
    "产品",
    "服务",
    "工具包",
    "third",
    "service",
    "product",
    "library",
)
_MAX_GAP = 1  # blank lines allowed between two rows of one table


@dataclass(frozen=True)
class _Row:
    index: int
    cells: tuple[str, ...]  # folded, stripped
    offsets: tuple[int, ...]  # where each cell starts in the line


def split_cells(doc: Document, index: int) -> _Row | None:
    """The cells of a row line: ``a | b | c`` (leading/trailing bars dropped) or tab-separated."""
    line = doc.lines[index]
    text = line.folded
    stripped = text.strip()
    if not stripped:
        return None
    if " | " in text or stripped.startswith("|") or stripped.endswith(" |") or stripped == "|":
        separator = "|"
    elif "\t" in stripped:
        separator = "\t"
    else:
        return None
    cells: list[str] = []
    offsets: list[int] = []
    position = 0
    for piece in text.split(separator):
        lead = len(piece) - len(piece.lstrip())
        cells.append(piece.strip())
        offsets.append(position + lead)
        position += len(piece) + 1
    # A bar at the start or the end opens or closes the row: no cell there. (A flattened HTML
    # row whose first cell is empty starts with " | ": that empty cell is kept.)
    if separator == "|" and cells and not cells[0] and text.startswith("|"):
        cells, offsets = cells[1:], offsets[1:]
    if separator == "|" and cells and not cells[-1] and stripped.endswith("|"):
        cells, offsets = cells[:-1], offsets[:-1]
    return _Row(index, tuple(cells), tuple(offsets))


def _header(row: _Row) -> dict[int, tuple[FieldName, ...]] | None:
    """Column → fields when the row is a header: most of its cells are labels."""
    columns: dict[int, tuple[FieldName, ...]] = {}
    filled = [c for c in row.cells if c]
    for position, cell in enumerate(row.cells):
        fields = label_fields(cell)
        if fields:
            columns[position] = fields
    if len(columns) < 2 or len(columns) < 0.6 * len(filled):
        return None
    if not any(f[0] in ("name", "company") or "name" in f for f in columns.values()):
        return None
    return columns


def find(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    n = len(doc)
    index = 0
    while index < n and len(out) < MAX_CANDIDATES:
        row = split_cells(doc, index)
        header = _header(row) if row is not None else None
        if row is None or header is None:
            index += 1
            continue
        body_start = index + 1
        below = split_cells(doc, body_start) if body_start < n else None
        sub = _header(below) if below is not None else None
        if below is not None and sub is not None:
            # A two-row header ("SDK信息" spanning "SDK名称 | 使用场景"): the lower row names
            # the columns it covers, the upper one the rest.
            header = {**header, **sub}
            row = _Row(
                below.index,
                tuple(b or a for a, b in zip(row.cells, below.cells, strict=False))
                + row.cells[len(below.cells) :],
                row.offsets,
            )
            body_start += 1
        rows, end = _body(doc, body_start)
        out.extend(_table(doc, ctx, row, header, rows))
        index = max(end, index + 1)
    return out


def _body(doc: Document, start: int) -> tuple[list[_Row], int]:
    """The rows after a header, up to the first line that is no row (or a new header)."""
    rows: list[_Row] = []
    index, gap = start, 0
    while index < len(doc):
        if doc.lines[index].blank:
            gap += 1
            if gap > _MAX_GAP:
                break
            index += 1
            continue
        row = split_cells(doc, index)
        if row is None or _header(row) is not None:
            break
        gap = 0
        rows.append(row)
        index += 1
    return rows, index


def _table(
    doc: Document, ctx: Context, head: _Row, header: dict[int, tuple[FieldName, ...]], rows: list[_Row]
) -> list[Candidate]:
    width = len(head.cells)
    rows = [_index_spanned(row, header, width) for row in rows]
    name_col = _name_column(ctx, header, rows, width)
    if name_col is None:
        return []
    header_name = head.cells[name_col].casefold()
    in_sdk = doc.lines[head.index].in_sdk
    full = [r for r in rows if len(r.cells) > name_col]
    scores = [ctx.roles.of(r.cells[name_col]).name for r in full if r.cells[name_col]]
    sdk_table = (
        in_sdk
        or any(w in header_name for w in _SDK_COLUMN_WORDS)
        or (scores and sum(1 for s in scores if s >= 0.6) >= 0.5 * len(scores))
    )
    if not sdk_table:
        return []
    out: list[Candidate] = []
    pending: tuple[_Row, list[tuple[FieldName, str]], int] | None = None

    def emit() -> None:
        if pending is None:
            return
        first, pairs, last = pending
        out.extend(_row_candidate(doc, ctx, first, name_col, pairs, last, head.index if not out else -1))

    for row in rows:
        cell = row.cells[name_col] if len(row.cells) > name_col else ""
        score = ctx.roles.of(cell).name if cell else 0.0
        # A rowspan name cell above: the row starts with another column's value (a permission,
        # a data type) or with an empty cell, or is short and holds no name.
        continued = not cell or score <= 0.0 or (len(row.cells) < width and score < 0.35)
        if continued and pending is not None:
            pending[1].extend(_pairs(doc, header, row, name_col))
            pending = (pending[0], pending[1], row.index)
            continue
        if continued or label_fields(cell):
            continue
        emit()
        pending = (row, _pairs(doc, header, row, name_col), row.index)
    emit()
    # A table whose records mostly go server to server (共享方式: 后台接口传输) and that never says
    # SDK lists partners (merchants, couriers, payment processors), not SDKs: none of its rows is
    # a disclosure.
    servers = sum(1 for c in out if c.server_side)
    if servers and 2 * servers >= len(out) and "sdk" not in header_name and not any(
        has_sdk_word(c.name) or has_sdk_word(c.fields.method or "") or has_sdk_word(c.context) for c in out
    ):
        out = [replace(c, server_side=True) for c in out]
    return out


_NUMBER = re.compile(r"^\d{1,3}[.、]?$")


def _index_spanned(row: _Row, header: dict[int, tuple[FieldName, ...]], width: int) -> _Row:
    """A row under a 序号 column that does not start with a number lost that cell to a rowspan
    above ("京东快递 | 订单交付 | … |" after "6 | 顺丰速运 | 订单交付 | …"): its cells start one
    column later."""
    first = header.get(0)
    if not first or first[0] != "index" or not row.cells or not row.cells[0] or _NUMBER.match(row.cells[0]):
        return row  # (an empty first cell keeps its place: the spanned number left it empty)
    if len(row.cells) >= width and row.cells[-1]:
        return row
    cells = ("", *row.cells)[:width]
    offsets = (row.offsets[0], *row.offsets)[:width]
    return _Row(row.index, cells, offsets)


def _name_column(
    ctx: Context, header: dict[int, tuple[FieldName, ...]], rows: list[_Row], width: int
) -> int | None:
    """The column whose cells read most like names, among those whose header allows a name."""
    allowed = [c for c, f in header.items() if "name" in f and f[0] not in ("permission", "url", "data")]
    if any(header[c][0] == "permission" for c in header) and not any(header[c][0] == "name" for c in allowed):
        return None  # a permission table: its first column names permissions
    if not allowed:
        allowed = [c for c in range(width) if c not in header or header[c][0] in ("company", "name")]
    best, best_score = None, 0.0
    for column in allowed:
        values = [r.cells[column] for r in rows if len(r.cells) > column and r.cells[column]]
        if not values:
            continue
        score = sum(ctx.roles.of(v).name for v in values) / len(values)
        if score > best_score:
            best, best_score = column, score
    return best if best_score >= 0.3 else None


def _pairs(
    doc: Document, header: dict[int, tuple[FieldName, ...]], row: _Row, name_col: int
) -> list[tuple[FieldName, str]]:
    """The row's other cells by their header's field, as written."""
    pairs: list[tuple[FieldName, str]] = []
    for column, cell in enumerate(row.cells):
        fields = header.get(column)
        if column == name_col or not cell or fields is None:
            continue
        kind: FieldName = "company" if fields[0] == "name" else fields[0]
        offset = row.offsets[column]
        pairs.append((kind, doc.raw(row.index, offset, offset + len(cell))))
    return pairs


def _row_candidate(
    doc: Document,
    ctx: Context,
    row: _Row,
    name_col: int,
    pairs: list[tuple[FieldName, str]],
    last: int,
    header_line: int,
) -> list[Candidate]:
    """The row's name — or names: a cell broken by ``<br>`` lists one product per line."""
    cell = row.cells[name_col]
    fields: Fields = fields_from(pairs)
    if fields.url is None:
        found = URL_RE.search(" | ".join(row.cells))
        if found:
            fields = Fields(
                fields.company, fields.purpose, fields.data, fields.method, found.group(0), fields.scene
            )
    context = context_of(pairs)
    out: list[Candidate] = []
    position = row.offsets[name_col]
    for piece in cell.split(CELL_BREAK):
        start = position
        position += len(piece) + len(CELL_BREAK)
        if not piece.strip():
            continue
        roles = ctx.roles.of(piece)
        candidate = make(
            doc,
            row.index,
            start,
            start + len(piece),
            finder=NAME,
            strength=STRENGTH,
            span=(header_line if header_line >= 0 else row.index, last),
            fields=fields,
            context=context,
            needs_match=roles.name < 0.35,
            server_side=server_side(pairs),
            roles=roles,
            ctx=ctx,
        )
        if candidate is not None:
            out.append(candidate)
    return out
