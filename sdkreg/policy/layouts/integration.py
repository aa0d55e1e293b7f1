"""SDKs named in prose: integration sentences ("本产品集成了某某统计SDK，该SDK需要收集…",
"认证流程接入了某某实人认证SDK") and other sentences that name a specific SDK ("三方某某SDK需要…"),
wherever they are — typically inside a permission list or table, in a policy without an SDK list.

What counts (decided for issue 8, shape 9):

* a name ending in "SDK" ("某某统计SDK", "MobPush SDK", "腾讯浏览服务（TBS）SDK") that is
  specific: something is left once determiners (第三方/三方/上述/相应…), generic words and product
  words are removed — so "第三方SDK", "地图SDK", "厂商推送SDK" are not names;
* a name without "SDK" in the object of an integration verb (集成/接入/嵌入/使用了/引入/采用 + A、B
  和C, "集成穿山甲，广点通，HUAWEI Ads广告服务"), only if the registry knows it ("接入了个推推送服务")
  and it is written as a name, not a feature or an account ("集成了微信登录功能", "微信账号");
* the same after a plain verb of use when the one using is the app or its operator, never the
  reader: "我们使用 X 进行统计分析", "<app>使用…平台 X 进行…", "<app> uses X to …", "… through X
  provided by …" — not "您使用微信登录", "当您使用支付宝支付时", "if you use …"; and the framework
  an app is built on ("基于 X 开发");
* never when negated — a negated verb negates its whole clause ("未集成地图SDK", "不额外接入厂商
  SDK", "不使用分析 SDK、广告 SDK、跟踪 SDK", "does not use analytics SDKs") — never a category
  whose parenthesis lists the products ("联运SDK（A、B、C）": the products are the names);
* only if the SDK is disclosed nowhere else (``only_if_new``): prose repeats the names a list
  already gave, and one sentence naming the same SDK twice discloses it once.

Names are separate disclosures, each as written ("接入了A SDK和B SDK" → two).
"""

from __future__ import annotations

import re
from dataclasses import replace

from sdkreg.policy.document import Document, residual
from sdkreg.policy.labels import SENTENCE_PUNCT, label_fields
from sdkreg.policy.layouts.base import MAX_CANDIDATES, MAX_MENTIONS_PER_LINE, Candidate, Context, make
from sdkreg.policy.roles import is_heading, is_incidental
from sdkreg.policy.vocab import PRODUCT_WORDS
from sdkreg.registry.names import normalize_name

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
    "优化",
    "确定",
    "修改",
    "调整",
    "完善",
    "明确",
    "补充",
    "修订",
    "增加",
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
        "as",
        "like",
        "including",
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
    r"\s*(?:本机|采集|自动|提供方|厂商|版本|接口|内部|中的|所|名称|名单|列表|清单|目录|运营|服务商|开发者|开发商|"
    r"供应商|类)"
)
# Characters of grammar, not of names: "仅能知悉SDK", "将会…SDK".
_FUNCTION_CHARS = re.compile(r"[能仅要会可将需被把让使所其该此并且而但也都就还再均皆即若如请以]")
_PRODUCT_ONLY = re.compile("^(?:" + "|".join(PRODUCT_WORDS) + ")+$")


def find(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    # A short name a sentence defines ("巨量引擎转化SDK（以下简称“转化SDK”）") → the full name.
    short_names: dict[str, str] = {}
    seen_regions: set[int] = set()  # pasted SDK policies whose own SDK was named already
    for line in doc.lines:
        if len(out) >= MAX_CANDIDATES:
            break
        if not line.text or line.sdk_heading or _title(line.text):
            continue
        for start, end, needs_match in _mentions(ctx, line.folded, line.start):
            # In an SDK's own policy pasted into the document, the first name is that SDK; its
            # other mentions ("本SDK", "转化SDK", the SDKs it embeds) are its own words.
            region = line.vendor_policy
            vendor_text = region >= 0 and region in seen_regions
            candidate = make(
                doc,
                line.index,
                start,
                end,
                finder=NAME,
                strength=STRENGTH,
                needs_match=needs_match,
                only_if_new=True,
                ctx=ctx,
                vendor_text=vendor_text,
            )
            if candidate is None:
                continue
            if region >= 0:
                seen_regions.add(region)
            full = short_names.get(normalize_name(candidate.lookup))
            if full is not None:  # the defined short name repeats the full one
                candidate = replace(candidate, lookup=full)
            defined = _DEFINED.match(line.folded, end)
            if defined:
                short_names.setdefault(normalize_name(defined.group(1)), candidate.lookup)
            out.append(candidate)
    return out


def _mentions(ctx: Context, text: str, first: int) -> list[tuple[int, int, bool]]:
    """The names a line's prose mentions (offsets in the folded line, from ``first``: a list
    marker is no part of a name), each with whether only the registry can make it a name."""
    out: list[tuple[int, int, bool]] = []
    low = text.casefold()
    says_sdk = "sdk" in low
    verbs = list(_VERBS.finditer(text)) if _VERB_HINT.search(text) else []
    uses = (
        [u for u in _USE.finditer(text) if _own_subject(text, u.start())]
        if "使用" in text or "采用" in text
        else []
    )
    english = (
        [v for v in _ENGLISH_VERBS.finditer(text) if _own_subject(text, v.start())]
        if any(hint in low for hint in _ENGLISH_HINTS)
        else []
    )
    built_on = list(_BUILT_ON.finditer(text)) if "基于" in text else []
    agreed = (
        [a for a in _AGREE.finditer(text) if _opens_clause(text, a.start())]
        if "同意" in text or "agree" in low or "accept" in low
        else []
    )
    titles = (
        list(_POLICY_TITLE.finditer(text)) if "《" in text and _PROVIDED_BY.search(text) is not None else []
    )
    if not (says_sdk or verbs or uses or english or built_on or agreed or titles):
        return out
    negated = _negated_spans(text)
    taken: list[tuple[int, int]] = []
    previous = first
    for count, match in enumerate(_SDK.finditer(text) if says_sdk else ()):
        if count >= MAX_MENTIONS_PER_LINE:
            break
        found = _name_before(text, max(previous, match.start() - 30), match.start(), match.end())
        previous = match.end()
        if found is None:
            continue
        start, end = _owner(ctx, text, *found)
        if _umbrella(text, end) or _negated(text, start) or _inside(negated, start):
            continue
        if _METHOD_AFTER.match(text, end):
            continue
        out.append((start, end, False))
        taken.append((start, end))
    for agreement in agreed:
        group = "name" if agreement.group("name") is not None else "english"
        name, at = agreement.group(group), agreement.start(group)
        if _agreed_service(ctx, name) and not _inside(taken, at):
            out.append((at, at + len(name), False))
            taken.append((at, at + len(name)))
    for title in titles:
        at, name = title.start(1), title.group(1)
        if ctx.roles.resolves(name) and not is_incidental(name) and not _inside(taken, at):
            out.append((at, at + len(name), True))
            taken.append((at, at + len(name)))
    for count, verb in enumerate((*verbs, *uses, *english, *built_on)):
        if count >= MAX_MENTIONS_PER_LINE:
            break
        if _negated(text, verb.start()) or _inside(negated, verb.start()):
            continue
        for start, end in _named_objects(ctx, text, verb.end(), taken, _object_end(verb)):
            out.append((start, end, True))
            taken.append((start, end))
    return out


# "（1）消息推送服务供应商：由某某公司提供推送技术服务，……详细内容请访问《极光推送隐私政策》": a
# partner that provides a service to the app, named only by the title of its privacy policy — a
# name only if the registry knows it ("《华为云隐私政策》" names a host, no SDK).
_PROVIDED_BY = re.compile(r"由[^。；;，,]{2,40}?提供")
_POLICY_TITLE = re.compile(
    r"《\s*([^《》\s][^《》]{0,19}?)\s*(?:sdk)?\s*(?:用户)?"
    r"(?:隐私权?政策|隐私保护政策|隐私协议|隐私声明|个人信息保护规则)\s*》",
    re.IGNORECASE,
)
# "（以下简称“转化SDK”）", "(hereinafter “the SDK”)": the name just before is defined a short name.
_DEFINED = re.compile(
    r"\s*[(（]\s*(?:以下|下文|下)?\s*(?:简称|称为|称)\s*(?:为)?\s*[“\"「『]([^”\"」』]{1,20})[”\"」』]"
    r"|\s*\(\s*hereinafter(?:\s+referred\s+to\s+as)?\s*[“\"]([^”\"]{1,20})[”\"]",
    re.IGNORECASE,
)
# "使用Google Map，您将同意Google的服务条款及隐私政策", "By using QQ, you agree to …": the
# service whose terms the reader accepts by using the app is a third-party service in it.
_AGREE = re.compile(
    r"使用\s*(?P<name>[^\s，,。；;：:、（）()][^，,。；;：:、（）()]{0,29}?)\s*[,，]\s*(?:您|你)\s*(?:将|即|就)?\s*(?:会)?\s*"
    r"(?:同意|接受)"
    r"|\bby\s+using\s+(?P<english>[^,.;:()]{1,40}?)\s*,\s*you\s+(?:will\s+)?(?:agree|accept)",
    re.IGNORECASE,
)


def _opens_clause(text: str, at: int) -> bool:
    """The construction opens its clause or list item ("3.使用高德，您将同意…"), not "当您开通使用
    某功能时，您同意…" (the reader's own use)."""
    return not _MARKER_CHARS.sub("", text[_clause_start(text, at) : at])


_MARKER_CHARS = re.compile(r"[\s\d.、()（）\-•·*]+")


def _agreed_service(ctx: Context, name: str) -> bool:
    """A proper name, not the app itself or a kind of thing ("本服务", "our Service", "the App")."""
    stripped = name.strip()
    if not stripped or _FIRST_PERSON.search(stripped) or _SECOND_PERSON.search(stripped):
        return False
    if is_heading(stripped) or label_fields(stripped) or is_incidental(stripped):
        return False
    rest = residual(stripped)
    if len(rest) < 2 and not ctx.roles.resolves(stripped):
        return False
    if stripped.isascii():
        return any(ch.isupper() or ch.isdigit() for ch in stripped)
    return not _FUNCTION_CHARS.search(stripped)


def _owner(ctx: Context, text: str, start: int, end: int) -> tuple[int, int]:
    """ "腾讯Bugly的异常日志SDK": a kind of SDK that belongs to a name the registry knows is that
    name's SDK — the name as written ("腾讯Bugly"). Otherwise the mention as found."""
    if start < 2 or text[start - 1] != "的" or ctx.roles.resolves(text[start:end]):
        return start, end
    owner_end = start - 1
    for size in range(min(16, owner_end), 1, -1):
        piece = text[owner_end - size : owner_end]
        if piece[:1].isspace() or _DELIMITERS.match(piece[:1]):
            continue
        if owner_end - size > 0 and piece[:1].isascii() and text[owner_end - size - 1].isascii() and (
            text[owner_end - size - 1].isalnum()
        ):
            continue  # not inside an English word
        if ctx.roles.resolves(piece) and not is_incidental(piece):
            return owner_end - size, owner_end
    return start, end


# ---------------------------------------------------------------- prose without "SDK"

# "我们使用 X 进行统计分析", "TransTaiwan使用Google Analytics蒐集…", "TransTaiwan uses Google
# Analytics to …", "serves ads through Admob provided by Google": a plain verb of use counts when
# the one using is the app or its operator — not "您使用微信登录", "if you use …" — and only for a
# name the registry knows, written as a name (not "微信登录功能", "微信账号").
_VERB_HINT = re.compile(r"集成|接入|嵌入|内嵌|使用了|引入|采用")
_USE = re.compile(r"使用(?!了)|采用(?!了)")
_ENGLISH_VERBS = re.compile(
    r"\b(?:uses?|used|utili[sz]es?|integrates?|integrated|embeds?|embedded|through|via)\s+(?:the\s+)?",
    re.IGNORECASE,
)
_ENGLISH_HINTS = ("use", "utili", "integrat", "embed", "through", "via")
# Who uses it: the reader ("您使用…", "if you use", "users can use") is never an app's SDK.
_SECOND_PERSON = re.compile(r"您|你|用户|使用者|\b(?:you|your|users?)\b", re.IGNORECASE)
# Words that make a clause's subject something else than the app: "当…使用", "在使用…时".
_NOT_SUBJECT = re.compile(
    r"[当在若如即]|如果|可以|可|请|需要|时|后|前|\b(?:if|when|while|can|may)\b", re.IGNORECASE
)
_FIRST_PERSON = re.compile(
    r"我们|我司|本应用|本产品|本软件|本程序|本平台|本app|\b(?:we|our|app|application)\b", re.IGNORECASE
)
_CLAUSE_BREAK = re.compile(r"[。；;！？!?，,：:()（）\[\]]|\.\s")
# What may follow a name the registry knows in an object: nothing, a product or category word, or
# the verb of its purpose — not a feature or an account ("微信登录功能", "微信账号").
_AFTER_NAME = re.compile(
    r"^(?:\s*(?:[(（.,;:!?。，；：、]|sdk|服务|平台|插件|组件|工具包|广告|统计|推送|分析|地图|定位|存储|"
    r"进行|来|用于|以|为|向|对|提供|收集|搜集|获取|实现|帮助|显示|展示|记录|追踪|处理|上报|"
    r"的(?:广告|推送|统计|分析|地图|定位|支付|存储)?(?:服务|sdk)|"
    r"to\b|for\b|provided\b|by\b|in\b|and\b|or\b|which\b|that\b|from\b|is\b|are\b|as\b|with\b)|$)",
    re.IGNORECASE,
)
_ENGLISH_RUN = re.compile(
    r"[A-Za-z][A-Za-z0-9+\-]*(?:\s+(?:for\s+)?(?:[A-Z0-9][A-Za-z0-9+\-]*|[a-z]+-[a-z]+))*"
)
_PIECE_SPLIT = re.compile(r"、|以及|及|和|与|,|，|\band\b|\bor\b|或")
_MAX_OBJECT = 60


def _clause_start(text: str, at: int) -> int:
    """Where the clause holding ``at`` starts: after the last clause break in the 40 characters
    before it, else the start of the text."""
    start = 0
    for match in _CLAUSE_BREAK.finditer(text, max(0, at - 40), at):
        start = match.end()
    return start


def _own_subject(text: str, verb: int) -> bool:
    """The clause before the verb names the app or its operator, not the reader: "我们", "本应用",
    "TransTaiwan", "通知滤盒" — a name with no word of a condition or a second person."""
    subject = text[_clause_start(text, verb) : verb].strip()
    if _SECOND_PERSON.search(subject):
        return False
    if _FIRST_PERSON.search(subject):
        return True
    if not subject or len(subject) > (60 if subject.isascii() else 24) or _NOT_SUBJECT.search(subject):
        return False  # (an English subject may be a passive phrase: "Crash reports are collected")
    return not _FUNCTION_CHARS.search(subject)


# "我们的产品基于DCloud uni-app(5+ App)开发": the framework an app is built on is in it.
_BUILT_ON = re.compile(r"基于(?=[^。；;，,]{1,40}?(?:框架)?(?:开发|构建|搭建|研发))")
_BUILT_ON_END = re.compile(r"(?:框架)?(?:开发|构建|搭建|研发)")


def _object_end(verb: re.Match[str]) -> int | None:
    """Where the object of ``verb`` ends when the pattern knows it (基于 X 开发)."""
    if verb.re is _BUILT_ON:
        end = _BUILT_ON_END.search(verb.string, verb.end())
        return end.start() if end else None
    return None


def _named_objects(
    ctx: Context, text: str, start: int, taken: list[tuple[int, int]], limit: int | None = None
) -> list[tuple[int, int]]:
    """Names the registry knows in the object of a verb of use, in order: one per listed item
    ("穿山甲，广点通，HUAWEI Ads广告服务"), the list ending at the first item naming none."""
    end = limit if limit is not None else start + _MAX_OBJECT
    stop = _OBJECT_STOP.search(text, start, min(len(text), end))
    end = stop.start() if stop else min(len(text), end)
    out: list[tuple[int, int]] = []
    position = start
    for count, piece in enumerate(_PIECE_SPLIT.split(text[start:end])):
        offset = text.find(piece, position) if piece else -1
        if offset < 0:
            continue
        position = offset + len(piece)
        found = _known_in(ctx, text, offset, offset + len(piece))
        if found is None:
            if count == 0 and not piece.strip():
                continue
            break
        if _inside(taken, found[0]):
            continue
        out.append(found)
    return out


# Where the object of a verb ends: a sentence break.
_OBJECT_STOP = re.compile(r"[。；;！？!?]|\.\s")


def _known_in(ctx: Context, text: str, start: int, end: int) -> tuple[int, int] | None:
    """The first name in ``text[start:end]`` the registry knows: the longest known beginning of the
    piece, else the first known English name in it ("微软公司出品的… Microsoft AppCenter")."""
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    body = piece.strip()
    if not body:
        return None
    if _CJK.match(body):
        for size in range(min(len(body), 16), 1, -1):
            if size < len(body) and body[size - 1].isascii() and body[size - 1].isalnum() and (
                body[size].isascii() and body[size].isalnum()
            ):
                continue  # not inside an English word ("腾讯Bug|ly")
            name = body[:size]
            if _acceptable(ctx, name, body[size:]):
                return start + lead, start + lead + size
    for run in _ENGLISH_RUN.finditer(body):
        words = run.group(0).split()
        for count in range(len(words), 0, -1):
            name = " ".join(words[:count])
            at = run.start()
            if _acceptable(ctx, name, body[at + len(name) :]) and len(name) >= 3:
                return start + lead + at, start + lead + at + len(name)
    return None


def _acceptable(ctx: Context, name: str, after: str) -> bool:
    """A name the registry knows, that is not an account or a data type ("我们使用OAID来识别设备":
    the identifier, not the SDK of that name), followed by what may follow a name."""
    return (
        ctx.roles.resolves(name)
        and not is_incidental(name)
        and _AFTER_NAME.match(after.lstrip()[:12]) is not None
        and ctx.roles.of(name).data < 0.5
    )


def _negated_spans(text: str) -> list[tuple[int, int]]:
    """Clauses whose verb is negated, to their end: every name listed there is not used ("不使用
    分析 SDK、广告 SDK、跟踪 SDK 或云同步服务", "does not use analytics SDKs, …")."""
    spans: list[tuple[int, int]] = []
    for match in _NEGATED_VERB.finditer(text):
        stop = _OBJECT_STOP.search(text, match.end())
        spans.append((match.start(), stop.start() if stop else len(text)))
    return spans


_NEGATED_VERB = re.compile(
    r"(?:未|不|没有|并未|尚未|不会|从未|无需|不再)\s*(?:额外|再|会)?\s*(?:使用|集成|接入|嵌入|引入|采用|包含|含有|内置)"
    r"|\b(?:does\s+not|do\s+not|doesn't|don't|never|not)\s+(?:use|integrate|include|embed|contain)",
    re.IGNORECASE,
)


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    return any(a <= at < b for a, b in spans)


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
    quoted = _QUOTED_END.search(stripped)
    if quoted:  # 使用“腾讯定位”SDK: the quoted words are the name
        inner = quoted.group(1).strip()
        if not _specific(inner):
            return None
        name_start = left + quoted.start(1) + (len(quoted.group(1)) - len(quoted.group(1).lstrip()))
        return name_start, name_start + len(inner)
    if _DETERMINER_END.search(stripped):
        return None  # "装载本SDK", "向SDK提供", "这等SDK": the SDK spoken of, not a name
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


# A name in quotation marks or brackets right before "SDK": “腾讯定位”SDK, 「某某」SDK, 【友盟+】SDK.
_QUOTED_END = re.compile(r"[“\"「『【]([^“”\"「」『』【】]{1,30})[”\"」』】]$")
# Words that point at an SDK already spoken of, or make it an object: "本SDK", "该等SDK", "向SDK".
_DETERMINER_END = re.compile(
    r"(?:本|该|此|这|那|其|各|每|该等|此等|这等|这些|那些|向|给|对|从|在|由|被|将|把|与|和|及|或)\s*$"
)


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
    if not rest.startswith(("(", "（")) or _DEFINED.match(text, end):
        return False
    close = max(text.find(")", end), text.find("）", end))
    inner = text[end:close] if close > end else text[end : end + 80]
    return bool(_SDK.search(inner)) or "、" in inner


def _negated(text: str, start: int) -> bool:
    return bool(_NEGATION.search(text[max(0, start - 12) : start]))
