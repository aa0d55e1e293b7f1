"""SDKs named in prose: integration sentences ("本产品集成了某某统计SDK，该SDK需要收集…",
"认证流程接入了某某实人认证SDK") and other sentences that name a specific SDK ("三方某某SDK需要…"),
wherever they are — typically inside a permission list or table, in a policy without an SDK list.

What counts (decided for issue 8, shape 9):

* a name ending in "SDK" ("某某统计SDK", "MobPush SDK", "腾讯浏览服务（TBS）SDK") that is
  specific: something is left once determiners (第三方/三方/上述/相应…), generic words and product
  words are removed — so "第三方SDK", "地图SDK", "厂商推送SDK" are not names;
* a name without "SDK" right after an integration verb (集成/接入/嵌入/使用了/引入/采用 + A、B和C),
  only if the registry knows it ("接入了个推推送服务");
* never when negated ("未集成地图SDK", "不额外接入厂商SDK", "不涉及第三方SDK"), never a category
  whose parenthesis lists the products ("联运SDK（A、B、C）": the products are the names);
* only if the SDK is disclosed nowhere else (``only_if_new``): prose repeats the names a list
  already gave, and one sentence naming the same SDK twice discloses it once.

Names are separate disclosures, each as written ("接入了A SDK和B SDK" → two).
"""

from __future__ import annotations

import re

from sdkreg.policy.document import Document, residual
from sdkreg.policy.labels import SENTENCE_PUNCT, label_fields
from sdkreg.policy.layouts.base import MAX_CANDIDATES, MAX_MENTIONS_PER_LINE, Candidate, Context, make
from sdkreg.policy.roles import is_heading
from sdkreg.policy.vocab import PRODUCT_WORDS

STRENGTH = 40
NAME = "integration"

_SDK = re.compile(r"sdk", re.IGNORECASE)
# Where a name cannot reach across: punctuation and list separators.
_DELIMITERS = re.compile(r"[\s]{2,}|[，。；;：:、,!?！？“”\"'《》【】<>|/（(）)\[\]]")
# Words that end the text before a name: verbs, determiners, particles ("本App接入了|高德定位SDK").
_STOPS = (
    "集成了",
    "集成",
    "接入了",
    "接入",
    "嵌入了",
    "嵌入",
    "内嵌",
    "使用了",
    "使用",
    "引入了",
    "引入",
    "采用了",
    "采用",
    "调用",
    "根据",
    "基于",
    "通过",
    "包括",
    "包含",
    "如下",
    "以下",
    "以上",
    "上述",
    "相应",
    "第三方",
    "三方",
    "这些",
    "那些",
    "少量",
    "部分",
    "一些",
    "若干",
    "多个",
    "多款",
    "各类",
    "各种",
    "相关",
    "其他",
    "其它",
    "下列",
    "该",
    "此类",
    "其中",
    "每个",
    "每一个",
    "每款",
    "各",
    "更换",
    "新增",
    "替换",
    "升级",
    "更新",
    "删除",
    "移除",
    "停用",
    "关闭",
    "或",
    "需要",
    "提供",
    "我们",
    "您",
    "本应用",
    "本产品",
    "本软件",
    "本app",
    "本App",
    "本APP",
    "以及",
    "或者",
    "的",
    "了",
    " the ",
    " a ",
    " an ",
    " our ",
    " its ",
    " use ",
    " uses ",
    " integrate ",
    " integrates ",
    " integrated ",
    " embed ",
    " embeds ",
    " via ",
    " with ",
    " of ",
    " and ",
)
_STOP_RE = re.compile("|".join(re.escape(s) for s in sorted(_STOPS, key=len, reverse=True)))
_NEGATION = re.compile(r"(?:未|不|没有|无|非|不会|不再|并未|尚未|not|no|never)\S{0,6}$", re.IGNORECASE)
_VERBS = re.compile(r"(?:集成了?|接入了?|嵌入了?|内嵌|使用了|引入了?|采用了)")
_OBJECT_END = re.compile(r"[，。；;！？!?：:]|用于|以便|来|为了|，")
_LIST_SPLIT = re.compile(r"、|和|及|与|以及|,|，")
_TITLE_ENDINGS = (
    "说明",
    "清单",
    "目录",
    "列表",
    "政策",
    "规则",
    "指引",
    "声明",
    "协议",
    "附件",
    "附录",
    "一览",
    "如下",
    "list",
    "policy",
)
_ENGLISH_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+.'\-]*")
_ENGLISH_STOPS = frozenset(
    {
        "the",
        "a",
        "an",
        "every",
        "each",
        "any",
        "this",
        "that",
        "these",
        "those",
        "our",
        "your",
        "its",
        "their",
        "all",
        "other",
        "such",
        "some",
        "no",
        "third-party",
        "third",
        "party",
        "use",
        "uses",
        "used",
        "using",
        "integrate",
        "integrates",
        "integrated",
        "embed",
        "embeds",
        "embedded",
        "via",
        "with",
        "of",
        "and",
        "or",
        "by",
        "from",
        "in",
        "on",
        "for",
        "to",
        "is",
        "are",
        "which",
        "whose",
        "one",
        "two",
        "several",
        "many",
        "per",
        "new",
    }
)
_CONJUNCTIONS = frozenset("和及与或并、")
_DETERMINER_WORDS = (
    "厂商",
    "手机厂商",
    "品牌",
    "官方",
    "自有",
    "自研",
    "少量",
    "若干",
    "外部",
    "关联方",
    "合作方",
    # a way of collecting, not a name: "SDK本机采集", "本机采集 SDK"
    "本机",
    "采集",
    "自动",
    "传输",
    "上报",
    "调用",
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_VERB_IN_NAME = re.compile(r"收集|传输|获取|提供|实现|需要|进行|帮助|调用|读取|申请|用于|以便|通过|上传|下载")
# "SDK本机采集", "SDK提供方", "SDK名称": the word SDK opens a phrase or a label, it ends no name.
_METHOD_AFTER = re.compile(
    r"\s*(?:本机|采集|自动|提供方|厂商|版本|接口|内部|中的|所|名称|名单|列表|清单|目录)"
)
# Characters of grammar, not of names: "仅能知悉SDK", "将会…SDK".
_FUNCTION_CHARS = re.compile(r"[能仅要会可将需被把让使所其该此并且而但也都就还再均皆即若如]")
_PRODUCT_ONLY = re.compile("^(?:" + "|".join(PRODUCT_WORDS) + ")+$")


def find(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for line in doc.lines:
        if len(out) >= MAX_CANDIDATES:
            break
        text = line.folded
        if not line.text or line.sdk_heading or ("sdk" not in text.casefold() and not _VERBS.search(text)):
            continue
        if _title(line.text):
            continue
        taken: list[tuple[int, int]] = []
        previous = line.start  # a list marker ("③", "2.1", "####") is no part of a name
        for count, match in enumerate(_SDK.finditer(text)):
            if count >= MAX_MENTIONS_PER_LINE:
                break
            found = _name_before(text, max(previous, match.start() - 30), match.start(), match.end())
            previous = match.end()
            if found is None:
                continue
            start, end = found
            if _umbrella(text, end) or _negated(text, start) or _METHOD_AFTER.match(text, end):
                continue
            candidate = make(
                doc, line.index, start, end, finder=NAME, strength=STRENGTH, only_if_new=True, ctx=ctx
            )
            if candidate is not None:
                out.append(candidate)
                taken.append((start, end))
        for count, verb in enumerate(_VERBS.finditer(text)):
            if count >= MAX_MENTIONS_PER_LINE:
                break
            if _negated(text, verb.start()):
                continue
            out.extend(_objects(doc, ctx, line.index, text, verb.end(), taken))
    return out


def _title(text: str) -> bool:
    """A title or heading ("某某商城外部SDK、API共享说明"): short, no sentence, ends like a title."""
    stripped = text.strip().rstrip(":：")
    return len(stripped) <= 40 and not SENTENCE_PUNCT.search(stripped) and stripped.endswith(_TITLE_ENDINGS)


def _name_before(text: str, left: int, sdk_start: int, sdk_end: int) -> tuple[int, int] | None:
    """The name that ends with the "SDK" at ``sdk_start`` and starts after ``left`` (offsets in
    the line: a name never reaches back over the previous "SDK"), or None."""
    if (
        sdk_end < len(text)
        and text[sdk_end : sdk_end + 1].isascii()
        and text[sdk_end : sdk_end + 1].isalnum()
    ):
        return None  # "sdkversion", "SDKs" in an English word
    before = text[left:sdk_start]
    end_paren = ""
    stripped = before.rstrip()
    if stripped.endswith((")", "）")):
        opening = max(stripped.rfind("("), stripped.rfind("（"))
        if opening > 0:
            end_paren = stripped[opening:]
            stripped = stripped[:opening]
    cut = _english_start(stripped)
    if cut is None or (cut > 0 and _CJK.match(stripped[:cut].rstrip()[-1:] or "x")):
        # A Chinese name, or a Chinese name before an English code ("腾讯Bugly SDK").
        limit = len(stripped) if cut is None else cut
        cut = 0
        for delimiter in _DELIMITERS.finditer(stripped, 0, limit):
            cut = delimiter.end()
        for stop in _STOP_RE.finditer(stripped, cut, limit):
            cut = max(cut, stop.end())
    head = stripped[cut:].strip()
    while head[:1] in _CONJUNCTIONS and len(head) > 1:  # "…SDK和B SDK": the list goes on
        head = head[1:].lstrip()
    if not head:
        return None
    name_start = left + stripped.index(head, cut)
    core = head + end_paren
    if not _specific(core):
        return None
    return name_start, sdk_end


def _english_start(before: str) -> int | None:
    """Where an English name ending at the end of ``before`` starts: its words back to a
    stop word or punctuation ("the vivo Push" → "vivo Push"); None when ``before`` does not end
    in an English word. Proper names only: at least one word capitalised or with a digit."""
    words = list(_ENGLISH_TOKEN.finditer(before))
    if not words or before[words[-1].end() :].strip():
        return None
    start: int | None = None
    proper = False
    for word in reversed(words):
        token = word.group(0)
        gap = before[word.end() : start if start is not None else len(before)]
        if start is not None and gap.strip():
            break  # punctuation between two words
        if token.casefold() in _ENGLISH_STOPS:
            break
        proper = proper or any(ch.isupper() or ch.isdigit() for ch in token)
        if not proper and start is not None:
            break  # lower-case words are a description ("crash-reporting"), unless inside a name
        start = word.start()
    if start is None:
        return len(before)
    return start if proper else len(before)


def _specific(core: str) -> bool:
    """Something identifies the SDK: not only determiners, generic or product words; in
    English, a proper name ("MobPush SDK", "React Native SDK"), not a description ("a
    crash-reporting SDK")."""
    if core.isascii() and not any(ch.isupper() or ch.isdigit() for ch in core):
        return False
    if len(_CJK.findall(core)) > 14 or _VERB_IN_NAME.search(core) or _FUNCTION_CHARS.search(core):
        return False  # "设备上直接收集信息并传输给SDK", "仅能知悉SDK": a clause, not a name
    rest = residual(core)
    for word in _DETERMINER_WORDS:
        rest = rest.replace(word, "")
    if len(rest) < 2 and not (rest.isascii() and rest):
        return False
    return not _PRODUCT_ONLY.match(rest) and not is_heading(core + "SDK") and not label_fields(core + "SDK")


def _umbrella(text: str, end: int) -> bool:
    """ "联运SDK（A、B、C）": a category whose parenthesis lists the products."""
    rest = text[end : end + 2].lstrip()
    if not rest.startswith(("(", "（")):
        return False
    close = max(text.find(")", end), text.find("）", end))
    inner = text[end:close] if close > end else text[end : end + 80]
    return bool(_SDK.search(inner)) or "、" in inner


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATION.search(text[max(0, start - 12) : start]))


def _objects(
    doc: Document, ctx: Context, index: int, text: str, start: int, taken: list[tuple[int, int]]
) -> list[Candidate]:
    """Names without "SDK" right after an integration verb, if the registry knows them."""
    end_match = _OBJECT_END.search(text, start)
    end = end_match.start() if end_match else min(len(text), start + 60)
    out: list[Candidate] = []
    position = start
    for piece in _LIST_SPLIT.split(text[start:end]):
        offset = text.find(piece, position) if piece else -1
        if offset < 0:
            continue
        position = offset + len(piece)
        item = piece.strip()
        if not item or "sdk" in item.casefold():
            continue
        lead = piece.find(item)
        item_start = offset + lead
        if any(a <= item_start < b for a, b in taken):
            continue
        if not ctx.roles.resolves(item):
            continue
        candidate = make(
            doc,
            index,
            item_start,
            item_start + len(item),
            finder=NAME,
            strength=STRENGTH,
            needs_match=True,
            only_if_new=True,
            ctx=ctx,
        )
        if candidate is not None:
            out.append(candidate)
    return out
