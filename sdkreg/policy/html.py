"""HTML → lines that keep a table row or a list item on a line of their own, each with the
source line its text comes from.

Every block element and ``<br>`` ends a line; a table row becomes one line ``cell | cell``
(a ``rowspan``/``colspan`` cell leaves empty cells where it spans, so columns stay aligned; a
``<br>`` or a paragraph inside a cell becomes `` ¦ ``, so a cell listing one product per line
keeps them apart);
``<pre>`` keeps its line breaks; a heading ``<hN>`` starts with N ``#`` as in Markdown; scripts,
styles and comments are dropped. A nested
table's rows are lines of their own, after the line of the row that holds them.

One flattener consumes start/text/end events from either of two drivers:

* lxml's tree, walked iteratively (no recursion limit), lines from ``element.sourceline``
  advanced by the newlines of the text in between — the fast path (a 1 MB page: ~0.1 s);
* the standard library's event parser, lines from ``getpos()`` — used only when libxml2
  refuses the nesting depth (more than 2048 levels even with ``huge_tree``), which would
  otherwise drop everything below that depth without a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from sdkreg.policy.model import LineBreaks

# A <template> is kept: a Vue component exported as a page holds the whole policy in one.
_DROP_TAGS = frozenset({"script", "style", "noscript", "svg", "head", "title"})
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "tfoot",
        "thead",
        "ul",
    }
)
# Tags that change the structure of the lines; any other tag (span, a, b, font …) is text.
_STRUCTURE = frozenset({*_DROP_TAGS, *_BLOCK_TAGS, "br", "tr", "td", "th"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_PLAIN = re.compile(r"[^ \t\r\n\f\v\u00a0\u3000]+(?: [^ \t\r\n\f\v\u00a0\u3000]+)*")  # nothing to collapse
_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_MAX_SPAN = 64  # a colspan/rowspan larger than this is a broken page, not a layout
# Where a ``<br>`` or a paragraph breaks the text inside a table cell: a cell may list several
# products, one per line ("华为推送<br>荣耀推送"), and a name never holds this character.
CELL_BREAK = " ¦ "


@dataclass(frozen=True)
class FlatLines:
    lines: tuple[str, ...]
    line_numbers: tuple[int, ...]
    line_breaks: tuple[LineBreaks, ...]


class _Builder:
    """Text of one line (or one cell): pieces appended with their source line, whitespace
    runs collapsed across pieces, and the offsets where the source line changes."""

    __slots__ = ("marks", "parts", "size", "space")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.marks: list[tuple[int, int]] = []  # (offset, source line) of each new source line
        self.size = 0
        self.space = True  # the text so far ends in a (collapsed) space, or is empty

    def add(self, text: str, line: int) -> None:
        if text.isspace():  # most pieces: the indentation between two tags
            if not self.space:
                self.parts.append(" ")
                self.size += 1
                self.space = True
            return
        if "\n" not in text:
            self._add_chunk(text, line)
            return
        # Split at newlines: text after a newline starts on a later source line.
        start = 0
        while True:
            end = text.find("\n", start)
            chunk = text[start:] if end < 0 else text[start:end]
            if chunk:
                self._add_chunk(chunk, line)
            if end < 0:
                return
            self._add_chunk(" ", line)
            line += 1
            start = end + 1

    def _add_chunk(self, chunk: str, line: int) -> None:
        if not _PLAIN.fullmatch(chunk):
            chunk = _SPACE_RUN.sub(" ", chunk)
        if self.space and chunk.startswith(" "):
            chunk = chunk[1:]
        if not chunk:
            return
        if chunk != " " and (not self.marks or self.marks[-1][1] != line):
            lead = len(chunk) - len(chunk.lstrip(" "))
            self.marks.append((self.size + lead, line))
        self.parts.append(chunk)
        self.size += len(chunk)
        self.space = chunk.endswith(" ")

    def break_line(self) -> None:
        """A ``<br>`` or a block inside a cell: the cell goes on after ``CELL_BREAK``."""
        if self.size and not self.parts[-1].endswith(CELL_BREAK):
            if self.space:
                self.parts[-1] = self.parts[-1].rstrip(" ")
                self.size = sum(len(part) for part in self.parts)
            self.parts.append(CELL_BREAK)
            self.size += len(CELL_BREAK)
            self.space = True

    def text(self) -> tuple[str, list[tuple[int, int]]]:
        """The stripped text and its marks (offsets into the stripped text)."""
        raw = "".join(self.parts)
        while raw.endswith(CELL_BREAK):
            raw = raw[: -len(CELL_BREAK)]
        stripped = raw.strip(" ")
        lead = len(raw) - len(raw.lstrip(" "))
        marks = [
            (max(0, offset - lead), line) for offset, line in self.marks if offset - lead < len(stripped)
        ]
        return stripped, marks


@dataclass
class _Table:
    row: list[tuple[str, list[tuple[int, int]]]] | None = None
    row_slot: int = -1  # index of the line reserved for the current row
    cell: _Builder | None = None
    column: int = 0
    cell_span: tuple[int, int] = (1, 1)  # (colspan, rowspan) of the open cell
    spans: dict[int, int] = field(default_factory=dict)  # column → rows it is still occupied


class _Flattener:
    """Consumes start/text/end events; collects lines with their source positions."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.numbers: list[int] = []
        self.breaks: list[LineBreaks] = []
        self.current = _Builder()
        self.tables: list[_Table] = []
        self.skip = 0  # inside script/style/… (nesting depth)
        self.pre = 0

    # ------------------------------------------------------------ lines

    def _emit(self, text: str, marks: list[tuple[int, int]], slot: int = -1) -> None:
        if not text:
            return
        first = marks[0][1] if marks else (self.numbers[-1] if self.numbers else 1)
        rest = tuple(marks[1:])
        if slot >= 0:
            self.lines[slot], self.numbers[slot], self.breaks[slot] = text, first, rest
            return
        self.lines.append(text)
        self.numbers.append(first)
        self.breaks.append(rest)

    def flush(self) -> None:
        if not self.current.marks:  # nothing but spaces since the last line
            if self.current.parts:
                self.current = _Builder()
            return
        text, marks = self.current.text()
        self._emit(text, marks)
        self.current = _Builder()

    def _target(self) -> _Builder:
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None:
            return table.cell
        return self.current

    # ------------------------------------------------------------ events

    def text(self, data: str, line: int) -> None:
        if self.skip or not data:
            return
        if self.pre and not (self.tables and self.tables[-1].cell is not None):
            parts = data.split("\n")
            for index, part in enumerate(parts):
                if index:
                    self.flush()
                self.current.add(part, line + index)
            return
        self._target().add(data, line)

    def start(self, tag: str, line: int, colspan: int = 1, rowspan: int = 1) -> None:
        if tag in _DROP_TAGS:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "table":
            self._break()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self._end_row()
            table = self.tables[-1]
            self.flush()
            table.row, table.column = [], 0
            # Reserve the row's line here, so it precedes nested tables' rows.
            self.lines.append("")
            self.numbers.append(line)
            self.breaks.append(())
            table.row_slot = len(self.lines) - 1
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            if table.row is None:  # a cell outside a row: the page left out <tr>
                self.start("tr", line)
            self._end_cell()
            self._skip_spanned(table)
            table.cell = _Builder()
            table.cell_span = (max(1, min(colspan, _MAX_SPAN)), max(1, min(rowspan, _MAX_SPAN)))
        elif tag == "br" or tag in _BLOCK_TAGS:
            self._break()
            if tag == "pre":
                self.pre += 1
            elif tag in _HEADINGS and not (self.tables and self.tables[-1].cell is not None):
                # "## 第三方服务": the heading's level, as Markdown writes it, for the document.
                self.current.add("#" * _HEADINGS[tag] + " ", line)

    def end(self, tag: str) -> None:
        if tag in _DROP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table" and self.tables:
            self._end_row()
            self.tables.pop()
            self._break()
        elif tag == "tr" and self.tables:
            self._end_row()
        elif tag in ("td", "th") and self.tables:
            self._end_cell()
        elif tag in _BLOCK_TAGS:
            self._break()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def close(self) -> FlatLines:
        while self.tables:
            self._end_row()
            self.tables.pop()
        self.flush()
        keep = [i for i, text in enumerate(self.lines) if text]
        return FlatLines(
            tuple(self.lines[i] for i in keep),
            tuple(self.numbers[i] for i in keep),
            tuple(self.breaks[i] for i in keep),
        )

    # ------------------------------------------------------------ helpers

    def _break(self) -> None:
        """A block boundary: a new line, or a space inside a table cell."""
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None:
            table.cell.break_line()
        else:
            self.flush()

    def _skip_spanned(self, table: _Table) -> None:
        assert table.row is not None
        while table.spans.get(table.column, 0) > 0:
            table.row.append(("", []))
            table.column += 1

    def _end_cell(self) -> None:
        table = self.tables[-1]
        if table.cell is None or table.row is None:
            table.cell = None
            return
        text, marks = table.cell.text()
        colspan, rowspan = table.cell_span
        table.row.append((text.replace("|", "/"), marks))
        if rowspan > 1:
            table.spans[table.column] = rowspan  # counted down at the row's end
        table.column += 1
        for _ in range(colspan - 1):
            table.row.append(("", []))
            if rowspan > 1:
                table.spans[table.column] = rowspan
            table.column += 1
        table.cell = None

    def _end_row(self) -> None:
        table = self.tables[-1] if self.tables else None
        if table is None or table.row is None:
            return
        self._end_cell()
        self._skip_spanned(table)
        cells = table.row
        parts: list[str] = []
        marks: list[tuple[int, int]] = []
        offset = 0
        for index, (text, cell_marks) in enumerate(cells):
            if index:
                parts.append(" | ")
                offset += 3
            parts.append(text)
            marks.extend((offset + at, line) for at, line in cell_marks)
            offset += len(text)
        merged: list[tuple[int, int]] = []
        for mark in marks:
            if not merged or merged[-1][1] != mark[1]:
                merged.append(mark)
        if any(text for text, _ in cells):
            self._emit("".join(parts), merged, table.row_slot)
        table.spans = {col: left - 1 for col, left in table.spans.items() if left > 1}
        table.row, table.row_slot = None, -1


def _span(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1


# ---------------------------------------------------------------- drivers


def html_to_lines(text: str) -> FlatLines:
    """Flatten an HTML document (see the module docstring)."""
    from lxml import etree

    source = _XML_DECLARATION.sub("", text, count=1)
    # The plain etree parser: lxml.html's element classes cost a lookup per element.
    parser = etree.HTMLParser(huge_tree=True)
    try:
        root = etree.fromstring(source, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return _stdlib_lines(source)
    if root is None:
        return _stdlib_lines(source)
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        return _stdlib_lines(source)
    return _lxml_lines(root)


def _lxml_lines(root: Any) -> FlatLines:
    """Walk lxml's tree with ``iterwalk`` (C-level, no recursion): an element's text is handled
    at its start, its tail at its end."""
    from lxml import etree

    flat = _Flattener()
    line = 1
    for event, node in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        if event == "start":
            source = node.sourceline
            if source is not None and source > line:
                line = source
            tag = node.tag
            name = tag.lower() if isinstance(tag, str) else ""
            if name in ("td", "th"):
                flat.start(name, line, _span(node.get("colspan")), _span(node.get("rowspan")))
            elif name in _STRUCTURE:
                flat.start(name, line)
            own = node.text
            if own:
                flat.text(own, line)
                line += own.count("\n")
            continue
        if event == "end":
            tag = node.tag
            if isinstance(tag, str) and (name := tag.lower()) in _STRUCTURE:
                flat.end(name)
        else:  # a comment or processing instruction: its text is not content
            line += (node.text or "").count("\n")
        tail = node.tail
        if tail:
            flat.text(tail, line)
            line += tail.count("\n")
    return flat.close()


class _EventParser(HTMLParser):
    def __init__(self, flat: _Flattener) -> None:
        super().__init__(convert_charrefs=True)
        self.flat = flat

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.flat.start(
            tag.lower(), self.getpos()[0], _span(values.get("colspan")), _span(values.get("rowspan"))
        )
        if tag.lower() == "br":
            self.flat.end("br")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.flat.end(tag.lower())

    def handle_data(self, data: str) -> None:
        self.flat.text(data, self.getpos()[0])


def _stdlib_lines(source: str) -> FlatLines:
    flat = _Flattener()
    parser = _EventParser(flat)
    parser.feed(source)
    parser.close()
    return flat.close()
