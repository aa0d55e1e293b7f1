"""Name normalisation shared by the alias-collision lint and the policy name resolver.

Two spellings are the same name when they differ only in width (ＳＤＫ/SDK), case, spaces and
punctuation, or a trailing generic word (SDK, 服务, 平台 …). ``小米 PUSH``, ``小米push SDK`` and
``小米PUSH服务`` all normalise to ``小米push``.
"""

from __future__ import annotations

import re
import unicodedata

# Generic trailing words that do not distinguish one SDK from another. Order matters only in
# that the loop strips repeatedly ("推送服务SDK" → "推送服务" → "推送" is *not* wanted: 推送 is
# meaningful), so only truly generic words are listed.
_GENERIC_SUFFIXES = ("sdk", "服务", "平台", "软件开发工具包", "开发工具包", "组件", "插件", "api")
_PUNCT = re.compile(r"[\s\-_·•．.、,，:：;；/\\|'\"“”‘’()（）\[\]【】《》<>+®™]+")


def normalize_name(text: str) -> str:
    value = unicodedata.normalize("NFKC", text).casefold()
    value = _PUNCT.sub("", value)
    changed = True
    while changed:
        changed = False
        for suffix in _GENERIC_SUFFIXES:
            if value.endswith(suffix) and len(value) > len(suffix):
                value = value[: -len(suffix)]
                changed = True
    return value


# A company's legal name without its place and legal form: "北京火山引擎科技有限公司" → "火山引擎".
_PLACES = (
    "北京|上海|天津|重庆|深圳|广州|杭州|南京|苏州|武汉|成都|西安|厦门|珠海|长沙|合肥|福州|济南|青岛|大连|宁波|"
    "无锡|东莞|佛山|郑州|沈阳|哈尔滨|长春|昆明|南昌|贵阳|海口|广东|浙江|江苏|福建|山东|湖北|湖南|四川|河南|河北|"
    "安徽|辽宁"
)
_LEADING_PLACE = re.compile(rf"^(?:{_PLACES})(?:市|省)?")
_LEGAL_FORM = re.compile(
    r"(?:(?:网络|信息|数码|数字|计算机系统|计算机|软件|互联网|移动|电子商务|智能|通讯|通信)?(?:科技|技术|服务|系统)?"
    r"(?:股份)?有限(?:责任)?公司|集团(?:有限公司)?|公司)$"
)
_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def vendor_short_name(legal_name: str) -> str:
    """The name a policy uses for a company, normalised: its Chinese legal name without the
    place, a bracketed note and the legal form ("深圳市腾讯计算机系统有限公司" → "腾讯",
    "友盟同欣(北京)科技有限公司" → "友盟同欣"); "" when too little is left."""
    name = _LEADING_PLACE.sub("", _BRACKETED.sub("", unicodedata.normalize("NFKC", legal_name)))
    previous = None
    while previous != name:
        previous, name = name, _LEGAL_FORM.sub("", name)
    short = normalize_name(name)
    return short if len(short) >= 2 else ""
