"""Self-contained HTML pages (audit, scan, SDK list): Jinja2 templates shipped in the package.

Autoescaping is on for every template: policy text and APK strings are untrusted. Links are made
only of http(s) URLs (a policy could write ``javascript:…``), and the page's Content-Security-
Policy forbids every script and every load, so even a mistake here cannot run code or phone home.
Only the view models are built here; the templates decide the layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sdkreg import __version__
from sdkreg.audit import Finding
from sdkreg.detection import Detection, ScanResult
from sdkreg.disclose import DisclosureRow
from sdkreg.findings import kind_title
from sdkreg.i18n import ENGLISH, Translator
from sdkreg.messages import confidence_label, severity_label
from sdkreg.policy.model import Disclosure
from sdkreg.report import sdk_list
from sdkreg.report.model import AuditReport, finding_text
from sdkreg.report.scan_json import evidence_label

TEMPLATES = "templates"
_EVIDENCE_SHOWN = 8


def _environment(tr: Translator) -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("sdkreg.report", TEMPLATES),
        autoescape=True,  # every template, whatever its name
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the i18n extension
        tr.gettext, lambda one, many, n: tr.gettext(one if n == 1 else many),
        newstyle=True, pgettext=tr.pgettext,
    )
    return env


def _page(template: str, tr: Translator, **context: Any) -> str:
    html: str = _environment(tr).get_template(template).render(
        html_lang="zh-CN" if tr.chinese else "en", tool_version=__version__, **context)
    return html


def safe_href(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) URL, else None (shown as text, never as a link)."""
    if not url:
        return None
    lowered = url.strip().lower()
    return url.strip() if lowered.startswith(("https://", "http://")) and " " not in url.strip() else None


def _evidence(items: Sequence[str], tr: Translator) -> list[str]:
    shown = list(items[:_EVIDENCE_SHOWN])
    if len(items) > _EVIDENCE_SHOWN:
        shown.append(tr.gettext("… {count} more").format(count=len(items) - _EVIDENCE_SHOWN))
    return shown


def _detection_evidence(detection: Detection, tr: Translator) -> list[str]:
    return _evidence([f"{evidence_label(e.kind, tr)}: {e.detail}" for e in detection.evidence], tr)


def sdk_list_view(rows: Sequence[DisclosureRow], tr: Translator) -> dict[str, Any]:
    notes = sdk_list.footnotes(rows, tr)
    view_rows = []
    for row, marks in zip(rows, notes.markers, strict=True):
        cells = []
        for column, text in enumerate(sdk_list.cells(row)):
            href = safe_href(row.link) if column == len(sdk_list.COLUMNS) - 1 else None
            cells.append({"text": text, "href": href, "notes": marks.get(column, ())})
        view_rows.append({"sdk": row.sdk, "cells": cells})
    return {"columns": sdk_list.COLUMNS, "rows": view_rows, "notes": notes.texts,
            "general_note": tr.gettext(sdk_list.GENERAL_NOTE)}


def _finding_view(f: Finding, report: AuditReport, tr: Translator) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "title": kind_title(f.kind, tr),
        "severity": f.severity.label,
        "severity_label": severity_label(f.severity.label, tr),
        "sdk": f.sdk or f.subject,
        "message": finding_text(f, tr),
        "policy": [{"line": r.line, "as_written": r.as_written, "quote": report.quote(r.line)}
                   for r in f.policy_evidence],
        "apk": _evidence(f.apk_evidence, tr),
    }


def _disclosure_view(d: Disclosure, report: AuditReport, via_family: str | None = None) -> dict[str, Any]:
    fields = d.fields
    return {
        "line": d.line, "as_written": d.as_written, "company": fields.company, "purpose": fields.purpose,
        "data": fields.data_text or "、".join(fields.data_types), "url": fields.url,
        "href": safe_href(fields.url), "quote": report.quote(d.line), "via_family": via_family,
    }


def _involves(finding: Finding, sdk_id: str) -> bool:
    return finding.sdk == sdk_id or sdk_id in finding.subject.split("|")


def _sdk_rows(report: AuditReport, tr: Translator) -> tuple[list[dict[str, Any]], list[str]]:
    """One row per registry id either side names (and one per unregistered disclosure)."""
    names = dict(report.sdk_names)
    detections = {d.sdk: d for d in report.detections}
    disclosed: dict[str, list[Disclosure]] = {}
    for d in report.disclosures:
        disclosed.setdefault(d.sdk or f"?{d.line}:{d.as_written}", []).append(d)
    suppressed = [s.finding for s in report.suppressed]
    libraries = sorted(d.sdk for d in report.detections
                       if not d.requires_disclosure and d.sdk not in disclosed)
    ids = [i for i in dict.fromkeys([*detections, *disclosed]) if i not in libraries]
    rows = []
    for sdk_id in ids:
        detection = detections.get(sdk_id)
        own = disclosed.get(sdk_id, [])
        views = [_disclosure_view(d, report) for d in own]
        family = detection.family if detection else None
        if family and family in disclosed and not own:
            views += [_disclosure_view(d, report, names.get(family, family)) for d in disclosed[family]]
        related = [f for f in report.findings if _involves(f, sdk_id) or (family and f.sdk == family
                                                                          and f.kind == "family_only")]
        verdicts = [{"severity": f.severity.label, "label": kind_title(f.kind, tr)} for f in related]
        verdicts += [{"severity": "none", "label": tr.gettext("waived: {kind}").format(
            kind=kind_title(f.kind, tr))} for f in suppressed if _involves(f, sdk_id)]
        if not verdicts:
            if detection is not None and not detection.requires_disclosure:
                verdicts = [{"severity": "ok", "label": tr.gettext("no disclosure needed")}]
            else:
                verdicts = [{"severity": "ok", "label": tr.gettext("disclosed")}]
        unregistered = sdk_id.startswith("?")
        rows.append({
            "id": "—" if unregistered else sdk_id,
            "name": own[0].as_written if unregistered else names.get(sdk_id, sdk_id),
            "detection": None if detection is None else {
                "confidence": confidence_label(detection.confidence, tr),
                "evidence": _detection_evidence(detection, tr),
            },
            "disclosures": views,
            "verdicts": verdicts,
        })
    return rows, libraries


def audit_html(report: AuditReport, tr: Translator = ENGLISH) -> str:
    sdk_rows, libraries = _sdk_rows(report, tr)
    return _page(
        "audit.html.j2", tr,
        title=f"sdkreg audit: {report.app.package or ''}",
        app=report.app, apk=report.apk, policy=report.policy, encoding=report.policy_encoding,
        policy_linked_from=report.policy_linked_from,
        registry_version=report.registry.version, registry_entries=report.registry.entries,
        has_sdk_section=report.policy_has_sdk_section, passed=report.passed,
        summary=report.summary_line(tr), counts=report.counts(),
        severity_labels={label: severity_label(label, tr) for label in ("error", "warning", "info")},
        findings=[_finding_view(f, report, tr) for f in report.findings],
        rows_to_add=sdk_list_view(report.rows_to_add, tr),
        sdk_rows=sdk_rows, libraries=libraries,
        suppressed=[{"kind": s.finding.kind, "subject": s.finding.subject, "reason": s.reason}
                    for s in report.suppressed],
    )


def scan_html(result: ScanResult, registry: Any, tr: Translator = ENGLISH) -> str:
    """``sdkreg scan --format html``: the detections with their evidence, as a page."""
    sdks = []
    for d in result.sdks:
        item = registry.get(d.sdk)
        sdks.append({
            "id": d.sdk, "name": item.display_name if item is not None else d.sdk,
            "family": d.family, "confidence": confidence_label(d.confidence, tr),
            "evidence": _detection_evidence(d, tr),
            "requires_disclosure": d.requires_disclosure,
        })
    code = tr.gettext("{classes} classes in {dex} DEX file(s)").format(
        classes=result.class_count, dex=result.dex_count)
    packer = (tr.gettext("{name} ({evidence}) — code evidence is incomplete; manifest and "
                         "native-library evidence still stand").format(
                  name=result.packer.name, evidence="; ".join(result.packer.evidence))
              if result.packer else None)
    return _page(
        "scan.html.j2", tr, title=f"sdkreg scan: {result.app.package or ''}", app=result.app,
        path=result.path, sha256=result.sha256, code_summary=code, packer=packer, sdks=sdks,
        unrecognised=result.unrecognised, registry_version=result.registry_version or "",
    )


def disclose_html(rows: Sequence[DisclosureRow], result: ScanResult, intro: Sequence[str],
                  tr: Translator = ENGLISH) -> str:
    """``sdkreg disclose --format html``: the SDK list as a page to copy from or print."""
    return _page(
        "disclose.html.j2", tr, title=f"第三方SDK清单: {result.app.package or ''}", app=result.app,
        intro=intro, list=sdk_list_view(rows, tr), registry_version=result.registry_version or "",
    )
