"""What a registry change does: two registry versions × a corpus of APKs and policies → a diff.

For a reviewer of a registry pull request, the YAML diff says little. This module says what the
change does:

- **entries and families** added, removed or changed, field by field (a signature list, an alias
  list, the data list …);
- **collisions** the change introduces: a name now claimed by two ids (R005), a signature value now
  claimed by two owners (R006, declared ``shared_with`` or not), a package prefix nested inside
  another id's prefix (the inner one now takes those classes), and any other lint problem the head
  registry has that the base did not;
- **detections** that change across the given APKs (each APK is read once; its evidence is matched
  against both registries) and **policy resolutions** that change across the given policies (each
  policy is read once; its disclosures are extracted and resolved against both registries).

Inputs that cannot be read (a corrupt APK, an empty policy) are listed as skipped, never fatal: a
fixture corpus holds broken inputs on purpose. Pure apart from reading the named files.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from sdkreg.errors import SdkregError
from sdkreg.registry.lint import LintResult, Problem, lint_registry
from sdkreg.registry.load import require_dir
from sdkreg.registry.model import Detect, Family, SdkEntry, Signature
from sdkreg.registry.names import normalize_name
from sdkreg.registry.registry import Registry

if TYPE_CHECKING:
    from sdkreg.detection import Detection
    from sdkreg.policy.model import Disclosure

Change = Literal["added", "removed", "changed"]
_Item = TypeVar("_Item", SdkEntry, Family)
APK_SUFFIXES = (".apk", ".apks", ".xapk")
POLICY_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass(frozen=True)
class FieldChange:
    field: str  # "aliases", "detect.packages", "vendor.name_zh" …
    removed: tuple[str, ...]
    added: tuple[str, ...]


@dataclass(frozen=True)
class EntryChange:
    id: str
    level: Literal["product", "family"]
    change: Change
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Collision:
    kind: Literal["alias", "signature", "nested-prefix", "lint"]
    value: str  # the normalised name, "kind value" of a signature, the prefixes, a lint message
    owners: tuple[str, ...]
    declared: bool = False  # every owner declares the shared signature (shared_with)


@dataclass(frozen=True)
class DetectionChange:
    apk: str
    sdk: str
    change: Change
    before: str | None  # "high", "medium (family level)" …
    after: str | None
    evidence_added: tuple[str, ...] = ()
    evidence_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResolutionChange:
    policy: str
    line: int
    as_written: str
    before: str | None  # "umeng-analytics", "amap (family)", "unresolved", None = not extracted
    after: str | None


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass(frozen=True)
class Side:
    root: str
    version: str
    entries: int
    problems: int  # lint errors (a valid registry has none)


@dataclass(frozen=True)
class RegistryDiff:
    base: Side
    head: Side
    entries: tuple[EntryChange, ...]
    collisions: tuple[Collision, ...]
    detections: tuple[DetectionChange, ...]
    resolutions: tuple[ResolutionChange, ...]
    apks: int  # APKs compared
    policies: int  # policies compared
    skipped: tuple[Skipped, ...] = ()

    @property
    def head_valid(self) -> bool:
        return self.head.problems == 0


def load_side(root: Path) -> tuple[Registry, LintResult]:
    """A registry for comparison: built even when lint finds problems (they are part of the
    diff), from every entry that parsed."""
    from sdkreg.registry import registry_from_lint

    root = require_dir(root.resolve())
    result = lint_registry(root)
    return registry_from_lint(root, result), result


def diff_registries(
    base_root: Path,
    head_root: Path,
    apks: Iterable[Path] = (),
    policies: Iterable[Path] = (),
) -> RegistryDiff:
    base, base_lint = load_side(base_root)
    head, head_lint = load_side(head_root)
    detections, apk_count, skipped = _detection_changes(base, head, apks)
    resolutions, policy_count, skipped_policies = _resolution_changes(base, head, policies)
    return RegistryDiff(
        base=_side(base, base_lint),
        head=_side(head, head_lint),
        entries=tuple(_entry_changes(base, head)),
        collisions=tuple(_collisions(base, head, base_lint, head_lint)),
        detections=tuple(detections),
        resolutions=tuple(resolutions),
        apks=apk_count,
        policies=policy_count,
        skipped=tuple(skipped + skipped_policies),
    )


def corpus_files(directory: Path | None, suffixes: tuple[str, ...]) -> list[Path]:
    """Files under ``directory`` (recursively) with one of ``suffixes``, sorted."""
    if directory is None:
        return []
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def _side(registry: Registry, lint: LintResult) -> Side:
    return Side(str(registry.root), registry.version, len(registry.entries), len(lint.problems))


# --- entries and families ---------------------------------------------------------------------


def _signature_text(signature: Signature) -> str:
    text = signature.value
    if signature.via:
        text += f" (via {signature.via})"
    if signature.shared_with:
        text += f" (shared with {', '.join(signature.shared_with)})"
    return text


def _detect_fields(detect: Detect) -> dict[str, tuple[str, ...]]:
    return {f"detect.{key}": tuple(_signature_text(s) for s in values) for key, values in detect.by_key()}


def _opt(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


def entry_fields(entry: SdkEntry) -> dict[str, tuple[str, ...]]:
    """Every reviewable field of an entry as a tuple of strings (scalars as one-item tuples)."""
    examples = entry.examples
    return {
        "name": (entry.name,),
        "name_zh": _opt(entry.name_zh),
        "family": _opt(entry.family),
        "category": (entry.category,),
        "vendor.name_zh": (entry.vendor.name_zh,),
        "vendor.name_en": (entry.vendor.name_en,),
        "aliases": entry.aliases,
        "requires_disclosure": (str(entry.requires_disclosure).lower(),),
        "bundles": entry.bundles,
        **_detect_fields(entry.detect),
        "collects": entry.collects,
        "collects_optional": entry.collects_optional,
        "collects_source": _opt(entry.collects_source),
        "collects_unpublished": _opt(entry.collects_unpublished),
        "permissions": entry.permissions,
        "links.website": _opt(entry.links.website),
        "links.privacy_policy": _opt(entry.links.privacy_policy),
        "links.docs": _opt(entry.links.docs),
        "sources": entry.sources,
        "examples.classes": examples.classes,
        "examples.not_classes": examples.not_classes,
        "examples.components": examples.components,
        "examples.native_libs": examples.native_libs,
        "examples.meta_data": examples.meta_data,
        "examples.policy": examples.policy,
        "notes": _opt(entry.notes),
    }


def family_fields(family: Family) -> dict[str, tuple[str, ...]]:
    return {
        "name": (family.name,),
        "name_zh": _opt(family.name_zh),
        "vendor.name_zh": (family.vendor.name_zh,),
        "vendor.name_en": (family.vendor.name_en,),
        "aliases": family.aliases,
        "members": family.members,
        **_detect_fields(family.detect),
        "links.website": _opt(family.links.website),
        "links.privacy_policy": _opt(family.links.privacy_policy),
        "links.docs": _opt(family.links.docs),
        "sources": family.sources,
        "notes": _opt(family.notes),
    }


def _field_changes(
    before: Mapping[str, tuple[str, ...]], after: Mapping[str, tuple[str, ...]]
) -> tuple[FieldChange, ...]:
    changes = []
    for key in after:
        old, new = before.get(key, ()), after[key]
        if old != new:
            removed = tuple(v for v in old if v not in new)
            added = tuple(v for v in new if v not in old)
            if not removed and not added:  # same items, new order
                removed, added = old, new
            changes.append(FieldChange(key, removed, added))
    return tuple(changes)


def _entry_changes(base: Registry, head: Registry) -> Iterator[EntryChange]:
    yield from _level_changes("product", base.entries, head.entries, entry_fields)
    yield from _level_changes("family", base.families, head.families, family_fields)


def _level_changes(
    level: Literal["product", "family"],
    before: Mapping[str, _Item],
    after: Mapping[str, _Item],
    fields_of: Callable[[_Item], dict[str, tuple[str, ...]]],
) -> Iterator[EntryChange]:
    for item_id in sorted(set(before) | set(after)):
        old, new = before.get(item_id), after.get(item_id)
        if old is None:
            assert new is not None
            yield EntryChange(item_id, level, "added", _field_changes({}, fields_of(new)))
        elif new is None:
            yield EntryChange(item_id, level, "removed")
        else:
            fields = _field_changes(fields_of(old), fields_of(new))
            if fields:
                yield EntryChange(item_id, level, "changed", fields)


# --- collisions ---------------------------------------------------------------------------------


def _name_owners(registry: Registry) -> dict[str, frozenset[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in registry.entries.values():
        for name in entry.all_names:
            owners[normalize_name(name)].add(entry.id)
    for family in registry.families.values():
        for name in family.all_names:
            owners[normalize_name(name)].add(family.id)
    return {key: frozenset(ids) for key, ids in owners.items() if key}


def _signature_owners(registry: Registry) -> dict[tuple[str, str], dict[str, Signature]]:
    owners: dict[tuple[str, str], dict[str, Signature]] = defaultdict(dict)
    holders: list[tuple[str, Detect]] = [(e.id, e.detect) for e in registry.entries.values()]
    holders += [(f.id, f.detect) for f in registry.families.values()]
    for owner, detect in holders:
        for key, signatures in detect.by_key():
            for signature in signatures:
                owners[(key, signature.value)][owner] = signature
    return owners


def _nested_prefixes(registry: Registry) -> set[tuple[str, str, frozenset[str], frozenset[str]]]:
    """(outer, inner, outer owners, inner owners) for package prefixes of different owners where
    one lies inside the other."""
    owners = {
        value: frozenset(ids) for (key, value), ids in _signature_owners(registry).items()
        if key == "packages"
    }
    nested = set()
    for inner, inner_owners in owners.items():
        parts = inner.split(".")
        for i in range(1, len(parts)):
            outer = ".".join(parts[:i])
            outer_owners = owners.get(outer)
            if outer_owners is not None and outer_owners != inner_owners:
                nested.add((outer, inner, outer_owners, inner_owners))
    return nested


def _collisions(
    base: Registry, head: Registry, base_lint: LintResult, head_lint: LintResult
) -> Iterator[Collision]:
    base_names = _name_owners(base)
    for key, owners in sorted(_name_owners(head).items()):
        if len(owners) > 1 and base_names.get(key) != owners:
            yield Collision("alias", key, tuple(sorted(owners)))
    base_signatures = {k: frozenset(v) for k, v in _signature_owners(base).items()}
    for (key, value), claims in sorted(_signature_owners(head).items()):
        if len(claims) < 2 or base_signatures.get((key, value)) == frozenset(claims):
            continue
        declared = all(
            set(claims) - {owner} <= set(signature.shared_with) for owner, signature in claims.items()
        )
        yield Collision("signature", f"{key} {value}", tuple(sorted(claims)), declared)
    for outer, inner, outer_owners, inner_owners in sorted(_nested_prefixes(head) - _nested_prefixes(base)):
        yield Collision("nested-prefix", f"{inner} inside {outer}",
                        tuple(sorted(inner_owners | outer_owners)))
    seen = {_problem_key(p) for p in base_lint.problems}
    for problem in head_lint.problems:
        if _problem_key(problem) not in seen and problem.code not in ("R005", "R006"):
            yield Collision("lint", problem.render(head.root), (problem.path.stem,))


def _problem_key(problem: Problem) -> tuple[str, str, str]:
    return problem.code, problem.path.name, problem.message  # not the line: edits move lines


# --- the corpus ---------------------------------------------------------------------------------


def _describe(detection: Detection) -> str:
    level = " (family level)" if detection.level == "family" else ""
    return f"{detection.confidence}{level}"


def _evidence_keys(detection: Detection) -> set[str]:
    return {f"{e.kind} {e.value}" for e in detection.evidence}


def _detection_changes(
    base: Registry, head: Registry, apks: Iterable[Path]
) -> tuple[list[DetectionChange], int, list[Skipped]]:
    from sdkreg.apk import inspect_apk
    from sdkreg.match import detect, signature_index

    base_index, head_index = signature_index(base), signature_index(head)
    changes: list[DetectionChange] = []
    skipped: list[Skipped] = []
    count = 0
    for path in apks:
        try:
            evidence = inspect_apk(path)
        except SdkregError as exc:
            skipped.append(Skipped(str(path), str(exc)))
            continue
        count += 1
        before = {d.sdk: d for d in detect(evidence, base, base_index).sdks}
        after = {d.sdk: d for d in detect(evidence, head, head_index).sdks}
        for sdk in sorted(set(before) | set(after)):
            old, new = before.get(sdk), after.get(sdk)
            if old is None and new is not None:
                changes.append(DetectionChange(str(path), sdk, "added", None, _describe(new),
                                               tuple(sorted(_evidence_keys(new)))))
            elif new is None and old is not None:
                changes.append(DetectionChange(str(path), sdk, "removed", _describe(old), None,
                                               evidence_removed=tuple(sorted(_evidence_keys(old)))))
            elif old is not None and new is not None:
                gained = _evidence_keys(new) - _evidence_keys(old)
                lost = _evidence_keys(old) - _evidence_keys(new)
                if gained or lost or _describe(old) != _describe(new):
                    changes.append(DetectionChange(str(path), sdk, "changed", _describe(old),
                                                   _describe(new), tuple(sorted(gained)),
                                                   tuple(sorted(lost))))
    return changes, count, skipped


def _resolution_changes(
    base: Registry, head: Registry, policies: Iterable[Path]
) -> tuple[list[ResolutionChange], int, list[Skipped]]:
    # The policy reader's public API: read once, resolve against each registry.
    from sdkreg.policy import extract_disclosures, read_policy

    changes: list[ResolutionChange] = []
    skipped: list[Skipped] = []
    count = 0
    for path in policies:
        try:
            text = read_policy(path)
            before = _resolved(extract_disclosures(text, base).disclosures)
            after = _resolved(extract_disclosures(text, head).disclosures)
        except SdkregError as exc:
            skipped.append(Skipped(str(path), str(exc)))
            continue
        count += 1
        for key in sorted(set(before) | set(after)):
            old, new = before.get(key), after.get(key)
            if old != new:
                changes.append(ResolutionChange(str(path), key[0], key[1], old, new))
    return changes, count, skipped


def _resolved(disclosures: Iterable[Disclosure]) -> dict[tuple[int, str], str]:
    result = {}
    for d in disclosures:
        target = "unresolved" if d.sdk is None else (f"{d.sdk} (family)" if d.level == "family" else d.sdk)
        result[(d.line, d.as_written)] = target
    return result
