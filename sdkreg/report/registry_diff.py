"""`sdkreg registry diff` reports: text for a reviewer, JSON for tools; pure functions of the diff."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from sdkreg.curation.diff import APK_SUFFIXES, Collision, EntryChange, FieldChange, RegistryDiff

DIFF_SCHEMA_VERSION = "1"
_MARK = {"added": "+", "removed": "-", "changed": "~"}
_SHOWN_ITEMS = 6
_SHOWN_CHARS = 90


def _clip(value: str) -> str:
    return value if len(value) <= _SHOWN_CHARS else value[: _SHOWN_CHARS - 1] + "…"


def _items(values: tuple[str, ...], sign: str) -> str:
    shown = [f"{sign}{_clip(v)}" for v in values[:_SHOWN_ITEMS]]
    if len(values) > _SHOWN_ITEMS:
        shown.append(f"{sign}… {len(values) - _SHOWN_ITEMS} more")
    return ", ".join(shown)


def _field(change: FieldChange) -> str:
    parts = [p for p in (_items(change.removed, "-"), _items(change.added, "+")) if p]
    return f"{change.field}: {' '.join(parts)}"


def _entry(change: EntryChange) -> list[str]:
    kind = " (family)" if change.level == "family" else ""
    head = f"  {_MARK[change.change]} {change.id}{kind}"
    if change.change == "added":
        return [f"{head}: new"]
    if change.change == "removed":
        return [f"{head}: removed"]
    return [head] + [f"      {_field(f)}" for f in change.fields]


def _collision(collision: Collision) -> str:
    owners = ", ".join(collision.owners)
    if collision.kind == "alias":
        return f"  name '{collision.value}' now names {owners}"
    if collision.kind == "signature":
        state = "declared shared_with" if collision.declared else "NOT declared shared"
        return f"  signature {collision.value} now claimed by {owners} ({state})"
    if collision.kind == "nested-prefix":
        return f"  package prefix {collision.value} ({owners}): the inner prefix takes those classes"
    return f"  {collision.value}"


def _name(path: str) -> str:
    return Path(path).name


def diff_text(diff: RegistryDiff) -> str:
    lines = [
        f"base {diff.base.root} ({diff.base.version}, {diff.base.entries} entries)",
        f"head {diff.head.root} ({diff.head.version}, {diff.head.entries} entries)",
        "",
    ]
    counts = {c: sum(1 for e in diff.entries if e.change == c) for c in ("added", "changed", "removed")}
    lines.append(f"Entries and families: {counts['added']} added, {counts['changed']} changed, "
                 f"{counts['removed']} removed")
    for change in diff.entries:
        lines += _entry(change)
    lines += ["", f"Collisions the change introduces: {len(diff.collisions)}"]
    lines += [_collision(c) for c in diff.collisions]
    skipped_apks = sum(1 for s in diff.skipped if s.path.lower().endswith(APK_SUFFIXES))
    lines += ["", f"Detections across {diff.apks} APK(s): {len(diff.detections)} change(s)"
              + (f" ({skipped_apks} APK(s) skipped)" if skipped_apks else "")]
    for d in diff.detections:
        if d.change == "added":
            what = f"+ {d.sdk} ({d.after})"
        elif d.change == "removed":
            what = f"- {d.sdk} (was {d.before})"
        else:
            what = f"~ {d.sdk} {d.before} -> {d.after}" if d.before != d.after else f"~ {d.sdk}"
        evidence = " ".join(p for p in (_items(d.evidence_removed, "-"), _items(d.evidence_added, "+")) if p)
        lines.append(f"  {_name(d.apk)}: {what}" + (f"  [{evidence}]" if evidence else ""))
    lines += ["", f"Policy resolutions across {diff.policies} policy file(s): "
              f"{len(diff.resolutions)} change(s)"]
    for r in diff.resolutions:
        lines.append(f"  {_name(r.policy)}:{r.line} '{r.as_written}': "
                     f"{r.before or 'not extracted'} -> {r.after or 'not extracted'}")
    if diff.skipped:
        lines += ["", f"Inputs skipped ({len(diff.skipped)}):"]
        lines += [f"  {_name(s.path)}: {s.reason}" for s in diff.skipped]
    if not diff.head_valid:
        lines += ["", f"The head registry has {diff.head.problems} lint problem(s): "
                  f"run `sdkreg registry validate {diff.head.root}`"]
    return "\n".join(lines) + "\n"


def diff_document(diff: RegistryDiff) -> dict[str, Any]:
    return {
        "schema_version": DIFF_SCHEMA_VERSION,
        "base": asdict(diff.base),
        "head": asdict(diff.head),
        "entries": [
            {"id": e.id, "level": e.level, "change": e.change,
             "fields": [asdict(f) for f in e.fields]}
            for e in diff.entries
        ],
        "collisions": [asdict(c) for c in diff.collisions],
        "corpus": {"apks": diff.apks, "policies": diff.policies,
                   "skipped": [asdict(s) for s in diff.skipped]},
        "detections": [asdict(d) for d in diff.detections],
        "resolutions": [asdict(r) for r in diff.resolutions],
    }
