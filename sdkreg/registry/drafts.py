"""Draft registry entries for reference products the registry lacks, for a human to complete;
``import_checkout`` is the importer's one call (checkout → index → coverage → drafts).

A draft carries what the reference knows — the product's label, a category guess, its detection
signals (component classes, native libraries, DEX packages, package prefixes derived from the
component classes) and the rule files as ``sources`` — and a ``TODO`` marker on every fact a
maintainer must supply or confirm: the id, the English/Chinese name, the vendor's legal name, the
aliases policies use, the personal-data list with its vendor page, the policy examples.
``sdkreg registry validate`` rejects any entry that still contains ``TODO`` (lint R015), so a
draft cannot ship by accident.

For products the registry already carries (by signals or only by name), no draft is written; the
importer lists their unclaimed signals instead (``carried_gaps``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sdkreg.errors import UsageError
from sdkreg.registry.coverage import CoverageReport, ProductCoverage, measure, read_exclusions
from sdkreg.registry.libchecker import MAP_FILE, build_index, load_map, read_checkout, snapshot_of
from sdkreg.registry.reference import EXCLUSIONS_FILE, ReferenceIndex, ReferenceProduct, ReferenceRule
from sdkreg.registry.registry import Registry

TODO = "TODO"
_COMPONENT_KEYS = {
    "activity": "activities", "service": "services", "receiver": "receivers", "provider": "providers",
}
_NOISE_WORDS = {"sdk", "kit", "the", "and", "of"}
_REGEX_GROUP = re.compile(r"\(\.\*\)")
_PLAIN = re.compile(r"^[A-Za-z0-9_$.\-]+$")
_EXAMPLES_PER_KIND = 3


@dataclass(frozen=True)
class Draft:
    id: str
    product: ReferenceProduct
    text: str


def drafts_for(coverage: CoverageReport, taken_ids: Iterable[str], snapshot: str) -> tuple[Draft, ...]:
    """A draft for every missing product the registry does not even name."""
    taken = set(taken_ids)
    drafts = []
    for item in coverage.products:
        if item.status != "missing" or item.named_by:
            continue
        draft_id = _unique(suggest_id(item.product), taken)
        taken.add(draft_id)
        drafts.append(Draft(draft_id, item.product, render_draft(draft_id, item.product, snapshot)))
    return tuple(drafts)


def carried_gaps(coverage: CoverageReport) -> tuple[ProductCoverage, ...]:
    """Products the registry carries (claims or names) with signals nobody claims or explained."""
    return tuple(
        item for item in coverage.products
        if (item.status == "covered" or item.named_by) and item.unclaimed
    )


def write_drafts(drafts: Iterable[Draft], out_dir: Path) -> list[Path]:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        paths = []
        for draft in drafts:
            path = out_dir / f"{draft.id}.yaml"
            path.write_text(draft.text, encoding="utf-8")
            paths.append(path)
    except OSError as exc:
        raise UsageError(f"cannot write drafts to {out_dir}: {exc.strerror or exc}") from exc
    return paths


# --- ids ------------------------------------------------------------------------------------------


def suggest_id(product: ReferenceProduct) -> str:
    """vendor-product in kebab-case: ASCII words of the label, else the SDK's package or library
    name, else the category."""
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", product.label)
             if w.casefold() not in _NOISE_WORDS]
    if not words or _has_cjk(product.label):
        # A Chinese label says nothing an id can carry: name it after its code.
        packages = package_prefixes(product)
        libs = product.names("native")
        if packages:
            words.append(_distinctive_segment(packages[0]))
        elif libs:
            words.append(re.sub(r"^lib|\.so$", "", libs[0]).lower())
        elif not words:
            words.append(product.category)
    slug = "-".join(dict.fromkeys(words))
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-") or product.category
    vendor = product.vendor
    return slug if slug == vendor or slug.startswith(f"{vendor}-") else f"{vendor}-{slug}"


_GENERIC_SEGMENTS = {
    "com", "cn", "org", "net", "io", "android", "sdk", "app", "api", "ui", "view", "core", "lib",
    "base", "common", "impl", "service", "services", "activity", "mobile", "open", "opensdk",
}


def _distinctive_segment(package: str) -> str:
    """The last segment of a package that says something (``com.bestpay.app`` -> ``bestpay``)."""
    parts = [p for p in package.lower().split(".") if p not in _GENERIC_SEGMENTS]
    segment = parts[-1] if parts else package.rsplit(".", 1)[-1].lower()
    return re.sub(r"[_-]?sdk$", "", segment) or segment


def _unique(candidate: str, taken: set[str]) -> str:
    if candidate not in taken:
        return candidate
    n = 2
    while f"{candidate}-{n}" in taken:
        n += 1
    return f"{candidate}-{n}"


# --- signals ---------------------------------------------------------------------------------------


def package_prefixes(product: ReferenceProduct) -> tuple[str, ...]:
    """DEX package rules, and for component classes the longest common package of the classes
    that share their first three segments (``com.sobot.chat.activity.X`` and
    ``com.sobot.chat.conversation.Y`` give ``com.sobot.chat``)."""
    packages: set[str] = set(product.names("dex"))
    groups: dict[str, list[list[str]]] = {}
    for name in product.names("activity", "service", "receiver", "provider"):
        parts = name.split(".")[:-1]
        # A class right under a two-part root (com.huawei.MessageService) names no SDK package.
        if len(parts) >= 3:
            groups.setdefault(".".join(parts[:3]), []).append(parts)
    for members in groups.values():
        common = members[0]
        for parts in members[1:]:
            n = 0
            while n < min(len(common), len(parts)) and common[n] == parts[n]:
                n += 1
            common = common[:n]
        if len(common) >= 2:
            packages.add(".".join(common))
    for rule in product.rules:
        if rule.regex and rule.kind != "native":
            packages.update(p for p in (_regex_package(n) for n in rule.names) if p)
    # Keep the outermost prefixes only: an inner one adds nothing a matcher would use.
    return tuple(sorted(p for p in packages if not any(p.startswith(o + ".") for o in packages)))


def _regex_package(pattern: str) -> str | None:
    """``com.bytedance.sdk.openadsdk.(.*)`` -> ``com.bytedance.sdk.openadsdk``."""
    head = pattern.split("(.*)", 1)[0].replace("\\", "").rstrip(".")
    parts = head.split(".")
    return head if len(parts) >= 2 and all(p.isidentifier() for p in parts) else None


def _regex_glob(pattern: str) -> str | None:
    """``libjcore(.*)\\.so`` -> ``libjcore*.so``; None when the regex is not that simple."""
    glob = _REGEX_GROUP.sub("*", pattern).replace("\\.", ".")
    return glob if _PLAIN.match(glob.replace("*", "")) and "\\" not in glob else None


def _native_libs(product: ReferenceProduct) -> tuple[list[str], list[str]]:
    """(file names and globs, regex patterns that could not become globs)."""
    libs = list(product.names("native"))
    leftovers = []
    for rule in product.rules:
        if rule.kind == "native" and rule.regex:
            for pattern in rule.names:
                glob = _regex_glob(pattern)
                if glob:
                    libs.append(glob)
                else:
                    leftovers.append(pattern)
    return sorted(dict.fromkeys(libs)), leftovers


# --- rendering ------------------------------------------------------------------------------------


def _q(value: str) -> str:
    """A YAML scalar: JSON strings are valid YAML double-quoted scalars."""
    return json.dumps(value, ensure_ascii=False)


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def render_draft(draft_id: str, product: ReferenceProduct, snapshot: str) -> str:
    teams = ", ".join(product.teams) or "unknown"
    lines = [
        "# yaml-language-server: $schema=../schema/sdk.schema.json",
        f"# {TODO}: DRAFT written by `sdkreg registry import-libchecker` from LibChecker-Rules {snapshot}",
        f"# for the product {_q(product.label)} (LibChecker team: {teams}; {len(product.rules)} rules).",
        "# `sdkreg registry validate` rejects this file (R015) while any TODO is left: confirm every",
        "# signal in the vendor's documentation, fill in what the TODO lines ask, delete the TODO lines.",
        f"id: {draft_id}  # {TODO}: confirm the id (vendor-product, kebab-case, equal to the file name)",
    ]
    if _has_cjk(product.label):
        lines += [f"name: {_q(TODO + ': English product name')}", f"name_zh: {_q(product.label)}"]
    else:
        lines += [f"name: {_q(product.label)}", f"name_zh: {_q(TODO + ': Chinese product name')}"]
    lines += [
        f"category: {product.category}  # {TODO}: guessed from the label; check",
        "vendor:",
        f"  name_zh: {_q(f'{TODO}: legal entity as Chinese policies name it (LibChecker team: {teams})')}",
        f"  name_en: {_q(TODO + ': legal entity in English')}",
        f"aliases:  # {TODO}: the names policies really use, Chinese and English, short forms",
        f"- {_q(product.label)}",
    ]
    if product.kind == "lib":
        lines.append(f"requires_disclosure: false  # {TODO}: only if it collects no personal data")
    lines.append("detect:")
    packages = package_prefixes(product)
    if packages:
        lines.append(f"  packages:  # {TODO}: derived from the rules; keep only the SDK's own packages")
        lines += [f"  - {p}" for p in packages]
    for kind, key in _COMPONENT_KEYS.items():
        names = product.names(kind)  # type: ignore[arg-type]
        if names:
            lines.append(f"  {key}:")
            lines += [f"  - {_q(n) if '$' in n else n}" for n in names]
    libs, leftovers = _native_libs(product)
    if libs:
        lines.append("  native_libs:")
        lines += [f"  - {_q(n) if '*' in n else n}" for n in libs]
    for pattern in leftovers:
        lines.append(f"  # {TODO}: LibChecker regex {_q(pattern)} has no glob form; add the file names")
    if product.kind == "lib":
        lines.append("collects: []")
    else:
        lines += [
            f"collects: []  # {TODO}: data-type ids from the vendor's own published list",
            f"collects_source: {_q(TODO + ': the vendor page the list comes from (also in sources)')}",
        ]
    lines.append("links:")
    if product.docs:
        lines.append(f"  docs: {_q(product.docs)}  # {TODO}: LibChecker's link; add website, privacy_policy")
    else:
        lines.append(f"  website: {_q(TODO + ': the SDK page')}")
    lines.append("sources:")
    lines += [f"- {url}" for url in _rule_urls(product.rules)]
    lines.append("examples:")
    components = [n for kind in _COMPONENT_KEYS for n in product.names(kind)]  # type: ignore[arg-type]
    if components:
        lines.append("  components:")
        lines += [f"  - {_q(n) if '$' in n else n}" for n in components[:_EXAMPLES_PER_KIND]]
    concrete_libs = [n for n in libs if "*" not in n]
    if concrete_libs:
        lines.append("  native_libs:")
        lines += [f"  - {n}" for n in concrete_libs[:_EXAMPLES_PER_KIND]]
    if packages and not components and not concrete_libs:
        lines.append("  classes:")
        lines.append(f"  - {packages[0]}.{TODO}RealClassName")
    lines.append(f"  policy: []  # {TODO}: at least two phrases as apps write the SDK's name")
    return "\n".join(lines) + "\n"


def _rule_urls(rules: Iterable[ReferenceRule]) -> list[str]:
    return list(dict.fromkeys(rule.url for rule in sorted(rules, key=lambda r: r.path)))


@dataclass(frozen=True)
class ImportResult:
    """One run of the importer: the reference index built from the checkout, the registry's
    coverage of it, the drafts for what it lacks, and what the checkout reader skipped."""

    index: ReferenceIndex
    coverage: CoverageReport
    drafts: tuple[Draft, ...]
    warnings: tuple[str, ...]

    @property
    def carried_gaps(self) -> tuple[ProductCoverage, ...]:
        return carried_gaps(self.coverage)


def import_checkout(
    checkout: Path, registry: Registry, reference_dir: Path, snapshot: str | None = None
) -> ImportResult:
    """Read a LibChecker-Rules checkout with the map and exclusions of ``reference_dir`` and draft
    entries for the products ``registry`` lacks (nothing is written here)."""
    found = read_checkout(checkout)
    index = build_index(found, load_map(reference_dir / MAP_FILE),
                        snapshot or snapshot_of(checkout) or "unknown")
    coverage = measure(registry, index, read_exclusions(reference_dir / EXCLUSIONS_FILE))
    return ImportResult(index, coverage, drafts_for(coverage, registry.entries, index.snapshot),
                        found.warnings)
