"""Markdown audit report, for a pull-request comment."""

from __future__ import annotations

from sdkreg.audit import Finding
from sdkreg.i18n import ENGLISH, Translator
from sdkreg.report import sdk_list
from sdkreg.report.model import AuditReport, finding_text

_ICON = {"error": "🔴", "warning": "🟠", "info": "🔵"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _evidence(finding: Finding, tr: Translator) -> str:
    parts = [tr.gettext("policy line {line}: {text}").format(line=r.line, text=r.as_written)
             for r in finding.policy_evidence]
    parts += list(finding.apk_evidence[:3])
    if len(finding.apk_evidence) > 3:
        parts.append(tr.gettext("… {count} more").format(count=len(finding.apk_evidence) - 3))
    return "<br>".join(_cell(p) for p in parts) or "–"


def render(report: AuditReport, tr: Translator = ENGLISH) -> str:
    _ = tr.gettext
    verdict = _("✅ pass") if report.passed else _("❌ fail")
    app = report.app.package or _("app")
    version = f" {report.app.version_name}" if report.app.version_name else ""
    counts = report.counts()
    lines = [
        _("## sdkreg audit: `{app}`{version} — {verdict}").format(app=app, version=version, verdict=verdict),
        "",
        _("**{errors}** error(s), **{warnings}** warning(s), **{infos}** info · {detected} SDK(s) in the "
          "APK · {disclosed} disclosure(s) in the policy · registry `{registry}`").format(
            errors=counts["error"], warnings=counts["warning"], infos=counts["info"],
            detected=len(report.detections), disclosed=len(report.disclosures),
            registry=report.registry.version),
        "",
    ]
    if report.policy_linked_from:
        lines += [f"SDK list read from <{report.policy.path}>, linked from the policy "
                  f"<{report.policy_linked_from}>.", ""]
    if report.findings:
        lines += ["| | " + " | ".join((_("Kind"), _("SDK"), _("Finding"), _("Evidence"))) + " |",
                  "|---|---|---|---|---|"]
        for f in report.findings:
            lines.append(
                f"| {_ICON[f.severity.label]} | {f.kind} | {f.sdk or '–'} | "
                f"{_cell(finding_text(f, tr))} | {_evidence(f, tr)} |"
            )
    else:
        lines.append(_("No findings."))
    if report.rows_to_add:
        lines += ["", _("### Rows to add to the policy's third-party SDK list"), ""]
        lines += sdk_list.markdown(report.rows_to_add, tr)
    if report.suppressed:
        lines += ["", "<details><summary>" + _("Suppressed findings") + "</summary>", ""]
        lines += [f"- {s.finding.kind} `{s.finding.subject}` — {s.reason}" for s in report.suppressed]
        lines += ["", "</details>"]
    return "\n".join(lines)
