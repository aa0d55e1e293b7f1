"""The audit report: identities of the three inputs, evidence from both sides, and the verdict."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sdkreg.apk.model import AppInfo, Packer
    from sdkreg.audit import Finding, Severity
    from sdkreg.detection import Detection
    from sdkreg.policy.model import Disclosure
    from sdkreg.suppress import Suppressed, Waiver


@dataclass(frozen=True)
class InputIdentity:
    path: str
    sha256: str


@dataclass(frozen=True)
class RegistryIdentity:
    path: str
    version: str  # content hash of the registry files
    entries: int


@dataclass(frozen=True)
class AuditReport:
    tool_version: str
    app: AppInfo
    apk: InputIdentity
    policy: InputIdentity
    policy_encoding: str
    registry: RegistryIdentity
    detections: tuple[Detection, ...]
    disclosures: tuple[Disclosure, ...]
    findings: tuple[Finding, ...]  # active: not waived, not in the baseline
    suppressed: tuple[Suppressed, ...]
    expired_waivers: tuple[Waiver, ...]
    unused_waivers: tuple[Waiver, ...]
    packer: Packer | None
    fail_on: Severity | None  # None: never fail on findings
    policy_has_sdk_section: bool = True
    # the policy page that linked to the separate SDK list read as ``policy`` (see PolicyResult)
    policy_linked_from: str | None = None

    @property
    def failing(self) -> tuple[Finding, ...]:
        if self.fail_on is None:
            return ()
        threshold = self.fail_on
        return tuple(f for f in self.findings if f.severity >= threshold)

    @property
    def passed(self) -> bool:
        return not self.failing

    def counts(self) -> dict[str, int]:
        by_severity = Counter(f.severity.label for f in self.findings)
        return {label: by_severity.get(label, 0) for label in ("error", "warning", "info")}

    def summary_line(self) -> str:
        counts = self.counts()
        verdict = "PASS" if self.passed else "FAIL"
        app = self.app.package or "app"
        version = f" {self.app.version_name}" if self.app.version_name else ""
        suppressed = f", {len(self.suppressed)} suppressed" if self.suppressed else ""
        threshold = self.fail_on.label if self.fail_on else "never"
        return (
            f"{verdict}: {app}{version}: {counts['error']} error(s), {counts['warning']} "
            f"warning(s), {counts['info']} info{suppressed}; {len(self.detections)} SDK(s) "
            f"detected, {len(self.disclosures)} disclosed (fail-on: {threshold})"
        )
