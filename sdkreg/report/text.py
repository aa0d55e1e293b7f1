"""Human-readable audit report: a findings table with evidence, then a one-line summary."""

from __future__ import annotations

from sdkreg.registry.view import display_width
from sdkreg.report.model import AuditReport

_COLOR = {"error": "\033[31;1m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"
_DIM = "\033[2m"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def render(report: AuditReport, color: bool = False) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    app = report.app.package or "(unknown package)"
    version = f" {report.app.version_name} ({report.app.version_code})" if report.app.version_name else ""
    lines = [
        f"App:      {app}{version}  [{report.apk.path}]",
        f"Policy:   {report.policy.path} ({report.policy_encoding}, "
        f"{len(report.disclosures)} disclosure(s))",
        f"Registry: {report.registry.version} ({report.registry.entries} entries)",
        "",
    ]
    if report.policy_linked_from:
        lines[2:2] = [f"          SDK list read from {report.policy.path}, "
                      f"linked from the policy {report.policy_linked_from}"]
    if not report.policy_has_sdk_section:
        lines += ["Note: the policy has no recognisable third-party SDK list.", ""]
    if report.findings:
        rows = [(f.severity.label, f.kind, f.sdk or f.subject, f.message) for f in report.findings]
        widths = [max(display_width(r[i]) for r in rows) for i in range(3)]
        header = ("SEVERITY", "KIND", "SDK")
        widths = [max(w, len(h)) for w, h in zip(widths, header, strict=True)]
        lines.append("  ".join(_pad(h, w) for h, w in zip(header, widths, strict=True)) + "  MESSAGE")
        for finding, row in zip(report.findings, rows, strict=True):
            cells = [_pad(cell, w) for cell, w in zip(row[:3], widths, strict=True)]
            cells[0] = paint(_COLOR[row[0]], cells[0])
            lines.append("  ".join(cells) + "  " + row[3])
            indent = " " * (sum(widths) + 6)
            for ref in finding.policy_evidence:
                lines.append(paint(_DIM, f"{indent}policy line {ref.line}: {ref.as_written}"))
            for evidence in finding.apk_evidence[:5]:
                lines.append(paint(_DIM, f"{indent}apk: {evidence}"))
            if len(finding.apk_evidence) > 5:
                lines.append(paint(_DIM, f"{indent}apk: … {len(finding.apk_evidence) - 5} more"))
    else:
        lines.append("No findings.")
    if report.suppressed:
        lines += ["", f"Suppressed ({len(report.suppressed)}):"]
        lines += [f"  {s.finding.kind} {s.finding.subject}: {s.reason}" for s in report.suppressed]
    for waiver in report.expired_waivers:
        lines.append(f"Expired waiver ({waiver.source}, {waiver.expires}): {waiver.reason}")
    for waiver in report.unused_waivers:
        lines.append(f"Unused waiver ({waiver.source}): {waiver.reason}")
    summary = report.summary_line()
    lines += ["", paint(_COLOR["info" if report.passed else "error"], summary)]
    return "\n".join(lines)
