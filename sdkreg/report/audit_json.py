"""JSON audit report, schema ``sdkreg/schemas/audit.schema.json`` (``schema_version`` "1")."""

from __future__ import annotations

import json
from typing import Any

from sdkreg.audit import Finding
from sdkreg.messages import plain
from sdkreg.policy.report import disclosure_dict
from sdkreg.report.model import AuditReport
from sdkreg.report.scan_json import detection_dict
from sdkreg.report.sdk_list import row_dict
from sdkreg.suppress import Waiver

SCHEMA_VERSION = "1"


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "severity": finding.severity.label,
        "sdk": finding.sdk,
        "subject": finding.subject,
        "fingerprint": finding.fingerprint,
        "message": finding.message,
        # the message as an id + English parameters (sdkreg.messages), for tools that translate
        "message_id": finding.message_id or None,
        "params": plain(finding.params),
        "missing": list(finding.missing),
        "evidence": {
            "apk": list(finding.apk_evidence),
            "policy": [{"line": r.line, "as_written": r.as_written} for r in finding.policy_evidence],
        },
    }


def _waiver(waiver: Waiver) -> dict[str, Any]:
    return {
        "kind": waiver.kind,
        "sdk": waiver.sdk,
        "reason": waiver.reason,
        "expires": waiver.expires.isoformat() if waiver.expires else None,
        "source": waiver.source,
    }


def as_dict(report: AuditReport) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "sdkreg", "version": report.tool_version},
        "app": {
            "package": report.app.package,
            "version_name": report.app.version_name,
            "version_code": report.app.version_code,
        },
        "apk": {"path": report.apk.path, "sha256": report.apk.sha256},
        "policy": {
            "path": report.policy.path,
            "sha256": report.policy.sha256,
            "encoding": report.policy_encoding,
            "has_sdk_section": report.policy_has_sdk_section,
            "linked_from": report.policy_linked_from,
        },
        "registry": {
            "path": report.registry.path,
            "version": report.registry.version,
            "entries": report.registry.entries,
        },
        "summary": {
            "passed": report.passed,
            "fail_on": report.fail_on.label if report.fail_on else "never",
            "counts": report.counts(),
            "failing": len(report.failing),
            "suppressed": len(report.suppressed),
            "detected": len(report.detections),
            "disclosed": len(report.disclosures),
            "packer": report.packer.name if report.packer else None,
        },
        "findings": [finding_dict(f) for f in report.findings],
        # the 第三方SDK清单 rows that settle the undisclosed findings (as `sdkreg disclose` writes them)
        "rows_to_add": [row_dict(r) for r in report.rows_to_add],
        "suppressed": [
            {**finding_dict(s.finding), "reason": s.reason} for s in report.suppressed
        ],
        # the same objects as `sdkreg scan` and `sdkreg policy` print
        "detections": [detection_dict(d) for d in report.detections],
        "disclosures": [disclosure_dict(d) for d in report.disclosures],
        "waivers": {
            "expired": [_waiver(w) for w in report.expired_waivers],
            "unused": [_waiver(w) for w in report.unused_waivers],
        },
    }


def render(report: AuditReport) -> str:
    return json.dumps(as_dict(report), ensure_ascii=False, indent=2)
