"""Golden files: the whole text (English and Chinese), Markdown and SARIF audit reports of two
fixed audits, compared byte for byte with tests/golden/*, so a wording or layout change is seen
and reviewed in the diff, never accidental. After an intended change regenerate them with
``pytest tests/golden --update-golden`` (or SDKREG_UPDATE_GOLDEN=1) and review the diff.

The audits are built from our own small registry (tests/registry/test_lint.py's entries) and
ready-made evidence, so registry growth and policy-reader changes do not move them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sdkreg.apk.model import Packer
from sdkreg.audit import audit
from sdkreg.detection import UnrecognisedTree
from sdkreg.findings import Severity
from sdkreg.i18n import translator
from sdkreg.pipeline import assemble_report
from sdkreg.registry import Registry, load_registry
from sdkreg.report import ReportFormat, render
from sdkreg.report.model import AuditReport
from sdkreg.suppress import Waiver, triage
from tests.audit.builders import detected, disclosure, policy, scan
from tests.registry.test_lint import write_mini_registry

GOLDEN = Path(__file__).resolve().parent
TODAY = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def small_registry(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    return load_registry(write_mini_registry(tmp_path_factory.mktemp("golden") / "registry"), use_cache=False)


def findings_audit(registry: Registry) -> AuditReport:
    """Undisclosed, product line only, personal data under-disclosed, an unregistered name,
    unrecognised code and a waived finding."""
    found = scan(detected(registry, "acme-push"), detected(registry, "beta-map"),
                 unrecognised=(UnrecognisedTree("com.example.vendorlib", 42),
                               UnrecognisedTree("io.other.toolkit", 7)))
    disclosed = policy(
        disclosure("acme", 12, level="family", data_types=("android-id",), as_written="阿克米SDK"),
        disclosure(None, 20, as_written="某某统计SDK"),
    )
    waivers = (Waiver("vendored by the UI team, reviewed", kind="unrecognised_code",
                      sdk="io.other.toolkit", source="sdkreg.toml, ignore #1"),)
    sorted_out = triage(audit(found, disclosed, registry), waivers, frozenset(), TODAY)
    return assemble_report(found, disclosed, registry, sorted_out, Severity.ERROR)


def packed_audit(registry: Registry) -> AuditReport:
    """A packed app: over-disclosure is only info, the packer is a warning, a disclosure lacks
    its link."""
    found = scan(packer=Packer("jiagu-360", "360加固 (Jiagu)", ("native library libjiagu.so",)))
    disclosed = policy(disclosure("beta-map", 8, url=None, as_written="贝塔地图SDK"))
    sorted_out = triage(audit(found, disclosed, registry), (), frozenset(), TODAY)
    return assemble_report(found, disclosed, registry, sorted_out, Severity.WARNING)


CASES = {"findings": findings_audit, "packed": packed_audit}
OUTPUTS = {
    "txt": (ReportFormat.text, "en"),
    "zh-CN.txt": (ReportFormat.text, "zh-CN"),
    "md": (ReportFormat.markdown, "en"),
    "sarif.json": (ReportFormat.sarif, "en"),
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("suffix", list(OUTPUTS))
def test_report_matches_its_golden_file(
    case: str, suffix: str, small_registry: Registry, update_golden: bool
) -> None:
    fmt, lang = OUTPUTS[suffix]
    report = CASES[case](small_registry)
    text = render(report, fmt, color=False, tr=translator(lang))  # type: ignore[arg-type]
    # The registry's folder and content hash differ per checkout and per schema edit.
    text = text.replace(str(small_registry.root), "<registry>").replace(small_registry.version, "<version>")
    path = GOLDEN / f"audit-{case}.{suffix}"
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path.name} is missing: run pytest tests/golden --update-golden"
    assert text == path.read_text(encoding="utf-8"), (
        f"{path.name} changed: review the difference, then run pytest tests/golden --update-golden"
    )
