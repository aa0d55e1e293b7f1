"""The 第三方SDK清单 as people paste it: text, Markdown, JSON and Word, from ``DisclosureRow``s.

The table itself is always Chinese — it is the text that goes into a Chinese privacy policy — while
the notes around it (what was defaulted, what to check) speak the reader's language. Every row
built from a default (purpose from the category, a website instead of a privacy-policy link, no
data list from the vendor, shared code) carries a numbered note marker, so nothing defaulted
passes for a fact.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sdkreg.disclose import DisclosureRow
from sdkreg.i18n import ENGLISH, N_, Translator

SCHEMA_VERSION = "1"

# The columns regulators' checklists and real policies use, in their usual order.
COLUMNS = ("SDK名称", "第三方公司名称", "使用目的", "收集个人信息类型", "收集方式", "隐私政策链接")

# note id → (English message id, the column its marker goes in)
NOTES: dict[str, tuple[str, int]] = {
    "purpose-default": (N_(
        "Purpose is the default for the SDK's category (the registry has no purpose for this SDK): "
        "replace it with what the app uses the SDK for."), 2),
    "no-data-list": (N_(
        "The vendor publishes no list of the personal data this SDK collects: ask the vendor and "
        "fill it in."), 3),
    "website-link": (N_(
        "The registry knows no privacy-policy page for this SDK: the link is the vendor's website; "
        "replace it with the SDK's privacy policy."), 5),
    "shared-code": (N_(
        "The code found is shared with {others}: check which of these SDKs the app really "
        "integrates."), 0),
}
GENERAL_NOTE = N_(
    "Collection method is the usual one for SDKs that read the data on the device themselves; "
    "check it against how the app integrates each SDK. Review every row before publishing.")
EMPTY = "—"


def row_notes(row: DisclosureRow) -> tuple[str, ...]:
    notes = []
    if row.purpose_source == "category-default":
        notes.append("purpose-default")
    if not row.data and not row.data_optional and not row.data_stated_none:
        notes.append("no-data-list")
    if row.link_kind == "website":
        notes.append("website-link")
    if row.also_fits:
        notes.append("shared-code")
    return tuple(notes)


def data_cell(row: DisclosureRow) -> str:
    if row.data_stated_none:
        return "不收集个人信息"
    text = "、".join(row.data)
    if row.data_optional:
        optional = "可选（开启相关功能时）：" + "、".join(row.data_optional)
        text = f"{text}；{optional}" if text else optional
    return text or EMPTY


def cells(row: DisclosureRow) -> tuple[str, ...]:
    return (row.name, row.company, row.purpose, data_cell(row), row.method, row.link or EMPTY)


@dataclass(frozen=True)
class Footnotes:
    """Numbered notes for a list of rows: one number per distinct note text."""

    texts: tuple[str, ...]
    markers: tuple[dict[int, tuple[int, ...]], ...]  # per row: column → note numbers


def footnotes(rows: Sequence[DisclosureRow], tr: Translator) -> Footnotes:
    texts: list[str] = []
    markers: list[dict[int, tuple[int, ...]]] = []
    for row in rows:
        by_column: dict[int, list[int]] = {}
        for note in row_notes(row):
            message, column = NOTES[note]
            text = tr.gettext(message).format(others=tr.join(row.also_fits))
            if text not in texts:
                texts.append(text)
            by_column.setdefault(column, []).append(texts.index(text) + 1)
        markers.append({column: tuple(numbers) for column, numbers in by_column.items()})
    return Footnotes(tuple(texts), tuple(markers))


def marked_cells(row: DisclosureRow, marks: dict[int, tuple[int, ...]], style: str = " [{}]") -> list[str]:
    out = list(cells(row))
    for column, numbers in marks.items():
        out[column] += "".join(style.format(n) for n in numbers)
    return out


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(rows: Sequence[DisclosureRow], tr: Translator = ENGLISH) -> list[str]:
    """A Markdown table (GitHub style) with its notes; [n] marks a defaulted cell."""
    notes = footnotes(rows, tr)
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for row, marks in zip(rows, notes.markers, strict=True):
        lines.append("| " + " | ".join(_md_cell(c) for c in marked_cells(row, marks)) + " |")
    lines.append("")
    lines += [f"[{n}] {text}  " for n, text in enumerate(notes.texts, 1)]
    lines.append(tr.gettext(GENERAL_NOTE))
    return lines


def text(rows: Sequence[DisclosureRow], tr: Translator = ENGLISH) -> list[str]:
    """One block per SDK, in the field-label layout many policies use (SDK名称：… 使用目的：…)."""
    notes = footnotes(rows, tr)
    lines: list[str] = []
    for row, marks in zip(rows, notes.markers, strict=True):
        values = marked_cells(row, marks)
        lines.append(f"  {COLUMNS[0]}：{values[0]}")
        lines += [f"    {label}：{value}" for label, value in zip(COLUMNS[1:], values[1:], strict=True)]
    lines += [f"  [{n}] {text}" for n, text in enumerate(notes.texts, 1)]
    lines.append("  " + tr.gettext(GENERAL_NOTE))
    return lines


def row_dict(row: DisclosureRow) -> dict[str, Any]:
    return {
        "sdk": row.sdk,
        "name": row.name,
        "company": row.company,
        "purpose": row.purpose,
        "purpose_source": row.purpose_source,
        "data": list(row.data),
        "data_optional": list(row.data_optional),
        "data_unpublished": row.data_unpublished,
        "data_stated_none": row.data_stated_none,
        "method": row.method,
        "link": row.link,
        "link_kind": row.link_kind,
        "category": row.category,
        "also_fits": list(row.also_fits),
        "notes": list(row_notes(row)),
        "columns": dict(zip(COLUMNS, cells(row), strict=True)),
    }


def docx(rows: Sequence[DisclosureRow], title: str, intro: Sequence[str], tr: Translator = ENGLISH) -> bytes:
    """A Word document with the list as a real table (legal teams edit Word), notes below it."""
    from docx import Document  # python-docx: imported only when a .docx is asked for
    from docx.shared import Pt

    notes = footnotes(rows, tr)
    document = Document()
    document.add_heading(title, level=1)
    for paragraph in intro:
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, COLUMNS, strict=True):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row, marks in zip(rows, notes.markers, strict=True):
        for cell, value in zip(table.add_row().cells, marked_cells(row, marks), strict=True):
            cell.text = value
    for n, note in enumerate(notes.texts, 1):
        document.add_paragraph(f"[{n}] {note}").runs[0].font.size = Pt(9)
    document.add_paragraph(tr.gettext(GENERAL_NOTE)).runs[0].font.size = Pt(9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def document(rows: Sequence[DisclosureRow], scan: Any, tr: Translator = ENGLISH) -> dict[str, Any]:
    """``sdkreg disclose --format json`` (schema: sdkreg/schemas/disclose.schema.json)."""
    from sdkreg import __version__

    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "sdkreg", "version": __version__},
        "app": {"package": scan.app.package, "version_name": scan.app.version_name,
                "version_code": scan.app.version_code},
        "apk": {"path": scan.path, "sha256": scan.sha256},
        "registry": {"version": scan.registry_version},
        "columns": list(COLUMNS),
        "rows": [row_dict(row) for row in rows],
        "notes": {note: tr.gettext(message).format(others="…") for note, (message, _) in NOTES.items()},
    }
