"""The pipelines the commands run, in one direction: read → evidence → match/resolve → audit →
triage. ``scan_apk`` (APK → detections), ``read_policy`` (policy → resolved disclosures) and
``run_audit`` (both → findings → triaged report) are the only places that compose the readers
(``sdkreg.apk``, ``sdkreg.policy``) with the matcher and the audit; the readers never import them.

Each pipeline imports its readers when it runs: ``scan`` must not pay for the policy reader's
imports, nor ``policy`` for androguard's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from sdkreg import __version__
from sdkreg import progress as steps
from sdkreg.findings import Severity
from sdkreg.registry import Registry
from sdkreg.report.model import AuditReport, InputIdentity, RegistryIdentity
from sdkreg.suppress import Triage, Waiver, triage

if TYPE_CHECKING:
    from sdkreg.apk.container import Limits
    from sdkreg.detection import ScanResult
    from sdkreg.policy.fetch import FetchLimits
    from sdkreg.policy.model import PolicyResult, PolicyText


def scan_apk(
    path: Path,
    registry: Registry,
    limits: Limits | None = None,
    progress: steps.Progress = steps.no_progress,
) -> ScanResult:
    """The registry's SDKs in the package at ``path``: evidence read, then matched."""
    from sdkreg.apk import inspect_apk
    from sdkreg.match import detect, signature_index

    evidence = inspect_apk(path, limits, progress)
    progress(steps.MATCHING, {"classes": len(evidence.class_names)})
    return detect(evidence, registry, signature_index(registry))


def read_policy(
    source: str | Path, registry: Registry, limits: FetchLimits | None = None, *, explain: bool = False
) -> PolicyResult:
    """The SDK disclosures of the policy the user named (a file or an http(s) URL), resolved to
    registry ids."""
    from sdkreg.policy.load import load_policy

    return load_policy(source, registry, limits, explain=explain)


def run_audit(
    apk_path: Path,
    policy_source: str | Path,
    registry: Registry,
    *,
    waivers: tuple[Waiver, ...] = (),
    baseline: frozenset[str] = frozenset(),
    fail_on: Severity | None = Severity.ERROR,
    today: dt.date | None = None,
    progress: steps.Progress = steps.no_progress,
) -> AuditReport:
    # Read the policy first: it is cheap, and a bad policy (or URL) should fail before a long scan.
    progress(steps.READING_POLICY, {"name": _short_name(policy_source)})
    from sdkreg.audit import audit

    policy = read_policy(policy_source, registry)
    scan = scan_apk(apk_path, registry, progress=progress)
    progress(steps.AUDITING, {})
    sorted_out = triage(audit(scan, policy, registry), waivers, baseline, today)
    return assemble_report(scan, policy, registry, sorted_out, fail_on)


# A disclosure written as a block of field lines (名称 / 使用目的 / 合作方主体 …) is quoted whole:
# from its line to the next blank line or the next disclosure, at most this many lines.
QUOTE_MAX_LINES = 8


def _short_name(policy_source: str | Path) -> str:
    """What the progress line calls the policy: a file's name, or the URL as given."""
    text = str(policy_source)
    return text if "://" in text else Path(text).name


def policy_quotes(source: PolicyText, lines: set[int]) -> tuple[tuple[int, str], ...]:
    """The policy's own text of each cited line and the field lines under it (as read: HTML rows
    flattened to ``a | b``)."""
    starts = sorted(line for line in lines if 0 < line <= len(source.lines))
    quotes = []
    for index, start in enumerate(starts):
        after_last = len(source.lines) + 1
        next_start = starts[index + 1] if index + 1 < len(starts) else after_last
        end = min(start + QUOTE_MAX_LINES, next_start, after_last)
        block: list[str] = []
        for text in source.lines[start - 1:end - 1]:
            if block and not text.strip():
                break
            block.append(text.strip())
        quotes.append((start, "\n".join(block)))
    return tuple(quotes)


def assemble_report(
    scan: ScanResult,
    policy: PolicyResult,
    registry: Registry,
    sorted_out: Triage,
    fail_on: Severity | None,
) -> AuditReport:
    from sdkreg.disclose import disclosure_rows

    undisclosed = {f.sdk for f in sorted_out.active if f.kind == "undisclosed"}
    return AuditReport(
        tool_version=__version__,
        app=scan.app,
        apk=InputIdentity(scan.path, scan.sha256),
        policy=InputIdentity(policy.source.path, policy.source.sha256),
        policy_encoding=policy.source.encoding,
        registry=RegistryIdentity(str(registry.root), registry.version, len(registry.entries)),
        detections=scan.sdks,
        disclosures=policy.disclosures,
        findings=sorted_out.active,
        suppressed=sorted_out.suppressed,
        expired_waivers=sorted_out.expired_waivers,
        unused_waivers=sorted_out.unused_waivers,
        packer=scan.packer,
        fail_on=fail_on,
        policy_has_sdk_section=policy.has_sdk_section,
        policy_linked_from=policy.linked_from,
        rows_to_add=disclosure_rows((d for d in scan.sdks if d.sdk in undisclosed), registry),
        policy_quotes=policy_quotes(policy.source, {d.line for d in policy.disclosures}),
        sdk_names=sdk_names(registry, [*(d.sdk for d in scan.sdks), *(d.sdk for d in policy.disclosures),
                                        *(d.family for d in scan.sdks)]),
    )


def sdk_names(registry: Registry, ids: Iterable[str | None]) -> tuple[tuple[str, str], ...]:
    names = []
    for sdk_id in dict.fromkeys(i for i in ids if i):
        item = registry.get(sdk_id)
        names.append((sdk_id, item.display_name if item is not None else sdk_id))
    return tuple(names)
