"""Personal-data text → vocabulary ids, using the wordings of registry/data-types.yaml.

Matching is case- and width-insensitive (NFKC + casefold on both sides). A wording that starts
or ends with an ASCII letter or digit must sit on a word boundary there, so ``IP`` matches
"IP地址" and "(IP)" but not "VIP" or "ZIP", and ``MAC`` not "MACHINE". One alternation, longest
wording first, scans the text once, so where wordings overlap the longest one wins: a type's
``not_wordings`` ("短信验证码") are in the alternation too and consume the text without
producing a type.
"""

from __future__ import annotations

import re
import unicodedata

from sdkreg.registry.registry import Registry

# A value longer than this is prose, not a cell: its role is judged on its head.
_SCAN_CHARS = 2000
_FIND_CHARS = 20_000


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class DataTypeMatcher:
    def __init__(self, registry: Registry) -> None:
        self._order = {type_id: index for index, type_id in enumerate(registry.data_types)}
        self._by_wording: dict[str, str | None] = {}
        for data_type in registry.data_types.values():
            for wording in data_type.not_wordings:
                key = _key(wording)
                if key:
                    self._by_wording[key] = None  # a phrase that is not this data wins its text
        for data_type in registry.data_types.values():
            for wording in data_type.wordings:
                key = _key(wording)
                if key:
                    self._by_wording.setdefault(key, data_type.id)
        self._found: dict[str, tuple[str, ...]] = {}  # data lists repeat across an SDK list
        pieces = [_pattern(w) for w in sorted(self._by_wording, key=len, reverse=True)]
        self._regex = re.compile("|".join(pieces)) if pieces else None

    def coverage(self, text: str) -> tuple[int, int]:
        """(distinct types, characters covered by wordings) in ``text``: how much of a value is
        a data list. Bounded work: only the first ``_SCAN_CHARS`` characters are looked at."""
        if not text or self._regex is None:
            return 0, 0
        found: set[str] = set()
        covered = 0
        for match in self._regex.finditer(_fold(text[:_SCAN_CHARS])):
            type_id = self._by_wording.get(_key(match.group(0)))
            if type_id:
                found.add(type_id)
                covered += match.end() - match.start()
        return len(found), covered

    def find(self, text: str | None) -> tuple[str, ...]:
        """Vocabulary ids mentioned in ``text``, in vocabulary order, each once."""
        if not text or self._regex is None:
            return ()
        cached = self._found.get(text)
        if cached is None:
            cached = self._find(text)
            if len(self._found) > 20_000:
                self._found.clear()
            self._found[text] = cached
        return cached

    def _find(self, text: str) -> tuple[str, ...]:
        assert self._regex is not None
        text = text[:_FIND_CHARS]  # a data list is short; a longer text is prose around it
        found: set[str] = set()
        for match in self._regex.finditer(_fold(text)):
            type_id = self._by_wording.get(_key(match.group(0)))
            if type_id:
                found.add(type_id)
        return tuple(sorted(found, key=lambda t: self._order.get(t, 0)))


def _key(wording: str) -> str:
    """Lookup key: folded, without spaces or hyphens (the pattern lets both vary)."""
    return re.sub(r"[\s\-]+", "", _fold(wording))


def _pattern(key: str) -> str:
    # Spaces and hyphens may appear between any two characters of the wording ("SIM 卡序列号",
    # "Android ID", "Wi-Fi 状态" for the wording "WiFi状态").
    body = r"[\s\-]*".join(re.escape(ch) for ch in key)
    if key[0].isascii() and key[0].isalnum():
        body = r"(?<![a-z0-9])" + body
    if key[-1].isascii() and key[-1].isalnum():
        body += r"(?![a-z0-9])"
    return body
