"""SARIF 2.1.0 for code-scanning dashboards: one rule per finding kind, policy line locations."""

from __future__ import annotations

import json
from typing import Any

from sdkreg.audit import FINDING_KINDS, Finding, Severity
from sdkreg.report.model import AuditReport

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_RULES: dict[str, tuple[str, str, Severity]] = {
    "undisclosed": ("SDK in the APK is not disclosed by the privacy policy", "UndisclosedSdk",
                    Severity.ERROR),
    "over_disclosed": ("Policy discloses an SDK the APK does not contain", "OverDisclosedSdk",
                       Severity.WARNING),
    "family_only": ("Policy names only the product line", "FamilyOnlyDisclosure", Severity.INFO),
    "incomplete_disclosure": ("SDK disclosure lacks required fields", "IncompleteDisclosure",
                              Severity.WARNING),
    "data_under_disclosed": ("Disclosure omits personal data the SDK collects",
                             "DataUnderDisclosed", Severity.WARNING),
    "unregistered_disclosure": ("Disclosed SDK unknown to the registry",
                                "UnregisteredDisclosure", Severity.INFO),
    "unrecognised_code": ("Third-party code unknown to the registry", "UnrecognisedCode",
                          Severity.INFO),
    "packed_app": ("App is packed: code evidence incomplete", "PackedApp", Severity.WARNING),
}
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
        "level": _LEVEL[finding.severity],
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
            "id": kind,
            "name": _RULES[kind][1],
            "shortDescription": {"text": _RULES[kind][0]},
            "defaultConfiguration": {"level": _LEVEL[_RULES[kind][2]]},
        }
        for kind in FINDING_KINDS
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
