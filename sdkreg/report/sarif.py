"""SARIF 2.1.0 for code-scanning dashboards: one rule per finding kind, policy line locations."""

from __future__ import annotations

import json
from typing import Any, assert_never

from sdkreg.audit import Finding
from sdkreg.findings import FINDING_KIND_SPECS, FINDING_KINDS, Severity
from sdkreg.report.model import AuditReport


def level(severity: Severity) -> str:
    """SARIF's name for a severity."""
    match severity:
        case Severity.ERROR:
            return "error"
        case Severity.WARNING:
            return "warning"
        case Severity.INFO:
            return "note"
        case _:
            assert_never(severity)


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _result(finding: Finding, report: AuditReport, reason: str | None = None) -> dict[str, Any]:
    locations: list[dict[str, Any]] = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": report.policy.path},
                "region": {"startLine": ref.line},
            },
            "message": {"text": ref.as_written},
        }
        for ref in finding.policy_evidence
    ]
    if not locations:
        locations.append({"physicalLocation": {"artifactLocation": {"uri": report.apk.path}}})
    text = finding.message
    if finding.apk_evidence:
        text += "\nAPK evidence: " + "; ".join(finding.apk_evidence)
    result: dict[str, Any] = {
        "ruleId": finding.kind,
        "ruleIndex": FINDING_KINDS.index(finding.kind),
        "level": level(finding.severity),
        "message": {"text": text},
        "locations": locations,
        "partialFingerprints": {"sdkregFinding/v1": finding.fingerprint},
        "properties": {"sdk": finding.sdk, "subject": finding.subject,
                       "missing": list(finding.missing)},
    }
    if reason is not None:
        result["suppressions"] = [{"kind": "external", "justification": reason}]
    return result


def as_dict(report: AuditReport) -> dict[str, Any]:
    rules = [
        {
            "id": spec.kind,
            "name": spec.sarif_name,
            "shortDescription": {"text": spec.sarif_description},
            "defaultConfiguration": {"level": level(spec.severity)},
        }
        for spec in FINDING_KIND_SPECS
    ]
    results = [_result(f, report) for f in report.findings]
    results += [_result(s.finding, report, s.reason) for s in report.suppressed]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "sdkreg",
                        "version": report.tool_version,
                        "informationUri": "https://pypi.org/project/sdkreg/",
                        "rules": rules,
                    }
                },
                "artifacts": [
                    {"location": {"uri": report.apk.path},
                     "hashes": {"sha-256": report.apk.sha256}},
                    {"location": {"uri": report.policy.path},
                     "hashes": {"sha-256": report.policy.sha256}},
                ],
                "results": results,
                "properties": {"registryVersion": report.registry.version,
                               "app": report.app.package},
            }
        ],
    }


def render(report: AuditReport) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2)
