"""The SDK registry: YAML data under ``registry/``, loaded into a ``Registry``."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_cache_dir

from sdkreg import __version__
from sdkreg.errors import RegistryError
from sdkreg.registry.load import (
    DATA_TYPES_FILE,
    FAMILIES_FILE,
    SCHEMA_DIR,
    build_data_type,
    build_family,
    default_registry_dir,
    entry_paths,
    load_schema,
    require_dir,
)
from sdkreg.registry.model import DataType, Detect, Examples, Family, SdkEntry, Signature, Vendor
from sdkreg.registry.names import normalize_name
from sdkreg.registry.registry import AliasTarget, Registry, build_alias_index, content_hash

if TYPE_CHECKING:
    from sdkreg.registry.lint import LintResult

__all__ = [
    "AliasTarget",
    "DataType",
    "Detect",
    "Examples",
    "Family",
    "Registry",
    "SdkEntry",
    "Signature",
    "Vendor",
    "default_registry_dir",
    "load_registry",
    "normalize_name",
    "registry_from_lint",
]


def registry_from_lint(root: Path, result: LintResult, version: str | None = None) -> Registry:
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
        version=version or content_hash(registry_files(root), root),
        _alias_index=build_alias_index(entries.values(), families.values()),
    )


def registry_files(root: Path) -> tuple[Path, ...]:
    """Every file whose content defines the registry (and so its version)."""
    schemas = sorted((root / SCHEMA_DIR).glob("*.json"))
    return (root / FAMILIES_FILE, root / DATA_TYPES_FILE, *schemas, *entry_paths(root))


def load_registry(root: Path | None = None, *, use_cache: bool = True) -> Registry:
    """Load and check a registry; raise ``RegistryError`` if any lint rule fails.

    Full checking (JSON Schema above all) costs about a millisecond per entry, paid at every
    command. A registry that passed is therefore cached, keyed by the hash of its content, so
    only a changed registry is checked again.
    """
    root = require_dir((root or default_registry_dir()).resolve())
    files = registry_files(root)
    version = content_hash(files, root)
    cache = _cache_file(root, version) if use_cache else None
    if cache is not None:
        cached = _read_cache(cache)
        if cached is not None and cached.root == root and cached.version == version:
            return cached
    # jsonschema (the lint) costs a tenth of a second to import: only a cache miss pays it.
    from sdkreg.registry.lint import lint_registry

    result = lint_registry(root)
    if result.problems:
        first = result.problems[0].render(root)
        more = len(result.problems) - 1
        tail = f" (and {more} more; run `sdkreg registry validate {root}`)" if more else ""
        raise RegistryError(f"registry at {root} is invalid: {first}{tail}")
    registry = registry_from_lint(root, result, version)
    if cache is not None:
        _write_cache(cache, registry)
    return registry


# Bump when the pickled dataclasses change shape.
_CACHE_FORMAT = "3"  # 3: Family gained detect, sources, notes


def _cache_file(root: Path, version: str) -> Path | None:
    base = os.environ.get("SDKREG_CACHE_DIR") or user_cache_dir("sdkreg", appauthor=False)
    if os.environ.get("SDKREG_NO_CACHE"):
        return None
    key = hashlib.sha256(f"{_CACHE_FORMAT}\0{__version__}\0{root}\0{version}".encode()).hexdigest()
    return Path(base) / "registry" / f"{key[:32]}.pickle"


def _read_cache(path: Path) -> Registry | None:
    try:
        with path.open("rb") as handle:
            value = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None  # a missing or stale cache is simply rebuilt
    return value if isinstance(value, Registry) else None


def _write_cache(path: Path, registry: Registry) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            pickle.dump(registry, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home must not break an audit
