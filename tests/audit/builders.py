"""Small factories for audit inputs, so each test states only what it is about (APKiD-style)."""

from __future__ import annotations

from sdkreg.apk.model import AppInfo, Packer
from sdkreg.audit import audit
from sdkreg.detection import Detection, EvidenceItem, ScanResult, UnrecognisedTree
from sdkreg.findings import Severity
from sdkreg.pipeline import assemble_report
from sdkreg.policy.model import Disclosure, DisclosureFields, NameMatch, PolicyResult, PolicyText
from sdkreg.registry import Registry
from sdkreg.report.model import AuditReport
from sdkreg.suppress import triage

FULL_FIELDS = dict(company="某公司", purpose="推送消息", url="https://example.com/privacy")


def detected(registry: Registry, sdk: str, *, shared_with: tuple[str, ...] = ()) -> Detection:
    entry = registry.entries[sdk]
    value = entry.detect.packages[0].value if entry.detect.packages else sdk
    item = EvidenceItem("code", f"12 classes under {value}", value, 12, shared_with=shared_with)
    return Detection(sdk, entry.family, "low" if shared_with else "high", (item,),
                     entry.requires_disclosure)


def scan(*detections: Detection, packer: Packer | None = None,
         unrecognised: tuple[UnrecognisedTree, ...] = ()) -> ScanResult:
    return ScanResult("app.apk", "0" * 64, AppInfo("com.example.app", "1.0", "1"),
                      tuple(detections), packer, unrecognised, 100, 1)


def disclosure(sdk: str | None, line: int = 10, *, level: str = "product",
               data_types: tuple[str, ...] | None = None, as_written: str | None = None,
               **fields: str | None) -> Disclosure:
    values: dict[str, str | None] = {**FULL_FIELDS, **fields}
    types = data_types if data_types is not None else ()
    return Disclosure(
        as_written or (sdk or "某SDK"), line, sdk, level if sdk else None,  # type: ignore[arg-type]
        NameMatch("exact" if sdk else "none", 100.0 if sdk else 0.0),
        DisclosureFields(company=values["company"], purpose=values["purpose"],
                         data_text="、".join(types) if types else None, data_types=types,
                         method=None, url=values["url"]),
    )


def policy(*disclosures: Disclosure) -> PolicyResult:
    text = PolicyText("policy.txt", "1" * 64, "utf-8", "text", ("",) * 200)
    return PolicyResult(text, tuple(disclosures), True)


def report(registry: Registry, scan_result: ScanResult, policy_result: PolicyResult,
           fail_on: Severity | None = Severity.ERROR) -> AuditReport:
    """An AuditReport exactly as the pipeline assembles it, from ready-made evidence."""
    sorted_out = triage(audit(scan_result, policy_result, registry))
    return assemble_report(scan_result, policy_result, registry, sorted_out, fail_on)
