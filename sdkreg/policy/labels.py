"""Field labels and column headers ("SDK名称", "第三方公司名称", "产品/类型", "使用目的",
"是否去标识化", "Purpose of Use"): whether a short text is one, and which fields it speaks of.
Vocabulary only (no registry): the document, the roles and the finders all use it."""

from __future__ import annotations

import re
from functools import lru_cache

from sdkreg.policy.vocab import LABEL_RULES, MAX_LABEL_CHARS, MAX_LABEL_WORDS, FieldName

URL_RE = re.compile(r"(?:https?://|www\.)[^\s，。；;、)）\]】|\"'<>]+", re.IGNORECASE)
SENTENCE_PUNCT = re.compile(r"[。；;，,!?！？]")
_PARENTHESISED = re.compile(r"[(（][^()（）]*[)）]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# A pinyin reading inserted after a character ("处(chǔ)理", "权(quán)限").
_GLOSS = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}[)）]")
_ENGLISH_WORD = re.compile(r"[a-z][a-z\-]*")
# "公司名称 Company Name": a Chinese label followed by its English translation.
_BILINGUAL = re.compile(r"^([^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*?)\s+([A-Za-z][A-Za-z\s/()&,\-]*)$")
# Words a label is made of besides its field words: "第三方数据安全能力描述", "声明/申请权限".
_LABEL_FILLER = (
    "描述",
    "详情",
    "简介",
    "类别",
    "范围",
    "字段",
    "内容",
    "数据",
    "模块",
    "声明",
    "申请",
    "简化",
    "传输",
    "敏感",
    "必要",
    "可选",
    "必选",
    "对应",
    "获取",
    "处理",
    "共享",
    "收集",
    "使用",
    "调用",
    "个人",
    "信息",
    "涉及",
    "供参考",
    "参考",
    "业务",
    "类",
    "项",
    "方",
    "者",
    "或",
    "和",
    "及",
    "与",
    "的",
    "等",
    "必须",
    "必需",
    "/",
    "隐私",
    "地址",
    "运营",
    "单位",
    "当前",
)
# Generic words a label may hold ("第三方SDK名称"). Not the words of headings (清单, 说明, 如下,
# 接入): "第三方SDK清单" and "第三方SDK接入说明" head sections, they label no column.
_LABEL_GENERIC = (
    "第三方",
    "第三",
    "三方",
    "合作方",
    "合作伙伴",
    "个人信息",
    "用户信息",
    "名称",
    "sdk",
    "app",
    "api",
    "应用",
    "服务",
    "产品",
    "相关",
    "主要",
    "具体",
    "其他",
    "其它",
)
_ENGLISH_LABEL_WORDS = frozenset(
    {
        "type",
        "types",
        "of",
        "data",
        "collected",
        "collection",
        "by",
        "a",
        "the",
        "third-party",
        "third",
        "party",
        "sdk",
        "name",
        "names",
        "purpose",
        "purposes",
        "use",
        "usage",
        "used",
        "personal",
        "information",
        "info",
        "field",
        "fields",
        "processing",
        "method",
        "methods",
        "sharing",
        "shared",
        "share",
        "entity",
        "company",
        "contact",
        "privacy",
        "policy",
        "link",
        "links",
        "police",
        "function",
        "functions",
        "scenario",
        "scenarios",
        "scene",
        "product",
        "products",
        "product(s)",
        "vendor",
        "provider",
        "developer",
        "operator",
        "official",
        "website",
        "url",
        "scope",
        "category",
        "categories",
        "partner",
        "partners",
        "service",
        "services",
        "platform",
        "os",
        "and",
        "or",
        "in",
        "for",
        "with",
        "to",
        "is",
        "are",
        "operating",
        "library",
        "libraries",
        "description",
        "manner",
        "way",
        "collect",
        "application",
        "app",
        "sdks",
        "s",
        "/",
        "&",
        "(s)",
        "legal",
        "basis",
        "rules",
        "rule",
        "means",
        "provision",
        "recipient",
        "recipients",
        "mode",
        "using",
        "collecting",
        "receiving",
        "received",
        "processed",
        "handling",
        "involved",
        "required",
        "permission",
        "permissions",
        "name(s)",
        "link(s)",
        "websites",
        "notes",
        "note",
        "remarks",
        "address",
        "main",
        "body",
        "details",
        "detail",
    }
)
_LABEL_WORDS_RE = re.compile(
    "|".join(
        re.escape(w)
        for w in sorted(
            {w for _, words in LABEL_RULES for w in words if _CJK.search(w) or w.isalpha()}
            | set(_LABEL_GENERIC)
            | set(_LABEL_FILLER),
            key=len,
            reverse=True,
        )
    )
)
_PUNCT = re.compile(r"[\s\-_·•.、,，:：;；/\\|'\"“”‘’()（）\[\]【】《》<>+&*#]+")


def _clean_label(text: str) -> str:
    return text.strip().rstrip("|").strip().rstrip(":：").strip()


@lru_cache(maxsize=8192)  # labels repeat on every entry of a list; pure function of its text
def label_fields(text: str) -> tuple[FieldName, ...]:
    """Every field a label or column header speaks of, most likely first; () when ``text`` is
    not a label at all (too long, a sentence, a URL, or words besides label words)."""
    label = _clean_label(text)
    if not label or URL_RE.search(label) or SENTENCE_PUNCT.search(label):
        return ()
    low = label.casefold()
    if _CJK.search(label):
        bilingual = _BILINGUAL.match(label)
        if bilingual and not _english_label(bilingual.group(2).casefold()):
            return ()
        chinese = bilingual.group(1).casefold() if bilingual else low
        if len(_GLOSS.sub("", chinese)) > MAX_LABEL_CHARS:
            return ()
        rest = _LABEL_WORDS_RE.sub("", _PUNCT.sub("", _PARENTHESISED.sub("", chinese)))
        if len(rest) > 1:
            return ()
    else:
        if not _english_label(low):
            return ()
    # A gloss inside a word ("权(quán)限", a conversion artefact) hides the word: look for label
    # words without glosses too.
    key = "".join(low.split()) + "\n" + "".join(_GLOSS.sub("", low).split())
    spaced = " " + " ".join(_ENGLISH_WORD.findall(low)) + " "
    return tuple(name for name, words in LABEL_RULES if any(_speaks_of(w, key, spaced) for w in words))


def _speaks_of(word: str, key: str, spaced: str) -> bool:
    """A Chinese label word anywhere in the label; an English one as whole words ("os" is not
    in "purpose")."""
    if word.isascii():
        return f" {word} " in spaced or (not word.isalpha() and word in key)
    return word in key


def _english_label(low: str) -> bool:
    words = _ENGLISH_WORD.findall(low)
    if not words or len(words) > MAX_LABEL_WORDS or len(low) > 60:
        return False
    return all(w in _ENGLISH_LABEL_WORDS for w in words)


def is_label(text: str) -> bool:
    return bool(label_fields(text))
