"""A ``PolicyResult`` as the JSON document of ``sdkreg policy --format json`` (contract:
sdkreg/schemas/policy.schema.json). Pure functions: the CLI prints; the text table is
``sdkreg.report.policy_text``."""

from __future__ import annotations

from typing import Any

from sdkreg.policy.model import Disclosure, Explanation, PolicyResult

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
        **({"explain": [explanation_dict(e) for e in result.explanations]} if result.explanations else {}),
    }


def explanation_dict(e: Explanation) -> dict[str, Any]:
    return {
        "as_written": e.as_written,
        "line": e.line,
        "finder": e.finder,
        "strength": e.strength,
        "roles": dict(e.roles),
        "sdks": list(e.sdks),
        "kept": e.kept,
        "reason": e.reason,
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

