"""List items: a bullet or numbered line (• 1、 (1) 一、 ① a)) that names an SDK, followed by
its prose; or, inside a third-party SDK section, a short unmarked line standing alone.

The name is the item's text up to a colon or a `` - `` dash ("百度定位SDK：用于…"). The prose
below belongs to the item until the next item of the same or a higher rank, a heading, or an
unmarked line that names another SDK. Items count only inside an SDK section or when the name
itself says "SDK"; without "SDK" in it, or without a list marker, a line is a name only if the
registry knows it.
"""

from __future__ import annotations

import re

from sdkreg.policy.document import Document, Line
from sdkreg.policy.labels import SENTENCE_PUNCT, URL_RE, label_fields
from sdkreg.policy.layouts.base import MAX_CANDIDATES, Candidate, Context, Fields, make
from sdkreg.policy.roles import Roles, has_sdk_word, is_heading, name_shaped

STRENGTH = 60
NAME = "items"

_DASH = re.compile(r"\s+[-–—]+\s+")
_MAX_BODY = 30


def find(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    n = len(doc)
    sdk_lists, introduced = _sdk_sibling_lines(doc)
    for line in doc.lines:
        if len(out) >= MAX_CANDIDATES:
            break
        text = line.text
        if not text or line.sdk_heading or not (line.marker.kind or line.in_sdk) or " | " in text:
            continue  # a table row is the table finders' to read
        quoted = _QUOTED.match(text)
        url_at = URL_RE.search(text) if ("http" in text or "www." in text) else None
        linked = url_at is not None and url_at.end() == len(text.rstrip(" )）"))
        head, _, tail = (text[: url_at.start()] if linked and url_at else text).partition(":")
        if linked and url_at and not tail.strip():
            tail = url_at.group(0)  # "某某SDK https://…": a name with its privacy link
        dash = _DASH.search(head)
        if dash:
            head, tail = head[: dash.start()], head[dash.end() :] + tail
        name = head.strip()
        name_at = 0
        if quoted:  # "1.2.1 “极光推送”：该SDK由…提供": the quoted words are the name
            name, name_at, tail = quoted.group(1).strip(), quoted.start(1), text[quoted.end() :].lstrip(" :")
        marker = line.marker
        if not marker.kind and not (line.in_sdk and len(name) <= 30 and (not tail or linked)):
            continue
        sdk_word = has_sdk_word(name)
        in_list = line.in_sdk or line.index in sdk_lists
        if not sdk_word and not in_list:
            continue
        if not name_shaped(name) or label_fields(name) or is_heading(name):
            continue
        roles = ctx.roles.of(name)
        if roles.data >= 0.5 and roles.name < 1.0:
            continue  # a data list ("设备标识符（Android ID、OAID）") that happens to hold an alias
        body = [tail.strip()] if tail.strip() else []
        end = line.index + 1
        while end < n and end - line.index <= _MAX_BODY:
            other = doc.lines[end]
            if other.sdk_heading or (other.marker.kind and other.marker.rank <= marker.rank):
                break
            if (
                other.text
                and not other.marker.kind
                and name_shaped(other.text, 30)
                and has_sdk_word(other.text)
            ):
                break
            if other.text:
                body.append(other.text)
            end += 1
        prose = "\n".join(body)
        url = URL_RE.search(prose)
        start = line.start + name_at
        candidate = make(
            doc,
            line.index,
            start,
            start + len(name),
            finder=NAME,
            strength=STRENGTH,
            span=(line.index, max(line.index, end - 1)),
            fields=Fields(data=prose or None, url=url.group(0) if url else None),
            context=prose[:2000],
            # "二、…" / "第一部分" open sections: such a line is a heading unless the registry knows it.
            # A short line in an SDK section that is a name and its link needs no more evidence,
            # nor does a quoted name in a list of SDKs that says who provides it ("“某某白板”：由
            # “某某科技有限公司”提供").
            needs_match=(not sdk_word or not marker.kind or marker.rank <= 1)
            and not (linked and in_list)
            and not (quoted is not None and in_list and _PROVIDED_BY.search(tail[:80]) is not None)
            # an item of the list a sentence introduces as SDKs, written as a proper name
            and not (line.index in introduced and line.in_sdk and _proper_name(name, roles)),
            roles=roles,
            ctx=ctx,
        )
        if candidate is not None:
            out.append(candidate)
    return out


# A name in quotation marks at the head of an item: “极光推送”, "TBS", 「華為推送」.
_QUOTED = re.compile(r"[“\"「『‘']([^“”\"「」『』‘’']{1,40})[”\"」』’']")
def _proper_name(name: str, roles: Roles) -> bool:
    """Reads as a product's name: English with a capital or a digit ("AppsFlyer", "RevenueCat
    (in-app purchases)"), or Chinese that is not a purpose, data, heading or category."""
    if roles.purpose >= 0.5 or roles.data >= 0.5 or roles.heading or roles.label or roles.name < 0.35:
        return False
    head = name.split("(")[0].split("（")[0].strip()
    if head.isascii():
        # "AppsFlyer", "Stripe", "Meta Audience Network" — not a phrase in sentence case
        # ("Handling payments", "Local storage").
        words = head.split()
        if not words or len(words) > 4:
            return False
        capitals = [w for w in words if any(ch.isupper() or ch.isdigit() for ch in w)]
        return (len(words) == 1 and bool(capitals)) or len(capitals) >= 2 or any(
            any(ch.isupper() for ch in w[1:]) for w in words
        )
    return True


_THIRD_PARTY_SERVICES = re.compile(
    r"third[- ]party (?:services?|service providers|libraries)"
    r"|第三方(?:[^，。,:]{0,6}?提供的)?(?:服务|插件|组件)",
    re.IGNORECASE,
)
# "由“某某科技有限公司”提供": who provides the item.
_PROVIDED_BY = re.compile(r"由\s*[“\"「]?[^，。,;；]{2,40}?(?:公司|集团)[”\"」]?\s*(?:提供|开发|运营)")
# An item whose own text says it is an SDK: "：该SDK由某公司提供", "- This SDK …".
_SAYS_SDK = re.compile(r"^\s*[:：,，]?\s*(?:该|此|这个|这款|本|this|the)?\s*sdk(?![a-z])", re.IGNORECASE)


def _sdk_sibling_lines(doc: Document) -> tuple[set[int], set[int]]:
    """Items of a list whose items are SDKs: a run of sibling items (same marker and depth, no
    outer item between them) of which at least two name an SDK or say they are one ("1.2.1
    “极光推送”：该SDK由…提供"). Their siblings are items of the same list ("1.2.5 “华为HMS”：由…
    提供"), as if under an SDK heading. Second: the items of a run that follows right after a
    sentence introducing the SDK list ("The app includes the following third-party SDKs:")."""
    chains: list[list[int]] = []
    confirmed: list[int] = []
    introduced: set[int] = set()
    open_chains: dict[tuple[str, int], int] = {}
    ranks: dict[tuple[str, int], int] = {}
    for line in doc.lines:
        marker = line.marker
        if not marker.kind or not line.text:
            continue
        key = (marker.kind, marker.depth)
        for other in list(open_chains):
            deeper = ranks[other] > marker.rank or (other[0] == marker.kind and other[1] > marker.depth)
            if deeper or (ranks[other] == marker.rank and other != key):
                del open_chains[other]
        chain = open_chains.get(key)
        if chain is None:
            chain = len(chains)
            chains.append([])
            confirmed.append(0)
            open_chains[key] = chain
            ranks[key] = marker.rank
            previous = next((doc.lines[i] for i in range(line.index - 1, -1, -1) if doc.lines[i].text), None)
            if previous is not None and previous.sdk_heading and previous.text.endswith(":") and (
                has_sdk_word(previous.text) or _THIRD_PARTY_SERVICES.search(previous.text)
            ):
                introduced.add(chain)  # not "我们会与以下第三方共享您的信息:" (partners)
        chains[chain].append(line.index)
        quoted = _QUOTED.match(line.text)
        head = quoted.group(1) if quoted else line.text.partition(":")[0]
        rest = line.text[quoted.end() :] if quoted else line.text[len(head) :]
        if (has_sdk_word(head) and len(head) <= 40) or _SAYS_SDK.match(rest):
            confirmed[chain] += 1
    listed = {index for chain, lines in enumerate(chains) if confirmed[chain] >= 2 for index in lines}
    return listed, {index for chain in introduced for index in chains[chain]} | _introduced_lines(doc)


_ENGLISH_SENTENCE = re.compile(r"[.!?;:,](?:\s|$)")
_TOOLS = re.compile(r"\btools?\b", re.IGNORECASE)


def _introduced_lines(doc: Document) -> set[int]:
    """Plain lines listed right under a heading that introduces SDKs, third-party services or
    the tools an app uses ("Link to privacy policy of third party service providers used by the
    app" / "Google Play Services", "Tools we use" / "Google Analytics"), as policy generators
    write one service per line once their bullets are lost: the run of short lines without
    a sentence in them, blank lines between them allowed."""
    out: set[int] = set()
    n = len(doc)
    for heading in doc.lines:
        text = heading.text
        if not heading.sdk_heading or not (
            has_sdk_word(text) or _THIRD_PARTY_SERVICES.search(text) or _TOOLS.search(text)
        ):
            continue
        out |= _subheadings(doc, heading)
        for index in range(heading.index + 1, min(n, heading.index + 1 + _MAX_BODY)):
            line = doc.lines[index]
            if line.blank:
                continue
            if (
                line.sdk_heading
                or line.marker.kind
                or not line.text.isascii()  # (Chinese bare names come with their fields: fields.py)
                or len(line.text) > 40
                or SENTENCE_PUNCT.search(line.text)
                or _ENGLISH_SENTENCE.search(line.text)
            ):
                break
            out.add(index)
    return out


_MAX_SECTION = 200


def _subheadings(doc: Document, heading: Line) -> set[int]:
    """Under a Markdown heading that introduces the tools or services ("## Tools we use"), its
    sub-headings, each over its own prose ("### Amplitude" / "This service is provided by …"),
    are the tools, as far as the next heading of its level."""
    if heading.marker.kind != "md":
        return set()
    out: set[int] = set()
    for index in range(heading.index + 1, min(len(doc), heading.index + 1 + _MAX_SECTION)):
        line = doc.lines[index]
        if line.marker.kind != "md":
            continue
        if line.marker.depth <= heading.marker.depth:
            break
        text = line.text
        if text.isascii() and len(text) <= 40 and not SENTENCE_PUNCT.search(text):
            out.add(index)
    return out
