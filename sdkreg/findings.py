"""The one definition of each finding kind: its default severity, its title, its SARIF rule.

A new kind is one entry in ``FindingKind`` and one ``case`` in ``spec``: mypy then refuses any
renderer or table that misses it (``assert_never``), and tests/test_findings.py checks the audit
JSON schema's enum, the SARIF rules and README's findings table against ``FINDING_KIND_SPECS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Literal, assert_never, get_args

__all__ = ["FINDING_KINDS", "FINDING_KIND_SPECS", "FindingKind", "FindingKindSpec", "Severity",
           "kind_title", "spec"]

from sdkreg.i18n import NP_, Translator
from sdkreg.messages import Term, word

FindingKind = Literal[
    "undisclosed",
    "over_disclosed",
    "family_only",
    "incomplete_disclosure",
    "data_under_disclosed",
    "unregistered_disclosure",
    "unrecognised_code",
    "packed_app",
]
FINDING_KINDS: tuple[FindingKind, ...] = get_args(FindingKind)


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        return cls[text.upper()]


@dataclass(frozen=True)
class FindingKindSpec:
    kind: FindingKind
    severity: Severity  # the usual severity (README says when a finding of the kind differs)
    title: Term  # what a person reads: HTML headings, the Chinese text table
    sarif_name: str  # SARIF rule name (the rule id is the kind)
    sarif_description: str  # SARIF rule shortDescription


def spec(kind: FindingKind) -> FindingKindSpec:
    match kind:
        case "undisclosed":
            return FindingKindSpec(
                kind, Severity.ERROR, Term("finding kind", NP_("finding kind", "undisclosed")),
                "UndisclosedSdk", "SDK in the APK is not disclosed by the privacy policy")
        case "over_disclosed":
            return FindingKindSpec(
                kind, Severity.WARNING, Term("finding kind", NP_("finding kind", "over-disclosed")),
                "OverDisclosedSdk", "Policy discloses an SDK the APK does not contain")
        case "family_only":
            return FindingKindSpec(
                kind, Severity.INFO, Term("finding kind", NP_("finding kind", "product line only")),
                "FamilyOnlyDisclosure", "Policy names only the product line")
        case "incomplete_disclosure":
            return FindingKindSpec(
                kind, Severity.WARNING,
                Term("finding kind", NP_("finding kind", "incomplete disclosure")),
                "IncompleteDisclosure", "SDK disclosure lacks required fields")
        case "data_under_disclosed":
            return FindingKindSpec(
                kind, Severity.WARNING,
                Term("finding kind", NP_("finding kind", "personal data under-disclosed")),
                "DataUnderDisclosed", "Disclosure omits personal data the SDK collects")
        case "unregistered_disclosure":
            return FindingKindSpec(
                kind, Severity.INFO,
                Term("finding kind", NP_("finding kind", "unregistered disclosure")),
                "UnregisteredDisclosure", "Disclosed SDK unknown to the registry")
        case "unrecognised_code":
            return FindingKindSpec(
                kind, Severity.INFO, Term("finding kind", NP_("finding kind", "unrecognised code")),
                "UnrecognisedCode", "Third-party code unknown to the registry")
        case "packed_app":
            return FindingKindSpec(
                kind, Severity.WARNING, Term("finding kind", NP_("finding kind", "packed app")),
                "PackedApp", "App is packed: code evidence incomplete")
        case _:
            assert_never(kind)


FINDING_KIND_SPECS: tuple[FindingKindSpec, ...] = tuple(spec(kind) for kind in FINDING_KINDS)


def kind_title(kind: FindingKind, tr: Translator) -> str:
    """The kind as a person reads it, in ``tr``'s language."""
    return word(spec(kind).title, tr)
