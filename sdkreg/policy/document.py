"""The prepared document every layout finder reads: built once from a ``PolicyText``, never
changed afterwards.

Per line: the text as written, its folded form (``fold.Folder``: same length, so an offset in
one is an offset in the other), the list marker and the text after it, the source line, whether
it heads a third-party SDK section and whether it lies inside one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sdkreg.policy.fold import Folder
from sdkreg.policy.labels import is_label
from sdkreg.policy.model import PolicyText
from sdkreg.policy.vocab import GENERIC_WORDS, HEADING_WORDS, SDK_HEADING_KEYS, SDK_WORDS

_CN_NUM = "一二三四五六七八九十"
_HEADING_KEY = re.compile("|".join(re.escape(k) for k in SDK_HEADING_KEYS), re.IGNORECASE)
# A sentence that introduces the list below it: "…第三方服务如下：", "… the following SDKs:".
_LIST_INTRO = re.compile(
    r"(?:如下|以下|下列)\s*[:：]?\s*$|(?:包括|包含|例如|比如|分别是|分别为)\s*[:：]\s*$|(?:following|below)[^.]*:\s*$",
    re.IGNORECASE,
)
# A sentence introducing a list may be long; it is the last one of its paragraph.
_SENTENCE_END = re.compile(r"。|[.!?]\s+")
_MAX_INTRO = 200
# The last part of a title: after its last colon or dash ("… - Appendix 2: Third-Party SDKs").
_TITLE_TAIL = re.compile(r"(?:[:：]|\s[-–—]\s)\s*([^:：]+)$")
# The title of a list, perhaps an appendix's, perhaps naming the app: "附二：《某某App接入第三方SDK目录》".
_LIST_TITLE = re.compile(
    r"^(?:附[录件表]?\s*[一二三四五六七八九十\d]{0,3}\s*[:：、.\s]\s*)?《?([^《》。，,；;]{2,40}?"
    r"(?:目录|清单|列表|一览表|一览|名单))》?\s*[:：]?$"
)
# (kind, rank, pattern): rank orders headings from the outermost (0) to a plain bullet (5).
_MARKERS: tuple[tuple[str, int, re.Pattern[str]], ...] = (
    ("md", 0, re.compile(r"(#{1,6})\s+")),  # Markdown (and HTML <hN>) headings
    ("part", 0, re.compile(r"第[一二三四五六七八九十百零〇\d]+[部分章节条篇]+\s*")),
    ("cn", 1, re.compile(rf"[{_CN_NUM}]{{1,3}}\s*[、.]\s*")),
    ("roman", 1, re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?:\.\s+(?=\S)|、\s*)")),
    ("cnparen", 2, re.compile(rf"\(\s*[{_CN_NUM}]{{1,3}}\s*\)\s*")),
    # "2.1微信SDK", "3.1QQ SDK": a dotted number glued to the text after it (before the plain form,
    # which would read "2." and leave "1微信SDK").
    ("num", 3, re.compile(r"(\d{1,2}(?:\.\d{1,2})+)(?=[\u3400-\u9fff]|[A-Z][A-Za-z])")),
    ("num", 3, re.compile(r"(\d{1,2}(?:\.\d{1,2})*)(?:[、.]\s*|\s+)(?=\S)")),
    ("numparen", 4, re.compile(r"(?:\(\s*\d{1,2}\s*\)|\d{1,2}\))\s*")),
    ("circled", 4, re.compile(r"[\u2460-\u2473\u2474-\u2487\u2776-\u277f\u3220-\u3229]\s*")),
    ("letter", 4, re.compile(r"(?:[a-zA-Z]\)|[a-z]\.(?=\s))\s*(?=\S)")),
    ("bullet", 5, re.compile(r"[•·●○■□◆◇▪▫►▶✓✔➢➤\-*–—]+\s*|\+\s+")),
    # A Word export's list bullet: the bullet glyph flattened to "." before the item's text.
    ("wordbullet", 5, re.compile(r"\.\s+(?=\S)")),
)


def _alternation(words: set[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r"|\d+")


# Every non-ASCII character a marker can start with.
_MARKER_STARTS = frozenset(
    "第"
    + _CN_NUM
    + "•·●○■□◆◇▪▫►▶✓✔➢➤–—"
    + "".join(chr(c) for c in (*range(0x2460, 0x2488), *range(0x2776, 0x2780), *range(0x3220, 0x322A)))
)
_GENERIC_RE = _alternation(set(GENERIC_WORDS))
_HEADING_RE = _alternation({*GENERIC_WORDS, *HEADING_WORDS})
_PUNCT = re.compile(r"[\s\-_·•.、,，:：;；/\\|'\"“”‘’()（）\[\]【】《》<>+&]+")


@dataclass(frozen=True)
class Marker:
    kind: str  # "" when the line carries no list marker
    rank: int  # 0 part … 5 bullet; 9 none
    depth: int  # dotted numbers: "4.2" is 2
    end: int  # offset (in the stripped line) where the text after the marker starts


NO_MARKER = Marker("", 9, 0, 0)


@dataclass(frozen=True)
class Line:
    index: int  # 0-based position in the document
    raw: str  # as written
    folded: str  # same length as raw
    marker: Marker
    start: int  # offset in raw/folded where ``text`` starts
    text: str  # folded text after the marker, stripped
    sdk_heading: bool  # heads a third-party SDK section ("本应用接入的第三方SDK如下")
    in_sdk: bool  # inside such a section
    # Inside a section whose heading says its SDKs are not used ("七、当前未接入的第三方SDK",
    # "Not included in the current release"): nothing there is a disclosure.
    excluded: bool = False
    # Inside an SDK vendor's own policy pasted into the document ("某某转化SDK隐私政策" and its
    # "本SDK…" text): the line where that policy starts, else -1.
    vendor_policy: int = -1

    @property
    def blank(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class Document:
    policy: PolicyText
    lines: tuple[Line, ...]

    def __len__(self) -> int:
        return len(self.lines)

    def raw(self, index: int, start: int, end: int) -> str:
        """The text as written between two offsets of line ``index``, stripped."""
        return self.lines[index].raw[start:end].strip()

    def source_line(self, index: int, offset: int = 0) -> int:
        return self.policy.source_line(index, offset)


def marker_of(stripped: str) -> Marker:
    """List or heading marker at the start of ``stripped`` (folded, without leading space)."""
    if not stripped or not (stripped[0] in _MARKER_STARTS or stripped[0].isascii()):
        return NO_MARKER  # most lines: a Chinese word, no marker could start here
    for kind, rank, pattern in _MARKERS:
        match = pattern.match(stripped)
        if match:
            if (
                kind == "num"
                and match.group(0).rstrip().endswith(tuple("0123456789"))
                and (_looks_like_quantity(stripped[match.end() :]))
            ):
                continue
            depth = (
                match.group(1).count(".") + 1 if kind == "num" else len(match.group(1)) if kind == "md" else 1
            )
            end = match.end()
            if kind == "md":  # "#### 5.5.1 某SDK": the heading's own number is no part of its text
                inner = marker_of(stripped[end:]) if stripped[end:end + 1] != "#" else NO_MARKER
                if inner.kind and inner.kind not in ("md", "bullet", "wordbullet"):
                    end += inner.end
            if kind == "wordbullet":  # ". 2.1.7 某功能": the item's own number is its marker
                inner = marker_of(stripped[end:])
                if inner.kind and inner.kind != "wordbullet":
                    return Marker(inner.kind, inner.rank, inner.depth, end + inner.end)
                kind = "bullet"
            return Marker(kind, rank, depth, end)
    return NO_MARKER


def _looks_like_quantity(rest: str) -> bool:
    """ "2 个月" / "10 years": a number followed by a unit is prose, not a list number."""
    return rest[:1] in _UNITS


_UNITS = frozenset("个年月日天次岁%倍万亿元小分秒周级版寸米克")


def residual(text: str) -> str:
    """``text`` (folded) without punctuation, digits and words that identify nothing: what
    could name an SDK."""
    return _GENERIC_RE.sub("", _PUNCT.sub("", text.casefold()))


def heading_residual(text: str) -> str:
    """Like ``residual``, also without the words of headings (platforms, scopes, numbers)."""
    return _HEADING_RE.sub("", _PUNCT.sub("", text.casefold()))


def is_sdk_heading(text: str) -> bool:
    """A heading announcing a third-party SDK list: short, names the list, identifies nothing —
    or a title ending so ("某某隐私政策 - 附录2: Third-Party SDKs"), or a sentence introducing
    the list ("应用程序使用的第三方服务如下:", "Below are the links to … the third-party service
    providers used by the Application:", the last sentence of a paragraph)."""
    if text.rstrip().endswith((":", "：")) and _LIST_INTRO.search(text):
        last = _SENTENCE_END.split(text.rstrip())[-1]
        if len(last) <= _MAX_INTRO and _HEADING_KEY.search(last):
            return True
    if len(text) > 80 or "。" in text or not _HEADING_KEY.search(text):
        return False
    titled = _LIST_TITLE.match(text)
    if titled and _HEADING_KEY.search(titled.group(1)):
        return True  # "附二：《某某清理大师接入第三方SDK目录》": the list's title, the app named in it
    if not heading_residual(text.rstrip(":")) or _LIST_INTRO.search(text):
        return True
    tail = _TITLE_TAIL.search(text.rstrip(":"))
    return tail is not None and len(tail.group(1)) >= 4 and not heading_residual(tail.group(1))


def prepare(policy: PolicyText) -> Document:
    folder = Folder()
    raws = policy.lines
    markers: list[Marker] = []
    starts: list[int] = []
    texts: list[str] = []
    folded_lines: list[str] = []
    # One translation of the whole text: lines hold no line breaks, so it splits back exactly.
    everything = folder.fold("\n".join(raws)).split("\n")
    if len(everything) != len(raws):
        everything = [folder.fold(raw) for raw in raws]
    for folded in everything:
        folded_lines.append(folded)
        stripped = folded.lstrip()
        lead = len(folded) - len(stripped)
        # A marker is only looked for at the head of a short enough prefix: the patterns are
        # anchored, so this is constant work per line whatever its length.
        marker = marker_of(stripped[:64]) if stripped else NO_MARKER
        text_part = stripped[marker.end :]
        text = text_part.strip()
        markers.append(marker)
        starts.append(lead + marker.end + (len(text_part) - len(text_part.lstrip())))
        texts.append(text)
    # A bullet alone on its line ("-", then the item's text on the next line, as some policy
    # generators write lists) marks the next line.
    for index, marker in enumerate(markers):
        # (one bullet character: "---" is a Markdown rule or front matter, not an item)
        if marker.kind == "bullet" and not texts[index] and len(raws[index].strip()) == 1:
            following = next((j for j in range(index + 1, min(index + 3, len(texts))) if texts[j]), None)
            if following is not None and not markers[following].kind:
                markers[following] = Marker("bullet", marker.rank, marker.depth, 0)
    # A label ("SDK名称", "第三方SDK") is a column header or a field, unless it is numbered or
    # marked as a heading ("二、第三方SDK", "## 第三方服务").
    headings = [
        bool(t) and is_sdk_heading(t) and (markers[i].kind in _SECTION_KINDS or not is_label(t))
        for i, t in enumerate(texts)
    ]
    in_sdk = _sections(markers, headings, texts)
    excluded = _excluded(markers, headings, texts)
    vendor = _vendor_policies(texts)
    lines = tuple(
        Line(
            i,
            raws[i],
            folded_lines[i],
            markers[i],
            starts[i],
            texts[i],
            headings[i],
            in_sdk[i] and not excluded[i],
            excluded[i],
            vendor[i],
        )
        for i in range(len(raws))
    )
    return Document(policy, lines)


# A heading saying the SDKs below are not (or no longer) in the app.
_NEGATED_HEADING = re.compile(
    r"未接入|未集成|未使用|未包含|未嵌入|不接入|不集成|不使用|不包含|已移除|已删除|已下线|已停用|不再(?:使用|集成|接入)"
)
# In English the words say it of products by themselves ("Not included in this release").
_NEGATED_ENGLISH_HEADING = re.compile(
    r"\bnot\s+(?:included|used|integrated|in\s+use|bundled|shipped|part\s+of)\b|\bno\s+longer\s+used\b",
    re.IGNORECASE,
)


def _level(marker: Marker, heading: bool) -> int | None:
    """A line's place in the section tree (see ``_sections``), None for a line that opens none."""
    if marker.kind in _SECTION_KINDS:
        return _SECTION_KINDS[marker.kind] + marker.depth - 1
    if heading:  # a bulleted one ("• 其他SDK及第三方服务") lies inside the section around it
        return _BULLET_HEADING if marker.kind else _UNNUMBERED_HEADING
    return None


def _excluded(markers: list[Marker], headings: list[bool], texts: list[str]) -> list[bool]:
    """Lines inside a section whose heading says its SDKs are not used, up to the next heading
    of the same or a higher level. The heading speaks of SDKs or third parties and is no
    sentence; a heading without a list marker ("未接入的第三方SDK：") opens such a section too."""
    out = [False] * len(texts)
    open_level: int | None = None
    for index, text in enumerate(texts):
        negated = (
            bool(text)
            and len(text) <= 60
            and "。" not in text
            and (
                (_NEGATED_HEADING.search(text) is not None and _HEADING_KEY.search(text) is not None)
                or _NEGATED_ENGLISH_HEADING.search(text) is not None
            )
        )
        level = _level(markers[index], headings[index])
        if level is None and negated:
            level = _UNNUMBERED_HEADING
        if level is not None and open_level is not None and level <= open_level:
            open_level = None
        if negated and level is not None:
            open_level = level
        out[index] = open_level is not None
    return out


# The title of an SDK's own privacy policy: "某某转化 SDK 隐私政策", "《某某SDK个人信息保护规则》".
_VENDOR_TITLE = re.compile(
    r"^《?\s*\S.{0,40}?\s*(?:sdk|软件开发工具包)\s*》?\s*(?:隐私政策|隐私保护政策|隐私权政策|隐私协议|"
    r"个人信息保护规则|个人信息处理规则|个人信息保护政策)》?(?:\s*(?:https?://\S+))?\s*$",
    re.IGNORECASE,
)
# How an SDK's own policy speaks of itself and of whoever embeds it.
_VENDOR_VOICE = re.compile(r"本\s*sdk|sdk\s*产品|第三方开发者|开发者应|开发者集成", re.IGNORECASE)
_VENDOR_WINDOW = 80


def _voice(texts: list[str]) -> int:
    return sum(len(_VENDOR_VOICE.findall(t)) for t in texts)


def _vendor_policies(texts: list[str]) -> list[int]:
    """Regions that are an SDK vendor's own policy pasted into the document (apps append the
    policies of the SDKs they embed): from a title naming an SDK's policy, confirmed by the text
    speaking as the SDK ("本SDK", "SDK产品", "第三方开发者" at least three times in the lines
    after it), to the next such title or the end. Each line: where its region starts, or -1."""
    out = [-1] * len(texts)
    starts = [i for i, t in enumerate(texts) if t and len(t) <= 120 and _VENDOR_TITLE.match(t)]
    confirmed = [i for i in starts if _voice(texts[i + 1 : i + _VENDOR_WINDOW]) >= 3]
    for position, start in enumerate(confirmed):
        end = confirmed[position + 1] if position + 1 < len(confirmed) else len(texts)
        for index in range(start, end):
            out[index] = start
    return out


_SECTION_KINDS = {
    "md": 0,
    "part": 0,
    "cn": 10,
    "roman": 10,
    "cnparen": 20,
    "num": 30,
    "numparen": 40,
    "circled": 40,
    "letter": 45,
}
_UNNUMBERED_HEADING = 25  # an unnumbered SDK heading: "一、"/"(一)" end its section, "1." are inside
_BULLET_HEADING = 50  # a bulleted SDK heading: the next numbered line ends its section


def _heading_strength(text: str) -> int:
    """2 for a heading that says SDK, 1 for one that only speaks of third parties or sharing."""
    low = text.casefold()
    return 2 if any(word in low for word in SDK_WORDS) else 1


def _sections(markers: list[Marker], headings: list[bool], texts: list[str]) -> list[bool]:
    """Which lines lie inside a third-party SDK section.

    Numbered lines open nested sections (第一部分 > 一、 > (一) > 1. > 1.1 > (1) …); an SDK heading
    opens one too (an unnumbered heading that is the document's first line is its title and
    spans everything). The most specific SDK heading wins: when an SDK section holds SDK
    sections of its own ("第三方信息共享和SDK服务清单" > "1.第三方信息共享", "2.APP第三方SDK服务清单"),
    only those and the lines before its first subsection are inside it — its other subsections
    (API partners, contact details) are not. Linear in the number of lines."""
    n = len(markers)
    first = next((i for i, t in enumerate(texts) if t), -1)
    levels = [_level(markers[index], headings[index]) for index in range(n)]
    if first >= 0 and headings[first] and not markers[first].kind:
        levels[first] = -1  # the document's title
    # The section tree: parent of every section, and the innermost section of every line.
    parent: dict[int, int] = {}
    owner = [-1] * n
    stack: list[int] = []
    for index in range(n):
        level = levels[index]
        if level is not None:
            while stack and (levels[stack[-1]] or 0) >= level:
                stack.pop()
            parent[index] = stack[-1] if stack else -1
            stack.append(index)
            owner[index] = parent[index]
        else:
            owner[index] = stack[-1] if stack else -1
    strength = {node: _heading_strength(texts[node]) if headings[node] else 0 for node in parent}
    best_below: dict[int, int] = dict.fromkeys(parent, 0)
    for node in sorted(parent, reverse=True):  # children come after their parents
        up = parent[node]
        if up >= 0:
            best_below[up] = max(best_below[up], strength[node], best_below[node])
    inside: dict[int, bool] = {-1: False}  # the lines a section owns
    inherited: dict[int, bool] = {-1: False}  # what it passes to its subsections
    for node in sorted(parent):
        up = parent[node]
        # Under an SDK heading, a subsection heading that names SDKs less explicitly than a
        # sibling does ("1. 第三方信息共享清单" beside "2. 第三方SDK服务清单") is not in.
        need = best_below[up] if up >= 0 and strength[up] else 0
        inside[node] = inherited[up] or (strength[node] > 0 and strength[node] >= need)
        inherited[node] = inside[node] and best_below[node] == 0
    return [
        (inherited[owner[i]] if i in parent else inside[owner[i]]) if owner[i] >= 0 or i in parent else False
        for i in range(n)
    ]
