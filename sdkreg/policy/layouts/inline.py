"""Inline lists in a sentence: ``Name(java.package)`` pairs ("其中包括OPush(com.heytap.msp)、
MiPush(com.xiaomi.push)"), and names after 包括/如下/分别为 in a sentence about SDKs.

A package pair is a name by its package. A name enumerated after a trigger word counts only if
the registry knows it (prose enumerates features and data as readily as SDKs). Only sentences
inside an SDK section, or that speak of SDKs, are read.
"""

from __future__ import annotations

import re

from sdkreg.policy.document import Document
from sdkreg.policy.layouts.base import MAX_CANDIDATES, Candidate, Context, make
from sdkreg.policy.resolve import PACKAGE_RE
from sdkreg.policy.roles import has_sdk_word, name_shaped
from sdkreg.policy.vocab import ENUMERATION_TRIGGERS

STRENGTH = 50
NAME = "inline"

_PAIR = re.compile(
    r"([^\s、,，;；:()（）。\"“”]{1,40}?)\s*[(（]\s*("
    + PACKAGE_RE.pattern.replace("(?<![A-Za-z0-9_.])", "")
    + r")\s*[)）]",
    re.IGNORECASE,
)
# The other way round, a Maven coordinate or package and a note naming its vendor and product:
# "com.huawei.hms(华为;华为推送)", "com.pangle.cn:ads-sdk-pro(穿山甲)".
_NOTED = re.compile(
    "("
    + PACKAGE_RE.pattern.replace("(?<![A-Za-z0-9_.])", "").replace("(?![A-Za-z0-9_])", "")
    + r"(?::[A-Za-z0-9_.\-]+){0,2})\s*[(（]\s*([^()（）]{1,40}?)\s*[)）]",
    re.IGNORECASE,
)
_LEAD_VERBS = re.compile(
    "^.*(?:" + "|".join(ENUMERATION_TRIGGERS) + r"|集成了?|接入了?|嵌入了?|使用了?|采用了?|引入了?)"
)
_ITEM_SPLIT = re.compile(r"\s*(?:、|,|，|以及|及|和|或)\s*|\s+(?:and|or)\s+")
_CLAUSE_END = re.compile(r"[。;；!?！？]")


def find(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    for line in doc.lines:
        if len(out) >= MAX_CANDIDATES:
            break
        text = line.text
        if not text:
            continue
        third_party = _THIRD_PARTY_LIST.search(text)
        # A coordinate with a note naming its product is specific wherever it stands
        # ("某商店的版本会集成com.vivo.push(vivo;vivo推送)"); other inline names need a line about SDKs.
        about_sdks = line.in_sdk or has_sdk_word(text) or third_party is not None
        if not about_sdks and not ("." in text and _NOTED.search(text)):
            continue
        base = line.start
        pairs = list(_PAIR.finditer(text)) if "." in text and about_sdks else []
        found = False
        for match in pairs:
            name = _LEAD_VERBS.sub("", match.group(1)).strip()
            if not name or not name_shaped(name + "x"):
                continue
            start = match.start(1) + match.group(1).find(name)
            candidate = make(
                doc,
                line.index,
                base + start,
                base + match.end(),
                finder=NAME,
                strength=STRENGTH,
                ctx=ctx,
            )
            if candidate is not None:
                out.append(candidate)
                found = True
        for match in _NOTED.finditer(text) if "." in text else ():
            before = text[match.start() - 1] if match.start() > 0 else " "
            if before.isalnum() and before.isascii():
                continue  # inside a longer word or URL
            if not any(not ch.isascii() or ch.isupper() for ch in match.group(match.lastindex or 1)):
                continue  # "(see below)": a note that names nothing
            candidate = make(
                doc,
                line.index,
                base + match.start(),
                base + match.end(),
                finder=NAME,
                strength=STRENGTH,
                needs_match=True,
                ctx=ctx,
            )
            if candidate is not None:
                out.append(candidate)
                found = True
        if found or not about_sdks:
            continue
        for segment_start, segment_end in _segments(text, third_party):
            position = segment_start
            found_here: list[Candidate] = []
            pieces = _ITEM_SPLIT.split(text[segment_start:segment_end])
            for piece in pieces:
                offset = text.find(piece, position)
                position = offset + len(piece) if offset >= 0 else position
                item = piece.strip(" :")
                if item.endswith("等"):
                    item = item[:-1]
                if not item or offset < 0 or not name_shaped(item, 30):
                    continue
                lead = piece.find(item)
                # Enumerated in prose: a name only if the registry knows it, and only if no list
                # discloses the same SDK (a permission row "包括A、B广告SDK" repeats the list).
                candidate = make(
                    doc,
                    line.index,
                    base + offset + lead,
                    base + offset + lead + len(item),
                    finder=NAME,
                    strength=STRENGTH,
                    needs_match=True,
                    only_if_new=True,
                    ctx=ctx,
                )
                if candidate is not None:
                    found_here.append(candidate)
            # An enumeration of data types ("IMEI、IDFA、MAC、OAID、VAID") is a data list, even
            # where one of them is also an SDK's name.
            data = sum(1 for piece in pieces if ctx.roles.of(piece.strip(" :等")).data >= 0.5)
            if 2 * data < len(pieces):
                out.extend(found_here)
    return out


# Examples in parentheses ("向地图服务商（如高德地图）共享"), English enumerations, and a list after
# a colon that a phrase about third parties opens ("… third-party statistical platform:
# Firebase, Facebook Analytics and our own system").
_EXAMPLES = re.compile(r"\(\s*(?:如|例如|比如|e\.g\.|such as)\s*", re.IGNORECASE)
_ENGLISH_TRIGGERS = re.compile(r"\b(?:such as|including|namely)\s+", re.IGNORECASE)
# (English only: "第三方登录：微信、QQ、微博" lists the reader's accounts.)
_THIRD_PARTY_LIST = re.compile(r"third[- ]party[^:。.;；]{0,60}:\s*(?=\S)", re.IGNORECASE)
_ENGLISH_END = re.compile(r"[.;!?](?:\s|$)|[。;；!?！？]")


def _segments(text: str, third_party: re.Match[str] | None) -> list[tuple[int, int]]:
    """Where the enumerations of a line are: after the first trigger word, in each parenthesis of
    examples, after an English trigger or a colon that ends a phrase about third parties."""
    out: list[tuple[int, int]] = []
    for trigger in ENUMERATION_TRIGGERS:
        at = text.find(trigger)
        if at >= 0:
            start = at + len(trigger)
            clause = _CLAUSE_END.search(text, start)
            out.append((start, clause.start() if clause else len(text)))
            break
    for match in _EXAMPLES.finditer(text):
        close = text.find(")", match.end())
        out.append((match.end(), close if close > 0 else min(len(text), match.end() + 60)))
    for match in (*_ENGLISH_TRIGGERS.finditer(text), *([third_party] if third_party else [])):
        end = _ENGLISH_END.search(text, match.end())
        out.append((match.end(), end.start() if end else len(text)))
    return out
