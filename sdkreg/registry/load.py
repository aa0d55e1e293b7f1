"""Read registry files into dataclasses. Every problem is reported by ``lint.py``; this module
only parses, so a registry that fails lint is never half-loaded into an audit."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sdkreg.errors import RegistryError
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


def read_document(path: Path) -> RawDocument:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return RawDocument(path, None, f"cannot read: {exc}")
    try:
        return RawDocument(path, yaml.load(text, Loader=_Loader), text=text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return RawDocument(path, None, f"YAML syntax error: {problem}", line, text)


def entry_paths(root: Path) -> list[Path]:
    return sorted((root / SDKS_DIR).glob("*.yaml"))


@cache
def load_schema(root: Path, name: str) -> dict[str, Any]:
    path = root / SCHEMA_DIR / name
    if not path.is_file():
        # A private registry may omit schemas: fall back to the bundled ones.
        path = default_registry_dir() / SCHEMA_DIR / name
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def line_of(path: Path, keys: tuple[str | int, ...]) -> int | None:
    """1-based line of the node at ``keys`` in a YAML file (nearest existing ancestor).

    Only called when reporting a problem, so the happy path never composes node trees.
    """
    try:
        node: yaml.Node | None = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
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
        raise RegistryError(f"registry directory not found: {root}")
    if not (root / SDKS_DIR).is_dir():
        raise RegistryError(f"{root} is not a registry: it has no {SDKS_DIR}/ folder")
    return root
