"""Audit report renderers: interchangeable pure functions over the same ``AuditReport``."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from sdkreg.i18n import ENGLISH, Translator
from sdkreg.report.model import AuditReport


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"
    html = "html"


def render(report: AuditReport, fmt: ReportFormat, color: bool = False, tr: Translator = ENGLISH) -> str:
    """The report in ``fmt``. Human formats speak ``tr``'s language; JSON and SARIF are contracts
    and stay English (JSON carries each finding's ``message_id`` and ``params`` for translation)."""
    from sdkreg.report import audit_json, html, markdown, sarif, text

    match fmt:
        case ReportFormat.text:
            return text.render(report, color=color, tr=tr)
        case ReportFormat.json:
            return audit_json.render(report)
        case ReportFormat.sarif:
            return sarif.render(report)
        case ReportFormat.markdown:
            return markdown.render(report, tr)
        case ReportFormat.html:
            return html.audit_html(report, tr)
        case _:
            assert_never(fmt)
