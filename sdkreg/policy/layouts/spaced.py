"""A web table pasted as text without cell separators: columns separated by runs of spaces or
by single spaces, or rows glued into one run of text by copy-paste
(``2DemoStat Android SDK示例数据科技(上海)有限公司设备信息:…``: number, name, company, data).

Spaced rows follow a header line of labels ("服务类型 主体名称 获取个人信息的目的/方式/范围 …").
The name column is the one whose cells read most like names when the rows are cut for it: one
token per column before it, then the name as the run of name-like tokens (an English name has
spaces: "React Native", "OPPO PUSH 客户端SDK"), a trailing URL as the link column, the rest one
cell. A company token is never part of a name: in a company-first table the name follows it.

Glued rows are numbered 1, 2, 3 … and hold a company name: the SDK's name is the text between
the number and the company — up to its last "SDK", or the longest beginning the registry knows.
"""

from __future__ import annotations

import re

from sdkreg.policy.document import Document
from sdkreg.policy.labels import SENTENCE_PUNCT, URL_RE, label_fields
from sdkreg.policy.layouts.base import MAX_CANDIDATES, Candidate, Context, Fields, make, server_side
from sdkreg.policy.roles import has_sdk_word, is_company

STRENGTH = 70
NAME = "spaced"

_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBERED = re.compile(r"^(\d{1,3})(?=[^\d.、)）\s:])|^(\d{1,3})\s+(?=\S)")
_COMPANY_END = re.compile(
    r"(?:有限责任公司|股份有限公司|有限公司|集团公司|公司|co\.,?\s*ltd\.?|(?:pte\.?\s*)?ltd\.?|inc\.?|llc|limited|gmbh)"
    r"(?![A-Za-z])",
    re.IGNORECASE,
)
_SDK_WORD = re.compile(r"sdk", re.IGNORECASE)
_SDK_COLUMN_WORDS = ("sdk", "第三方", "合作方", "插件", "组件", "产品", "服务", "主体")


def find(doc: Document, ctx: Context) -> list[Candidate]:
    return [*_spaced(doc, ctx), *_glued(doc, ctx)]


# ---------------------------------------------------------------- spaced


def _tokens(text: str) -> list[str]:
    wide = re.split(r"\s{2,}", text.strip())
    return wide if len(wide) >= 3 else text.split()


def _spaced_header(text: str) -> list[tuple[str, ...]] | None:
    if " | " in text or "\t" in text or ":" in text or SENTENCE_PUNCT.search(text):
        return None  # a row of cells, a field ("SDK name: …"), a sentence
    tokens = _tokens(text)
    if len(tokens) < 3:
        return None
    fields = [label_fields(t) for t in tokens]
    labelled = sum(1 for f in fields if f)
    if labelled < 3 or labelled < 0.6 * len(tokens):
        return None
    if not any("name" in f for f in fields if f):
        return None
    return [f if f else ("other",) for f in fields]


def _spaced(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    index = 0
    n = len(doc)
    while index < n and len(out) < MAX_CANDIDATES:
        line = doc.lines[index]
        header = _spaced_header(line.text) if line.text else None
        if header is None:
            index += 1
            continue
        tokens = _tokens(line.text)
        rows: list[int] = []
        cursor = index + 1
        while cursor < n and doc.lines[cursor].text and _spaced_header(doc.lines[cursor].text) is None:
            rows.append(cursor)
            cursor += 1
        allowed = [c for c, f in enumerate(header) if "name" in f and f[0] not in ("url", "data")]
        best: list[Candidate] = []
        best_score = 0.0
        for column in allowed:
            found = [_spaced_row(doc, ctx, r, column, len(header)) for r in rows]
            kept = [c for c in found if c is not None]
            score = sum(c.roles.name for c in kept) / max(1, len(rows))
            if score > best_score:
                best, best_score = kept, score
        in_sdk = line.in_sdk or any(
            any(w in tokens[c].casefold() for w in _SDK_COLUMN_WORDS) for c in allowed if c < len(tokens)
        )
        if best and in_sdk and best_score >= 0.3:
            out.extend(best)
        index = max(cursor, index + 1)
    return out


def _spaced_row(doc: Document, ctx: Context, index: int, column: int, width: int) -> Candidate | None:
    """The name in a spaced row: where the header puts it, or earlier when the row lost its
    first cells (a rowspan cell above: "百度地图SDK 北京百度… " under "地图与定位 高德地图SDK …")."""
    line = doc.lines[index]
    text = line.folded
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    best: tuple[float, int, list[tuple[int, int]]] | None = None
    for first in range(min(column, len(spans) - 1), -1, -1):
        run = _name_run(text, spans[first:])
        if not run:
            continue
        score = ctx.roles.of(text[run[0][0] : run[-1][1]]).name
        if first != column and score < 0.6:
            continue  # only a clear name is taken from another column
        if best is None or score > best[0]:
            best = (score, first, run)
    if best is None or best[0] < 0.35:
        return None
    _, first, run = best
    start, end = run[0][0], run[-1][1]
    rest = text[end:]
    url = URL_RE.search(rest)
    after = text[end:].split()
    company = None
    if after and is_company(after[0]):
        company = doc.raw(index, end, end + rest.index(after[0]) + len(after[0]))
    before = text[: spans[first][0]].strip()
    if company is None and before and is_company(before.split()[-1]):
        company = before.split()[-1]
    data = doc.raw(index, end, end + url.start()) if url else doc.raw(index, end, len(text))
    return make(
        doc,
        index,
        start,
        end,
        finder=NAME,
        strength=STRENGTH,
        fields=Fields(company=company, data=data or None, url=url.group(0) if url else None),
        context=data[:2000],
        server_side=server_side([("method", rest)]),
        ctx=ctx,
    )


def _name_run(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Tokens that make one name from the first: an English name goes on over spaces ("HMS Push
    Kit", "OPPO PUSH 客户端SDK"); a Chinese token without "SDK" after a name ends it."""
    run: list[tuple[int, int]] = []
    for start, end in spans:
        token = text[start:end]
        if URL_RE.match(token) or SENTENCE_PUNCT.search(token) or re.match(r"\d+\)", token):
            break
        if is_company(token) or len(token) > 24:
            break
        cjk = bool(_CJK.search(token))
        if run and cjk and not has_sdk_word(token):
            break
        run.append((start, end))
        if cjk and not has_sdk_word(token) and len(run) > 1:
            break
    return run


# ---------------------------------------------------------------- glued


def _glued(doc: Document, ctx: Context) -> list[Candidate]:
    numbered: list[tuple[int, int, int]] = []  # (line, number, offset after the number)
    for line in doc.lines:
        text = line.folded.lstrip()
        match = _NUMBERED.match(text)
        if match is None or not _COMPANY_END.search(text, 0, 120):
            continue
        lead = len(line.folded) - len(text)
        numbered.append((line.index, int(match.group(1) or match.group(2)), lead + match.end()))
    out: list[Candidate] = []
    for position, (index, number, start) in enumerate(numbered[:MAX_CANDIDATES]):
        # Rows numbered in step with their lines (1, 2, 3 … on consecutive lines, a row that
        # failed to parse aside): a table, not a numbered paragraph that names a company.
        neighbours = [
            numbered[p]
            for p in (position - 2, position - 1, position + 1, position + 2)
            if 0 <= p < len(numbered)
        ]
        in_run = any(
            other[1] - number == other[0] - index and 0 < abs(other[0] - index) <= 3 for other in neighbours
        )
        if not (in_run or doc.lines[index].in_sdk):
            continue
        following = numbered[position + 1][0] if position + 1 < len(numbered) else len(doc)
        candidate = _glued_row(doc, ctx, index, start, _row_end(doc, index, following))
        if candidate is not None:
            out.append(candidate)
    return out


_MAX_WRAPPED = 12


def _row_end(doc: Document, index: int, following: int) -> int:
    """The last line of a glued row: a cell with line breaks inside ("设备信息:…" / "日志信息:…" /
    "用于数据分析…https://…") goes on over the lines up to the next row, a blank line or a heading."""
    end = index
    while end + 1 < min(following, index + 1 + _MAX_WRAPPED):
        line = doc.lines[end + 1]
        if line.blank or line.sdk_heading or (line.marker.kind and line.marker.rank <= 1):
            break
        end += 1
    return end


def _glued_row(doc: Document, ctx: Context, index: int, start: int, last: int) -> Candidate | None:
    text = doc.lines[index].folded
    company_end = _COMPANY_END.search(text, start)
    if company_end is None:
        return None
    head = text[start : company_end.start()]
    end = -1
    sdk_words = list(_SDK_WORD.finditer(head))
    if sdk_words:
        end = start + sdk_words[-1].end()
    else:
        for cut in range(min(len(head), 30), 1, -1):
            if ctx.roles.resolves(head[:cut]):
                end = start + cut
                break
    if end < 0:
        return None
    name = text[start:end].strip()
    if not name or label_fields(name):
        return None
    company = doc.raw(index, end, company_end.end())
    rest = "\n".join(
        [doc.raw(index, company_end.end(), len(text))]
        + [doc.raw(k, 0, len(doc.lines[k].raw)) for k in range(index + 1, last + 1)]
    )
    url = URL_RE.search(rest)
    return make(
        doc,
        index,
        start,
        end,
        finder=NAME,
        strength=STRENGTH,
        span=(index, last),
        fields=Fields(
            company=company or None, data=rest.strip()[:2000] or None, url=url.group(0) if url else None
        ),
        context=rest[:2000],
        ctx=ctx,
    )
