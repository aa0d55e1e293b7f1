"""Bytes → ``PolicyText``: refuse what is not a text document, find the encoding, flatten HTML
and Markdown to lines that keep a table row or a list item on a line of its own.

Encoding order, from the most to the least certain: a BOM; UTF-16/32 without a BOM (betrayed by
the NUL bytes of its ASCII characters); strict UTF-8 (a non-UTF-8 file almost never decodes as
UTF-8 by accident); GB18030 (a superset of GBK and GB2312), accepted only when the characters it
yields are overwhelmingly common ones; charset-normalizer as the last resort. GB18030 maps nearly
every byte pair to *some* character, so without the plausibility check it would "decode" Big5 or
Shift-JIS into nonsense.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from pathlib import Path
from typing import Literal

from charset_normalizer import from_bytes

from sdkreg.errors import (
    InputMissingError,
    PolicyBinaryError,
    PolicyEmptyError,
    PolicyUndecodableError,
)
from sdkreg.policy.html import html_to_lines
from sdkreg.policy.model import LineBreaks, PolicyText

Format = Literal["text", "html", "markdown"]

# A privacy policy is tens of kilobytes; the longest real ones with every SDK table inline stay
# under 2 MB. 20 MB is far beyond any policy and still cheap to refuse before decoding. A larger
# input is reported as PolicyBinaryError ("not a policy document"): it is almost surely a dump,
# an archive or a mis-pointed path, and the exit-code table has no separate "too large" row.
MAX_POLICY_BYTES = 20 * 1024 * 1024

# Magic numbers of the binary formats people point a policy reader at by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (docx/xlsx/apk?)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 document (doc/xls?)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x7fELF", "an ELF executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"dex\n", "a DEX file"),
    (b"{\\rtf", "an RTF document"),
)

_CJK_ENCODINGS = ("big5", "gb", "hz", "euc", "shift", "cp932", "cp936", "cp949", "cp950", "iso2022")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that never occur in a text document (tab, newlines, form feed excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")


def read_policy(path: Path) -> PolicyText:
    """Read a policy file (text, HTML or Markdown) into lines."""
    data = read_policy_bytes(path)
    return policy_from_bytes(data, str(path), format_from_suffix(path))


def policy_from_bytes(data: bytes, name: str, format_hint: Format | None = None) -> PolicyText:
    """Decode and flatten ``data``; ``name`` is used in messages and kept as ``PolicyText.path``."""
    if len(data) > MAX_POLICY_BYTES:
        raise PolicyBinaryError(
            f"{name}: {len(data) / 1_048_576:.1f} MB is far larger than any privacy policy "
            f"(limit {MAX_POLICY_BYTES // 1_048_576} MB)"
        )
    if not data.strip():
        raise PolicyEmptyError(f"{name}: the policy is empty")
    text, encoding = decode(data, name)
    if not text.strip():
        raise PolicyEmptyError(f"{name}: the policy is empty (only whitespace)")
    fmt = format_hint or sniff_format(text)
    if fmt == "html" and not _ANY_TAG.search(text, 0, 1_048_576):
        # A ".html" file without a single tag is plain text saved under that name: reading it
        # as HTML would run all its lines into one.
        fmt = sniff_format(text)
    if fmt == "markdown" and _html_in_markdown(text):
        fmt = "html"  # Markdown may carry raw HTML: a post whose body is an HTML document
    breaks: tuple[LineBreaks, ...] = ()
    if fmt == "html":
        flat = html_to_lines(text)
        lines, numbers, breaks = flat.lines, flat.line_numbers, flat.line_breaks
    else:
        lines = markdown_to_lines(text) if fmt == "markdown" else tuple(_LINE_BREAK.split(text))
        numbers = tuple(range(1, len(lines) + 1))  # one output line per file line
    if not any(line.strip() for line in lines):
        raise PolicyEmptyError(f"{name}: the policy has no text (only markup)")
    return PolicyText(
        path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=encoding,
        format=fmt,
        lines=lines,
        line_numbers=numbers,
        line_breaks=breaks,
    )


def read_policy_bytes(path: Path) -> bytes:
    """The bytes of the policy file at ``path`` (one byte over the cap at most): the one place a
    policy file is opened. Only a regular file is opened; anything else is ``InputMissingError``."""
    if not path.exists():
        raise InputMissingError(f"{path}: no such file")
    if path.is_dir():
        raise InputMissingError(f"{path}: is a directory, not a policy file")
    if not path.is_file():  # a FIFO would block, a device never end: refused, as `scan` does
        raise InputMissingError(f"{path}: not a regular file")
    try:
        # O_NONBLOCK: swapped for a FIFO since the check, it still must not block the open.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise InputMissingError(f"{path}: not a regular file")
            # One byte over the cap is enough to know it is too large without reading it all.
            return handle.read(MAX_POLICY_BYTES + 1)
    except OSError as exc:
        raise InputMissingError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def format_from_suffix(path: Path) -> Format | None:
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if suffix in {".md", ".markdown"}:
        return "markdown"
    return None


# ---------------------------------------------------------------- encoding


def decode(data: bytes, name: str) -> tuple[str, str]:
    """``(text, encoding)``; raises PolicyBinaryError / PolicyUndecodableError."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise PolicyUndecodableError(
                    f"{name}: starts with a {encoding} byte-order mark but is not valid "
                    f"{encoding} (byte {exc.start + len(bom)})"
                ) from exc
            return _checked(text, name), encoding
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise PolicyBinaryError(f"{name}: looks like {what}, not a text or HTML policy")
    if b"\x00" in data:
        utf16 = _guess_utf16(data)
        if utf16 is not None:
            return _checked(data.decode(utf16), name), utf16
        raise PolicyBinaryError(f"{name}: contains NUL bytes: a binary file, not a text policy")
    try:
        return _checked(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    gb_text: str | None
    try:
        gb_text = data.decode("gb18030")
    except UnicodeDecodeError:
        gb_text = None
    if gb_text is not None and _plausible_chinese(gb_text):
        return _checked(gb_text, name), "gb18030"
    best = from_bytes(data).best()
    if best is not None and best.encoding and best.chaos < 0.2:
        decoded = str(best)
        # charset-normalizer finds *some* single-byte code page for nearly any bytes. A policy is
        # Chinese (then a CJK encoding) or mostly ASCII (an English/European page in cp1252…).
        ascii_share = sum(1 for ch in decoded if ch.isascii()) / max(1, len(decoded))
        if best.encoding.lower().startswith(_CJK_ENCODINGS) or ascii_share >= 0.9:
            return _checked(decoded, name), best.encoding.replace("_", "-")
    raise PolicyUndecodableError(
        f"{name}: not valid UTF-8, UTF-16 or GB18030, and no other text encoding fits"
    )


def _guess_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: the ASCII characters (newlines, digits, Latin letters) of the text
    put their NUL byte on one side of every pair. Binary data scatters NULs on both sides."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    total = even + odd
    if total == 0:
        return None
    encoding = "utf-16-le" if odd >= 0.95 * total else "utf-16-be" if even >= 0.95 * total else None
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return encoding if not _CONTROL.search(text) else None


def _plausible_chinese(text: str) -> bool:
    """True when most non-ASCII characters are in GB2312 (the 7,000 common characters and
    punctuation). Real GBK text is ~99 % GB2312; bytes of another encoding read as GB18030
    scatter over rare characters and private-use code points."""
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    common = 0
    for ch in wide:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common >= 0.9 * len(wide)


def _checked(text: str, name: str) -> str:
    """Refuse a decoded text that is still full of control characters (a binary file that
    happened to decode)."""
    sample = text[:65536]
    controls = len(_CONTROL.findall(sample))
    if controls > max(8, len(sample) // 1000):
        raise PolicyBinaryError(
            f"{name}: {controls} control characters in the first {len(sample)}: "
            f"a binary file, not a text policy"
        )
    return text


# ---------------------------------------------------------------- format sniffing

_HTML_HINT = re.compile(
    r"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]|<table[\s>]|<div[\s>]|<p[\s>]|<br\s*/?>",
    re.IGNORECASE,
)
# Any tag, comment or doctype at all.
_ANY_TAG = re.compile(r"<[A-Za-z!/][^<>]{0,200}>")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$")
_MD_HEADING = re.compile(r"^#{1,6}\s+\S")


_HTML_DOCUMENT = re.compile(r"<html[\s>]|<body[\s>]", re.IGNORECASE)
_TAG_LINE = re.compile(r"^\s*</?[a-zA-Z][^>]*>")


def _html_in_markdown(text: str) -> bool:
    """A Markdown file whose body is HTML: it holds an HTML document, or most of its lines are
    tags (a Word export pasted into a blog post)."""
    head = text[:65536]
    if _HTML_DOCUMENT.search(head):
        return True
    lines = [line for line in head.splitlines() if line.strip()]
    tagged = sum(1 for line in lines if _TAG_LINE.match(line))
    return tagged >= 20 and 2 * tagged >= len(lines)


def sniff_format(text: str) -> Format:
    head = text[:4096]
    if _HTML_HINT.search(head) or len(_HTML_HINT.findall(text[:65536])) >= 3:
        return "html"
    lines = text[:65536].splitlines()
    if any(_MD_TABLE_RULE.match(line) for line in lines) or sum(
        1 for line in lines if _MD_HEADING.match(line)
    ) >= 2:
        return "markdown"
    return "text"


# ---------------------------------------------------------------- Markdown

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)[^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")


def markdown_to_lines(text: str) -> tuple[str, ...]:
    """Markdown → lines, one output line per input line (line numbers stay those of the file):
    table rows become ``cell | cell``, the ``|---|`` rule becomes empty, quote marks, emphasis
    and link syntax go (a link keeps its text and its URL). Heading marks stay ("## 第三方服务"):
    the document reads them as section markers."""
    out: list[str] = []
    for line in _LINE_BREAK.split(text):
        if _MD_TABLE_RULE.match(line):
            out.append("")
            continue
        line = _MD_QUOTE.sub("", line)
        line = _MD_LINK.sub(lambda m: f"{m.group(1)} {m.group(2)}".strip(), line)
        line = _MD_EMPHASIS.sub("", line)
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            cells = [cell.strip() for cell in stripped[1:-1].split("|")]
            line = " | ".join(cells)
        out.append(line)
    return tuple(out)
