"""Class names straight from a DEX file's index tables — no bytecode parsing.

A class name costs three table look-ups (class_defs → type_ids → string_ids → string_data),
so reading every class of a 100k-class app takes milliseconds, where a full DEX parse decodes
every method body. Layout: https://source.android.com/docs/core/runtime/dex-format
"""

from __future__ import annotations

import codecs
import re
import struct
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from operator import add, itemgetter

from sdkreg.errors import ApkBadDexError
from sdkreg.safe_text import escape_unsafe

HEADER_SIZE = 0x70
ENDIAN_CONSTANT = 0x12345678
CLASS_DEF_SIZE = 32  # eight uint
_HEADER = struct.Struct("<8s I 20s 20I")  # 0x70 bytes
_KNOWN_VERSIONS = frozenset({b"035", b"036", b"037", b"038", b"039", b"040", b"041"})


def _table(data: bytes, offset: int, count: int, width: int, what: str, label: str) -> Sequence[int]:
    """``count`` × ``width`` little-endian uints at ``offset``, bounds-checked; a zero-copy
    view, so the large string table is never converted as a whole."""
    end = offset + count * width * 4
    if count and (offset <= 0 or end > len(data) or offset % 4):
        raise ApkBadDexError(f"{label}: corrupt DEX: {what} table lies outside the file")
    view = memoryview(data)[offset:end].cast("I")
    if sys.byteorder != "little":  # pragma: no cover - DEX is little-endian; so is every CI box
        return [int.from_bytes(v.to_bytes(4, "big"), "little") for v in view]
    return view


def class_names(data: bytes, label: str) -> list[str]:
    """Dotted names (``com.example.Foo``) of every class defined in the DEX ``data``."""
    if len(data) < HEADER_SIZE:
        raise ApkBadDexError(f"{label}: corrupt DEX: {len(data)} bytes is shorter than a header")
    fields = _HEADER.unpack_from(data)
    magic, _checksum, _sig, file_size, header_size, endian = fields[:6]
    if magic[:4] != b"dex\n" or magic[7:8] != b"\0" or magic[4:7] not in _KNOWN_VERSIONS:
        raise ApkBadDexError(f"{label}: corrupt DEX: bad magic {magic[:8]!r}")
    if endian != ENDIAN_CONSTANT:
        raise ApkBadDexError(f"{label}: corrupt DEX: unsupported endian tag {endian:#x}")
    if header_size < HEADER_SIZE or header_size > len(data):
        raise ApkBadDexError(f"{label}: corrupt DEX: header size {header_size:#x}")
    if file_size > len(data):
        raise ApkBadDexError(
            f"{label}: corrupt DEX: header says {file_size} bytes, file has {len(data)} (truncated)"
        )
    (string_ids_size, string_ids_off, type_ids_size, type_ids_off) = fields[9:13]
    class_defs_size, class_defs_off = fields[19:21]
    strings = _table(data, string_ids_off, string_ids_size, 1, "string_ids", label)
    types = _table(data, type_ids_off, type_ids_size, 1, "type_ids", label)
    defs = _table(data, class_defs_off, class_defs_size, 8, "class_defs", label)
    # Bulk look-ups: list comprehensions and one join/decode/split instead of per-class calls
    # keep 100k classes in tens of milliseconds.
    class_idxs = list(defs[::8])
    if class_idxs and max(class_idxs) >= type_ids_size:
        raise ApkBadDexError(f"{label}: corrupt DEX: a class_def names a type out of range")
    string_idxs = _pick(types, class_idxs)
    if string_idxs and max(string_idxs) >= string_ids_size:
        raise ApkBadDexError(f"{label}: corrupt DEX: a type names a string out of range")
    offsets = _pick(strings, string_idxs)
    size = len(data)
    if offsets and (max(offsets) >= size - 1 or min(offsets) < header_size):
        raise ApkBadDexError(f"{label}: corrupt DEX: string data outside the file")
    # string_data_item: uleb128 UTF-16 length, MUTF-8 bytes, NUL. For the usual short ASCII
    # name the length is one byte and equals the byte length; MUTF-8 never holds a zero byte
    # inside a string, so a NUL right there proves it. The check runs over all names at once
    # (itemgetter/map keep the loops in C); any other name sends the DEX down the slow path.
    raw: bytes | None = None
    if len(offsets) > 1:
        lengths = itemgetter(*offsets)(data)
        if max(lengths) < 0x80:
            starts = [o + 1 for o in offsets]
            ends = list(map(add, starts, lengths))
            if max(ends) < size and not any(itemgetter(*ends)(data)):
                raw = b"\n".join(map(data.__getitem__, map(slice, starts, ends)))
    if raw is None:
        raw = b"\n".join([_string_bytes(data, o, label) for o in offsets])
    text = decode_mutf8(raw)
    if not class_idxs:
        return []
    count = len(class_idxs)
    # Every descriptor must be "L...;": checked in bulk on the joined text.
    if text[:1] != "L" or text[-1:] != ";" or text.count(";\nL") != count - 1:
        bad = next((n for n in text.split("\n") if n[:1] != "L" or n[-1:] != ";"), text[:40])
        raise ApkBadDexError(f"{label}: corrupt DEX: class descriptor {bad[:60]!r}")
    names = text[1:-1].replace(";\nL", "\n").replace("/", ".").split("\n")
    if len(names) != count:  # a descriptor holding a line break: not a valid class name
        raise ApkBadDexError(f"{label}: corrupt DEX: malformed class descriptor")
    return names


def decode_mutf8(raw: bytes) -> str:
    """MUTF-8 (DEX strings) → text that any UTF-8 writer, hash or database accepts.

    MUTF-8 is UTF-8 with two changes: NUL is written ``C0 80``, and a character above U+FFFF is
    its UTF-16 surrogate pair, each half encoded on its own in three bytes. A pair becomes the one
    character it stands for; a lone surrogate (legal in a Java string, but no character) and a
    control character are kept as the text ``\\uXXXX`` (``escape_unsafe``); bytes that are not
    MUTF-8 at all become U+FFFD."""
    try:
        text = raw.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        text = raw.decode("utf-8", _MUTF8_ERRORS)
    if not text.isascii() and _SURROGATE_PAIR.search(text):
        text = _SURROGATE_PAIR.sub(_join_pair, text)
    return escape_unsafe(text)


_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_pair(match: re.Match[str]) -> str:
    high, low = (ord(c) for c in match.group())
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _mutf8_error(error: UnicodeError) -> tuple[str, int]:
    """Decode error handler: ``C0 80`` is NUL, an encoded surrogate is that surrogate (joined or
    escaped afterwards), anything else one U+FFFD per byte."""
    assert isinstance(error, UnicodeDecodeError)
    data, at = error.object, error.start
    if data[at : at + 2] == b"\xc0\x80":
        return "\x00", at + 2
    if (
        at + 3 <= len(data)
        and data[at] == 0xED
        and 0xA0 <= data[at + 1] <= 0xBF
        and 0x80 <= data[at + 2] <= 0xBF
    ):
        return chr(0xD000 | ((data[at + 1] & 0x3F) << 6) | (data[at + 2] & 0x3F)), at + 3
    return "\ufffd", at + 1


_MUTF8_ERRORS = "sdkreg.mutf8"
codecs.register_error(_MUTF8_ERRORS, _mutf8_error)


def _pick(table: Sequence[int], indices: list[int]) -> list[int]:
    """``[table[i] for i in indices]`` with the loop in C."""
    if len(indices) < 2:
        return [table[i] for i in indices]
    return list(itemgetter(*indices)(table))


def _string_bytes(data: bytes, offset: int, label: str) -> bytes:
    start = offset
    while start < len(data) and start - offset < 5 and data[start] & 0x80:
        start += 1
    start += 1
    end = data.find(b"\0", start)
    if end < 0 or start - offset > 5:
        raise ApkBadDexError(f"{label}: corrupt DEX: malformed or unterminated string")
    return data[start:end]


def package_counts(class_names: Iterable[str]) -> Counter[str]:
    """Classes per package ("" for the default package)."""
    return Counter(name.rpartition(".")[0] for name in class_names)
