"""``sdkreg stats`` output: text, and the JSON document (schema: sdkreg/schemas/stats.schema.json).

Both render ``sdkreg.store.stats.CorpusStats``; a chart renders the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from sdkreg.store.stats import CorpusStats

STATS_SCHEMA_VERSION = "1"


def stats_document(stats: CorpusStats) -> dict[str, Any]:
    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, dt.datetime):
            return value.isoformat()
        if isinstance(value, float):
            return round(value, 4)
        return value

    return {"schema_version": STATS_SCHEMA_VERSION, **plain(asdict(stats))}


def stats_text(stats: CorpusStats, top: int = 10) -> str:
    if stats.registry_version is None:
        return "no audits recorded (sdkreg batch, or sdkreg audit --record)"
    lines = [
        f"{stats.apps} app(s) audited under registry {stats.registry_version}: "
        f"{stats.passed} pass, {stats.failed} fail "
        f"({len(stats.registry_versions)} registry version(s) recorded)",
    ]
    if stats.item_errors:
        errors = ", ".join(f"{e.error_class} (exit {e.exit_code}) {e.items}" for e in stats.item_errors)
        lines.append(f"batch items that could not be audited: {errors}")
    lines += ["", "SDK prevalence and undisclosed rate"]
    if stats.sdks:
        width = max(24, *(len(s.sdk) for s in stats.sdks[:top]))
        lines.append(f"{'SDK':<{width}}  {'APPS':>5}  {'SHARE':>6}  {'UNDISCLOSED':>11}  {'RATE':>6}")
        for s in stats.sdks[:top]:
            lines.append(f"{s.sdk:<{width}}  {s.apps:>5}  {s.share:>6.1%}  {s.undisclosed:>11}  "
                         f"{s.undisclosed_rate:>6.1%}")
        if len(stats.sdks) > top:
            lines.append(f"… {len(stats.sdks) - top} more (--top N, or --format json for all)")
    else:
        lines.append("no SDKs detected")
    lines += ["", "apps with the most findings"]
    if stats.top_apps:
        lines.append(f"{'PACKAGE':<40}  {'VERSION':<12}  {'AUDIT':>6}  {'E/W/I':<10}  UNDISCLOSED")
        for a in stats.top_apps:
            package = a.package or f"(sha256 {a.apk_sha256[:12]})"
            lines.append(f"{package:<40}  {a.version_name or '-':<12}  {'#' + str(a.audit_id):>6}  "
                         f"{f'{a.errors}/{a.warnings}/{a.infos}':<10}  {a.undisclosed}")
    change = stats.changes
    if change is not None:
        lines += ["", f"changes from registry {change.before} to {change.after} "
                      f"({change.compared} APK + policy pair(s) audited under both)"]
        lines.append(f"verdicts: {change.newly_failing} newly failing, {change.newly_passing} newly passing")
        if change.sdks:
            width = max(24, *(len(c.sdk) for c in change.sdks[:top]))
            lines.append(f"{'SDK':<{width}}  {'+DETECTED':>9}  {'-DETECTED':>9}  "
                         f"{'+UNDISCLOSED':>12}  {'-UNDISCLOSED':>12}")
            for c in change.sdks[:top]:
                lines.append(f"{c.sdk:<{width}}  {c.detected_gained:>9}  {c.detected_lost:>9}  "
                             f"{c.undisclosed_gained:>12}  {c.undisclosed_lost:>12}")
        else:
            lines.append("no SDK detections or undisclosed findings changed")
    return "\n".join(lines)
