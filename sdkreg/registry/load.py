"""Read registry files into dataclasses. Every problem is reported by ``lint.py``; this module
only parses, so a registry that fails lint is never half-loaded into an audit."""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sdkreg.errors import RegistryError, first_line
from sdkreg.registry.model import (
    DataType,
    Detect,
    Examples,
    Family,
    Links,
    SdkEntry,
    Signature,
    Vendor,
)

# libyaml makes loading hundreds of entries several times faster
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

SDKS_DIR = "sdks"
FAMILIES_FILE = "families.yaml"
DATA_TYPES_FILE = "data-types.yaml"
SCHEMA_DIR = "schema"
# The largest shipped registry file is 10 KB (the SDK schema); an entry of 1 MB is no entry.
MAX_FILE_BYTES = 1 << 20


def default_registry_dir() -> Path:
    """The bundled registry: inside the wheel, or the repository's ``registry/`` when the
    package runs from a checkout (editable install)."""
    package_dir = Path(__file__).resolve().parent.parent
    bundled = package_dir / "_registry"
    if bundled.is_dir():
        return bundled
    return package_dir.parent / "registry"


@dataclass(frozen=True)
class RawDocument:
    """One parsed YAML file; ``data`` is None when it did not parse (``error`` says why)."""

    path: Path
    data: Any
    error: str | None = None
    error_line: int | None = None
    text: str = ""


def read_registry_bytes(path: Path, root: Path | None) -> bytes:
    """The bytes of one registry file, which must be a regular file of at most MAX_FILE_BYTES
    and, when ``root`` is given, lie inside it once symlinks are resolved. A
    registry is untrusted input: a symlink to another file of the machine, to ``/dev/zero`` or to
    a FIFO is refused (never opened); any failure is a ``RegistryError`` with a one-line reason."""
    real = path if root is None else _inside(path, root)
    try:
        if not stat.S_ISREG(os.stat(real).st_mode):  # checked before opening: opening a device acts
            raise RegistryError(f"{path}: not a regular file")
        # O_NONBLOCK: had it been swapped for a FIFO since the check, opening must not wait.
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise RegistryError(f"{path}: not a regular file")
            data = handle.read(min(info.st_size, MAX_FILE_BYTES) + 1)
    except FileNotFoundError as exc:
        raise RegistryError(f"{path}: no such file") from exc
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise RegistryError(f"{path}: larger than {MAX_FILE_BYTES >> 20} MB, too large for a registry file")
    return data


def _inside(path: Path, root: Path) -> Path:
    """``path`` itself when no component below ``root`` is a symlink (an lstat or two, the usual
    case), else its resolved target, which must lie under ``root``."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        parts = ()
    current = root
    try:
        for part in parts:
            current = current / part
            if stat.S_ISLNK(os.lstat(current).st_mode):
                break
        else:
            if parts:
                return path
    except FileNotFoundError as exc:
        raise RegistryError(f"{path}: no such file") from exc
    except OSError as exc:
        raise RegistryError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    real, top = os.path.realpath(path), os.path.realpath(root)
    if os.path.commonpath((real, top)) != top:
        raise RegistryError(f"{path}: a symlink to {real}, outside the registry")
    return Path(real)


def read_document(path: Path, root: Path | None) -> RawDocument:
    try:
        text = read_registry_bytes(path, root).decode("utf-8")
    except RegistryError as exc:
        return RawDocument(path, None, f"cannot read: {exc}")
    except UnicodeDecodeError as exc:
        return RawDocument(path, None, f"cannot read: not UTF-8 ({exc.reason} at byte {exc.start})")
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return RawDocument(path, None, f"YAML syntax error: {problem}", line, text)
    except RecursionError:
        return RawDocument(path, None, "YAML nested too deeply", None, text)
    if _expanded_size(data) > MAX_EXPANDED_NODES:
        return RawDocument(path, None, f"YAML aliases expand it past {MAX_EXPANDED_NODES} values "
                           "(a billion-laughs document?)", None, text)
    return RawDocument(path, data, text=text)


# A large entry holds a few hundred values; aliases (``*id001``) may repeat a list, but a document
# that expands past this is built to exhaust whoever walks it (the schema check, an error message).
MAX_EXPANDED_NODES = 100_000


def _expanded_size(data: Any) -> int:
    """How many values ``data`` holds once every alias is expanded, counted in time linear in
    the distinct values (a shared list or mapping is sized once); past the cap, or for a
    document that contains itself (``&a [*a]``), more than the cap."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:  # iterative post-order: a container is sized after all its children
        node, children_done = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if children_done:
            total = 1 + sum(sizes[id(c)] if isinstance(c, (dict, list)) else 1 for c in children)
            sizes[id(node)] = min(total, MAX_EXPANDED_NODES + 1)
            on_path.discard(id(node))
            continue
        if id(node) in sizes:
            continue
        if id(node) in on_path or len(on_path) > MAX_EXPANDED_NODES:
            return MAX_EXPANDED_NODES + 1  # a cycle
        on_path.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in children
                     if isinstance(child, (dict, list)) and id(child) not in sizes)
    return sizes.get(id(data), 1)


def entry_paths(root: Path) -> list[Path]:
    return sorted((root / SDKS_DIR).glob("*.yaml"))


def load_schema(root: Path, name: str) -> dict[str, Any]:
    """The registry's own ``schema/<name>``, else the bundled one (a private registry may omit
    its schemas). A schema that is not a JSON object is a ``RegistryError``."""
    path = root / SCHEMA_DIR / name
    if not os.path.lexists(path):
        path = default_registry_dir() / SCHEMA_DIR / name
        root = default_registry_dir()
    data = read_registry_bytes(path, root)
    try:
        result = json.loads(data)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError
        raise RegistryError(f"{path}: not a JSON schema: {first_line(exc)}") from exc
    if not isinstance(result, dict):
        raise RegistryError(f"{path}: not a JSON schema: the document is not an object")
    return result


def line_of(path: Path, keys: tuple[str | int, ...]) -> int | None:
    """1-based line of the node at ``keys`` in a YAML file (nearest existing ancestor).

    Only called when reporting a problem, so the happy path never composes node trees.
    """
    try:
        text = read_registry_bytes(path, None).decode("utf-8")
        node: yaml.Node | None = yaml.compose(text, Loader=_Loader)
    except (RegistryError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in keys:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    line = key_node.start_mark.line + 1
                    child = value_node
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
            child = node.value[key]
            line = child.start_mark.line + 1
        if child is None:
            break
        node = child
    return line


# --- building dataclasses from already-validated data ---------------------------------------


def _signatures(items: list[Any] | None) -> tuple[Signature, ...]:
    result = []
    for item in items or ():
        if isinstance(item, str):
            result.append(Signature(item))
        else:
            result.append(
                Signature(
                    item["value"],
                    item.get("via"),
                    tuple(item.get("shared_with", ())),
                    item.get("note"),
                )
            )
    return tuple(result)


def _vendor(data: dict[str, str]) -> Vendor:
    return Vendor(name_zh=data["name_zh"], name_en=data["name_en"])


def _links(data: dict[str, str] | None) -> Links:
    data = data or {}
    return Links(data.get("website"), data.get("privacy_policy"), data.get("docs"))


def build_entry(data: dict[str, Any], path: Path) -> SdkEntry:
    examples = data.get("examples") or {}
    return SdkEntry(
        id=data["id"],
        name=data["name"],
        name_zh=data.get("name_zh"),
        family=data.get("family"),
        category=data["category"],
        vendor=_vendor(data["vendor"]),
        aliases=tuple(data.get("aliases") or ()),
        detect=build_detect(data.get("detect")),
        collects=tuple(data.get("collects") or ()),
        collects_optional=tuple(data.get("collects_optional") or ()),
        collects_source=data.get("collects_source"),
        collects_unpublished=data.get("collects_unpublished"),
        bundles=tuple(data.get("bundles") or ()),
        permissions=tuple(data.get("permissions") or ()),
        links=_links(data.get("links")),
        sources=tuple(data.get("sources") or ()),
        examples=Examples(
            classes=tuple(examples.get("classes") or ()),
            not_classes=tuple(examples.get("not_classes") or ()),
            components=tuple(examples.get("components") or ()),
            native_libs=tuple(examples.get("native_libs") or ()),
            meta_data=tuple(examples.get("meta_data") or ()),
            policy=tuple(examples.get("policy") or ()),
        ),
        requires_disclosure=bool(data.get("requires_disclosure", True)),
        notes=data.get("notes"),
        purpose_zh=data.get("purpose_zh"),
        path=path,
    )


def build_detect(detect: dict[str, Any] | None) -> Detect:
    detect = detect or {}
    return Detect(
        packages=_signatures(detect.get("packages")),
        activities=_signatures(detect.get("activities")),
        services=_signatures(detect.get("services")),
        receivers=_signatures(detect.get("receivers")),
        providers=_signatures(detect.get("providers")),
        meta_data=_signatures(detect.get("meta_data")),
        native_libs=_signatures(detect.get("native_libs")),
        assets=_signatures(detect.get("assets")),
        domains=_signatures(detect.get("domains")),
    )


def build_family(data: dict[str, Any], members: tuple[str, ...]) -> Family:
    return Family(
        id=data["id"],
        name=data["name"],
        name_zh=data.get("name_zh"),
        vendor=_vendor(data["vendor"]),
        aliases=tuple(data.get("aliases") or ()),
        members=members,
        links=_links(data.get("links")),
        detect=build_detect(data.get("detect")),
        sources=tuple(data.get("sources") or ()),
        notes=data.get("notes"),
    )


def build_data_type(data: dict[str, Any]) -> DataType:
    return DataType(
        id=data["id"],
        name=data["name"],
        wordings=tuple(data["wordings"]),
        parent=data.get("parent"),
        not_wordings=tuple(data.get("not_wordings") or ()),
    )


def require_dir(root: Path) -> Path:
    if not root.is_dir():
        what = "is not a directory" if root.exists() else "not found"
        raise RegistryError(f"registry directory {root} {what}")
    if not (root / SDKS_DIR).is_dir():
        raise RegistryError(f"{root} is not a registry: it has no {SDKS_DIR}/ folder")
    return root
