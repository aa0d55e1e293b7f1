"""Lines of a policy → SDK disclosures.

A policy discloses SDKs in a handful of shapes, recognised here by their structure, not by
the names in them:

* a table: a header row naming the columns (SDK名称 / 第三方名称 / 使用目的 / 收集个人信息类型 /
  隐私政策链接 …), one row per SDK. Rows are ``cell | cell`` lines (HTML, Markdown) or, when a
  web table was pasted as text, cells separated by whitespace;
* field blocks: ``字段:值`` lines (合作方主体 / 使用目的 / 涉及个人信息 …), the SDK named either
  by a name field (``第三方SDK:微信分享``, ``SDK名称:…``) or by the line just above the block;
* list items: a bullet or numbered line (• 1、 (1) 一、 ①) naming an SDK, followed by prose;
* inline lists: ``Name(java.package)`` pairs, or names after 包括/如下 in a sentence about SDKs.

Bullets, numbered items and inline lists count only inside a third-party SDK section (a heading
such as "本应用接入的第三方SDK如下") or when the name itself says "SDK"; tables and field blocks
carry their own evidence. Incidental mentions (account logins, "第三方应用", company names,
app-permission lists) are rejected by what their words are, never by which SDK they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from sdkreg.policy.datatypes import DataTypeMatcher
from sdkreg.policy.model import Disclosure, DisclosureFields, PolicyResult, PolicyText
from sdkreg.policy.resolve import PACKAGE_RE, NameResolver, Resolution, resolver_for
from sdkreg.policy.vocab import (
    COMPANY_ENDINGS,
    ENUMERATION_TRIGGERS,
    GENERIC_WORDS,
    INCIDENTAL_WORDS,
    INTEGRATION_VERBS,
    LABEL_RULES,
    MAX_LABEL_CHARS,
    PRODUCT_WORDS,
    SDK_HEADING_KEYS,
    SDK_WORDS,
    FieldName,
)
from sdkreg.registry.registry import Registry

# ---------------------------------------------------------------- line shape

# Full-width ASCII variants → ASCII, ideographic and no-break spaces → space. One character for
# one character, so offsets in the folded line are offsets in the line as written.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20, 0xA0: 0x20}


def fold(text: str) -> str:
    return text.translate(_FOLD)


_CN_NUM = "一二三四五六七八九十"
_MARKERS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("part", 0, re.compile(r"第[一二三四五六七八九十百零〇\d]+[部分章节条篇]+\s*")),
    ("cn", 1, re.compile(rf"[{_CN_NUM}]{{1,3}}\s*[、.]\s*")),
    ("cnparen", 2, re.compile(rf"\(\s*[{_CN_NUM}]{{1,3}}\s*\)\s*")),
    ("num", 3, re.compile(r"(\d{1,2}(?:\.\d{1,2})*)(?:[、.]\s*|\s+)(?=\S)")),
    ("numparen", 4, re.compile(r"(?:\(\s*\d{1,2}\s*\)|\d{1,2}\))\s*")),
    ("circled", 4, re.compile(r"[\u2460-\u2473\u2776-\u277f]\s*")),
    ("bullet", 5, re.compile(r"[•·●○■□◆◇▪▫►▶✓✔➢➤\-*–—]+\s*")),
)
_URL = re.compile(r"https?://[^\s，。；;、)）\]】|\"'<>]+", re.IGNORECASE)
_SENTENCE_PUNCT = re.compile(r"[。；;，,!?！？]")
# In a name, an ASCII comma separates products ("Huawei Push, Xiaomi Push"); elsewhere it ends
# a clause.
_NAME_PUNCT = re.compile(r"[。；;，!?！？]")
_PUNCT = re.compile(r"[\s\-_·•.、,，:：;；/\\|'\"“”‘’()（）\[\]【】《》<>+&]+")
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class _Marker:
    kind: str  # "" when the line carries no list marker
    rank: int  # 0 part … 5 bullet; 9 none
    depth: int  # dotted numbers: "4.2" is 2
    end: int  # offset where the text after the marker starts


_NO_MARKER = _Marker("", 9, 0, 0)


def _marker(line: str) -> _Marker:
    """List or heading marker at the start of ``line`` (folded, stripped of leading space)."""
    for kind, rank, pattern in _MARKERS:
        match = pattern.match(line)
        if match:
            depth = match.group(1).count(".") + 1 if kind == "num" else 1
            return _Marker(kind, rank, depth, match.end())
    return _NO_MARKER


@lru_cache(maxsize=4096)  # labels repeat on every entry of a list
def _label_fields(label: str) -> tuple[FieldName, ...]:
    """Every field a label (or table-header cell) speaks of; first rule first."""
    key = re.sub(r"\s+", "", label).casefold()
    return tuple(name for name, words in LABEL_RULES if any(w in key for w in words))


def _label_field(label: str) -> FieldName | None:
    if len(label) > MAX_LABEL_CHARS or _SENTENCE_PUNCT.search(label) or "http" in label.lower():
        return None
    fields = _header_fields(label)
    return fields[0] if fields else None


def _header_fields(cell: str) -> tuple[FieldName, ...]:
    """Fields of a label or header cell. A name label is made of generic words only ("SDK名称",
    "第三方SDK"): "百度定位SDK" before a colon is a name followed by prose, not a label; a
    company-like cell ("示例科技有限公司") is a value, not a header."""
    if _is_company(cell):
        return ()
    fields = _label_fields(cell)
    if fields and fields[0] == "name" and _residual(cell):
        return ()
    return fields


_GENERIC_RE = re.compile(
    "|".join(re.escape(w) for w in sorted(GENERIC_WORDS, key=len, reverse=True)) + r"|\d+"
)
_PRODUCT_SET = frozenset(w.casefold() for w in PRODUCT_WORDS)
_COMPANY_ENDINGS = tuple(e.replace(" ", "") for e in COMPANY_ENDINGS)
_PARENTHESISED = re.compile(r"[(（][^()（）]*[)）]")


def _residual(text: str) -> str:
    """``text`` without punctuation and generic words: what could identify an SDK."""
    return _GENERIC_RE.sub("", _PUNCT.sub("", text.casefold()))


def _has_sdk_word(text: str) -> bool:
    low = text.casefold()
    return any(w in low for w in SDK_WORDS)


def _is_company(text: str) -> bool:
    low = "".join(text.casefold().split()).rstrip(".")
    return low.endswith(_COMPANY_ENDINGS)


def _is_incidental(text: str) -> bool:
    return not _has_sdk_word(text) and any(w in text for w in INCIDENTAL_WORDS)


def _name_like(text: str, max_chars: int = 40) -> bool:
    """Short, not a sentence, with something left after generic words, not an account/company."""
    stripped = text.strip()
    if not stripped or len(stripped) > max_chars or "http" in stripped.lower():
        return False
    outside = _PARENTHESISED.sub("", stripped)  # "(com.x.y)", "(如IMEI、…)"
    if _NAME_PUNCT.search(outside) or (", " in outside and len(outside.split()) > 8):
        return False
    residual = _residual(PACKAGE_RE.sub("", stripped))
    if not residual or residual in _PRODUCT_SET:
        return False
    return not (_is_incidental(stripped) or _is_company(stripped))


def _is_sdk_heading(text: str) -> bool:
    low = text.casefold()
    if len(text) > 60 or "。" in text or not any(k in low for k in SDK_HEADING_KEYS):
        return False
    return not _residual(text)


# ---------------------------------------------------------------- candidates


@dataclass
class _Candidate:
    name: str  # as written
    line: int  # 0-based
    fields: dict[FieldName, str] = field(default_factory=dict)
    context: str = ""  # purpose / body text: may complete a bare vendor name
    packages: tuple[str, ...] = ()
    # How sure the structure is that this names an SDK: "explicit" (a name label or column),
    # "block" (the line above a field block), "item" (list item), "inline" (in a sentence).
    kind: str = "explicit"


@dataclass
class _Doc:
    raw: tuple[str, ...]
    lines: list[str]  # folded
    markers: list[_Marker]
    texts: list[str]  # folded text after the marker, stripped
    headings: list[bool]  # SDK section headings
    in_sdk: list[bool]  # inside an SDK section
    claimed: list[bool]  # already part of a disclosure (name, field, row or body)

    def raw_span(self, index: int, text: str) -> str:
        """``text`` (found in the folded line) as written in the raw line."""
        folded = self.lines[index]
        start = folded.find(text)
        if start < 0:
            return text
        return self.raw[index][start : start + len(text)].strip()


def _prepare(policy: PolicyText) -> _Doc:
    raw = policy.lines
    lines = [fold(line) for line in raw]
    markers: list[_Marker] = []
    texts: list[str] = []
    for line in lines:
        stripped = line.strip()
        marker = _marker(stripped) if stripped else _NO_MARKER
        markers.append(marker)
        texts.append(stripped[marker.end :].strip())
    headings = [bool(t) and _is_sdk_heading(t) for t in texts]
    in_sdk = [False] * len(lines)
    for start, is_heading in enumerate(headings):
        if not is_heading:
            continue
        head = markers[start]
        # An unnumbered heading's section ends only at a major heading: its items may be numbered.
        limit_rank = head.rank if head.kind else 2
        for index in range(start + 1, min(len(lines), start + 400)):
            marker = markers[index]
            if marker.kind and marker.kind != "bullet" and (
                marker.rank < limit_rank
                or (marker.rank == limit_rank and marker.depth <= head.depth and head.kind)
            ):
                break
            in_sdk[index] = True
    return _Doc(raw, lines, markers, texts, headings, in_sdk, [False] * len(lines))


_LEADING_LABEL = re.compile(r"([^:;；,，。|]{1,14}?)\s*:\s*")


def _leading_label(text: str) -> tuple[FieldName, str] | None:
    if ":" not in text:
        return None
    match = _LEADING_LABEL.match(text)
    if not match:
        return None
    label = _label_field(match.group(1))
    if label is None:
        return None
    return label, text[match.end() :]


_MORE_LABELS = re.compile(r"(?:^|[\s;；,，|]+)([^\s:;；,，。|/]{1,14})\s*:(?!//)")


def _line_fields(text: str) -> list[tuple[FieldName, str]]:
    """``字段:值`` pairs of a line ("使用目的:推送消息", or several: "SDK名称:X；使用目的:Y")."""
    first = _leading_label(text)
    if first is None:
        cells = [c.strip() for c in text.split(" | ")]
        if len(cells) == 2 and cells[0] and (label := _label_field(cells[0])):
            return [(label, cells[1])]
        return []
    pairs: list[tuple[FieldName, str]] = []
    label, rest = first
    while True:
        found = None
        for match in _MORE_LABELS.finditer(rest):
            more = _label_field(match.group(1))
            if more is not None and match.start() > 0:
                found = (match, more)
                break
        if found is None:
            pairs.append((label, rest.strip(" ;；,，|")))
            return pairs
        match, more = found
        pairs.append((label, rest[: match.start()].strip(" ;；,，|")))
        label, rest = more, rest[match.end() :]


def _field_blocks(doc: _Doc) -> list[_Candidate]:
    out: list[_Candidate] = []
    n = len(doc.lines)
    fields_at: list[list[tuple[FieldName, str]]] = [
        [] if doc.headings[i] or not doc.texts[i] else _line_fields(doc.texts[i]) for i in range(n)
    ]
    index = 0
    while index < n:
        if not fields_at[index] or doc.claimed[index]:
            index += 1
            continue
        block: list[int] = []
        cursor = index
        while cursor < n and (fields_at[cursor] or not doc.texts[cursor]):
            if fields_at[cursor]:
                block.append(cursor)
            cursor += 1
        index = cursor
        out.extend(_records(doc, block, fields_at))
    return out


def _records(
    doc: _Doc, block: list[int], fields_at: list[list[tuple[FieldName, str]]]
) -> list[_Candidate]:
    records: list[_Candidate] = []
    current: _Candidate | None = None
    skip_block = any(f == "skip" for i in block for f, _ in fields_at[i])
    for line in block:
        for name, value in fields_at[line]:
            if name == "name":
                current = _Candidate(doc.raw_span(line, value) if value else "", line)
                records.append(current)
                continue
            if current is None:
                above = _line_above(doc, block[0])
                current = _Candidate("", -1, kind="block")
                if above is not None:
                    current.name, current.line = _strip_name(doc, above), above
                records.append(current)
            if value and name not in current.fields:
                current.fields[name] = doc.raw_span(line, value) if name != "url" else value
    kept: list[_Candidate] = []
    for record in records:
        if skip_block or not record.name or record.line < 0:
            continue
        evidence = {f for f in record.fields if f not in {"scene", "skip"}}
        if record.kind == "block":
            if not _name_like(record.name, 60) or not (
                len(evidence) >= 2 or doc.in_sdk[record.line] or _has_sdk_word(record.name)
            ):
                continue
            doc.claimed[record.line] = True
        record.context = record.fields.get("purpose", "") + record.fields.get("data", "")
        kept.append(record)
    if kept:
        for line in block:
            doc.claimed[line] = True
    return kept


def _line_above(doc: _Doc, start: int) -> int | None:
    for index in range(start - 1, max(-1, start - 4), -1):
        if doc.texts[index]:
            if doc.claimed[index] or doc.headings[index]:
                return None
            return index
    return None


def _strip_name(doc: _Doc, index: int) -> str:
    """The name on a name line: after its list marker, before a trailing colon."""
    text = doc.texts[index].rstrip(":：").strip()
    return doc.raw_span(index, text)


# ---------------------------------------------------------------- tables


def _cells(line: str) -> list[str] | None:
    if " | " in line:
        return [c.strip() for c in line.split(" | ")]
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return None


def _header(cells: list[str]) -> dict[int, tuple[FieldName, ...]] | None:
    """Column → fields when ``cells`` is an SDK table header."""
    columns: dict[int, tuple[FieldName, ...]] = {}
    for index, cell in enumerate(cells):
        if not cell or len(cell) > 30 or _URL.search(cell) or "。" in cell:
            if cell and len(cell) > 30:
                return None
            continue
        fields = _header_fields(cell)
        if "skip" in fields:
            return None
        if fields:
            columns[index] = fields
    if len(columns) < 2:
        return None
    names = [i for i, f in columns.items() if "name" in f and "company" not in f]
    companies = [i for i, f in columns.items() if f[0] == "company"]
    if not names and not companies:
        return None
    name_col = names[0] if names else companies[0]
    mapped: dict[int, tuple[FieldName, ...]] = {name_col: ("name",)}
    for index, fields in columns.items():
        if index == name_col:
            continue
        content = tuple(f for f in fields if f in {"data", "purpose"})
        mapped[index] = content or (fields[0],)
    return mapped


def _tables(doc: _Doc) -> list[_Candidate]:
    out: list[_Candidate] = []
    n = len(doc.lines)
    index = 0
    while index < n:
        text = doc.lines[index].strip()
        cells = _cells(text)
        spaced = False
        if cells is None and text and not _SENTENCE_PUNCT.search(text):
            tokens = text.split()
            if len(tokens) >= 3:
                cells, spaced = tokens, True
        header = _header(cells) if cells else None
        if header is None or cells is None or not (
            doc.in_sdk[index] or _sdk_table(cells, header)
        ):
            index += 1
            continue
        doc.claimed[index] = True
        row = index + 1
        while row < n:
            line = doc.lines[row].strip()
            if not line:
                if spaced:
                    break
                row += 1
                continue
            values = _split_spaced(line, header, len(cells)) if spaced else _cells(line)
            if values is None or (not spaced and _header(values) is not None):
                break
            candidate = _row_candidate(doc, row, values, header)
            if candidate is not None:
                out.append(candidate)
            doc.claimed[row] = True
            row += 1
        index = row
    return out


_SDK_COLUMN_WORDS = ("sdk", "第三方", "合作方", "插件", "组件", "主体", "提供方", "工具包", "公司")


def _sdk_table(cells: list[str], header: dict[int, tuple[FieldName, ...]]) -> bool:
    """A table outside an SDK section is an SDK table only if its name column says so
    ("SDK名称", "第三方名称", "合作方主体"); "传感器名称" or "权限名称" columns are not."""
    name_col = next(i for i, f in header.items() if f == ("name",))
    return any(w in cells[name_col].casefold() for w in _SDK_COLUMN_WORDS)


def _split_spaced(line: str, header: dict[int, tuple[FieldName, ...]], width: int) -> list[str]:
    """A web table pasted as text, cells separated by single spaces: one token per column before
    the name column, the name as the run of name-like tokens, a trailing URL as its own column,
    the rest as one cell."""
    tokens = line.split()
    name_col = next(i for i, f in header.items() if f == ("name",))
    cells = tokens[:name_col]
    rest = tokens[name_col:]
    run: list[str] = []
    for token in rest:
        if _URL.match(token) or _SENTENCE_PUNCT.search(token) or re.match(r"\d+\)", token):
            break
        if run and _CJK.search(token) and not _has_sdk_word(token):
            break
        if len(token) > 20:
            break
        run.append(token)
        if _CJK.search(token) and not _has_sdk_word(token) and len(run) > 1:
            break
    if not run and rest:
        run = rest[:1]
    cells.append(" ".join(run))
    remainder = rest[len(run) :]
    url = remainder.pop() if remainder and _URL.match(remainder[-1]) else ""
    cells.append(" ".join(remainder))
    while len(cells) < width - 1:
        cells.append("")
    cells.append(url)
    return cells


def _row_candidate(
    doc: _Doc, row: int, values: list[str], header: dict[int, tuple[FieldName, ...]]
) -> _Candidate | None:
    name = ""
    fields: dict[FieldName, str] = {}
    for index, columns in header.items():
        if index >= len(values) or not values[index]:
            continue
        for column in columns:
            if column == "name":
                name = values[index]
            elif column == "url":
                url = _URL.search(values[index])
                fields.setdefault("url", url.group(0) if url else values[index])
            elif column not in fields:
                fields[column] = doc.raw_span(row, values[index])
    if "url" not in fields:
        found = _URL.search(" ".join(values))
        if found:
            fields["url"] = found.group(0)
    if not name or _residual(name) == "":
        return None
    as_written = doc.raw_span(row, name)
    return _Candidate(
        as_written,
        row,
        fields,
        context=fields.get("purpose", "") + fields.get("data", ""),
        packages=tuple(PACKAGE_RE.findall(" ".join(values))),
    )


# ---------------------------------------------------------------- list items


_DASH = re.compile(r"\s+[-–—]+\s+")


def _items(doc: _Doc) -> list[_Candidate]:
    out: list[_Candidate] = []
    n = len(doc.lines)
    for index in range(n):
        text = doc.texts[index]
        if doc.claimed[index] or doc.headings[index] or not text:
            continue
        marker = doc.markers[index]
        head, _, tail = text.partition(":")
        dash = _DASH.search(head)
        if dash:
            head, tail = head[: dash.start()], head[dash.end() :] + tail
        name = head.strip()
        if not _name_like(name):
            continue
        sdk_word = _has_sdk_word(name)
        if not marker.kind and not (doc.in_sdk[index] and len(name) <= 30 and not tail):
            continue
        if not sdk_word and not doc.in_sdk[index]:
            continue
        body_lines = [tail] if tail.strip() else []
        end = index + 1
        while end < n and end - index <= 30:
            if doc.headings[end] or doc.claimed[end]:
                break
            other = doc.markers[end]
            if other.kind and other.rank <= marker.rank:
                break
            if doc.texts[end] and not other.kind and _name_like(doc.texts[end], 30) and (
                _has_sdk_word(doc.texts[end])
            ):
                break
            body_lines.append(doc.texts[end])
            end += 1
        body = "\n".join(line for line in body_lines if line)
        candidate = _Candidate(doc.raw_span(index, name), index, kind="item")
        if body:
            candidate.fields["data"] = body
            url = _URL.search(body)
            if url:
                candidate.fields["url"] = url.group(0)
        candidate.context = body
        candidate.packages = tuple(PACKAGE_RE.findall(name))
        if not sdk_word or not marker.kind:
            # Without "SDK" in it, or without a list marker, a line is a name only if the
            # registry knows it.
            candidate.kind = "item-needs-match"
        out.append(candidate)
        doc.claimed[index] = True
        for line in range(index + 1, end):
            doc.claimed[line] = True
    return out


# ---------------------------------------------------------------- inline lists

_PAIR = re.compile(
    r"([^\s、,，;；:()（）。\"“”]{1,40}?)\s*[(（]\s*("
    + PACKAGE_RE.pattern.replace("(?<![A-Za-z0-9_.])", "")
    + r")\s*[)）]",
    re.IGNORECASE,
)
_LEAD_VERBS = re.compile(
    "^.*(?:" + "|".join(ENUMERATION_TRIGGERS) + r"|集成了?|接入了?|嵌入了?|使用了?|采用了?|引入了?)"
)
_ITEM_SPLIT = re.compile(r"\s*(?:、|,|，|以及|及|和)\s*")


def _inline(doc: _Doc, triggers: tuple[str, ...] = ENUMERATION_TRIGGERS) -> list[_Candidate]:
    out: list[_Candidate] = []
    for index, text in enumerate(doc.texts):
        if doc.claimed[index] or not text:
            continue
        if not (doc.in_sdk[index] or _has_sdk_word(text)):
            continue
        found = False
        for match in _PAIR.finditer(text):
            name = _LEAD_VERBS.sub("", match.group(1)).strip()
            if not name or not _residual(name):
                continue
            start = match.start(1) + match.group(1).find(name)
            written = text[start : match.end()]
            out.append(
                _Candidate(
                    doc.raw_span(index, written), index, packages=(match.group(2),), kind="inline"
                )
            )
            found = True
        if found:
            doc.claimed[index] = True
            continue
        for trigger in triggers:
            at = text.find(trigger)
            if at < 0:
                continue
            segment = re.split(r"[。;；!?！？]", text[at + len(trigger) :])[0]
            for item in _ITEM_SPLIT.split(segment.strip(" :：")):
                item = re.sub(r"等$", "", item.strip())
                if item and _name_like(item, 30):
                    out.append(_Candidate(doc.raw_span(index, item), index, kind="inline-needs-match"))
            break
    return out


# ---------------------------------------------------------------- assembly


def extract_disclosures(text: PolicyText, registry: Registry) -> PolicyResult:
    doc = _prepare(text)
    candidates = [*_tables(doc), *_field_blocks(doc), *_items(doc), *_inline(doc)]
    if not candidates:
        # A policy whose only SDK list is a sentence ("本应用接入了A、B和C").
        candidates = _inline(doc, INTEGRATION_VERBS)
    candidates.sort(key=lambda c: c.line)
    resolver = resolver_for(registry)
    matcher = DataTypeMatcher(registry)
    disclosures: list[Disclosure] = []
    for candidate in candidates:
        resolutions = _resolve(resolver, candidate)
        if not resolutions:
            continue
        data_text = candidate.fields.get("data")
        fields = DisclosureFields(
            company=candidate.fields.get("company"),
            purpose=candidate.fields.get("purpose"),
            data_text=data_text,
            data_types=matcher.find(data_text),
            method=candidate.fields.get("method"),
            url=_url_of(candidate.fields.get("url")),
        )
        for resolution in resolutions:
            disclosures.append(
                Disclosure(
                    as_written=candidate.name,
                    line=candidate.line + 1,
                    sdk=resolution.sdk,
                    level=resolution.level,
                    match=resolution.match,
                    fields=fields,
                )
            )
    return PolicyResult(
        source=text,
        disclosures=tuple(disclosures),
        has_sdk_section=any(doc.headings) or bool(disclosures),
    )


def _resolve(resolver: NameResolver, candidate: _Candidate) -> tuple[Resolution, ...]:
    resolutions = resolver.resolve(
        candidate.name, context=candidate.context, packages=candidate.packages
    )
    resolved = tuple(r for r in resolutions if r.sdk is not None)
    if candidate.kind.endswith("needs-match"):
        return resolved
    if candidate.kind == "inline" and not resolved:
        name = candidate.name
        keep = _has_sdk_word(name) or any(w in name for w in PRODUCT_WORDS)
        return resolutions if keep else ()
    return resolutions


def _url_of(value: str | None) -> str | None:
    if not value:
        return None
    found = _URL.search(value)
    return found.group(0) if found else value.strip() or None
