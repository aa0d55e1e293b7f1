"""The audit as one call: APK + policy + registry → evidence → findings → triaged report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sdkreg import __version__
from sdkreg.apk import scan_apk
from sdkreg.audit import Severity, audit
from sdkreg.detection import ScanResult
from sdkreg.policy.load import load_policy
from sdkreg.policy.model import PolicyResult
from sdkreg.registry import Registry
from sdkreg.report.model import AuditReport, InputIdentity, RegistryIdentity
from sdkreg.suppress import Triage, Waiver, triage


def run_audit(
    apk_path: Path,
    policy_source: str | Path,
    registry: Registry,
    *,
    waivers: tuple[Waiver, ...] = (),
    baseline: frozenset[str] = frozenset(),
    fail_on: Severity | None = Severity.ERROR,
    today: dt.date | None = None,
) -> AuditReport:
    # Read the policy first: it is cheap, and a bad policy (or URL) should fail before a long scan.
    policy = load_policy(policy_source, registry)
    scan = scan_apk(apk_path, registry)
    sorted_out = triage(audit(scan, policy, registry), waivers, baseline, today)
    return assemble_report(scan, policy, registry, sorted_out, fail_on)


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
        policy_linked_from=policy.linked_from,
    )
