"""Audit report renderers: interchangeable pure functions over the same ``AuditReport``."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from sdkreg.report.model import AuditReport


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"


def render(report: AuditReport, fmt: ReportFormat, color: bool = False) -> str:
    from sdkreg.report import audit_json, markdown, sarif, text

    match fmt:
        case ReportFormat.text:
            return text.render(report, color=color)
        case ReportFormat.json:
            return audit_json.render(report)
        case ReportFormat.sarif:
            return sarif.render(report)
        case ReportFormat.markdown:
            return markdown.render(report)
        case _:
            assert_never(fmt)
