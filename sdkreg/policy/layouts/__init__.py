"""Layout finders: one module per layout a policy uses to list its SDKs.

Each module has a pure ``find(doc, ctx) -> list[Candidate]`` and a ``STRENGTH``; ``FINDERS``
lists them, strongest first. A new layout is a new module added here; the arbiter
(policy/arbiter.py) settles overlaps between them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sdkreg.policy.document import Document
from sdkreg.policy.layouts import cells, fields, inline, integration, items, spaced, tables
from sdkreg.policy.layouts.base import Candidate, Context


@dataclass(frozen=True)
class Finder:
    name: str
    strength: int
    find: Callable[[Document, Context], list[Candidate]]


FINDERS: tuple[Finder, ...] = tuple(
    sorted(
        (
            Finder(module.NAME, module.STRENGTH, module.find)
            for module in (tables, cells, fields, spaced, items, inline, integration)
        ),
        key=lambda f: -f.strength,
    )
)

__all__ = ["FINDERS", "Candidate", "Context", "Finder"]
