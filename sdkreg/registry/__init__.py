"""The SDK registry: YAML data under ``registry/``, loaded into a ``Registry``."""

from __future__ import annotations

from pathlib import Path

from sdkreg.errors import RegistryError
from sdkreg.registry.lint import LintResult, Problem, lint_registry
from sdkreg.registry.load import (
    build_data_type,
    build_family,
    default_registry_dir,
    load_schema,
    require_dir,
)
from sdkreg.registry.model import DataType, Detect, Examples, Family, SdkEntry, Signature, Vendor
from sdkreg.registry.names import normalize_name
from sdkreg.registry.registry import AliasTarget, Registry, build_alias_index, content_hash

__all__ = [
    "AliasTarget",
    "DataType",
    "Detect",
    "Examples",
    "Family",
    "LintResult",
    "Problem",
    "Registry",
    "SdkEntry",
    "Signature",
    "Vendor",
    "default_registry_dir",
    "lint_registry",
    "load_registry",
    "normalize_name",
    "registry_from_lint",
]


def registry_from_lint(root: Path, result: LintResult) -> Registry:
    entries = {entry.id: entry for entry in sorted(result.entries, key=lambda e: e.id)}
    members: dict[str, list[str]] = {}
    for entry in entries.values():
        if entry.family:
            members.setdefault(entry.family, []).append(entry.id)
    families = {
        item["id"]: build_family(item, tuple(members.get(item["id"], ())))
        for item in result.families_data
    }
    data_types = {item["id"]: build_data_type(item) for item in result.data_types_data}
    categories = tuple(load_schema(root, "sdk.schema.json")["properties"]["category"]["enum"])
    return Registry(
        root=root,
        entries=entries,
        families=families,
        data_types=data_types,
        categories=categories,
        version=content_hash(result.files, root),
        _alias_index=build_alias_index(entries.values(), families.values()),
    )


def load_registry(root: Path | None = None) -> Registry:
    """Load and check a registry; raise ``RegistryError`` if any lint rule fails."""
    root = require_dir((root or default_registry_dir()).resolve())
    result = lint_registry(root)
    if result.problems:
        first = result.problems[0].render(root)
        more = len(result.problems) - 1
        tail = f" (and {more} more; run `sdkreg registry validate {root}`)" if more else ""
        raise RegistryError(f"registry at {root} is invalid: {first}{tail}")
    return registry_from_lint(root, result)
