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
