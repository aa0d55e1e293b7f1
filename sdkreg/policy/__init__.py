"""Privacy policies: read a file into lines, extract its SDK disclosures, resolve their names."""

from __future__ import annotations

from sdkreg.policy.extract import extract_disclosures
from sdkreg.policy.model import Disclosure, DisclosureFields, NameMatch, PolicyResult, PolicyText
from sdkreg.policy.read import read_policy

__all__ = [
    "Disclosure",
    "DisclosureFields",
    "NameMatch",
    "PolicyResult",
    "PolicyText",
    "extract_disclosures",
    "read_policy",
]
