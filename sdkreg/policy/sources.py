"""Where a policy comes from, and what kind of document it is: a local file or an http(s) URL;
text, HTML, Markdown, a Word .docx or a PDF. Produces the ``PolicyText`` the extractor reads.

Text, HTML and Markdown go through ``sdkreg.policy.read`` unchanged. A web page may declare
its charset; when it does, that declaration is used as browsers use it (a byte-order mark first,
then the Content-Type header, then ``<meta charset>`` / ``<meta http-equiv>``), and detection
only when no declaration decodes the page.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from sdkreg.errors import PolicyBinaryError, PolicyEmptyError
from sdkreg.policy.fetch import FetchedPage, FetchLimits, fetch, is_url
from sdkreg.policy.model import PolicyText
from sdkreg.policy.read import (
    MAX_POLICY_BYTES,
    decode,
    format_from_suffix,
    policy_from_bytes,
    read_policy_bytes,
)

DocumentFormat = Literal["docx", "pdf"]


@dataclass(frozen=True)
class PageLink:
    """A hyperlink of a policy page read from the web: where it goes and what it says."""

    url: str  # absolute
    text: str  # the anchor text (and title)
    before: str  # the text just before the link in its block ("详见" …)


@dataclass(frozen=True)
class PolicySource:
    text: PolicyText
    url: str | None = None  # the page's URL after redirects, when it was read from the web
    links: tuple[PageLink, ...] = ()  # links of an HTML page read from the web


def open_policy(arg: str | Path, limits: FetchLimits | None = None) -> PolicySource:
    """Read the policy the user named: a URL (fetched) or a path."""
    if isinstance(arg, str) and is_url(arg):
        return open_url(arg, limits)
    path = Path(arg)
    data = read_policy_bytes(path)  # read once; read.py reports an oversized one
    document = _document_format(data)
    if document is None:
        return PolicySource(policy_from_bytes(data, str(path), format_from_suffix(path)))
    return PolicySource(document_text(data, str(path), document))


def open_url(url: str, limits: FetchLimits | None = None) -> PolicySource:
    page = fetch(url, limits)
    document = _document_format(page.data)
    if document is not None:
        return PolicySource(document_text(page.data, page.url, document), url=page.url)
    fmt = _format_of_media_type(page.media_type)
    text, declared = _decode_declared(page)
    if declared is None:
        policy = policy_from_bytes(page.data, page.url, fmt)
        html = decode(page.data, page.url)[0] if policy.format == "html" else None
    else:
        # read.py decodes by detection; the page said what it is, so hand it the text as UTF-8
        # and keep the identity (hash, encoding) of what the server sent.
        policy = replace(
            policy_from_bytes(text.encode("utf-8"), page.url, fmt),
            sha256=hashlib.sha256(page.data).hexdigest(), encoding=declared,
        )
        html = text if policy.format == "html" else None
    links = page_links(html, page.url) if html is not None else ()
    return PolicySource(policy, url=page.url, links=links)


def document_text(data: bytes, name: str, document: DocumentFormat) -> PolicyText:
    """A Word or PDF document → ``PolicyText`` (its ``encoding`` names the container)."""
    if len(data) > MAX_POLICY_BYTES:
        raise PolicyBinaryError(
            f"{name}: more than {MAX_POLICY_BYTES // 1_048_576} MB, far larger than any privacy policy"
        )
    if document == "pdf":
        from sdkreg.policy.pdf_text import pdf_to_lines

        lines = pdf_to_lines(data, name)
    else:
        from sdkreg.policy.docx_text import docx_to_lines

        lines = docx_to_lines(data, name)
    if not any(line.strip() for line in lines):
        raise PolicyEmptyError(f"{name}: the {document} document has no text")
    return PolicyText(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=document,
        format=document,
        lines=lines,
    )


def _document_format(data: bytes) -> DocumentFormat | None:
    """Word and PDF by their bytes, not their names (a .txt that is a PDF is read as a PDF).
    Zips that are not Word documents fall through to read.py, which refuses them."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    from sdkreg.policy.docx_text import is_docx

    return "docx" if is_docx(data) else None


# ---------------------------------------------------------------- declared charsets

_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:\-]+)", re.IGNORECASE)
# Labels browsers read as a wider encoding (WHATWG Encoding Standard): GB2312 and GBK pages
# routinely contain GBK-only characters, Big5 pages HKSCS ones.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "shift_jis": "cp932",
          "euc_kr": "cp949"}
# A Chinese policy is never in these; servers send them by default (Tomcat: ISO-8859-1) for
# UTF-8 and GBK pages alike, so the declaration says nothing and detection decides.
_MEANINGLESS = {"latin_1", "ascii", "cp1252", "iso8859_1"}
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _decode_declared(page: FetchedPage) -> tuple[str, str | None]:
    """``(text, encoding)`` from the first declaration that decodes the page, else ``("", None)``."""
    if page.data.startswith(_BOMS):
        return "", None  # a byte-order mark outranks any declaration; read.py honours it
    candidates = [page.charset]
    match = _META_CHARSET.search(page.data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii"))
    for label in candidates:
        codec = _codec(label)
        if codec is None:
            continue
        try:
            return page.data.decode(codec), codec.replace("_", "-")
        except UnicodeDecodeError:
            continue
    return "", None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    if name in _MEANINGLESS:
        return None
    return _WIDER.get(name, name)


def _format_of_media_type(media_type: str | None) -> Literal["text", "html", "markdown"] | None:
    if media_type in ("text/html", "application/xhtml+xml"):
        return "html"
    if media_type in ("text/markdown", "text/x-markdown"):
        return "markdown"
    return None  # text/plain is often sent for anything: let the reader sniff


# ---------------------------------------------------------------- links


def page_links(html: str, base_url: str) -> tuple[PageLink, ...]:
    """Every ``<a href>`` of the page, made absolute (honouring ``<base href>``)."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", html, count=1))
        root.make_links_absolute(base_url, resolve_base_href=True, handle_failures="discard")
    except (etree.ParserError, ValueError):
        return ()
    links: list[PageLink] = []
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if not href:
            continue
        text = " ".join(anchor.itertext()) + " " + (anchor.get("title") or "")
        links.append(PageLink(href, _squash(text), _squash(_text_before(anchor))[-40:]))
    return tuple(links)


def _text_before(anchor: object) -> str:
    """The text of the anchor's block up to the anchor: "…详见" + <a>《第三方SDK清单》</a>."""
    parts: list[str] = []
    node = anchor
    parent = node.getparent()  # type: ignore[attr-defined]
    while parent is not None and len("".join(parts)) < 40:
        chunk = [parent.text or ""]
        for sibling in parent:
            if sibling is node:
                break
            chunk.append("".join(sibling.itertext()) + (sibling.tail or ""))
        parts.insert(0, "".join(chunk))
        if parent.tag in ("p", "li", "td", "div", "body"):
            break
        node, parent = parent, parent.getparent()
    return "".join(parts)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
