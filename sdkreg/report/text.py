"""Human-readable audit report: a findings table with evidence, then a one-line summary."""

from __future__ import annotations

from sdkreg.findings import kind_title
from sdkreg.i18n import ENGLISH, Translator
from sdkreg.messages import severity_label
from sdkreg.registry.view import display_width
from sdkreg.report import sdk_list
from sdkreg.report.model import AuditReport, finding_text

_COLOR = {"error": "\033[31;1m", "warning": "\033[33m", "info": "\033[36m"}
_RESET = "\033[0m"
_DIM = "\033[2m"


def pad(text: str, width: int) -> str:
    """``text`` filled with spaces to ``width`` terminal columns (a CJK character takes two)."""
    return text + " " * max(0, width - display_width(text))


def label_width(pairs: list[tuple[str, str]]) -> int:
    return max(display_width(label) for label, _ in pairs) + 1


def labelled(pairs: list[tuple[str, str]]) -> list[str]:
    """``Label: value`` lines with the values aligned, whatever the labels' language."""
    width = label_width(pairs)
    return [pad(label, width) + value for label, value in pairs]


def render(report: AuditReport, color: bool = False, tr: Translator = ENGLISH) -> str:
    def paint(code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    _ = tr.gettext
    app = report.app.package or _("(unknown package)")
    version = f" {report.app.version_name} ({report.app.version_code})" if report.app.version_name else ""
    labels = [
        (_("App:"), f"{app}{version}  [{report.apk.path}]"),
        (_("Policy:"), _("{path} ({encoding}, {count} disclosure(s))").format(
            path=report.policy.path, encoding=report.policy_encoding, count=len(report.disclosures))),
        (_("Registry:"), _("{version} ({count} entries)").format(
            version=report.registry.version, count=report.registry.entries)),
    ]
    lines = labelled(labels)
    if report.policy_linked_from:
        lines[2:2] = [" " * label_width(labels) + _("SDK list read from {path}, linked from the policy {url}")
                      .format(path=report.policy.path, url=report.policy_linked_from)]
    lines.append("")
    if not report.policy_has_sdk_section:
        lines += [_("Note: the policy has no recognisable third-party SDK list."), ""]
    if report.findings:
        # English keeps the kind ids the config's waivers use; Chinese shows what they mean.
        rows = [
            (severity_label(f.severity.label, tr), kind_title(f.kind, tr) if tr.chinese else f.kind,
             f.sdk or f.subject, finding_text(f, tr))
            for f in report.findings
        ]
        header = (_("SEVERITY"), _("KIND"), _("SDK"))
        widths = [max(display_width(r[i]) for r in rows) for i in range(3)]
        widths = [max(w, display_width(h)) for w, h in zip(widths, header, strict=True)]
        lines.append("  ".join(pad(h, w) for h, w in zip(header, widths, strict=True))
                     + "  " + _("MESSAGE"))
        for finding, row in zip(report.findings, rows, strict=True):
            cells = [pad(cell, w) for cell, w in zip(row[:3], widths, strict=True)]
            cells[0] = paint(_COLOR[finding.severity.label], cells[0])
            lines.append("  ".join(cells) + "  " + row[3])
            indent = " " * (sum(widths) + 6)
            for ref in finding.policy_evidence:
                lines.append(paint(_DIM, indent + _("policy line {line}: {text}").format(
                    line=ref.line, text=ref.as_written)))
            for evidence in finding.apk_evidence[:5]:
                lines.append(paint(_DIM, indent + _("apk: {evidence}").format(evidence=evidence)))
            if len(finding.apk_evidence) > 5:
                lines.append(paint(_DIM, indent + _("apk: … {count} more").format(
                    count=len(finding.apk_evidence) - 5)))
    else:
        lines.append(_("No findings."))
    if report.rows_to_add:
        lines += ["", _("Rows to add to the policy's third-party SDK list:")]
        lines += sdk_list.text(report.rows_to_add, tr)
    if report.suppressed:
        lines += ["", _("Suppressed ({count}):").format(count=len(report.suppressed))]
        lines += [f"  {s.finding.kind} {s.finding.subject}: {s.reason}" for s in report.suppressed]
    for waiver in report.expired_waivers:
        lines.append(_("Expired waiver ({source}, {expires}): {reason}").format(
            source=waiver.source, expires=waiver.expires, reason=waiver.reason))
    for waiver in report.unused_waivers:
        lines.append(_("Unused waiver ({source}): {reason}").format(
            source=waiver.source, reason=waiver.reason))
    summary = report.summary_line(tr)
    lines += ["", paint(_COLOR["info" if report.passed else "error"], summary)]
    return "\n".join(lines)

