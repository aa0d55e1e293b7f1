"""Registry checks with stable codes. Each problem names the file and line and says how to fix it.

Codes are stable (tests and CONTRIBUTING refer to them); add new ones, never renumber.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from referencing.exceptions import Unresolvable

from sdkreg.registry.load import (
    DATA_TYPES_FILE,
    FAMILIES_FILE,
    RawDocument,
    build_detect,
    build_entry,
    entry_paths,
    line_of,
    read_document,
)
from sdkreg.registry.model import COMPONENT_KINDS, Detect, SdkEntry, Signature
from sdkreg.registry.names import normalize_name, vendor_short_name
from sdkreg.registry.schema import schema_validators


@dataclass(frozen=True)
class Problem:
    code: str
    path: Path
    line: int | None
    message: str
    fix: str
    severity: Literal["error", "warning"] = "error"

    def render(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None and self.path.is_relative_to(root.parent):
            shown = self.path.relative_to(root.parent)
        where = f"{shown}:{self.line}" if self.line else f"{shown}"
        return f"{where}: {self.code} {self.message} — fix: {self.fix}"


@dataclass(frozen=True)
class LintResult:
    problems: tuple[Problem, ...]  # errors: the registry cannot be used
    entries: tuple[SdkEntry, ...]
    families_data: tuple[dict[str, Any], ...]
    data_types_data: tuple[dict[str, Any], ...]
    files: tuple[Path, ...]
    # Warnings (codes W…): the registry works, but an entry is weaker than it should be.
    warnings: tuple[Problem, ...] = ()
    # Each entry's document as parsed (same order as ``entries``): what the registry cache keeps.
    entry_data: tuple[dict[str, Any], ...] = ()


def _schema_problems(doc: RawDocument, validator: Any, schema_name: str) -> list[Problem]:
    problems = []
    try:
        errors = sorted(validator.iter_errors(doc.data), key=lambda e: list(e.path))
    except Unresolvable as exc:  # a $ref outside the registry's schemas: never fetched
        return [
            Problem("R002", doc.path, None,
                    f"schema: {schema_name} refers to {exc.ref}, which is not one of the registry's schemas",
                    "refer only to schemas under schema/ (by $id or file name)")
        ]
    for error in errors:
        keys = tuple(error.absolute_path)
        where = "/".join(str(k) for k in keys) or "(top level)"
        problems.append(
            Problem(
                "R002",
                doc.path,
                line_of(doc.path, keys),
                f"schema: at {where}: {_short(error.message)}",
                f"make it match registry/schema/{schema_name}",
            )
        )
    return problems


def _short(message: str, limit: int = 160) -> str:
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _url_ok(value: str) -> bool:
    parsed = urlparse(value)
    return (
        parsed.scheme in ("http", "https")
        and "." in parsed.netloc
        and " " not in value
        and not parsed.netloc.startswith(".")
    )


def lint_registry(root: Path) -> LintResult:
    root = root.resolve()
    problems: list[Problem] = []
    # Built once per run (loading and checking every schema), never kept between runs: a registry
    # may change between two checks in one process.
    built: dict[str, Any] = {}

    def validators(schema_name: str) -> Any:
        if not built:
            built.update(schema_validators(root))
        return built[schema_name]


    families_doc = read_document(root / FAMILIES_FILE, root)
    types_doc = read_document(root / DATA_TYPES_FILE, root)
    family_items: list[dict[str, Any]] = []
    type_items: list[dict[str, Any]] = []
    for doc, schema, key, sink in (
        (families_doc, "families.schema.json", "families", family_items),
        (types_doc, "data-types.schema.json", "data_types", type_items),
    ):
        if doc.error:
            problems.append(Problem("R001", doc.path, doc.error_line, doc.error, "fix the YAML"))
            continue
        schema_problems = _schema_problems(doc, validators(schema), schema)
        problems += schema_problems
        if not schema_problems:
            sink += doc.data[key]

    entries: list[SdkEntry] = []
    raw_entries: list[dict[str, Any]] = []
    paths = entry_paths(root)
    for path in paths:
        doc = read_document(path, root)
        problems += _draft_problems(doc)
        if doc.error:
            problems.append(Problem("R001", path, doc.error_line, doc.error, "fix the YAML"))
            continue
        if not isinstance(doc.data, dict):
            problems.append(
                Problem("R002", path, 1, "schema: the file is not a mapping", "see schema")
            )
            continue
        schema_problems = _schema_problems(doc, validators("sdk.schema.json"), "sdk.schema.json")
        problems += schema_problems
        if schema_problems:
            continue
        entry = build_entry(doc.data, path)
        if entry.id != path.stem:
            problems.append(
                Problem(
                    "R003",
                    path,
                    line_of(path, ("id",)),
                    f"id '{entry.id}' differs from the file name '{path.stem}'",
                    f"rename the file to {entry.id}.yaml or set id: {path.stem}",
                )
            )
        entries.append(entry)
        raw_entries.append(doc.data)

    problems += _cross_checks(root, entries, family_items, type_items)
    files = (root / FAMILIES_FILE, root / DATA_TYPES_FILE, *paths)
    return LintResult(
        tuple(problems),
        tuple(entries),
        tuple(family_items),
        tuple(type_items),
        files,
        (*(w for entry in entries for w in _data_list_warnings(entry)), *_vendor_alias_warnings(entries)),
        tuple(raw_entries),
    )


def _cross_checks(
    root: Path,
    entries: list[SdkEntry],
    family_items: list[dict[str, Any]],
    type_items: list[dict[str, Any]],
) -> list[Problem]:
    problems: list[Problem] = []
    families_path = root / FAMILIES_FILE
    types_path = root / DATA_TYPES_FILE
    family_ids = {item["id"] for item in family_items}
    type_ids = {item["id"] for item in type_items}
    entry_ids = {entry.id for entry in entries}

    # R004 duplicate ids (entries among themselves, families, and entry vs family)
    seen: dict[str, Path] = {}
    for entry in entries:
        assert entry.path is not None
        if entry.id in seen:
            problems.append(
                Problem("R004", entry.path, line_of(entry.path, ("id",)),
                        f"duplicate id '{entry.id}' (also in {seen[entry.id].name})",
                        "give each entry its own id")
            )
        seen[entry.id] = entry.path
    for index, item in enumerate(family_items):
        if item["id"] in seen:
            problems.append(
                Problem("R004", families_path, line_of(families_path, ("families", index, "id")),
                        f"family id '{item['id']}' is already used by {seen[item['id']].name}",
                        "family ids and product ids share one namespace; rename one")
            )
        seen[item["id"]] = families_path

    for index, item in enumerate(type_items):
        parent = item.get("parent")
        if parent and parent not in type_ids:
            problems.append(
                Problem("R008", types_path, line_of(types_path, ("data_types", index, "parent")),
                        f"data type '{item['id']}' has unknown parent '{parent}'",
                        f"use one of the ids in {DATA_TYPES_FILE}")
            )

    members: dict[str, int] = defaultdict(int)
    for entry in entries:
        assert entry.path is not None
        if entry.family:
            members[entry.family] += 1
            if entry.family not in family_ids:
                problems.append(
                    Problem("R007", entry.path, line_of(entry.path, ("family",)),
                            f"unknown family '{entry.family}'",
                            f"use a family id from {FAMILIES_FILE} or add the family there")
                )
        for key, type_list in (("collects", entry.collects), ("collects_optional", entry.collects_optional)):
            for index, type_id in enumerate(type_list):
                if type_id not in type_ids:
                    problems.append(
                        Problem("R008", entry.path, line_of(entry.path, (key, index)),
                                f"unknown data type '{type_id}'",
                                f"use an id from {DATA_TYPES_FILE} or add the term there")
                    )
        problems += _data_list_problems(entry)
        problems += _url_problems(entry)
        problems += _reference_problems(entry, entry_ids)
        problems += _prefix_problems(entry)
    problems += _bundle_problems(entries)
    for index, item in enumerate(family_items):
        if not members.get(item["id"]):
            problems.append(
                Problem("R007", families_path, line_of(families_path, ("families", index, "id")),
                        f"family '{item['id']}' has no member entries",
                        "set `family:` on its products or remove the family")
            )
        urls: list[tuple[tuple[str | int, ...], str | None]] = [
            (("links", key), (item.get("links") or {}).get(key))
            for key in ("website", "privacy_policy", "docs")
        ]
        urls += [(("sources", n), url) for n, url in enumerate(item.get("sources") or ())]
        for keys, url in urls:
            if url and not _url_ok(url):
                problems.append(
                    Problem("R009", families_path, line_of(families_path, ("families", index, *keys)),
                            f"malformed URL '{url}'", "use an absolute http(s) URL")
                )
        problems += _package_problems(build_detect(item.get("detect")), families_path,
                                      ("families", index, "detect", "packages"), 2)

    problems += _alias_problems(entries, family_items, families_path)
    problems += _signature_collisions(entries, family_items, families_path)
    return problems


_DRAFT_MARKER = re.compile(r"\bTODO\b")


def _draft_problems(doc: RawDocument) -> list[Problem]:
    """R015: a draft (``sdkreg registry import-libchecker`` writes ``TODO`` on every fact a human
    must supply) is not an entry until every marker is resolved."""
    lines = [n for n, text in enumerate(doc.text.splitlines(), 1) if _DRAFT_MARKER.search(text)]
    if not lines:
        return []
    more = f" (and {len(lines) - 1} more lines)" if len(lines) > 1 else ""
    return [
        Problem("R015", doc.path, lines[0], f"the entry is still a draft: a TODO marker is left{more}",
                "resolve what each TODO asks for, then delete the marker")
    ]


def _url_problems(entry: SdkEntry) -> list[Problem]:
    assert entry.path is not None
    problems = []
    checks: list[tuple[tuple[str | int, ...], str | None]] = [
        (("links", "website"), entry.links.website),
        (("links", "privacy_policy"), entry.links.privacy_policy),
        (("links", "docs"), entry.links.docs),
    ]
    checks += [(("sources", i), url) for i, url in enumerate(entry.sources)]
    for keys, url in checks:
        if url is not None and not _url_ok(url):
            problems.append(
                Problem("R009", entry.path, line_of(entry.path, keys), f"malformed URL '{url}'",
                        "use an absolute http(s) URL with a host name")
            )
    return problems


def _data_list_problems(entry: SdkEntry) -> list[Problem]:
    """R014: a data list names the vendor page it comes from, and says each type once."""
    assert entry.path is not None
    problems = []
    source = entry.collects_source
    if source is not None and source not in entry.sources:
        problems.append(
            Problem("R014", entry.path, line_of(entry.path, ("collects_source",)),
                    f"collects_source '{source}' is not one of the entry's sources",
                    "add the page to sources too (reviewers check sources)")
        )
    for type_id in sorted(set(entry.collects) & set(entry.collects_optional)):
        problems.append(
            Problem("R014", entry.path, line_of(entry.path, ("collects_optional",)),
                    f"data type '{type_id}' is both always collected and optional",
                    "keep it in one of collects / collects_optional")
        )
    return problems


def _data_list_warnings(entry: SdkEntry) -> list[Problem]:
    """W001: an SDK that needs disclosure has no data list and no reason why; W002: a data
    list without the vendor page it comes from. The audit's data check cannot fire silently.
    An empty list with a ``collects_source`` is the vendor's own word that it collects nothing."""
    assert entry.path is not None
    if not entry.requires_disclosure or entry.collects_unpublished:
        return []
    if not entry.collects and not entry.collects_optional and entry.collects_source is None:
        # (an empty list WITH a source is the vendor's own statement that it collects nothing)
        return [
            Problem("W001", entry.path, line_of(entry.path, ("collects",)),
                    f"'{entry.id}' needs disclosure but lists no personal data and gives no reason",
                    "add collects (+ collects_source) from the vendor's own list, or "
                    "collects_unpublished: <where you looked>", severity="warning")
        ]
    if entry.collects_source is None:
        return [
            Problem("W002", entry.path, line_of(entry.path, ("collects",)),
                    f"'{entry.id}' has a data list but no collects_source",
                    "set collects_source to the vendor page the list comes from", severity="warning")
        ]
    return []


def _vendor_alias_warnings(entries: list[SdkEntry]) -> list[Problem]:
    """W003: an entry's alias is the bare name of a company that makes another registry SDK
    ("火山引擎插件服务" normalises to "火山引擎", the maker of several SDKs): a policy naming the
    company would resolve to this one entry. A product line named after its maker belongs on the
    family (families.yaml), which this check leaves alone."""
    makers: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        short = vendor_short_name(entry.vendor.name_zh or "")
        if short:
            makers[short].add(entry.id)
    warnings: list[Problem] = []
    for entry in entries:
        assert entry.path is not None
        for alias in entry.aliases:
            others = sorted(makers.get(normalize_name(alias), set()) - {entry.id})
            if others:
                warnings.append(
                    Problem("W003", entry.path, _alias_line(entry.path, alias),
                            f"alias '{alias}' of '{entry.id}' is the bare name of a company that also "
                            f"makes {', '.join(others)}",
                            "name the product in the alias, or put the company's name on a family",
                            severity="warning")
                )
    return warnings


def _bundle_problems(entries: list[SdkEntry]) -> list[Problem]:
    """R013: ``bundles`` names other existing entries, and never leads back to itself."""
    by_id = {entry.id: entry for entry in entries}
    problems = []
    for entry in entries:
        assert entry.path is not None
        for index, ref in enumerate(entry.bundles):
            if ref == entry.id or ref not in by_id:
                what = "itself" if ref == entry.id else f"unknown entry '{ref}'"
                problems.append(
                    Problem("R013", entry.path, line_of(entry.path, ("bundles", index)),
                            f"bundles {what}", "name other existing registry ids")
                )
        seen: set[str] = set()
        stack = [ref for ref in entry.bundles if ref in by_id]
        while stack:
            current = stack.pop()
            if current == entry.id:
                problems.append(
                    Problem("R013", entry.path, line_of(entry.path, ("bundles",)),
                            f"bundles of '{entry.id}' lead back to it (a cycle)",
                            "a product bundles its components, components bundle nothing of it")
                )
                break
            if current not in seen:
                seen.add(current)
                stack += [ref for ref in by_id[current].bundles if ref in by_id]
    return problems


def _all_signatures(entry: SdkEntry) -> Iterable[tuple[str, Signature]]:
    return _detect_signatures(entry.detect)


def _detect_signatures(detect: Detect) -> Iterable[tuple[str, Signature]]:
    for kind, signatures in (
        ("packages", detect.packages),
        *((f"{k}s" if k != "activity" else "activities", detect.components(k))
          for k in COMPONENT_KINDS),
        ("meta_data", detect.meta_data),
        ("native_libs", detect.native_libs),
        ("assets", detect.assets),
        ("domains", detect.domains),
    ):
        for signature in signatures:
            yield kind, signature


def _reference_problems(entry: SdkEntry, entry_ids: set[str]) -> list[Problem]:
    assert entry.path is not None
    problems = []
    for kind, signature in _all_signatures(entry):
        for ref in (signature.via, *signature.shared_with):
            if ref is not None and ref not in entry_ids:
                problems.append(
                    Problem("R010", entry.path, line_of(entry.path, ("detect", kind)),
                            f"{kind} signature '{signature.value}' refers to unknown entry '{ref}'",
                            "name an existing registry id in via/shared_with")
                )
    return problems


def _prefix_problems(entry: SdkEntry) -> list[Problem]:
    assert entry.path is not None
    # Libraries that need no disclosure may claim a one-part root (okhttp3, retrofit2, kotlin):
    # misattributing them costs nothing. An SDK that must be disclosed needs two parts at least,
    # or an app named like a vendor root would be reported as that vendor's SDK.
    min_parts = 2 if entry.requires_disclosure else 1
    return _package_problems(entry.detect, entry.path, ("detect", "packages"), min_parts)


def _package_problems(
    detect: Detect, path: Path, keys: tuple[str | int, ...], min_parts: int
) -> list[Problem]:
    problems = []
    for index, signature in enumerate(detect.packages):
        parts = signature.value.split(".")
        if len(parts) < min_parts or not all(p.isidentifier() for p in parts):
            problems.append(
                Problem("R011", path, line_of(path, (*keys, index)),
                        f"package prefix '{signature.value}' is too broad or not a package name",
                        "use a dotted Java package of at least two parts, e.g. com.vendor.sdk")
            )
    return problems


def _alias_problems(
    entries: list[SdkEntry], family_items: list[dict[str, Any]], families_path: Path
) -> list[Problem]:
    claims: dict[str, list[tuple[str, Path, str]]] = defaultdict(list)
    for entry in entries:
        assert entry.path is not None
        for name in entry.all_names:
            claims[normalize_name(name)].append((entry.id, entry.path, name))
    for item in family_items:
        names = [item["name"], *([item["name_zh"]] if item.get("name_zh") else []), *item["aliases"]]
        for name in names:
            claims[normalize_name(name)].append((item["id"], families_path, name))
    problems = []
    for key, owners in claims.items():
        ids = sorted({owner for owner, _, _ in owners})
        if len(ids) < 2:
            continue
        for owner, path, name in owners:
            others = ", ".join(i for i in ids if i != owner)
            problems.append(
                Problem("R005", path, _alias_line(path, name),
                        f"alias '{name}' (normalised '{key}') of '{owner}' is also claimed by {others}",
                        "an alias must name one SDK; keep it on the entry it really names")
            )
    return problems


def _alias_line(path: Path, name: str) -> int | None:
    try:
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if name in text:
                return number
    except OSError:
        return None
    return None


def _signature_collisions(
    entries: list[SdkEntry], family_items: list[dict[str, Any]], families_path: Path
) -> list[Problem]:
    """R006. A family's signature is the line's shared evidence: no entry may claim it too
    (declaring it shared is for two products, not for a product and its line)."""
    claims: dict[tuple[str, str], list[tuple[str, Path, Signature]]] = defaultdict(list)
    for entry in entries:
        assert entry.path is not None
        for kind, signature in _all_signatures(entry):
            claims[(kind, signature.value)].append((entry.id, entry.path, signature))
    for item in family_items:
        for kind, signature in _detect_signatures(build_detect(item.get("detect"))):
            claims[(kind, signature.value)].append((item["id"], families_path, signature))
    families = {item["id"] for item in family_items}
    problems = []
    for (kind, value), owners in claims.items():
        ids = {owner for owner, _, _ in owners}
        if len(ids) < 2:
            continue
        for owner, path, signature in owners:
            undeclared = sorted(ids - {owner} - set(signature.shared_with))
            if not undeclared:
                continue
            if owner in families or families & set(undeclared):
                fix = "keep it on the family only (evidence of the line) or on the one product it proves"
            else:
                fix = ("if both SDKs really ship it, declare it on both: "
                       f"{{value: {value}, shared_with: [{', '.join(undeclared)}]}}")
            problems.append(
                Problem("R006", path, _alias_line(path, value),
                        f"{kind} signature '{value}' is also claimed by {', '.join(undeclared)}", fix)
            )
    return problems

