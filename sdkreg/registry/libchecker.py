"""Read a LibChecker-Rules checkout into a reference index of its Chinese-vendor products.

LibChecker-Rules (https://github.com/LibChecker/LibChecker-Rules, Apache-2.0) keeps one JSON file
per rule under ``native-libs/``, ``services-libs/``, ``activities-libs/``, ``receivers-libs/`` and
``providers-libs/`` (the file name is the matched name; ``regex/*.json`` files describe regex
rules whose patterns live in ``cloud/rules/v3/rules.db``), plus database rows without a JSON file
(DEX package rules and a few older component rules). Each rule carries a product ``label`` and a
``team``. This module turns them into products:

- one product per label, spelling variants merged (case and spaces, and the explicit merges of
  ``libchecker-map.yaml``: "HUAWEI Push" / "Huawei Push" / "vivo Push(Aliyun Proxy)" …);
- a rule's team (for a database row without a file: the team of the label's other rules, else
  the team that owns most rules sharing its icon) is mapped to a Chinese vendor group through the
  team spellings of ``libchecker-map.yaml`` — data, not code; rules of other teams are dropped;
- a category and a kind (vendor service SDK or library) are guessed from the label with the
  keyword table of the same file, unless the file states them for the product.

The checkout is untrusted input: JSON files are parsed, never executed; the database is opened
read-only; a file that does not parse is skipped and reported, not fatal.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sdkreg.errors import InputMissingError, UsageError, first_line
from sdkreg.registry.reference import (
    RULES_DB_PATH,
    RULES_REPO_URL,
    ProductKind,
    ReferenceIndex,
    ReferenceProduct,
    ReferenceRule,
    RuleKind,
)

FOLDERS: dict[str, RuleKind] = {
    "native-libs": "native",
    "services-libs": "service",
    "activities-libs": "activity",
    "receivers-libs": "receiver",
    "providers-libs": "provider",
}
FOLDER_OF: dict[RuleKind, str] = {kind: folder for folder, kind in FOLDERS.items()}
# rules.db ``type`` column; 6 (static libraries) has no counterpart in an Android SDK.
DB_TYPES: dict[int, RuleKind] = {
    0: "native", 1: "service", 2: "activity", 3: "receiver", 4: "provider", 5: "dex",
}
MAP_FILE = "libchecker-map.yaml"
# A rule file larger than this is not a LibChecker rule (they are a few hundred bytes).
MAX_RULE_BYTES = 64 * 1024


@dataclass(frozen=True)
class LcRule:
    """A rule as LibChecker files it, before grouping into products."""

    rule: ReferenceRule
    label: str
    team: str | None
    docs: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Checkout:
    rules: tuple[LcRule, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class VendorGroup:
    id: str
    name: str
    teams: tuple[str, ...]


@dataclass(frozen=True)
class ProductHint:
    category: str | None = None
    kind: ProductKind | None = None


@dataclass(frozen=True)
class LibCheckerMap:
    """``libchecker-map.yaml``: how LibChecker's teams and labels become our products."""

    vendors: tuple[VendorGroup, ...]
    labels: Mapping[str, str] = field(default_factory=dict)  # spelling variant -> label kept
    relabel: Mapping[str, str] = field(default_factory=dict)  # rule path -> label it belongs to
    products: Mapping[str, ProductHint] = field(default_factory=dict)
    categories: tuple[tuple[re.Pattern[str], str], ...] = ()  # keyword -> category, in order
    library_categories: frozenset[str] = frozenset()
    default_category: str = "other"
    # Folded team spelling -> vendor group id (built from ``vendors`` once).
    team_index: Mapping[str, str] = field(default_factory=dict, repr=False)

    def vendor_of(self, team: str | None) -> str | None:
        return self.team_index.get(_fold(team)) if team else None


def _fold(text: str) -> str:
    """Compare labels and teams without case, width or spacing differences."""
    return re.sub(r"\s+", "", text).casefold()


def load_map(path: Path) -> LibCheckerMap:
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"LibChecker map not found: {path}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read {path}: {first_line(exc)}") from exc
    try:
        vendors = tuple(
            VendorGroup(str(v["id"]), str(v["name"]), tuple(str(t) for t in v["teams"]))
            for v in data["vendors"]
        )
        products = {
            str(label): ProductHint(hint.get("category"), hint.get("kind"))
            for label, hint in (data.get("products") or {}).items()
        }
        categories = tuple(
            (re.compile(str(item["match"]), re.IGNORECASE), str(item["category"]))
            for item in data.get("categories") or ()
        )
        return LibCheckerMap(
            vendors=vendors,
            team_index={_fold(team): group.id for group in vendors for team in group.teams},
            labels={str(k): str(v) for k, v in (data.get("labels") or {}).items()},
            relabel={str(k): str(v) for k, v in (data.get("relabel") or {}).items()},
            products=products,
            categories=categories,
            library_categories=frozenset(data.get("library_categories") or ()),
            default_category=str(data.get("default_category") or "other"),
        )
    except (KeyError, TypeError, AttributeError, re.error) as exc:
        raise UsageError(f"{path} is not a LibChecker map: {exc}") from exc


# --- reading the checkout ---------------------------------------------------------------------


@dataclass(frozen=True)
class _DbRow:
    name: str
    label: str
    kind: RuleKind
    icon: int
    regex_name: str | None


def read_checkout(root: Path) -> Checkout:
    """Every rule of the checkout at ``root`` with its label and team."""
    if not root.is_dir():
        raise InputMissingError(f"LibChecker-Rules checkout not found: {root}")
    if not any((root / folder).is_dir() for folder in FOLDERS):
        raise UsageError(f"{root} is not a LibChecker-Rules checkout: it has none of "
                         f"{', '.join(sorted(FOLDERS))}")
    warnings: list[str] = []
    rows = _read_db(root / RULES_DB_PATH, warnings)
    patterns: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if row.regex_name:
            patterns[row.regex_name].append(row.name)
    db_label = {(row.name, row.kind): row.label for row in rows if not row.regex_name}

    file_rules: list[tuple[LcRule, str]] = []  # (rule, matched name or regex file stem)
    for folder, kind in FOLDERS.items():
        directory = root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.glob("*.json")) + sorted(directory.glob("regex/*.json")):
            rel = path.relative_to(root).as_posix()
            data = _read_json(path, rel, warnings)
            if data is None:
                continue
            stem = path.name.removesuffix(".json")
            is_regex = path.parent.name == "regex"
            if is_regex:
                names = tuple(dict.fromkeys(patterns.get(stem, ())))
                if not names:
                    warnings.append(f"{rel}: regex rule without patterns in {RULES_DB_PATH}; skipped")
                    continue
            else:
                names = (stem,)
            label = str(data.get("label") or db_label.get((stem, kind)) or "").strip()
            if not label:
                warnings.append(f"{rel}: rule without a label; skipped")
                continue
            rule = ReferenceRule(rel, kind, names, regex=is_regex)
            team = str(data["team"]).strip() if data.get("team") else None
            docs = data.get("relativeUrl") or None
            file_rules.append((LcRule(rule, label, team, docs, str(data.get("description") or "")),
                               stem))

    # Rows of rules.db without a JSON file of their own (in any folder: LibChecker sometimes
    # files a rule under another component kind than its row says).
    with_file = {stem for _, stem in file_rules}
    label_teams: dict[str, Counter[str]] = defaultdict(Counter)
    for lc, _ in file_rules:
        if lc.team:
            label_teams[_fold(lc.label)][lc.team] += 1
    icon_teams = _icon_teams(rows, {stem: lc.team for lc, stem in file_rules if lc.team})
    icon_of = {row.regex_name or row.name: row.icon for row in rows}

    def team_for(label: str, key: str) -> str | None:
        """A rule without a team of its own (an empty file, a database row): the team of the
        label's other rules, else the team that owns most rules with the same icon."""
        return _most_common(label_teams.get(_fold(label))) or icon_teams.get(icon_of.get(key, -1))

    rules = [
        lc if lc.team else LcRule(lc.rule, lc.label, team_for(lc.label, stem), lc.docs, lc.description)
        for lc, stem in file_rules
    ]
    db_rules: dict[str, LcRule] = {}
    for row in rows:
        key = row.regex_name or row.name
        if key in with_file or key in db_rules:
            continue
        kind = _row_kind(row)
        folder = "dex" if kind == "dex" else FOLDER_OF[kind]
        names = tuple(dict.fromkeys(patterns[key])) if row.regex_name else (row.name,)
        rule = ReferenceRule(f"rules.db#{folder}:{key}", kind, names, regex=bool(row.regex_name))
        db_rules[key] = LcRule(rule, row.label, team_for(row.label, key))
    return Checkout(tuple(rules + list(db_rules.values())), tuple(warnings))


def _row_kind(row: _DbRow) -> RuleKind:
    """A database row's kind; a few rows file a native library under a component type."""
    if row.name.endswith(".so"):
        return "native"
    return row.kind


def _read_db(path: Path, warnings: list[str]) -> list[_DbRow]:
    if not path.is_file():
        warnings.append(f"{RULES_DB_PATH} not found: regex and DEX package rules are left out")
        return []
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
            cursor = connection.execute(
                "SELECT name, label, type, iconIndex, isRegexRule, regexName FROM rules_table"
            )
            raw = cursor.fetchall()
    except sqlite3.Error as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    rows = []
    for name, label, kind, icon, is_regex, regex_name in raw:
        if kind not in DB_TYPES or not isinstance(name, str) or not isinstance(label, str):
            continue
        regex = str(regex_name) if is_regex and regex_name else None
        rows.append(_DbRow(name, label.strip(), DB_TYPES[kind], int(icon or -1), regex))
    return rows


def _read_json(path: Path, rel: str, warnings: list[str]) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > MAX_RULE_BYTES:
            warnings.append(f"{rel}: larger than {MAX_RULE_BYTES} bytes; skipped")
            return None
        text = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        warnings.append(f"{rel}: cannot read ({exc}); skipped")
        return None
    if not text:
        return {}  # LibChecker ships a few empty rule files: the label comes from rules.db
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        warnings.append(f"{rel}: not JSON ({exc.msg}); skipped")
        return None
    if not isinstance(data, dict):
        warnings.append(f"{rel}: not a JSON object; skipped")
        return None
    return data


def _icon_teams(rows: Iterable[_DbRow], team_of_name: Mapping[str, str]) -> dict[int, str]:
    """Icon index -> the team owning most rules with that icon (LibChecker draws one icon per
    vendor); icons shared by several vendors without a clear owner are left out."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        team = team_of_name.get(row.regex_name or row.name)
        if row.icon >= 0 and team:
            counts[row.icon][team] += 1
    result = {}
    for icon, teams in counts.items():
        (team, n), total = teams.most_common(1)[0], sum(teams.values())
        if n * 3 >= total * 2:
            result[icon] = team
    return result


def _most_common(counter: Counter[str] | None) -> str | None:
    if not counter:
        return None
    return counter.most_common(1)[0][0]


def snapshot_of(root: Path) -> str | None:
    """The commit a git checkout at ``root`` is on, read from its ``.git`` files (no git
    process); None when it is not a checkout (e.g. an extracted archive)."""
    git = root / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="ascii").strip()
        if not head.startswith("ref: "):
            return head or None
        ref = head[5:]
        if not re.fullmatch(r"refs/[\w.\-/]+", ref) or ".." in ref:
            return None  # never follow a ref out of the checkout
        loose = git / ref
        if loose.is_file():
            return loose.read_text(encoding="ascii").strip() or None
        for line in (git / "packed-refs").read_text(encoding="ascii").splitlines():
            commit, _, name = line.partition(" ")
            if name == ref:
                return commit
    except (OSError, UnicodeDecodeError):
        return None
    return None


# --- grouping into products -------------------------------------------------------------------


def build_index(checkout: Checkout, mapping: LibCheckerMap, snapshot: str) -> ReferenceIndex:
    """The Chinese-vendor products of ``checkout``, grouped and classified by ``mapping``."""
    merges = {_fold(variant): label for variant, label in mapping.labels.items()}
    relabel = mapping.relabel
    groups: dict[str, list[LcRule]] = defaultdict(list)
    # The LibChecker spellings merged into each product (a relabelled rule's own label is
    # another product's, not a spelling of this one).
    originals: dict[str, set[str]] = defaultdict(set)
    for lc in checkout.rules:
        label = relabel.get(lc.rule.path, lc.label)
        label = merges.get(_fold(label), label)
        groups[_fold(label)].append(_with_label(lc, label))
        if lc.rule.path not in relabel:
            originals[_fold(label)].add(lc.label)
    hints = {_fold(label): hint for label, hint in mapping.products.items()}
    products = []
    for key, members in groups.items():
        vendors = Counter(v for lc in members if (v := mapping.vendor_of(lc.team)))
        if not vendors:
            continue  # no rule of this product is by a Chinese vendor
        spellings = Counter(lc.label for lc in members)
        label = _preferred_label(spellings, mapping.labels.values())
        hint = hints.get(key, ProductHint())
        category = hint.category or _guess_category(members, mapping)
        kind: ProductKind = hint.kind or (
            "lib" if category in mapping.library_categories else "svc"
        )
        products.append(
            ReferenceProduct(
                label=label,
                vendor=vendors.most_common(1)[0][0],
                category=category,
                kind=kind,
                rules=tuple(sorted((lc.rule for lc in members), key=lambda r: r.path)),
                labels=tuple(sorted(originals[key])),
                teams=tuple(sorted({lc.team for lc in members if lc.team})),
                docs=_most_common(Counter(lc.docs for lc in members if lc.docs)),
            )
        )
    return ReferenceIndex(
        source="LibChecker-Rules",
        url=RULES_REPO_URL,
        license="Apache-2.0",
        snapshot=snapshot,
        vendors={v.id: v.name for v in mapping.vendors},
        products=tuple(sorted(products, key=lambda p: (p.vendor, p.label.casefold()))),
    )


def _with_label(lc: LcRule, label: str) -> LcRule:
    return lc if lc.label == label else LcRule(lc.rule, label, lc.team, lc.docs, lc.description)


def _preferred_label(spellings: Counter[str], canonical: Iterable[str]) -> str:
    """The spelling the map names as canonical, else the most used one (ties: alphabetical)."""
    chosen = set(canonical)
    for label in sorted(spellings):
        if label in chosen:
            return label
    return sorted(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _guess_category(members: list[LcRule], mapping: LibCheckerMap) -> str:
    """First keyword of the map's table found in a label, else in LibChecker's description."""
    labels = " ".join(sorted({lc.label for lc in members}))
    descriptions = " ".join(sorted({lc.description for lc in members if lc.description}))
    for text in (labels, descriptions):
        for pattern, category in mapping.categories:
            if pattern.search(text):
                return category
    return mapping.default_category
