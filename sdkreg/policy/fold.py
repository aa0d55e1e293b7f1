"""Fold a policy's text to the forms our vocabulary and the registry are written in, one
character for one character, so an offset in the folded text is the offset in the text as
written (a disclosure reports the name as written; only recognition uses the folded form).

* full-width ASCII → ASCII, ideographic and no-break spaces → space;
* NFKC where it maps one character to one character (Kangxi radicals ⽤ → 用, compatibility
  ideographs, small/vertical punctuation). Enclosed numbers (①, ⑴, ㈠) keep their form: they are
  list markers, and NFKC would turn "①微信SDK" into "1微信SDK";
* Traditional → Simplified Chinese with OpenCC's character table (華為推送 → 华为推送,
  隱私政策鏈接 → 隐私政策链接), character by character so the length never changes.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

_SPACES = {0x3000: " ", 0xA0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200A: " ", 0x202F: " "}
# List markers NFKC would flatten into digits or letters.
_KEEP = ((0x2460, 0x24FF), (0x2776, 0x2793), (0x3200, 0x32FF), (0x2160, 0x2188))


@lru_cache(maxsize=1)
def _t2s() -> Any:
    """OpenCC's Traditional→Simplified converter (loaded once: its tables are read-only data)."""
    import opencc

    return opencc.OpenCC("t2s")


def _kept(code: int) -> bool:
    return any(low <= code <= high for low, high in _KEEP)


class Folder:
    """A translation table grown with the characters it meets; one per document or resolver."""

    def __init__(self) -> None:
        self._table: dict[int, str] = {}
        self._seen: set[str] = set()

    def fold(self, text: str) -> str:
        if text.isascii():
            return text
        new = set(text) - self._seen
        if new:
            self._learn(new)
        return text.translate(self._table)

    def _learn(self, chars: set[str]) -> None:
        self._seen |= chars
        cjk: list[str] = []
        for ch in chars:
            code = ord(ch)
            if code < 0x80:
                continue
            if 0xFF01 <= code <= 0xFF5E:
                self._table[code] = chr(code - 0xFEE0)
                continue
            if code in _SPACES:
                self._table[code] = _SPACES[code]
                continue
            target = ch
            if not _kept(code):
                normal = unicodedata.normalize("NFKC", ch)
                if len(normal) == 1:
                    target = normal
            if 0x3400 <= ord(target) <= 0x9FFF or 0xF900 <= ord(target) <= 0xFAFF:
                cjk.append(target)
            if target != ch:
                self._table[code] = target
        if cjk:
            self._learn_simplified(cjk)

    def _learn_simplified(self, chars: list[str]) -> None:
        unique = sorted(set(chars))
        # One character per line: OpenCC's phrase table cannot join neighbours.
        converted = _t2s().convert("\n".join(unique)).split("\n")
        if len(converted) != len(unique):
            return
        simplified = dict(zip(unique, converted, strict=True))
        for code, target in list(self._table.items()):
            better = simplified.get(target)
            if better is not None and len(better) == 1:
                self._table[code] = better
        for ch, better in simplified.items():
            if len(better) == 1 and better != ch:
                self._table[ord(ch)] = better
