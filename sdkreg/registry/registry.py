"""The loaded registry: entries, families, data-type vocabulary, and lookups over them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

from sdkreg.registry.model import DataType, Family, SdkEntry
from sdkreg.registry.names import normalize_name

Level = Literal["product", "family"]
T = TypeVar("T")


@dataclass(frozen=True)
class AliasTarget:
    id: str
    level: Level


@dataclass(frozen=True)
class Registry:
    root: Path
    entries: Mapping[str, SdkEntry]
    families: Mapping[str, Family]
    data_types: Mapping[str, DataType]
    categories: tuple[str, ...]
    # Short content hash of every registry file: identifies the registry in reports and history.
    version: str
    _alias_index: Mapping[str, tuple[AliasTarget, ...]] = field(repr=False, compare=False)
    # Indexes other modules build over this registry (signature index, name resolver): owned by
    # the registry they describe, so they live and die with it; no module-global caches.
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, key: str, build: Callable[[Registry], T]) -> T:
        """``build(self)``, computed once per registry object and kept under ``key``."""
        if key not in self._derived:
            self._derived[key] = build(self)
        value: T = self._derived[key]
        return value

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, sdk_id: str) -> SdkEntry | Family | None:
        return self.entries.get(sdk_id) or self.families.get(sdk_id)

    def level_of(self, sdk_id: str) -> Level | None:
        if sdk_id in self.entries:
            return "product"
        if sdk_id in self.families:
            return "family"
        return None

    def family_members(self, family_id: str) -> tuple[str, ...]:
        family = self.families.get(family_id)
        return family.members if family else ()

    def lookup_alias(self, name: str) -> tuple[AliasTarget, ...]:
        """Entries or families that claim ``name`` (after normalisation)."""
        return self._alias_index.get(normalize_name(name), ())

    @property
    def alias_index(self) -> Mapping[str, tuple[AliasTarget, ...]]:
        return self._alias_index

    def bundled(self, sdk_ids: Iterable[str]) -> frozenset[str]:
        """Every entry the given products bring along, transitively (``bundles`` of their
        ``bundles``): what a disclosure of those products also covers."""
        seen: set[str] = set()
        stack = [ref for sdk_id in sdk_ids for ref in self._bundles_of(sdk_id)]
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack += self._bundles_of(current)
        return frozenset(seen)

    def bundled_by(self, sdk_id: str) -> tuple[str, ...]:
        """The products that bundle ``sdk_id`` directly (the reverse of ``bundles``)."""
        return self.derived("bundled-by", _bundled_by_index).get(sdk_id, ())

    def _bundles_of(self, sdk_id: str) -> tuple[str, ...]:
        entry = self.entries.get(sdk_id)
        return entry.bundles if entry is not None else ()

    def data_type_ancestors(self, type_id: str) -> tuple[str, ...]:
        """``type_id`` and every broader term above it."""
        chain: list[str] = []
        current: str | None = type_id
        while current and current not in chain:
            chain.append(current)
            dt = self.data_types.get(current)
            current = dt.parent if dt else None
        return tuple(chain)


def _bundled_by_index(registry: Registry) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for entry in registry.entries.values():
        for ref in entry.bundles:
            index.setdefault(ref, []).append(entry.id)
    return {ref: tuple(sorted(owners)) for ref, owners in index.items()}


def build_alias_index(
    entries: Iterable[SdkEntry], families: Iterable[Family]
) -> dict[str, tuple[AliasTarget, ...]]:
    index: dict[str, list[AliasTarget]] = {}
    for entry in entries:
        for name in (entry.id, *entry.all_names):
            _add(index, normalize_name(name), AliasTarget(entry.id, "product"))
    for family in families:
        for name in (family.id, *family.all_names):
            _add(index, normalize_name(name), AliasTarget(family.id, "family"))
    return {key: tuple(targets) for key, targets in index.items()}


def _add(index: dict[str, list[AliasTarget]], key: str, target: AliasTarget) -> None:
    if not key:
        return
    targets = index.setdefault(key, [])
    if target not in targets:
        targets.append(target)


def content_hash(paths: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
