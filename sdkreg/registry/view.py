"""Plain-data views of registry objects, for `registry list/show` and reports."""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from sdkreg.registry.model import Detect, Family, SdkEntry, Signature


def _signature(signature: Signature) -> str | dict[str, Any]:
    if signature.via is None and not signature.shared_with and signature.note is None:
        return signature.value
    data: dict[str, Any] = {"value": signature.value}
    if signature.via:
        data["via"] = signature.via
    if signature.shared_with:
        data["shared_with"] = list(signature.shared_with)
    if signature.note:
        data["note"] = signature.note
    return data


def detect_as_dict(detect: Detect) -> dict[str, list[Any]]:
    return {key: [_signature(s) for s in values] for key, values in detect.by_key() if values}


def entry_as_dict(
    entry: SdkEntry, full: bool = False, bundled_by: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Plain data for ``entry``; ``bundled_by`` (the products that ship it) needs the registry,
    so the caller passes it."""
    data: dict[str, Any] = {
        "id": entry.id,
        "name": entry.name,
        "name_zh": entry.name_zh,
        "family": entry.family,
        "category": entry.category,
        "vendor": asdict(entry.vendor),
        "requires_disclosure": entry.requires_disclosure,
        "data_list": entry.data_list,
    }
    if not full:
        return data
    data.update(
        aliases=list(entry.aliases),
        detect=detect_as_dict(entry.detect),
        bundles=list(entry.bundles),
        bundled_by=list(bundled_by),
        collects=list(entry.collects),
        collects_optional=list(entry.collects_optional),
        collects_source=entry.collects_source,
        collects_unpublished=entry.collects_unpublished,
        permissions=list(entry.permissions),
        links={k: v for k, v in asdict(entry.links).items() if v},
        sources=list(entry.sources),
    )
    if entry.notes:
        data["notes"] = entry.notes
    return data


def family_as_dict(family: Family) -> dict[str, Any]:
    return {
        "id": family.id,
        "kind": "family",
        "name": family.name,
        "name_zh": family.name_zh,
        "vendor": asdict(family.vendor),
        "aliases": list(family.aliases),
        "members": list(family.members),
        "detect": detect_as_dict(family.detect),
        "links": {k: v for k, v in asdict(family.links).items() if v},
        "sources": list(family.sources),
    }


def registry_table(entries: Iterable[SdkEntry]) -> str:
    rows = [("ID", "CATEGORY", "FAMILY", "DATA", "NAME", "VENDOR")]
    rows += [
        (e.id, e.category, e.family or "-", _DATA_LIST_CELL[e.data_list], e.display_name,
         e.vendor.name_zh)
        for e in entries
    ]
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for row in rows:
        cells = [cell + " " * (w - display_width(cell)) for cell, w in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]))
    lines.append(f"{len(rows) - 1} entries")
    return "\n".join(lines)


# DATA column: "sourced" (a vendor page is cited), "reason" (collects_unpublished), "unsourced",
# "none", or "-" for libraries that need no disclosure.
_DATA_LIST_CELL = {"sourced": "sourced", "reason": "reason", "unsourced": "unsourced",
                   "missing": "none", "not-required": "-"}


def data_list_summary(entries: Iterable[SdkEntry]) -> str:
    """One line for `registry validate`: how many disclosable entries have a sourced data list."""
    counts = Counter(e.data_list for e in entries if e.requires_disclosure)
    total = sum(counts.values())
    return (f"data lists: {counts['sourced']} of {total} disclosable entries sourced, "
            f"{counts['reason']} with a stated reason, {counts['unsourced']} unsourced, "
            f"{counts['missing']} missing")


def display_width(text: str) -> int:
    """Display width: CJK characters take two terminal columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
