"""What reading a privacy policy produces: the document, and the SDK disclosures in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["product", "family"]
MatchMethod = Literal["package", "exact", "fuzzy", "none"]


@dataclass(frozen=True)
class PolicyText:
    """A policy decoded to text, with its identity. ``lines`` keep table rows and list items
    on lines of their own (HTML is flattened with cells separated by `` | ``)."""

    path: str
    sha256: str
    encoding: str  # e.g. "utf-8", "utf-8-sig", "utf-16", "gb18030"
    format: Literal["text", "html", "markdown", "docx", "pdf"]
    lines: tuple[str, ...]


@dataclass(frozen=True)
class NameMatch:
    method: MatchMethod  # package name in the text, exact alias, fuzzy alias, or none
    score: float  # 0-100; 100 for package and exact matches, 0 for none
    alias: str | None = None  # the registry alias or package prefix that matched


@dataclass(frozen=True)
class DisclosureFields:
    company: str | None = None  # 合作方主体 / 第三方名称 / 公司名称
    purpose: str | None = None  # 使用目的 / 用途
    data_text: str | None = None  # the personal-data text as written
    data_types: tuple[str, ...] = ()  # vocabulary ids found in data_text
    method: str | None = None  # 收集方式
    url: str | None = None  # the SDK's privacy-policy (or official) link


@dataclass(frozen=True)
class Disclosure:
    as_written: str
    line: int  # 1-based line in PolicyText.lines
    sdk: str | None  # registry id (product or family), None when unresolved
    level: Level | None
    match: NameMatch
    fields: DisclosureFields


@dataclass(frozen=True)
class PolicyResult:
    source: PolicyText
    disclosures: tuple[Disclosure, ...]
    # True when the policy has a recognisable third-party SDK section (even if empty);
    # lets reports say "no SDK list found" rather than silently "no SDKs".
    has_sdk_section: bool
    # The policy page (a URL) that names no SDK list itself but links to ``source``, the page
    # the disclosures were read from; None when they come from the policy the user gave.
    linked_from: str | None = None
