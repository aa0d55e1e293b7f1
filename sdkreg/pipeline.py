"""The audit as one call: APK + policy + registry → evidence → findings → triaged report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sdkreg import __version__
from sdkreg.apk import scan_apk
from sdkreg.audit import Severity, audit
from sdkreg.detection import ScanResult
from sdkreg.disclose import disclosure_rows
from sdkreg.policy import extract_disclosures, read_policy
from sdkreg.policy.model import PolicyResult, PolicyText
from sdkreg.registry import Registry
from sdkreg.report.model import AuditReport, InputIdentity, RegistryIdentity
from sdkreg.suppress import Triage, Waiver, triage


def run_audit(
    apk_path: Path,
    policy_path: Path,
    registry: Registry,
    *,
    waivers: tuple[Waiver, ...] = (),
    baseline: frozenset[str] = frozenset(),
    fail_on: Severity | None = Severity.ERROR,
    today: dt.date | None = None,
) -> AuditReport:
    # Read the policy first: it is cheap, and a bad policy should fail before a long scan.
    policy = extract_disclosures(read_policy(policy_path), registry)
    scan = scan_apk(apk_path, registry)
    sorted_out = triage(audit(scan, policy, registry), waivers, baseline, today)
    return assemble_report(scan, policy, registry, sorted_out, fail_on)


def policy_quotes(source: PolicyText, lines: set[int]) -> tuple[tuple[int, str], ...]:
    """The policy's own text of the cited lines (as read: HTML rows flattened to ``a | b``)."""
    return tuple(
        (line, source.lines[line - 1].strip()) for line in sorted(lines) if 0 < line <= len(source.lines)
    )


def assemble_report(
    scan: ScanResult,
    policy: PolicyResult,
    registry: Registry,
    sorted_out: Triage,
    fail_on: Severity | None,
) -> AuditReport:
    return AuditReport(
        tool_version=__version__,
        app=scan.app,
        apk=InputIdentity(scan.path, scan.sha256),
        policy=InputIdentity(policy.source.path, policy.source.sha256),
        policy_encoding=policy.source.encoding,
        registry=RegistryIdentity(str(registry.root), registry.version, len(registry.entries)),
        detections=scan.sdks,
        disclosures=policy.disclosures,
        findings=sorted_out.active,
        suppressed=sorted_out.suppressed,
        expired_waivers=sorted_out.expired_waivers,
        unused_waivers=sorted_out.unused_waivers,
        packer=scan.packer,
        fail_on=fail_on,
        policy_has_sdk_section=policy.has_sdk_section,
        rows_to_add=disclosure_rows(
            (d for d in scan.sdks
             if d.sdk in {f.sdk for f in sorted_out.active if f.kind == "undisclosed"}),
            registry,
        ),
        policy_quotes=policy_quotes(policy.source, {d.line for d in policy.disclosures}),
    )
