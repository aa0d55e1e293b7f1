"""What a value IS, judged by its content: an SDK name, a company, a URL, a data list, a purpose,
a field label (a column header), a heading.

Layouts use these scores where a header alone cannot decide: a table's name column is the
column whose cells are names (a "第三方名称" column holds companies in one policy and products in
another), a header is a row whose cells are labels, and the arbiter never lets a label or a
heading through as a disclosure however SDK-like its words ("第三方SDK信息共享清单",
"Android端第三方SDK", "是否去标识化").

Scores are in [0, 1]. The name score uses the registry (an exact alias is the strongest
evidence; fuzzy matching is left to resolution, it costs too much per cell) and the product
vocabulary; the data score uses the registry's data-type wordings (DataTypeMatcher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sdkreg.policy.datatypes import DataTypeMatcher
from sdkreg.policy.document import heading_residual, is_sdk_heading, residual
from sdkreg.policy.labels import SENTENCE_PUNCT, URL_RE, is_label
from sdkreg.policy.resolve import PACKAGE_RE, NameResolver, resolver_for
from sdkreg.policy.vocab import (
    ACTIVITY_WORDS,
    COMPANY_ENDINGS,
    EMPTY_VALUES,
    ENGLISH_CATEGORY_WORDS,
    ENGLISH_PRODUCT_WORDS,
    ENGLISH_SECTION_WORDS,
    INCIDENTAL_WORDS,
    PRODUCT_WORDS,
    PURPOSE_OPENERS,
    SDK_WORDS,
)
from sdkreg.registry.registry import Registry

# Outside parentheses, a name holds no sentence punctuation; an ASCII comma separates products
# ("Huawei Push, Xiaomi Push"), so it is allowed.
_NAME_PUNCT = re.compile(r"[。；;，!?！？]")
_PARENTHESISED = re.compile(r"[(（][^()（）]*[)）]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_LIST = re.compile(r",\s+|\s+and\s+")
_CLAUSE_COMMA = re.compile(r"[\u3400-\u9fff],[\u3400-\u9fff]")
_CLAUSE_COMMA_SPLIT = re.compile(r",")
_PROSE_WORDS = re.compile(r"我们|您|用于|为了|以便|由|指")
_COMPANY_ENDINGS = tuple(e.replace(" ", "") for e in COMPANY_ENDINGS)
_PRODUCT_SET = frozenset(w.casefold() for w in PRODUCT_WORDS)
_ENGLISH_WORD = re.compile(r"[a-z][a-z\-]*")
_ENGLISH_PRODUCT = frozenset(ENGLISH_PRODUCT_WORDS)
# An Android permission constant or an iOS usage key: "READ_PHONE_STATE", "NSCameraUsageDescription".
_ONE_PERMISSION = r"(?:(?:android\.permission\.)?[A-Z][A-Z0-9]*_[A-Z0-9_]+|NS[A-Za-z]+UsageDescription)"
_PERMISSION = re.compile(rf"^{_ONE_PERMISSION}(?:[\s,、/]+{_ONE_PERMISSION})*$")
_LINK = re.compile(r"https?:|www\.", re.IGNORECASE)
# A number that names a brand: glued to the Chinese product words after it, not a quantity.
_DIGIT_BRAND = re.compile(r"(?<![\d.])\d{2,5}(?=[\u3400-\u9fff])(?![年月日号版个次天岁周期元万亿])")
_CATEGORY = re.compile(r"^[\u3400-\u9fff]{1,8}类(?:sdk|服务|软件开发工具包|工具)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Roles:
    name: float = 0.0
    company: float = 0.0
    url: float = 0.0
    data: float = 0.0
    purpose: float = 0.0
    label: float = 0.0
    heading: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {
            "name": self.name,
            "company": self.company,
            "url": self.url,
            "data": self.data,
            "purpose": self.purpose,
            "label": self.label,
            "heading": self.heading,
        }


NO_ROLES = Roles()


# ---------------------------------------------------------------- simple roles


def is_company(text: str) -> bool:
    """Ends in a legal-entity suffix ("有限公司", "Co., Ltd."), a trailing note aside."""
    value = _PARENTHESISED.sub("", text).strip() if text.rstrip().endswith((")", "）")) else text
    low = "".join(value.casefold().split()).rstrip(".")
    return low.endswith(_COMPANY_ENDINGS) and len(low) >= 4


def is_url(text: str) -> bool:
    stripped = text.strip()
    match = URL_RE.search(stripped)
    return match is not None and len(match.group(0)) >= 0.6 * len(stripped)


def has_sdk_word(text: str) -> bool:
    low = text.casefold()
    return any(w in low for w in SDK_WORDS)


def has_product_word(text: str) -> bool:
    if any(w in text for w in PRODUCT_WORDS):
        return True
    return any(w in _ENGLISH_PRODUCT for w in _ENGLISH_WORD.findall(text.casefold()))


def is_incidental(text: str) -> bool:
    """An account, an app, a website or a permission, not an SDK ("使用微信账号登录")."""
    return not has_sdk_word(text) and any(w in text.casefold() for w in INCIDENTAL_WORDS)


@lru_cache(maxsize=65536)  # pure; a policy repeats its headings and names
def is_heading(text: str) -> bool:
    """A title or heading: an SDK-section heading, a category ("推送类SDK"), or words of
    headings only ("Android端第三方SDK", "Third-party SDKs", "其他SDK及第三方服务")."""
    stripped = text.strip().rstrip(":：").strip()
    if not stripped or len(stripped) > 40 or SENTENCE_PUNCT.search(stripped):
        return False
    if is_sdk_heading(stripped) or _CATEGORY.match(stripped):
        return True
    if stripped.isascii():
        words = _SECTION_WORD.findall(stripped.casefold())
        if words and all(w in ENGLISH_SECTION_WORDS for w in words):
            return True  # "Log Data", "Cookies", "Children's Privacy"
    return not heading_residual(stripped)


_SECTION_WORD = re.compile(r"[a-z][a-z'’\-]*")


def is_english_category(text: str) -> bool:
    """English words of a kind of service only: "Analytics", "Push notifications"."""
    words = _ENGLISH_WORD.findall(text.casefold())
    return bool(words) and text.isascii() and all(w in ENGLISH_CATEGORY_WORDS for w in words)


_PRODUCT_RE = re.compile("|".join(sorted(PRODUCT_WORDS, key=len, reverse=True)))


def is_generic_product(text: str) -> bool:
    """A kind of SDK without a maker: "统计SDK", "推送服务" — product words only. It names an SDK
    only together with a company that makes one such SDK (resolve.py)."""
    stripped = text.strip()
    if not stripped or len(stripped) > 20 or not _PRODUCT_RE.search(stripped):
        return False
    return not _PRODUCT_RE.sub("", residual(stripped))


def is_permission(text: str) -> bool:
    return bool(_PERMISSION.match(text.strip()))


@lru_cache(maxsize=65536)  # a pure function of the text; lines and cells repeat in a policy
def name_shaped(text: str, max_chars: int = 40) -> bool:
    """Short, not a sentence, not a URL or company or account or permission, with something
    left after the words that identify nothing."""
    stripped = text.strip()
    if not stripped or len(stripped) > max_chars or _LINK.search(stripped):  # not "OkHttp"
        return False
    if is_permission(stripped):
        return False
    outside = _PARENTHESISED.sub("", stripped)
    if _NAME_PUNCT.search(outside) or any(len(part.split()) > 5 for part in _ENGLISH_LIST.split(outside)):
        return False  # a sentence; an English list ("A, B and C") has short parts
    if "的" in outside:  # a description ("第三方SDK的管理", "授权合作伙伴的SDK"), not a name
        return False
    if _CLAUSE_COMMA.search(outside):  # folded "，" between Chinese words: clauses, unless a list
        parts = _CLAUSE_COMMA_SPLIT.split(outside)
        if any(len(part) > 12 for part in parts) or _PROSE_WORDS.search(outside):
            return False
    rest = residual(PACKAGE_RE.sub("", stripped))
    if (not rest or rest in _PRODUCT_SET) and _DIGIT_BRAND.search(stripped):
        rest = "#"  # "233广告SDK", "360加固": a number glued to the product is its brand
    if not rest or rest in _PRODUCT_SET or is_english_category(stripped):
        return False
    return not (is_incidental(stripped) or is_company(stripped))


def purpose_score(text: str) -> float:
    stripped = text.strip().casefold()
    if not stripped:
        return 0.0
    if stripped.startswith(PURPOSE_OPENERS):
        return 0.9
    if _purpose_phrase(stripped):
        return 0.8
    if any(f"{w}" in stripped[:12] for w in ("用于", "以便", "为了", "实现", "提供")):
        return 0.7
    if len(stripped) > 24 and SENTENCE_PUNCT.search(stripped):
        return 0.5
    return 0.0


def _purpose_phrase(text: str) -> bool:
    """Activities of a product category and nothing that names a vendor: "广告投放、广告反作弊",
    "摇一摇、扭一扭等广告投放", "广告转化效果监测" (most of the text is such words, one at least
    an activity)."""
    if len(text) > 60 or has_sdk_word(text):
        return False
    letters = _PURPOSE_PUNCT.sub("", text)
    if not letters or not _ACTIVITY.search(letters):
        return False
    if len(_PURPOSE_WORDS.sub("", letters)) > 0.4 * len(letters):
        return False
    # Each part of a list, or the whole: such words, nothing before them that could name a vendor
    # ("极光营销推送" is a name: 极光 is left).
    parts = [p for p in _PURPOSE_PUNCT.split(text) if p]
    pure = sum(1 for p in parts if len(_PURPOSE_WORDS.sub("", p)) <= 1)
    return pure >= 1 and 2 * pure >= len(parts)


_PURPOSE_PUNCT = re.compile(r"[\s、,，;；/和及与或等的]+")
_ACTIVITY = re.compile("|".join(ACTIVITY_WORDS))
_PURPOSE_WORDS = re.compile("|".join(sorted((*ACTIVITY_WORDS, *PRODUCT_WORDS), key=len, reverse=True)))


# ---------------------------------------------------------------- the reader


class RoleReader:
    """Role scores of values, with the registry's names and data-type wordings; owned by the
    registry (``registry.derived("policy.roles", RoleReader)``)."""

    def __init__(self, registry: Registry) -> None:
        self.resolver: NameResolver = resolver_for(registry)
        self.data = registry.derived("policy.datatypes", DataTypeMatcher)
        self._cache: dict[str, Roles] = {}

    def resolves(self, text: str) -> bool:
        """The registry knows the name (resolve.NameResolver.known: exact aliases only, for
        speed) or a Java package in it."""
        if self.resolver.known(text):
            return True
        packages = PACKAGE_RE.findall(text)
        return any(self.resolver.by_package(p) for p in packages[:4])

    def of(self, text: str) -> Roles:
        value = text.strip()
        if len(value) > 400:  # prose: no name, no label; judged on its head
            value = value[:400]
        cached = self._cache.get(value)
        if cached is None:
            cached = self._score(value)
            if len(self._cache) > 100_000:
                self._cache.clear()
            self._cache[value] = cached
        return cached

    def _score(self, value: str) -> Roles:
        if not value or value.casefold().strip(" .。") in EMPTY_VALUES:
            return NO_ROLES
        url = 1.0 if is_url(value) else 0.0
        company = 1.0 if is_company(value) else (0.5 if "有限公司" in value else 0.0)
        label = 1.0 if is_label(value) and not self.resolver.known(value) else 0.0
        heading = 1.0 if not label and is_heading(value) else 0.0
        types, covered = self.data.coverage(value)
        data = 0.0
        if types:
            density = covered / max(1, len(value))
            data = min(1.0, 0.25 * types + density)
        purpose = purpose_score(value)
        name = self._name_score(value, url, company, label, heading, data, purpose)
        return Roles(name, company, url, round(data, 2), purpose, label, heading)

    def _name_score(
        self,
        value: str,
        url: float,
        company: float,
        label: float,
        heading: float,
        data: float,
        purpose: float,
    ) -> float:
        if url or company >= 1.0 or label or len(value) > 60:
            return 0.0
        if self.resolves(value):
            return 1.0
        if heading or not name_shaped(value, 60 if has_sdk_word(value) else 40):
            return 0.0
        if has_sdk_word(value):
            score = 0.8
        elif has_product_word(value):
            score = 0.6
        else:
            score = 0.35
        if data >= 0.5 or purpose >= 0.7:
            score = min(score, 0.2)
        return score


def role_reader(registry: Registry) -> RoleReader:
    return registry.derived("policy.roles", RoleReader)
