"""Recognise packers (加固) from the data in ``packers.yaml``."""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sdkreg.apk.model import Packer

PACKERS_FILE = Path(__file__).with_name("packers.yaml")


@dataclass(frozen=True)
class PackerRule:
    id: str
    name: str
    name_zh: str | None
    application_classes: frozenset[str]
    classes: tuple[str, ...]
    native_libs: tuple[str, ...]
    assets: tuple[str, ...]


@cache
def load_rules(path: Path = PACKERS_FILE) -> tuple[PackerRule, ...]:
    data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        PackerRule(
            id=item["id"],
            name=item["name"],
            name_zh=item.get("name_zh"),
            application_classes=frozenset(item.get("application_classes") or ()),
            classes=tuple(item.get("classes") or ()),
            native_libs=tuple(item.get("native_libs") or ()),
            assets=tuple(item.get("assets") or ()),
        )
        for item in data["packers"]
    )


def _matches(name: str, pattern: str) -> bool:
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(name, pattern)
    return name == pattern


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def detect_packer(
    application: str | None,
    class_names: Collection[str],
    native_libs: Collection[str],
    assets: Collection[str],
    rules: tuple[PackerRule, ...] | None = None,
    packages: Mapping[str, int] | None = None,
) -> Packer | None:
    """The first packer any signal points to, with every signal found for it."""
    rules = load_rules() if rules is None else rules
    lib_names = sorted({p.rsplit("/", 1)[-1] for p in native_libs})
    asset_paths = sorted({p.removeprefix("assets/") for p in assets})
    # Class prefixes of all rules in one dict keyed by prefix: one walk over the classes,
    # each class checked by its dotted segments, not by a loop over rules.
    prefix_owner: dict[str, list[PackerRule]] = {}
    for rule in rules:
        for prefix in rule.classes:
            prefix_owner.setdefault(prefix, []).append(rule)
    class_hits: dict[str, set[str]] = {}

    def hit(key: str) -> None:
        for rule in prefix_owner.get(key, ()):
            class_hits.setdefault(rule.id, set()).add(key)

    if packages is None:
        packages = Counter(name.rpartition(".")[0] for name in class_names)
    # Every distinct package and parent package is checked once.
    seen: set[str] = set()
    for package in packages:
        while package and package not in seen:
            seen.add(package)
            if package in prefix_owner:
                hit(package)
            package = package.rpartition(".")[0]
    # A prefix may name a class (com.stub.StubApp): look for it only when its package exists.
    candidates = [p for p in prefix_owner if p.rpartition(".")[0] in packages]
    if candidates:
        names = set(class_names)
        for prefix in candidates:
            if prefix in names:
                hit(prefix)
    for rule in rules:
        evidence: list[str] = []
        if application and (
            application in rule.application_classes
            or any(_under(application, p) for p in rule.classes)
        ):
            evidence.append(f"application class {application}")
        evidence += [f"classes under {p}" for p in sorted(class_hits.get(rule.id, ()))]
        evidence += [f"native library {n}" for n in lib_names
                     if any(_matches(n, p) for p in rule.native_libs)]
        evidence += [f"asset assets/{a}" for a in asset_paths
                     if any(_matches(a, p) for p in rule.assets)]
        if evidence:
            name = f"{rule.name_zh} ({rule.name})" if rule.name_zh else rule.name
            return Packer(id=rule.id, name=name, evidence=tuple(dict.fromkeys(evidence)))
    return None

