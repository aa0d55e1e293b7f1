"""What every layout finder returns, and the helpers they share.

A finder is a pure function ``find(doc, ctx) -> list[Candidate]`` in a module of its own with
a module constant ``STRENGTH``: how sure its layout is that a value names an SDK. It reads the
prepared ``Document`` and role scores (``ctx.roles``), and changes nothing: overlaps between
finders are settled by the arbiter alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sdkreg.policy.document import Document
from sdkreg.policy.html import CELL_BREAK
from sdkreg.policy.labels import URL_RE, label_fields
from sdkreg.policy.resolve import PACKAGE_RE
from sdkreg.policy.roles import RoleReader, Roles
from sdkreg.policy.vocab import SERVER_SIDE_WORDS, FieldName


@dataclass(frozen=True)
class Fields:
    """What a record says about its SDK besides the name (as written)."""

    company: str | None = None
    purpose: str | None = None
    data: str | None = None
    method: str | None = None
    url: str | None = None
    scene: str | None = None


NO_FIELDS = Fields()
# The values that say what an SDK does: they complete a bare vendor or family name ("友盟SDK" with
# 服务类型: 社会化分享 is Umeng's share SDK). "other" holds the kind of service (服务类型).
CONTEXT_FIELDS: tuple[FieldName, ...] = ("purpose", "data", "scene", "other")


def context_of(pairs: Iterable[tuple[FieldName, str]]) -> str:
    """The text of a record's context fields, bounded."""
    return " ".join(v for k, v in pairs if k in CONTEXT_FIELDS)[:2000]
_FIELD_NAMES = ("company", "purpose", "data", "method", "url", "scene")


def fields_from(pairs: Iterable[tuple[FieldName, str]]) -> Fields:
    """The first non-empty value of each field (a URL field keeps only its URL; a value is
    kept to MAX_VALUE_CHARS)."""
    values: dict[str, str] = {}
    for name, value in pairs:
        text = value[:MAX_VALUE_CHARS].replace(CELL_BREAK, "\n").strip()
        if name not in _FIELD_NAMES or not text or name in values:
            continue
        if name == "url":
            found = URL_RE.search(text)
            if not found:
                continue
            text = found.group(0)
        values[name] = text
    return Fields(**values)


@dataclass(frozen=True)
class Candidate:
    name: str  # as written
    line: int  # document line index of the name
    offset: int  # where the name starts in that line
    span: tuple[int, int]  # first and last document line the record claims (inclusive)
    finder: str
    strength: int
    fields: Fields = NO_FIELDS
    context: str = ""  # purpose/body text: may complete a bare vendor name ("OPPO SDK" + 推送)
    packages: tuple[str, ...] = ()
    roles: Roles = field(default_factory=Roles)
    # The layout alone does not make this a name: it counts only if it resolves to the registry.
    needs_match: bool = False
    # Counts only if the SDK is disclosed nowhere else (an integration sentence in prose).
    only_if_new: bool = False
    # The record says its data goes server to server (共享方式: 后台接口传输) and never says SDK.
    server_side: bool = False
    lookup: str = ""  # the folded name, for resolution (Traditional → Simplified)
    # Under a heading saying its SDKs are not used ("未接入的第三方SDK", "Not included").
    excluded: bool = False
    # Prose of an SDK vendor's own policy pasted into the document, naming something else than
    # the SDK that policy is about ("装载本SDK", "转化SDK"): its words, not the app's disclosures.
    vendor_text: bool = False


@dataclass(frozen=True)
class Context:
    roles: RoleReader


# Bounds that keep hostile input linear in time and bounded in memory (issue 12): the longest
# real SDK lists name ~150 SDKs, a real field line holds a few dozen pairs. A finder stops at
# MAX_CANDIDATES; a line's pairs beyond MAX_PAIRS_PER_LINE are not read as fields.
MAX_CANDIDATES = 10_000
MAX_PAIRS_PER_LINE = 2_000
MAX_MENTIONS_PER_LINE = 200
# A field value longer than this is prose that ran on, not a value.
MAX_VALUE_CHARS = 4_000


# ---------------------------------------------------------------- shared helpers


def make(
    doc: Document,
    index: int,
    start: int,
    end: int,
    *,
    finder: str,
    strength: int,
    span: tuple[int, int] | None = None,
    fields: Fields = NO_FIELDS,
    context: str = "",
    needs_match: bool = False,
    only_if_new: bool = False,
    server_side: bool = False,
    roles: Roles | None = None,
    ctx: Context | None = None,
    vendor_text: bool = False,
) -> Candidate | None:
    """A candidate for the text between two offsets of line ``index`` (stripped, as written)."""
    line = doc.lines[index]
    raw = line.raw[start:end]
    name = raw.strip()
    if not name:
        return None
    offset = start + (len(raw) - len(raw.lstrip()))
    lookup = line.folded[offset : offset + len(name)]
    if roles is None:
        roles = ctx.roles.of(lookup) if ctx is not None else Roles()
    # "Tidal Data Co. API", "某某开放接口": a web API is reached server to server, it is no SDK in
    # the app — unless the registry knows the name ("高德地图API" is how policies write AMap's SDKs).
    if _API_NAME.search(lookup) and ctx is not None and not ctx.roles.resolves(lookup):
        server_side = True
    return Candidate(
        name=name,
        line=index,
        offset=offset,
        span=span or (index, index),
        finder=finder,
        strength=strength,
        fields=fields,
        context=context,
        packages=tuple(PACKAGE_RE.findall(lookup)),
        roles=roles,
        needs_match=needs_match,
        only_if_new=only_if_new,
        server_side=server_side,
        lookup=lookup,
        excluded=line.excluded,
        vendor_text=vendor_text,
    )


# A "label:" at the start of a line: up to 40 characters, none of them a sentence break.
_HEAD_LABEL = re.compile(r"([^:;；。|]{1,40}?)\s*:(?!//)\s*")
# A further "label:" inside the line, after a separator: a compact label (no spaces), or one whose
# Latin word is spaced from its Chinese ("…。 SDK 名称：…。 SDK 包名：…", fields glued by HTML).
_MORE_LABELS = re.compile(
    r"(?:(?<=[\s;；,，|。])|(?<=^))((?:[A-Za-z]{2,10} (?=[\u3400-\u9fff]))?[^\s:;；,，。|/]{1,16})\s*:(?!//)"
)


@dataclass(frozen=True)
class Pair:
    fields: tuple[FieldName, ...]  # what the label speaks of, most likely first
    label: str
    start: int  # offset of the value in the folded line
    end: int


def label_pairs(text: str) -> list[Pair]:
    """``字段:值`` pairs of a line (folded), in order: one, or several on one line
    ("SDK名称:X；使用目的:Y"). Empty when the line does not start with a label. One pass of
    each regex over the line: linear in its length however many pairs it holds."""
    head = _HEAD_LABEL.match(text)
    if head is None:
        return []
    fields = label_fields(head.group(1))
    if not fields:
        return []
    starts: list[tuple[int, int, tuple[FieldName, ...], str]] = [
        (head.start(1), head.end(), fields, head.group(1))
    ]
    stop = len(text)
    for match in _MORE_LABELS.finditer(text, head.end()):
        more = label_fields(match.group(1))
        if more and len(starts) >= MAX_PAIRS_PER_LINE:
            stop = match.start(1)  # the rest of the line is not read as fields
            break
        if more:
            value_start = match.end()
            while value_start < len(text) and text[value_start] == " ":
                value_start += 1
            starts.append((match.start(1), value_start, more, match.group(1)))
    pairs: list[Pair] = []
    for position, (_, value_start, fields_, label) in enumerate(starts):
        end = starts[position + 1][0] if position + 1 < len(starts) else stop
        value_end = end
        while value_end > value_start and text[value_end - 1] in " ;；,，|。":
            value_end -= 1
        pairs.append(Pair(fields_, label.strip(), value_start, value_end))
    return pairs


def text_offset(doc: Document, index: int) -> int:
    """Offset in the line where ``Line.text`` starts."""
    return doc.lines[index].start


def value_span(doc: Document, index: int, pair: Pair) -> tuple[int, int]:
    """Offsets of a pair's value in the full line (pairs are parsed on ``Line.text``)."""
    base = text_offset(doc, index)
    return base + pair.start, base + pair.end


_API_NAME = re.compile(r"(?:\bapi|接口)\s*$", re.IGNORECASE)
_SERVER_SIDE = re.compile("|".join(re.escape(w) for w in SERVER_SIDE_WORDS), re.IGNORECASE)
_SDK = re.compile(r"sdk", re.IGNORECASE)


def server_side(pairs: list[tuple[FieldName, str]]) -> bool:
    """The record's way of sharing (共享方式 / 共享类型) is an API, and none of its values says
    SDK: a partner reached server to server, not an SDK in the app."""
    methods = [unicodedata.normalize("NFKC", v) for k, v in pairs if k in ("method", "other")]
    return any(_SERVER_SIDE.search(v) for v in methods) and not any(_SDK.search(v) for _, v in pairs)
