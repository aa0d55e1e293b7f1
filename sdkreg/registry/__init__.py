"""The SDK registry: YAML data under ``registry/``, loaded into a ``Registry``."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platformdirs import user_cache_dir

from sdkreg import __version__
from sdkreg.errors import RegistryError
from sdkreg.registry.load import (
    DATA_TYPES_FILE,
    FAMILIES_FILE,
    SCHEMA_DIR,
    build_data_type,
    build_entry,
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
    return Registry(
        root=root,
        entries=entries,
        families=families,
        data_types=data_types,
        categories=_categories(root),
        version=version or content_hash(registry_files(root), root),
        _alias_index=build_alias_index(entries.values(), families.values()),
    )


def _categories(root: Path) -> tuple[str, ...]:
    try:
        values = load_schema(root, "sdk.schema.json")["properties"]["category"]["enum"]
    except (KeyError, TypeError) as exc:
        raise RegistryError(
            f"{root / SCHEMA_DIR / 'sdk.schema.json'}: has no properties.category.enum"
        ) from exc
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise RegistryError(f"{root / SCHEMA_DIR / 'sdk.schema.json'}: category enum is not strings")
    return tuple(values)


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
    try:
        version = content_hash(registry_files(root), root)
    except RegistryError as exc:
        raise RegistryError(f"registry at {root} is invalid: {exc}") from exc
    cache = _cache_file(root, version) if use_cache else None
    if cache is not None:
        cached = _read_cache(cache, root, version)
        if cached is not None:
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
        _write_cache(cache, root, version, result, registry)
    return registry


# --- the cache: JSON of the validated documents, never code -------------------------------------
#
# A cache anyone else could write must not be able to run code in sdkreg (a pickle can), nor be
# taken for another registry's. So: plain JSON of the documents that passed the lint (and of the
# alias index built from them), in a file named by a hash of (format, tool version, registry path,
# registry content hash). Its first line repeats those four values with the SHA-256 of the rest of
# the file, and both are checked on reading. A file that fails any check, is not ours (another
# owner, or writable by others) or does not parse is ignored and rebuilt.

# Bump when the payload's shape changes.
_CACHE_FORMAT = "sdkreg-registry-cache/3"
# The shipped registry's cache is ~0.2 MB; a 64 MB file is not one of ours.
_MAX_CACHE_BYTES = 64 << 20


def _cache_file(root: Path, version: str) -> Path | None:
    base = os.environ.get("SDKREG_CACHE_DIR") or user_cache_dir("sdkreg", appauthor=False)
    if os.environ.get("SDKREG_NO_CACHE"):
        return None
    key = hashlib.sha256(f"{_CACHE_FORMAT}\0{__version__}\0{root}\0{version}".encode()).hexdigest()
    return Path(base) / "registry" / f"{key[:32]}.json"


def _header(root: Path, version: str, digest: str) -> dict[str, str]:
    return {"format": _CACHE_FORMAT, "tool_version": __version__, "root": str(root),
            "version": version, "payload_sha256": digest}


def _read_cache(path: Path, root: Path, version: str) -> Registry | None:
    """The cached registry, or None (missing, foreign, stale, tampered or damaged: rebuilt)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if (
                not stat.S_ISREG(info.st_mode)
                or info.st_uid != os.getuid()
                or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
                or info.st_size > _MAX_CACHE_BYTES
            ):
                return None
            first, _, body = handle.read(_MAX_CACHE_BYTES + 1).partition(b"\n")
        digest = hashlib.sha256(body).hexdigest()
        if json.loads(first) != _header(root, version, digest):
            return None
        payload: Any = json.loads(body)
        entries = {
            item["data"]["id"]: build_entry(item["data"], root / item["path"])
            for item in payload["entries"]
        }
        families = {
            item["id"]: build_family(item, tuple(item["members"])) for item in payload["families"]
        }
        return Registry(
            root=root,
            entries=entries,
            families=families,
            data_types={item["id"]: build_data_type(item) for item in payload["data_types"]},
            categories=tuple(payload["categories"]),
            version=version,
            _alias_index={
                key: tuple(AliasTarget(target_id, level) for target_id, level in targets)
                for key, targets in payload["aliases"].items()
            },
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _write_cache(
    path: Path, root: Path, version: str, result: LintResult, registry: Registry
) -> None:
    data_of = {entry.id: data for entry, data in zip(result.entries, result.entry_data, strict=True)}
    payload = {
        "entries": [
            {"path": entry.path.relative_to(root).as_posix(), "data": data_of[entry.id]}
            for entry in registry.entries.values()
            if entry.path is not None
        ],
        "families": [
            {**item, "members": list(registry.family_members(item["id"]))}
            for item in result.families_data
        ],
        "data_types": list(result.data_types_data),
        "categories": list(registry.categories),
        "aliases": {
            key: [[target.id, target.level] for target in targets]
            for key, targets in registry.alias_index.items()
        },
    }
    try:
        body = json.dumps(payload).encode("ascii")
        if json.loads(body) != payload:
            return  # JSON would change a value (a non-string key): this registry is not cached
    except (TypeError, ValueError):
        return  # a YAML value JSON cannot hold (a date, a set): this registry is not cached
    header = json.dumps(_header(root, version, hashlib.sha256(body).hexdigest())).encode("ascii")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as handle:
            handle.write(header + b"\n" + body)
        os.replace(handle.name, path)
    except OSError:
        pass  # a read-only home must not break an audit
