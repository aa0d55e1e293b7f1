"""The reference index: an outside rule set's products, to measure the registry against.

The index is derived data (``sdkreg registry import-libchecker --index-out``), committed under
``registry/reference/`` so coverage can be computed without the outside checkout or a network:
each product (one LibChecker label, spelling variants merged) with its vendor group, a category
guess, whether it is a vendor service SDK or a library, and its rules — every rule keeps the path
of its file in the outside repository (the source a registry entry cites) and the names it
matches (component classes, native-library file names, DEX packages; regex patterns when the
rule is a regex rule). Reading and writing the file lives here; building it lives in
``libchecker.py``; measuring a registry against it lives in ``coverage.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from sdkreg.errors import InputMissingError, UsageError, first_line

RuleKind = Literal["native", "service", "activity", "receiver", "provider", "dex"]
RULE_KINDS: tuple[RuleKind, ...] = get_args(RuleKind)
ProductKind = Literal["svc", "lib"]

REFERENCE_DIR = "reference"
INDEX_FILE = "libchecker-cn.yaml"
EXCLUSIONS_FILE = "exclusions.yaml"
RULES_REPO_URL = "https://github.com/LibChecker/LibChecker-Rules"
# Rows of rules.db without a JSON file are cited as ``rules.db#<folder>:<name>``.
RULES_DB_PATH = "cloud/rules/v3/rules.db"

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class ReferenceRule:
    """One rule of the outside rule set: a file (or a database row) and the names it matches."""

    path: str
    kind: RuleKind
    names: tuple[str, ...]
    regex: bool = False  # ``names`` are regular expressions (LibChecker's ``(.*)`` rules)

    @property
    def url(self) -> str:
        """The address a registry entry cites for this rule."""
        file = RULES_DB_PATH if self.path.startswith("rules.db#") else self.path
        return f"{RULES_REPO_URL}/blob/master/{file}"


@dataclass(frozen=True)
class ReferenceProduct:
    label: str  # the product's LibChecker label (the most used spelling)
    vendor: str  # vendor group id, e.g. ``tencent``
    category: str  # registry category (a guess for products the registry lacks)
    kind: ProductKind  # vendor service SDK, or a library/engine/runtime
    rules: tuple[ReferenceRule, ...]
    labels: tuple[str, ...] = ()  # every LibChecker spelling merged into this product
    teams: tuple[str, ...] = ()  # LibChecker ``team`` spellings of its rules
    docs: str | None = None  # the vendor page LibChecker links for the product

    def names(self, *kinds: RuleKind) -> tuple[str, ...]:
        """Every concrete (non-regex) name of the given rule kinds, sorted."""
        return tuple(sorted({
            name for rule in self.rules if rule.kind in kinds and not rule.regex for name in rule.names
        }))


@dataclass(frozen=True)
class ReferenceIndex:
    source: str  # "LibChecker-Rules"
    url: str
    license: str
    snapshot: str  # commit (or other identifier) of the snapshot the index was built from
    vendors: dict[str, str]  # vendor group id -> display name
    products: tuple[ReferenceProduct, ...]

    @property
    def rule_count(self) -> int:
        return sum(len(p.rules) for p in self.products)


_HEADER = """\
# Chinese-vendor products of LibChecker-Rules ({url}), {license}.
# Derived data: regenerate with
#   sdkreg registry import-libchecker LIBCHECKER_DIR --out DRAFT_DIR --index-out {name}
# and do not edit by hand (corrections go to libchecker-map.yaml or exclusions.yaml beside it).
# Rule names, labels and paths are LibChecker-Rules' own; categories and kinds are our guesses.
"""


def write_index(index: ReferenceIndex, path: Path) -> None:
    """Write ``index`` as YAML, deterministically (sorted products, rules and names)."""
    data: dict[str, Any] = {
        "source": {
            "name": index.source,
            "url": index.url,
            "license": index.license,
            "snapshot": index.snapshot,
        },
        "vendors": dict(sorted(index.vendors.items())),
        "products": [_product_data(p) for p in sorted(index.products, key=_product_key)],
    }
    text = _HEADER.format(url=index.url, license=index.license, name=path.name)
    text += yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _product_key(product: ReferenceProduct) -> tuple[str, str]:
    return (product.vendor, product.label.casefold())


def _product_data(product: ReferenceProduct) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": product.label,
        "vendor": product.vendor,
        "category": product.category,
        "kind": product.kind,
    }
    if product.labels and product.labels != (product.label,):
        data["labels"] = list(product.labels)
    if product.teams:
        data["teams"] = list(product.teams)
    if product.docs:
        data["docs"] = product.docs
    data["rules"] = [_rule_data(r) for r in sorted(product.rules, key=lambda r: r.path)]
    return data


def _rule_data(rule: ReferenceRule) -> dict[str, Any]:
    data: dict[str, Any] = {"path": rule.path, "kind": rule.kind, "names": list(rule.names)}
    if rule.regex:
        data["regex"] = True
    return data


def read_index(path: Path) -> ReferenceIndex:
    """Read an index written by ``write_index``; a malformed file is a one-line error."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise InputMissingError(f"reference index not found: {path}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read reference index {path}: {first_line(exc)}") from exc
    try:
        source = data["source"]
        return ReferenceIndex(
            source=str(source["name"]),
            url=str(source["url"]),
            license=str(source["license"]),
            snapshot=str(source["snapshot"]),
            vendors={str(k): str(v) for k, v in (data.get("vendors") or {}).items()},
            products=tuple(_product(item) for item in data["products"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UsageError(f"{path} is not a reference index: {first_line(exc)}") from exc


def _product(item: dict[str, Any]) -> ReferenceProduct:
    kind = item["kind"]
    if kind not in get_args(ProductKind):
        raise ValueError(f"product {item.get('label')!r}: unknown kind {kind!r}")
    return ReferenceProduct(
        label=str(item["label"]),
        vendor=str(item["vendor"]),
        category=str(item["category"]),
        kind=kind,
        rules=tuple(_rule(r) for r in item["rules"]),
        labels=tuple(item.get("labels") or (item["label"],)),
        teams=tuple(item.get("teams") or ()),
        docs=item.get("docs"),
    )


def _rule(item: dict[str, Any]) -> ReferenceRule:
    kind = item["kind"]
    if kind not in RULE_KINDS:
        raise ValueError(f"rule {item.get('path')!r}: unknown kind {kind!r}")
    return ReferenceRule(
        path=str(item["path"]),
        kind=kind,
        names=tuple(str(n) for n in item["names"]),
        regex=bool(item.get("regex", False)),
    )
