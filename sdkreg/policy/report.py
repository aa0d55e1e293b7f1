"""A ``PolicyResult`` as the JSON document of ``sdkreg policy --format json`` (contract:
sdkreg/schemas/policy.schema.json) and as a text table. Pure functions: the CLI prints."""

from __future__ import annotations

import unicodedata
from typing import Any

from sdkreg.policy.model import Disclosure, PolicyResult

SCHEMA_VERSION = "1"


def policy_document(result: PolicyResult, registry_version: str | None = None) -> dict[str, Any]:
    source = result.source
    resolved = sum(1 for d in result.disclosures if d.sdk is not None)
    return {
        "schema_version": SCHEMA_VERSION,
        "policy": {
            "path": source.path,
            "sha256": source.sha256,
            "encoding": source.encoding,
            "format": source.format,
            "lines": len(source.lines),
            "linked_from": result.linked_from,
        },
        "registry_version": registry_version,
        "has_sdk_section": result.has_sdk_section,
        "summary": {
            "disclosures": len(result.disclosures),
            "resolved": resolved,
            "unresolved": len(result.disclosures) - resolved,
            "sdks": sorted({d.sdk for d in result.disclosures if d.sdk}),
        },
        "disclosures": [disclosure_dict(d) for d in result.disclosures],
    }


def disclosure_dict(d: Disclosure) -> dict[str, Any]:
    return {
        "as_written": d.as_written,
        "line": d.line,
        "sdk": d.sdk,
        "level": d.level,
        "match": {"method": d.match.method, "score": d.match.score, "alias": d.match.alias},
        "fields": {
            "company": d.fields.company,
            "purpose": d.fields.purpose,
            "data_text": d.fields.data_text,
            "data_types": list(d.fields.data_types),
            "method": d.fields.method,
            "url": d.fields.url,
        },
    }


def policy_text(result: PolicyResult) -> str:
    """A table: line, as written, sdk, level, how matched, data types; then a summary line."""
    source = result.source
    out = [f"{source.path} ({source.format}, {source.encoding}, {len(source.lines)} lines)"]
    if result.linked_from:
        out.append(f"SDK list read from {source.path}, linked from the policy {result.linked_from}")
    if not result.disclosures:
        if result.has_sdk_section:
            out.append("the policy has a third-party SDK section, but it names no SDK")
        else:
            out.append("no third-party SDK list found in the policy")
        return "\n".join(out) + "\n"
    header = ("LINE", "AS WRITTEN", "SDK", "LEVEL", "MATCH", "DATA TYPES")
    rows = [header]
    for d in result.disclosures:
        match = d.match.method if d.match.method != "fuzzy" else f"fuzzy {d.match.score:.0f}"
        rows.append(
            (
                str(d.line),
                _clip(d.as_written, 36),
                d.sdk or "(unresolved)",
                d.level or "-",
                match,
                ", ".join(d.fields.data_types) or "-",
            )
        )
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header) - 1)]
    for row in rows:
        cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:-1])]
        out.append("  ".join([*cells, row[-1]]).rstrip())
    resolved = sum(1 for d in result.disclosures if d.sdk)
    sdks = len({d.sdk for d in result.disclosures if d.sdk})
    out.append(
        f"{len(result.disclosures)} disclosure(s): {resolved} resolved to {sdks} registry id(s), "
        f"{len(result.disclosures) - resolved} unresolved"
    )
    return "\n".join(out) + "\n"


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"
