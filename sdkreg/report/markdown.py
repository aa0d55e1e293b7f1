"""Markdown audit report, for a pull-request comment."""

from __future__ import annotations

from sdkreg.audit import Finding
from sdkreg.report.model import AuditReport

_ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _evidence(finding: Finding) -> str:
    parts = [f"policy line {r.line}: {r.as_written}" for r in finding.policy_evidence]
    parts += list(finding.apk_evidence[:3])
    if len(finding.apk_evidence) > 3:
        parts.append(f"… {len(finding.apk_evidence) - 3} more")
    return "<br>".join(_cell(p) for p in parts) or "–"


def render(report: AuditReport) -> str:
    verdict = "✅ pass" if report.passed else "❌ fail"
    app = report.app.package or "app"
    version = f" {report.app.version_name}" if report.app.version_name else ""
    counts = report.counts()
    lines = [
        f"## sdkreg audit: `{app}`{version} — {verdict}",
        "",
        f"**{counts['error']}** error(s), **{counts['warning']}** warning(s), "
        f"**{counts['info']}** info · {len(report.detections)} SDK(s) in the APK · "
        f"{len(report.disclosures)} disclosure(s) in the policy · registry `{report.registry.version}`",
        "",
    ]
    if report.policy_linked_from:
        lines += [f"SDK list read from <{report.policy.path}>, linked from the policy "
                  f"<{report.policy_linked_from}>.", ""]
    if report.findings:
        lines += ["| | Kind | SDK | Finding | Evidence |", "|---|---|---|---|---|"]
        for f in report.findings:
            lines.append(
                f"| {_ICON[f.severity.label]} | {f.kind} | {f.sdk or '–'} | "
                f"{_cell(f.message)} | {_evidence(f)} |"
            )
    else:
        lines.append("No findings.")
    if report.suppressed:
        lines += ["", "<details><summary>Suppressed findings</summary>", ""]
        lines += [f"- {s.finding.kind} `{s.finding.subject}` — {s.reason}" for s in report.suppressed]
        lines += ["", "</details>"]
    return "\n".join(lines)
