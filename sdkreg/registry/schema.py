"""JSON Schema validators for registry files, with references resolved inside the registry only.

A registry directory given with ``--registry`` is untrusted input, and so are its schemas. Left to
its defaults, jsonschema follows a ``$ref`` it cannot resolve locally to wherever it points
(``file:///etc/passwd``, ``http://…``). Here every ``$ref`` resolves against a ``referencing``
registry holding only the registry's schema files (the bundled ones where the registry has none),
known by their ``$id`` and by file name, and retrieval of anything else always fails: a reference
outside that set is an ``Unresolvable`` error, never a read or a connection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from sdkreg.errors import RegistryError
from sdkreg.registry.load import SCHEMA_DIR, default_registry_dir, load_schema

# The schema files a registry is checked against (the others under schema/ are not loaded).
SCHEMA_NAMES = ("sdk.schema.json", "families.schema.json", "data-types.schema.json")


def schema_names(root: Path) -> tuple[str, ...]:
    """Every schema name of the registry at ``root`` and of the bundled registry."""
    names = set(SCHEMA_NAMES)
    for directory in (root / SCHEMA_DIR, default_registry_dir() / SCHEMA_DIR):
        names.update(path.name for path in directory.glob("*.json"))
    return tuple(sorted(names))


def schema_validators(root: Path) -> dict[str, Any]:
    """A Draft 2020-12 validator for each ``schema/<name>`` of the registry at ``root``, by name.

    Raises ``RegistryError`` when a schema is not JSON, not a valid JSON Schema, or refers to
    anything but the registry's schemas."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError
    from referencing import Registry
    from referencing.exceptions import Unresolvable
    from referencing.jsonschema import DRAFT202012

    schemas = {schema: load_schema(root, schema) for schema in schema_names(root)}
    for schema_name, contents in schemas.items():
        try:
            Draft202012Validator.check_schema(contents)
        except SchemaError as exc:
            raise RegistryError(
                f"{root / SCHEMA_DIR / schema_name}: not a valid JSON Schema: {exc.message[:160]}"
            ) from exc
    resources = {schema: DRAFT202012.create_resource(contents) for schema, contents in schemas.items()}
    # Known by file name, by $id, and by file name next to every $id (a relative "$ref" in a
    # schema with an $id resolves against it, as between files of one folder).
    bases = {contents["$id"] for contents in schemas.values() if isinstance(contents.get("$id"), str)}
    uris = [(schema, resource) for schema, resource in resources.items()]
    uris += [(urljoin(base, schema), resource) for base in bases for schema, resource in resources.items()]
    # Registry() retrieves nothing: its default retrieve function always fails.
    references = Registry().with_resources(uris)
    for schema_name, resource in resources.items():
        resolver = references.resolver_with_root(resource)
        for ref in _references(schemas[schema_name]):
            try:
                resolver.lookup(ref)
            except Unresolvable as exc:
                raise RegistryError(
                    f"{root / SCHEMA_DIR / schema_name}: $ref {ref!r} is not one of the registry's "
                    "schemas (references resolve only among schema/*.json, never by file or network)"
                ) from exc
    return {name: Draft202012Validator(schemas[name], registry=references) for name in schemas}


def _references(schema: Any) -> list[str]:
    """Every ``$ref`` / ``$dynamicRef`` string in a schema document."""
    found: list[str] = []
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                    found.append(value)
                else:
                    stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return found
