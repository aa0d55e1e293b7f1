"""What reading a privacy policy produces: the document, and the SDK disclosures in it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["product", "family"]
MatchMethod = Literal["package", "exact", "fuzzy", "none"]


# Where a later part of a flattened line starts on another source line: (offset in the
# flattened line, 1-based source line). An HTML row is one line, its cells may sit on several.
LineBreaks = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class PolicyText:
    """A policy decoded to text, with its identity. ``lines`` keep table rows and list items
    on lines of their own (HTML is flattened with cells separated by `` | ``).

    Reports cite the file's own lines: ``line_numbers[i]`` is the 1-based source line where
    flattened line ``i`` starts (text and Markdown: ``i + 1``; HTML: the line of the element
    whose text opens it), and ``line_breaks[i]`` lists where later parts of it (a row's
    cells, text after a newline inside an element) start on other source lines. Both may be
    empty (a hand-built text): then line ``i`` is source line ``i + 1``."""

    path: str
    sha256: str
    encoding: str  # e.g. "utf-8", "utf-8-sig", "utf-16", "gb18030"
    format: Literal["text", "html", "markdown", "docx", "pdf"]
    lines: tuple[str, ...]
    line_numbers: tuple[int, ...] = ()
    line_breaks: tuple[LineBreaks, ...] = ()

    def source_line(self, index: int, offset: int = 0) -> int:
        """1-based source line of the text at ``offset`` in flattened line ``index``."""
        line = self.line_numbers[index] if index < len(self.line_numbers) else index + 1
        if index < len(self.line_breaks):
            for start, source in self.line_breaks[index]:
                if start > offset:
                    break
                line = source
        return line


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
    line: int  # 1-based line in the policy file (PolicyText.source_line)
    sdk: str | None  # registry id (product or family), None when unresolved
    level: Level | None
    match: NameMatch
    fields: DisclosureFields


@dataclass(frozen=True)
class Explanation:
    """Why a candidate name became a disclosure or did not (``sdkreg policy --explain``)."""

    as_written: str
    line: int  # 1-based source line
    finder: str  # the layout that proposed it
    strength: int
    roles: tuple[tuple[str, float], ...]  # role scores of the name (roles.py)
    sdks: tuple[str | None, ...]  # what it resolves to (None: unresolved)
    kept: bool
    reason: str  # in English
    # The reason as a message template (its English text is the gettext id) and its parameters,
    # for renderers that translate.
    reason_template: str = ""
    reason_params: tuple[tuple[str, str | int], ...] = ()


@dataclass(frozen=True)
class PolicyResult:
    source: PolicyText
    disclosures: tuple[Disclosure, ...]
    # True when the policy has a recognisable third-party SDK section (even if empty);
    # lets reports say "no SDK list found" rather than silently "no SDKs".
    has_sdk_section: bool
    # Every candidate the layout finders proposed, kept or dropped: only when asked for.
    explanations: tuple[Explanation, ...] = ()
    # The policy page (a URL) that names no SDK list itself but links to ``source``, the page
    # the disclosures were read from; None when they come from the policy the user gave.
    linked_from: str | None = None
