"""Run every entry's own examples through the real matchers (code ``R012``).

An entry proves itself: its example classes and components must be attributed to it by the
APK signature index, its lookalikes must not be, and its policy phrases must resolve to it
through the policy name resolver.
"""

from __future__ import annotations

from collections.abc import Iterator

from sdkreg.match import SignatureIndex, signature_index
from sdkreg.policy.resolve import resolve_name
from sdkreg.registry.lint import Problem
from sdkreg.registry.load import line_of
from sdkreg.registry.model import SdkEntry
from sdkreg.registry.registry import Registry


def check_examples(registry: Registry) -> list[Problem]:
    index = signature_index(registry)
    problems: list[Problem] = []
    for entry in registry.entries.values():
        for key, i, message, fix in _entry_failures(entry, index, registry):
            assert entry.path is not None
            line = line_of(entry.path, ("examples", key, i))
            problems.append(Problem("R012", entry.path, line, message, fix))
    return problems


def _entry_failures(
    entry: SdkEntry, index: SignatureIndex, registry: Registry
) -> Iterator[tuple[str, int, str, str]]:
    """(examples key, item index, what went wrong, how to fix it) for each failing example."""
    for i, name in enumerate(entry.examples.classes):
        owners = index.classify_class(name)
        if entry.id not in owners:
            yield ("classes", i, f"example class '{name}' is attributed to {_owners(owners)}, "
                   f"not to '{entry.id}'",
                   "add the package prefix to detect.packages, or fix the example")
    for i, name in enumerate(entry.examples.not_classes):
        if entry.id in index.classify_class(name):
            yield ("not_classes", i, f"lookalike '{name}' is wrongly attributed to '{entry.id}'",
                   "make the package prefix more specific")
    for i, name in enumerate(entry.examples.components):
        owners = index.classify_component(name)
        if entry.id not in owners:
            yield ("components", i, f"example component '{name}' is attributed to "
                   f"{_owners(owners)}, not to '{entry.id}'",
                   "list it under detect.services/receivers/providers/activities or detect.packages")
    for i, file_name in enumerate(entry.examples.native_libs):
        owners = tuple(dict.fromkeys(c.sdk for c in index.lib_claims(file_name)))
        if entry.id not in owners:
            yield ("native_libs", i, f"example native library '{file_name}' is attributed to "
                   f"{_owners(owners)}, not to '{entry.id}'",
                   "list it under detect.native_libs, or fix the example")
    for i, key in enumerate(entry.examples.meta_data):
        owners = tuple(dict.fromkeys(c.sdk for c in index.meta_data.get(key, ())))
        if entry.id not in owners:
            yield ("meta_data", i, f"example meta-data key '{key}' is attributed to "
                   f"{_owners(owners)}, not to '{entry.id}'",
                   "list it under detect.meta_data, or fix the example")
    for i, phrase in enumerate(entry.examples.policy):
        resolved = tuple(r.sdk for r in resolve_name(phrase, registry) if r.sdk)
        if entry.id not in resolved:
            yield ("policy", i, f"policy phrase '{phrase}' resolves to {_owners(resolved)}, "
                   f"not to '{entry.id}'",
                   "add the wording to aliases (or remove a colliding alias elsewhere)")


def _owners(owners: tuple[str, ...]) -> str:
    return ", ".join(f"'{o}'" for o in owners) if owners else "nothing"
