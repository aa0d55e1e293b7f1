"""Helpers for the policy tests that read a small policy text and look at what came out."""

from __future__ import annotations

from collections import Counter

from sdkreg.policy import extract_disclosures
from sdkreg.policy.model import PolicyResult
from sdkreg.policy.read import Format, policy_from_bytes
from sdkreg.registry import Registry


def read_text(text: str, registry: Registry, fmt: Format | None = None, name: str = "p") -> PolicyResult:
    """The policy `text` (UTF-8), read with explanations; `fmt` forces a format, else `name` and
    the bytes decide."""
    return extract_disclosures(policy_from_bytes(text.encode(), name, fmt), registry, explain=True)


def found(result: PolicyResult) -> Counter[tuple[str, str | None]]:
    """The disclosures as (name as written, registry id)."""
    return Counter((d.as_written, d.sdk) for d in result.disclosures)


def reason(result: PolicyResult, name: str) -> str:
    """Why the arbiter dropped the candidate written `name`."""
    return next(e.reason for e in result.explanations if e.as_written == name and not e.kept)
