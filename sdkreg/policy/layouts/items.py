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

from sdkreg.policy.document import Document
from sdkreg.policy.labels import URL_RE, label_fields
from sdkreg.policy.layouts.base import MAX_CANDIDATES, Candidate, Context, Fields, make
from sdkreg.policy.roles import has_sdk_word, is_heading, name_shaped

STRENGTH = 60
NAME = "items"

_DASH = re.compile(r"\s+[-–—]+\s+")
_MAX_BODY = 30


def find(doc: Document, ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    n = len(doc)
    for line in doc.lines:
        if len(out) >= MAX_CANDIDATES:
            break
        text = line.text
        if not text or line.sdk_heading or not (line.marker.kind or line.in_sdk) or " | " in text:
            continue  # a table row is the table finders' to read
        url_at = URL_RE.search(text) if ("http" in text or "www." in text) else None
        linked = url_at is not None and url_at.end() == len(text.rstrip(" )）"))
        head, _, tail = (text[: url_at.start()] if linked and url_at else text).partition(":")
        if linked and url_at and not tail.strip():
            tail = url_at.group(0)  # "某某SDK https://…": a name with its privacy link
        dash = _DASH.search(head)
        if dash:
            head, tail = head[: dash.start()], head[dash.end() :] + tail
        name = head.strip()
        marker = line.marker
        if not marker.kind and not (line.in_sdk and len(name) <= 30 and (not tail or linked)):
            continue
        sdk_word = has_sdk_word(name)
        if not sdk_word and not line.in_sdk:
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
        start = line.start
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
            # A short line in an SDK section that is a name and its link needs no more evidence.
            needs_match=(not sdk_word or not marker.kind or marker.rank <= 1)
            and not (linked and line.in_sdk),
            roles=roles,
        )
        if candidate is not None:
            out.append(candidate)
    return out
