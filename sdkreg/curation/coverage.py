"""How much of a reference rule set the registry covers: registry × reference index → report.

Every rule of the reference index (``reference.py``) is put to the registry's real matcher
(``sdkreg.match.SignatureIndex``), exactly as an APK carrying that name would be:

- a component class: ``component_claims`` (the exact component, else its package prefix);
- a native library: ``lib_claims`` (exact file name or glob);
- a DEX package rule: the package or a parent of it is a registered prefix, or a registered
  prefix lies inside the package (classes found there would be claimed);
- a regex rule: a registry signature of that kind matches the pattern, or one of a few realistic
  fillings of ``(.*)`` is claimed as above.

A claim counts for every entry that makes it, and for the aggregator a ``via`` signature names
(a phone-maker plug-in shipped inside JPush is JPush's code too). A product is **covered** when at
least one of its rules is claimed; a product no entry claims but the packer table
(``sdkreg/apk/packers.yaml``) recognises counts as recognised by the packer table; an uncovered
product carries the reason from the deliberate-exclusions file (``exclusions.yaml``), or is
**missing**. Exclusions that no longer match anything (the product is covered now, or the
reference no longer has it) are reported as stale, so the file does not rot.

Pure: no printing; the CLI renders the ``CoverageReport``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from sdkreg.apk.packer import detect_packer
from sdkreg.errors import UsageError, first_line
from sdkreg.match import SignatureIndex, signature_index
from sdkreg.registry.model import DataListStatus
from sdkreg.registry.reference import ReferenceIndex, ReferenceProduct, ReferenceRule
from sdkreg.registry.registry import Registry

Status = Literal["covered", "packer", "excluded", "missing"]

# Values tried for ``(.*)`` in a regex rule: version suffixes of native libraries and class or
# package tails of component and DEX rules (LibChecker writes both kinds of pattern).
_LIB_FILLS = ("", "1", "400", "_v9_8_0", "-6.5.22", "-x86_64", "_arm64")
_CLASS_FILLS = ("Probe", "a.Probe", "1", "$Probe")
_REGEX_GROUP = re.compile(r"\(\.\*\)|\.\*")


@dataclass(frozen=True)
class Exclusions:
    """Deliberate gaps, each with its reason: whole products, or single signals of a product the
    registry carries (a generic library name another app could ship too, …)."""

    products: Mapping[str, str] = field(default_factory=dict)  # product label -> reason
    signals: Mapping[str, str] = field(default_factory=dict)  # rule path -> reason


def read_exclusions(path: Path) -> Exclusions:
    """The exclusions file; a missing file means no exclusions."""
    if not path.is_file():
        return Exclusions()
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Exclusions(
            products={str(k): str(v) for k, v in (data.get("products") or {}).items()},
            signals={str(k): str(v) for k, v in (data.get("signals") or {}).items()},
        )
    except (OSError, UnicodeDecodeError, yaml.YAMLError, AttributeError) as exc:
        raise UsageError(f"cannot read exclusions {path}: {first_line(exc)}") from exc


@dataclass(frozen=True)
class RuleClaim:
    rule: ReferenceRule
    entries: tuple[str, ...]  # registry ids whose signatures claim the rule
    packer: str | None = None  # packers.yaml id that recognises it
    left_out: str | None = None  # reason it is deliberately not claimed

    @property
    def claimed(self) -> bool:
        return bool(self.entries)


@dataclass(frozen=True)
class ProductCoverage:
    product: ReferenceProduct
    status: Status
    rules: tuple[RuleClaim, ...]
    entries: tuple[str, ...]  # registry ids claiming any of its rules
    reason: str  # why it is not covered ("" when covered)
    named_by: tuple[str, ...] = ()  # registry ids whose names resolve the product's label

    @property
    def claimed_rules(self) -> int:
        return sum(1 for r in self.rules if r.claimed)

    @property
    def unclaimed(self) -> tuple[RuleClaim, ...]:
        """Rules nobody claims and nobody explained."""
        return tuple(r for r in self.rules if not r.claimed and r.left_out is None)


@dataclass(frozen=True)
class Tally:
    products: int = 0
    covered: int = 0
    packer: int = 0
    excluded: int = 0
    missing: int = 0
    rules: int = 0
    rules_claimed: int = 0

    @property
    def recognised(self) -> int:
        return self.covered + self.packer

    def add(self, item: ProductCoverage) -> Tally:
        return Tally(
            products=self.products + 1,
            covered=self.covered + (item.status == "covered"),
            packer=self.packer + (item.status == "packer"),
            excluded=self.excluded + (item.status == "excluded"),
            missing=self.missing + (item.status == "missing"),
            rules=self.rules + len(item.rules),
            rules_claimed=self.rules_claimed + item.claimed_rules,
        )


@dataclass(frozen=True)
class DataLists:
    """Entries of one registry category that need disclosure, by the state of their data list."""

    category: str
    disclosable: int
    sourced: int  # a data list (possibly empty) with the vendor page it comes from
    reason: int  # no list, with the stated reason (collects_unpublished)
    unsourced: int  # a data list without its source
    none: int  # nothing at all


@dataclass(frozen=True)
class CoverageReport:
    source: str
    snapshot: str
    license: str
    registry_version: str
    registry_entries: int
    vendors: Mapping[str, str]
    products: tuple[ProductCoverage, ...]
    data_lists: tuple[DataLists, ...]
    stale_exclusions: tuple[str, ...] = ()  # labels / rule paths that match nothing to exclude

    def tally(self, items: Iterable[ProductCoverage] | None = None) -> Tally:
        total = Tally()
        for item in self.products if items is None else items:
            total = total.add(item)
        return total

    def by(self, key: Literal["vendor", "category", "kind"]) -> dict[str, Tally]:
        groups: dict[str, Tally] = {}
        for item in self.products:
            name = str(getattr(item.product, key))
            groups[name] = groups.get(name, Tally()).add(item)
        return dict(sorted(groups.items(), key=lambda kv: (-kv[1].products, kv[0])))

    @property
    def uncovered(self) -> tuple[ProductCoverage, ...]:
        return tuple(p for p in self.products if p.status in ("excluded", "missing"))


def measure(
    registry: Registry,
    reference: ReferenceIndex,
    exclusions: Exclusions = Exclusions(),
    index: SignatureIndex | None = None,
) -> CoverageReport:
    """Coverage of ``reference`` by ``registry`` (see the module docstring for the rules)."""
    index = index or signature_index(registry)
    deeper = _DeeperPrefixes(index)
    products = []
    labels = {p.label for p in reference.products}
    rule_paths = {r.path for p in reference.products for r in p.rules}
    for product in reference.products:
        claims = tuple(_claim(rule, index, deeper, exclusions) for rule in product.rules)
        entries = tuple(sorted({e for c in claims for e in c.entries}))
        named = tuple(sorted({
            t.id for label in (product.label, *product.labels) for t in registry.lookup_alias(label)
        }))
        if entries:
            status: Status = "covered"
            reason = ""
        elif any(c.packer for c in claims):
            status = "packer"
            packers = sorted({c.packer for c in claims if c.packer})
            reason = f"recognised as a packer ({', '.join(packers)}), not a registry entry"
        elif product.label in exclusions.products:
            status = "excluded"
            reason = exclusions.products[product.label]
        else:
            status = "missing"
            reason = "missing"
            if named:
                reason += f" (the registry names it: {', '.join(named)}, but claims none of its signals)"
        products.append(ProductCoverage(product, status, claims, entries, reason, named))
    stale = [
        label for label in sorted(exclusions.products)
        if label not in labels
        or next(p for p in products if p.product.label == label).status != "excluded"
    ]
    stale += [path for path in sorted(exclusions.signals) if path not in rule_paths]
    stale += sorted(
        c.rule.path for p in products for c in p.rules if c.left_out is not None and c.claimed
    )
    return CoverageReport(
        source=reference.source,
        snapshot=reference.snapshot,
        license=reference.license,
        registry_version=registry.version,
        registry_entries=len(registry.entries),
        vendors=reference.vendors,
        products=tuple(products),
        data_lists=data_lists(registry),
        stale_exclusions=tuple(stale),
    )


def data_lists(registry: Registry) -> tuple[DataLists, ...]:
    """Per registry category: how many entries that need disclosure have a sourced data list."""
    counts: dict[str, Counter[DataListStatus]] = {}
    for entry in registry.entries.values():
        if entry.requires_disclosure:
            counts.setdefault(entry.category, Counter())[entry.data_list] += 1
    return tuple(
        DataLists(category, c.total(), c["sourced"], c["reason"], c["unsourced"], c["missing"])
        for category, c in sorted(counts.items(), key=lambda kv: (-kv[1].total(), kv[0]))
    )


# --- probing one rule ---------------------------------------------------------------------------


class _DeeperPrefixes:
    """Registered package prefixes strictly inside a package (for DEX package rules)."""

    def __init__(self, index: SignatureIndex) -> None:
        self._index = index
        self._by_parent: dict[str, set[str]] = {}
        for prefix in index.prefixes:
            parts = prefix.split(".")
            for i in range(1, len(parts)):
                self._by_parent.setdefault(".".join(parts[:i]), set()).add(prefix)

    def claims(self, package: str) -> set[str]:
        owners: set[str] = set()
        for prefix in self._by_parent.get(package, ()):
            owners |= _claimants(self._index.prefixes[prefix])
        return owners


def _claimants(claims: Iterable[Any]) -> set[str]:
    owners = set()
    for claim in claims:
        owners.add(claim.sdk)
        if claim.signature.via:
            owners.add(claim.signature.via)
    return owners


def _claim(
    rule: ReferenceRule, index: SignatureIndex, deeper: _DeeperPrefixes, exclusions: Exclusions
) -> RuleClaim:
    names = _probe_names(rule, index) if rule.regex else rule.names
    owners: set[str] = set()
    for name in names:
        owners |= _name_claims(rule.kind, name, index, deeper)
    packer = next((p for name in names if (p := _packer(rule.kind, name))), None)
    return RuleClaim(rule, tuple(sorted(owners)), packer, exclusions.signals.get(rule.path))


def _name_claims(kind: str, name: str, index: SignatureIndex, deeper: _DeeperPrefixes) -> set[str]:
    if kind == "native":
        return _claimants(index.lib_claims(name))
    if kind == "dex":
        return _claimants(index.prefix_claims(f"{name}.Probe")[1]) | deeper.claims(name)
    return _claimants(index.component_claims(name, kind)[1])  # type: ignore[arg-type]


def _probe_names(rule: ReferenceRule, index: SignatureIndex) -> tuple[str, ...]:
    """Concrete names standing for a regex rule: registry signature values the pattern matches,
    and the pattern with ``(.*)`` filled with realistic values."""
    found: list[str] = []
    for pattern in rule.names:
        try:
            compiled = re.compile(pattern)
        except re.error:
            continue  # a pattern Python cannot read claims nothing
        for value in _signature_values(rule.kind, index):
            if compiled.fullmatch(value):
                found.append(value)
        fills = _LIB_FILLS if rule.kind == "native" else _CLASS_FILLS
        for fill in fills:
            candidate = _concrete(_REGEX_GROUP.sub(fill.replace("\\", "\\\\"), pattern))
            if compiled.fullmatch(candidate):
                found.append(candidate)
    return tuple(dict.fromkeys(found))


# A character class with an optional repeat (``p[0-9]*``, ``Activity[0-9]+``) and the anchors of a
# whole-name pattern: LibChecker's stub-component rules use these beside ``(.*)``.
_CHAR_CLASS = re.compile(r"\[\^?([^\]])[^\]]*\](?:[*+?]|\{\d+(?:,\d*)?\})?")


def _concrete(pattern: str) -> str:
    """One concrete name a simple pattern stands for: each character class becomes its first
    character, anchors and escapes go (``p[0-9]*.Stub$`` -> ``p0.Stub``)."""
    name = _CHAR_CLASS.sub(lambda m: m.group(1), pattern.removeprefix("^").removesuffix("$"))
    return name.replace("\\", "")


def _signature_values(kind: str, index: SignatureIndex) -> Iterable[str]:
    if kind == "native":
        return index.native_libs.keys()
    if kind == "dex":
        return index.prefixes.keys()
    return index.any_component.keys()


def _packer(kind: str, name: str) -> str | None:
    if kind == "native":
        found = detect_packer(None, (), (f"lib/arm64-v8a/{name}",), ())
    else:
        class_name = f"{name}.Probe" if kind == "dex" else name
        found = detect_packer(None, (class_name,), (), ())
    return found.id if found else None
