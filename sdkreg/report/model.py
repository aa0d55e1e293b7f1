"""The audit report: identities of the three inputs, evidence from both sides, and the verdict."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sdkreg.i18n import ENGLISH, Translator
from sdkreg.messages import render as render_message

if TYPE_CHECKING:
    from sdkreg.apk.model import AppInfo, Packer
    from sdkreg.audit import Finding, Severity
    from sdkreg.detection import Detection
    from sdkreg.disclose import DisclosureRow
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
    # The 第三方SDK清单 rows that would settle the active `undisclosed` findings.
    rows_to_add: tuple[DisclosureRow, ...] = ()
    # The policy's own text of every line a disclosure cites: (line, text), for reports to quote.
    policy_quotes: tuple[tuple[int, str], ...] = ()
    # Display names (name_zh, else name) of every registry id either side names: (id, name).
    sdk_names: tuple[tuple[str, str], ...] = ()

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

    def summary_line(self, tr: Translator = ENGLISH) -> str:
        _ = tr.gettext
        counts = self.counts()
        verdict = _("PASS") if self.passed else _("FAIL")
        app = self.app.package or _("app")
        version = f" {self.app.version_name}" if self.app.version_name else ""
        suppressed = (_(", {count} suppressed").format(count=len(self.suppressed))
                      if self.suppressed else "")
        threshold = self.fail_on.label if self.fail_on else "never"
        return _(
            "{verdict}: {app}{version}: {errors} error(s), {warnings} warning(s), {infos} info"
            "{suppressed}; {detected} SDK(s) detected, {disclosed} disclosed (fail-on: {threshold})"
        ).format(verdict=verdict, app=app, version=version, errors=counts["error"],
                 warnings=counts["warning"], infos=counts["info"], suppressed=suppressed,
                 detected=len(self.detections), disclosed=len(self.disclosures), threshold=threshold)

    def quote(self, line: int) -> str | None:
        """The policy's own text at ``line``, when a disclosure cites it."""
        return dict(self.policy_quotes).get(line)


def finding_text(finding: Finding, tr: Translator = ENGLISH) -> str:
    """A finding's message in ``tr``'s language (its English ``message`` when it has no id)."""
    if not finding.message_id:
        return finding.message
    return render_message(finding.message_id, finding.params, tr)
