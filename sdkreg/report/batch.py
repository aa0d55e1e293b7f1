"""``sdkreg batch`` output: one JSON line per item (schema: sdkreg/schemas/batch-item.schema.json)
and the closing summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sdkreg.errors import ExitCode

if TYPE_CHECKING:
    from sdkreg.batch.engine import BatchSummary, ItemOutcome

BATCH_ITEM_SCHEMA_VERSION = "1"


def item_document(outcome: ItemOutcome) -> dict[str, Any]:
    record = outcome.record
    exit_code = {"pass": ExitCode.OK, "fail": ExitCode.FINDINGS}.get(outcome.verdict, record.exit_code)
    return {
        "schema_version": BATCH_ITEM_SCHEMA_VERSION,
        "apk": outcome.item.apk,
        "policy": outcome.item.policy,
        "where": outcome.item.where,
        "key": {
            "apk_sha256": record.key.apk_sha256,
            "policy_sha256": record.key.policy_sha256,
            "registry_version": record.key.registry_version,
        },
        "verdict": outcome.verdict,
        "exit_code": int(exit_code),
        "error": ({"class": record.error_class or "?", "message": record.message or ""}
                  if record.status == "error" else None),
        "reused": outcome.reused,
        "audit_id": record.audit_id,
        "recorded_at": record.created_at.isoformat(),
        "app": {"package": record.package or outcome.item.package,
                "version": record.version or outcome.item.version},
        "labels": list(outcome.item.labels or record.labels),
        "findings": {"error": record.errors, "warning": record.warnings, "info": record.infos},
        "sdks": list(record.sdks),
        "undisclosed": list(record.undisclosed),
    }


def summary_lines(summary: BatchSummary, elapsed: float, peak_memory: dict[str, int]) -> list[str]:
    verdicts = ", ".join(f"{n} {verdict}" for verdict, n in summary.verdicts)
    rate = f" ({summary.audited / elapsed:.1f} APKs/s)" if summary.audited and elapsed > 0 else ""
    lines = [
        f"batch: {summary.items} item(s) in {elapsed:.1f} s: {verdicts}; "
        f"{summary.audited} audited now{rate}, {summary.reused} recorded before"
    ]
    if summary.errors:
        lines.append("errors: " + ", ".join(f"{cls} (exit {code}) {n}" for cls, code, n in summary.errors))
    if peak_memory:
        sizes = ", ".join(f"{peak_memory[w] / 2**20:.0f}" for w in sorted(peak_memory))
        lines.append(f"peak memory per worker: {sizes} MiB")
    return lines
