"""The versioned JSON contracts of `sdkreg audit|scan|policy|stats --format json` and `batch --jsonl`.

``validator("audit")`` checks a report, resolving the audit schema's references to the scan and
policy schemas (an audit report embeds their detection and disclosure objects).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, Literal

SchemaName = Literal["audit", "scan", "policy", "disclose", "batch-item", "stats"]
SCHEMA_DIR = Path(__file__).resolve().parent


@cache
def load(name: SchemaName) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    return schema


def validator(name: SchemaName) -> Any:
    """A jsonschema Draft 2020-12 validator with every sdkreg schema resolvable by its $id."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    resources = [
        (schema["$id"], Resource.from_contents(schema))
        for schema in (load("audit"), load("scan"), load("policy"), load("disclose"))
    ]
    return Draft202012Validator(load(name), registry=Registry().with_resources(resources))
