"""Class names straight from a DEX file's index tables — no bytecode parsing.

A class name costs three table look-ups (class_defs → type_ids → string_ids → string_data),
so reading every class of a 100k-class app takes milliseconds, where a full DEX parse decodes
every method body. Layout: https://source.android.com/docs/core/runtime/dex-format
"""

from __future__ import annotations

import struct
import sys

from sdkreg.errors import ApkBadDexError

HEADER_SIZE = 0x70
ENDIAN_CONSTANT = 0x12345678
CLASS_DEF_SIZE = 32  # eight uint
_HEADER = struct.Struct("<8s I 20s 20I")  # 0x70 bytes
_KNOWN_VERSIONS = frozenset({b"035", b"036", b"037", b"038", b"039", b"040", b"041"})


def _table(data: bytes, offset: int, count: int, width: int, what: str, label: str) -> list[int]:
    """``count`` little-endian uints starting at ``offset``, bounds-checked."""
    end = offset + count * width * 4
    if count and (offset <= 0 or end > len(data) or offset % 4):
        raise ApkBadDexError(f"{label}: corrupt DEX: {what} table lies outside the file")
    view = memoryview(data)[offset:end].cast("I")
    values = view.tolist()
    view.release()
    if sys.byteorder != "little":  # pragma: no cover - DEX is little-endian; so is every CI box
        values = [int.from_bytes(v.to_bytes(4, "big"), "little") for v in values]
    return values


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
    names: list[str] = []
    append = names.append
    size = len(data)
    find = data.find
    for class_idx in defs[::8]:
        if class_idx >= type_ids_size:
            raise ApkBadDexError(f"{label}: corrupt DEX: class_def names type #{class_idx}")
        string_idx = types[class_idx]
        if string_idx >= string_ids_size:
            raise ApkBadDexError(f"{label}: corrupt DEX: type names string #{string_idx}")
        offset = strings[string_idx]
        if offset >= size:
            raise ApkBadDexError(f"{label}: corrupt DEX: string data outside the file")
        # string_data_item: uleb128 utf16 length, then MUTF-8 bytes ending in NUL.
        start = offset
        while start < size and data[start] & 0x80:
            start += 1
        start += 1
        end = find(b"\0", start)
        if end < 0:
            raise ApkBadDexError(f"{label}: corrupt DEX: unterminated string")
        raw = data[start:end]
        if raw[:1] != b"L" or raw[-1:] != b";":
            raise ApkBadDexError(f"{label}: corrupt DEX: class descriptor {raw[:40]!r}")
        try:
            text = raw[1:-1].decode("utf-8", "surrogatepass")
        except UnicodeDecodeError:
            # MUTF-8 that is not CESU-compatible: keep the name readable, never fail on it.
            text = raw[1:-1].decode("utf-8", "replace")
        append(text.replace("/", "."))
    return names
