#!/usr/bin/env python3
"""Mutation fuzzer for `sdkreg scan`: damaged, hostile and lying packages must each end in a
documented exit code, never an internal error (exit 70), a hang, or a file written anywhere.

Each case takes a real fixture APK (or split container) and applies one mutator: central
directory / local header / end-of-central-directory fields, bit flips, truncation, DEX header,
string ids, string data (MUTF-8 oddities: surrogate pairs, lone surrogates, C0 80, control
characters, invalid bytes), map list and class defs, AXML chunk headers and string pools,
duplicate entries, traversal and control-character entry names, compression methods and flags
zipfile lacks, zip bombs, and nesting inside a .apks container. The case is scanned in-process
(sdkreg.cli.run) in a worker pool, from an empty working directory that must stay empty.

    python scripts/fuzz_apk.py --iterations 300 --seed 1 [--jobs 4] [--save-failures DIR]
    python scripts/fuzz_apk.py --seed 1 --case 137      # replay one case

Prints the exit-code distribution overall and per mutator, then "N passed, N failed": a case fails
when it ends in an internal error, a timeout or a write (exit status 1). Cases are a pure function
of (seed, index).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import multiprocessing
import os
import random
import shutil
import signal
import struct
import sys
import tempfile
import time
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sdkreg.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
CASE_TIMEOUT = 60  # seconds; the largest fixture scans in well under one

# --- zip structure ---------------------------------------------------------------------------

CENTRAL, LOCAL, END = b"PK\x01\x02", b"PK\x03\x04", b"PK\x05\x06"
# (offset, struct format) of every field of a central-directory record after its signature.
CENTRAL_FIELDS = [(4, "<H"), (6, "<H"), (8, "<H"), (10, "<H"), (12, "<H"), (14, "<H"), (16, "<I"),
                  (20, "<I"), (24, "<I"), (28, "<H"), (30, "<H"), (32, "<H"), (34, "<H"), (36, "<H"),
                  (38, "<I"), (42, "<I")]
LOCAL_FIELDS = [(4, "<H"), (6, "<H"), (8, "<H"), (10, "<H"), (12, "<H"), (14, "<I"), (18, "<I"),
                (22, "<I"), (26, "<H"), (28, "<H")]
END_FIELDS = [(4, "<H"), (6, "<H"), (8, "<H"), (10, "<H"), (12, "<I"), (16, "<I"), (20, "<H")]
METHODS = [0, 1, 6, 8, 9, 12, 14, 19, 93, 95, 96, 97, 98, 99, 0xFFFF]


def interesting(rng: random.Random, fmt: str) -> int:
    bits = struct.calcsize(fmt) * 8
    top = (1 << bits) - 1
    return rng.choice([0, 1, 2, 0x7F, 0x80, 0xFF, top, top - 1, top >> 1, (top >> 1) + 1,
                       rng.randrange(top + 1), rng.randrange(256)])


def records(data: bytes, signature: bytes) -> list[int]:
    found, at = [], data.find(signature)
    while at >= 0:
        found.append(at)
        at = data.find(signature, at + 4)
    return found


def patch_field(rng: random.Random, data: bytes, signature: bytes,
                fields: list[tuple[int, str]]) -> bytes:
    starts = records(data, signature)
    if not starts:
        return bit_flip(rng, data)
    start = rng.choice(starts)
    offset, fmt = rng.choice(fields)
    if start + offset + struct.calcsize(fmt) > len(data):
        return data[:start]
    buf = bytearray(data)
    struct.pack_into(fmt, buf, start + offset, interesting(rng, fmt))
    return bytes(buf)


def bit_flip(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(len(buf))] ^= 1 << rng.randrange(8)
    return bytes(buf)


@dataclass
class Entry:
    name: str
    data: bytes
    method: int


def read_entries(data: bytes) -> list[Entry]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [Entry(i.filename, zf.read(i), i.compress_type) for i in zf.infolist()]


def write_entries(entries: list[Entry]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf, contextlib.suppress(Warning):
        import warnings

        warnings.simplefilter("ignore")
        for entry in entries:
            method = entry.method if entry.method in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) else 8
            zf.writestr(zipfile.ZipInfo(entry.name, (2020, 1, 1, 0, 0, 0)), entry.data, method)
    return buffer.getvalue()


def with_entry(rng: random.Random, data: bytes, pick: Callable[[str], bool],
               mutate: Callable[[random.Random, bytes], bytes]) -> bytes:
    """Rewrite the zip with one chosen entry's content mutated."""
    entries = read_entries(data)
    chosen = [e for e in entries if pick(e.name)]
    if not chosen:
        return bit_flip(rng, data)
    entry = rng.choice(chosen)
    entry.data = mutate(rng, entry.data)
    return write_entries(entries)


def is_dex(name: str) -> bool:
    return name.startswith("classes") and name.endswith(".dex")


def is_manifest(name: str) -> bool:
    return name == "AndroidManifest.xml"


# --- DEX ------------------------------------------------------------------------------------------

MUTF8_ODDITIES = [
    b"\xed\xa0\xbd\xed\xb8\x80",  # U+1F600 as a surrogate pair (valid MUTF-8)
    b"\xed\xa0\xbd",  # lone high surrogate
    b"\xed\xb8\x80",  # lone low surrogate
    b"\xc0\x80",  # MUTF-8 NUL
    b"\x1b[2J", b"\x07", b"\x7f", b"\xc2\x9b",  # control characters, C1 CSI
    b"\xff", b"\xfe\xfe", b"\xc3", b"\xe4\xb8",  # invalid / cut-short UTF-8
    b"\n", b"\r", b"/", b";", b"L", b".", b"\\", b"%s", b"\xe2\x80\xae",  # separators, RTL override
    "中文".encode(), b"\xf0\x9f\x98\x80",  # 4-byte UTF-8 (not MUTF-8)
]


def dex_u32(rng: random.Random, dex: bytes) -> bytes:
    """A header field: sizes and offsets of every table, file size, endian tag, checksum."""
    if len(dex) < 0x70:
        return dex + bytes(rng.randrange(0x70))
    buf = bytearray(dex)
    if rng.random() < 0.15:
        buf[rng.randrange(8)] = rng.randrange(256)  # magic / version
    else:
        offset = rng.randrange(0x20, 0x70, 4)
        struct.pack_into("<I", buf, offset, interesting(rng, "<I"))
    return bytes(buf)


def dex_tables(dex: bytes) -> dict[str, tuple[int, int]]:
    fields = struct.unpack_from("<20I", dex, 0x20)
    return {"string_ids": (fields[4], fields[5]), "type_ids": (fields[6], fields[7]),
            "class_defs": (fields[16], fields[17]), "map": (1, fields[12])}


def dex_table_entry(rng: random.Random, dex: bytes, table: str, width: int) -> bytes:
    if len(dex) < 0x70:
        return dex
    count, offset = dex_tables(dex)[table]
    if not count or offset + width > len(dex):
        return dex_u32(rng, dex)
    buf = bytearray(dex)
    at = offset + rng.randrange(min(count, 4096)) * width
    if table == "map":
        at = offset + 4 + rng.randrange(max(1, min(struct.unpack_from("<I", dex, offset)[0], 32))) * 12
    if at + 4 <= len(buf):
        struct.pack_into("<I", buf, at, interesting(rng, "<I") if rng.random() < 0.5
                         else struct.unpack_from("<I", buf, at)[0] + rng.randint(-3, 3) & 0xFFFFFFFF)
    return bytes(buf)


def dex_string_data(rng: random.Random, dex: bytes) -> bytes:
    """Rewrite one class-name string in place with MUTF-8 oddities (length byte adjusted or not)."""
    if len(dex) < 0x70:
        return dex
    count, offset = dex_tables(dex)["string_ids"]
    if not count or offset + count * 4 > len(dex):
        return dex_u32(rng, dex)
    buf = bytearray(dex)
    for _ in range(rng.randint(1, 3)):
        start = struct.unpack_from("<I", dex, offset + rng.randrange(count) * 4)[0]
        end = dex.find(b"\0", start + 1)
        if start >= len(dex) or end < 0 or end - start < 4:
            continue
        body_start = start + 1
        room = end - body_start
        oddity = rng.choice(MUTF8_ODDITIES)
        at = body_start + rng.randrange(max(1, room - len(oddity)))
        piece = oddity[: max(0, end - at)]
        buf[at : at + len(piece)] = piece
        if rng.random() < 0.3:
            buf[start] = rng.choice([0, 1, 0x7F, 0x80, 0xFF, buf[start] ^ 1])  # the uleb length
    return bytes(buf)


# --- AXML (binary AndroidManifest.xml) -------------------------------------------------------------


def axml_chunks(axml: bytes) -> list[int]:
    """Offsets of the chunks after the file header (string pool, resource map, XML nodes)."""
    chunks, at = [], 8
    while at + 8 <= len(axml) and len(chunks) < 4096:
        chunks.append(at)
        size = struct.unpack_from("<I", axml, at + 4)[0]
        if size < 8:
            break
        at += size
    return chunks


def axml_chunk(rng: random.Random, axml: bytes) -> bytes:
    chunks = axml_chunks(axml)
    if not chunks:
        return bit_flip(rng, axml) if axml else axml
    buf = bytearray(axml)
    at = rng.choice([0, *chunks])
    field = rng.choice([(0, "<H"), (2, "<H"), (4, "<I"), (8, "<I"), (12, "<I"), (16, "<I"),
                        (20, "<I"), (24, "<I")])
    if at + field[0] + struct.calcsize(field[1]) <= len(buf):
        struct.pack_into(field[1], buf, at + field[0], interesting(rng, field[1]))
    return bytes(buf)


def axml_strings(rng: random.Random, axml: bytes) -> bytes:
    """Odd bytes inside the string pool (the first chunk): UTF-16 surrogates, controls, garbage."""
    chunks = axml_chunks(axml)
    if not chunks:
        return axml
    start = chunks[0]
    end = chunks[1] if len(chunks) > 1 else len(axml)
    buf = bytearray(axml)
    for _ in range(rng.randint(1, 4)):
        odd = rng.choice([b"\x3d\xd8", b"\x00\xde", b"\x1b\x00", b"\xff\xff", b"\x00\x00",
                          rng.randbytes(2)])
        at = rng.randrange(start + 28, max(start + 29, end - 2))
        buf[at : at + 2] = odd
    return bytes(buf)


# --- whole-zip mutators ------------------------------------------------------------------------

HOSTILE_NAMES = ["../x.so", "../../../../tmp/sdkreg-fuzz-escape", "/etc/sdkreg-fuzz", "..\\..\\x",
                 "lib/../../x.so", "lib/arm64-v8a/\x1b[31mred.so", "assets/a\x00b", "classes.dex/",
                 "AndroidManifest.xml/../AndroidManifest.xml", "x" * 4096, "lib/\ud800.so",
                 "splits/../base.apk", "\u202eexe.so", "C:\\Windows\\x.dll"]


def traversal_names(rng: random.Random, data: bytes) -> bytes:
    entries = read_entries(data)
    for _ in range(rng.randint(1, 3)):
        name = rng.choice(HOSTILE_NAMES)
        if rng.random() < 0.5 and entries:
            victim = rng.choice(entries)
            victim.name = name
        else:
            entries.append(Entry(name, rng.randbytes(rng.randrange(64)), 8))
    try:
        return write_entries(entries)
    except (ValueError, UnicodeEncodeError):
        return data


def duplicate_entry(rng: random.Random, data: bytes) -> bytes:
    entries = read_entries(data)
    source = rng.choice([e for e in entries if is_dex(e.name) or is_manifest(e.name)] or entries)
    copies = [Entry(source.name, source.data if rng.random() < 0.7 else rng.randbytes(100), 8)
              for _ in range(rng.randint(1, 3))]
    return write_entries(entries + copies)


_ZEROS: dict[int, bytes] = {}


def deflated_zeros(size: int) -> bytes:
    if size not in _ZEROS:
        zeros = zlib.compressobj(9, zlib.DEFLATED, -15)
        chunk = bytes(1 << 20)
        _ZEROS[size] = b"".join(zeros.compress(chunk) for _ in range(size >> 20)) + zeros.flush()
    return _ZEROS[size]


def bomb(rng: random.Random, data: bytes) -> bytes:
    entries = read_entries(data)
    size = rng.choice([8 << 20, 64 << 20, 200 << 20])
    packed = deflated_zeros(size)
    name = rng.choice(["classes2.dex", "AndroidManifest.xml", "classes.dex", "lib/x86/libbomb.so"])
    entries = [e for e in entries if e.name != name]
    out = write_entries(entries)
    # A hand-made deflate entry, its declared size honest, understated or zero.
    declared = rng.choice([size, size >> 10, 0, 0xFFFFFFFF])
    crc = zlib.crc32(bytes(size)) if size <= 8 << 20 else 0
    raw_name = name.encode()
    local = struct.pack("<4s5H3I2H", LOCAL, 20, 0, 8, 0, 0, crc, len(packed), declared,
                        len(raw_name), 0) + raw_name
    eocd_at = out.rfind(END)
    cd_size, cd_offset = struct.unpack_from("<II", out, eocd_at + 12)
    count = struct.unpack_from("<H", out, eocd_at + 10)[0]
    central = struct.pack("<4s6H3I5H2I", CENTRAL, 20, 20, 0, 8, 0, 0, crc, len(packed), declared,
                          len(raw_name), 0, 0, 0, 0, 0, cd_offset) + raw_name
    body = out[:cd_offset] + local + packed
    new_cd = out[cd_offset : cd_offset + cd_size] + central
    eocd = struct.pack("<4s4H2IH", END, 0, 0, count + 1, count + 1, len(new_cd), len(body), 0)
    return body + new_cd + eocd


def compression_method(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    method = rng.choice(METHODS)
    starts = records(data, CENTRAL)
    for start in starts if rng.random() < 0.5 else rng.sample(starts, k=min(2, len(starts))):
        struct.pack_into("<H", buf, start + 10, method)
        local = struct.unpack_from("<I", buf, start + 42)[0]
        if local + 10 <= len(buf) and buf[local : local + 4] == LOCAL:
            struct.pack_into("<H", buf, local + 8, method)
    return bytes(buf)


def flags(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data)
    bit = rng.choice([0x1, 0x8, 0x20, 0x40, 0x800, 0x2000, 0xFFFF])
    starts = records(data, CENTRAL)
    if not starts:
        return data
    start = rng.choice(starts)
    struct.pack_into("<H", buf, start + 8, struct.unpack_from("<H", buf, start + 8)[0] | bit)
    return bytes(buf)


def truncate(rng: random.Random, data: bytes) -> bytes:
    if rng.random() < 0.5:
        cut = rng.randrange(len(data))
    else:  # inside the central directory or the end record, where zipfile reads first
        cd = data.rfind(CENTRAL)
        cut = rng.randrange(max(0, cd - 64), len(data))
    return data[:cut]


def nested(rng: random.Random, data: bytes) -> bytes:
    """The APK (itself mutated one time in two) as a member of an .apks / .xapk container."""
    inner = data if rng.random() < 0.5 else rng.choice(MUTATORS[:-1])[1](rng, data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        names = rng.choice([["splits/base-master.apk"], ["base.apk", "config.arm64_v8a.apk"],
                            ["standalones/standalone.apk", "splits/base-master.apk"], ["a.apk"] * 2])
        for i, name in enumerate(names):
            payload = inner if i == 0 else data
            zf.writestr(name, payload, rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
        if rng.random() < 0.3:
            zf.writestr("manifest.json", b'{"package_name": "x"}')
    return buffer.getvalue()


Mutator = Callable[[random.Random, bytes], bytes]


def in_dex(mutate: Mutator) -> Mutator:
    return lambda rng, data: with_entry(rng, data, is_dex, mutate)


def in_manifest(mutate: Mutator) -> Mutator:
    return lambda rng, data: with_entry(rng, data, is_manifest, mutate)


def table(name: str, width: int) -> Mutator:
    return lambda rng, dex: dex_table_entry(rng, dex, name, width)


def cut(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


MUTATORS: list[tuple[str, Mutator]] = [
    ("central-directory-field", lambda r, d: patch_field(r, d, CENTRAL, CENTRAL_FIELDS)),
    ("local-header-field", lambda r, d: patch_field(r, d, LOCAL, LOCAL_FIELDS)),
    ("end-record-field", lambda r, d: patch_field(r, d, END, END_FIELDS)),
    ("bit-flips", bit_flip),
    ("truncation", truncate),
    ("compression-method", compression_method),
    ("flags", flags),
    ("dex-header", in_dex(dex_u32)),
    ("dex-string-ids", in_dex(table("string_ids", 4))),
    ("dex-type-ids", in_dex(table("type_ids", 4))),
    ("dex-class-defs", in_dex(table("class_defs", 32))),
    ("dex-map", in_dex(table("map", 12))),
    ("dex-string-data", in_dex(dex_string_data)),
    ("dex-truncated", in_dex(cut)),
    ("axml-chunk", in_manifest(axml_chunk)),
    ("axml-strings", in_manifest(axml_strings)),
    ("axml-bytes", in_manifest(bit_flip)),
    ("axml-truncated", in_manifest(cut)),
    ("duplicate-entries", duplicate_entry),
    ("traversal-names", traversal_names),
    ("bomb", bomb),
    ("nested-container", nested),  # last: it applies the others
]


# --- running cases -------------------------------------------------------------------------------


def base_packages(extra: list[Path]) -> list[Path]:
    """Real packages to mutate: the demo APK, the built fixtures that scan cleanly, and ``extra``."""
    found = [ROOT / "samples" / "demo.apk", *extra]
    build = ROOT / "fixtures" / "build"
    for pattern in ("*.apk", "*.apks", "*.xapk"):
        found += [p for p in sorted(build.glob(pattern)) if not p.name.startswith("broken-")]
    return list(dict.fromkeys(found))


def make_case(seed: int, index: int, bases: list[Path]) -> tuple[str, str, bytes]:
    rng = random.Random(f"{seed}:{index}")
    base = rng.choice(bases)
    name, mutate = MUTATORS[index % len(MUTATORS)] if index < len(MUTATORS) else rng.choice(MUTATORS)
    data = base.read_bytes()
    try:
        data = mutate(rng, data)
    except (zipfile.BadZipFile, ValueError, struct.error, IndexError, OSError):
        data = bit_flip(rng, data)  # the mutator could not parse its input: still a case
    return name, base.name, data


@dataclass
class Outcome:
    index: int
    mutator: str
    base: str
    code: int | str  # an exit code, or "timeout" / "wrote-files"
    message: str
    seconds: float


_WORK: dict[str, object] = {}


def _init_worker(seed: int, bases: list[str], workdir: str) -> None:
    _WORK["seed"], _WORK["bases"] = seed, [Path(b) for b in bases]
    cwd = tempfile.mkdtemp(prefix="cwd-", dir=workdir)
    os.chdir(cwd)  # every case runs from an empty directory that must stay empty
    _WORK["cwd"] = cwd
    _WORK["inputs"] = tempfile.mkdtemp(prefix="in-", dir=workdir)


def _timeout(_signum: int, _frame: object) -> None:
    raise TimeoutError


def run_case(index: int) -> Outcome:
    from sdkreg.cli import run

    bases = _WORK["bases"]
    assert isinstance(bases, list)
    mutator, base, data = make_case(int(str(_WORK["seed"])), index, bases)
    path = Path(str(_WORK["inputs"])) / f"case-{index}{Path(base).suffix}"
    path.write_bytes(data)
    # Strict UTF-8 streams, like a real terminal or pipe: text no writer can encode must fail here.
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    started = time.perf_counter()
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(CASE_TIMEOUT)
    code: int | str
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(["scan", str(path), "--format", "json"])
    except TimeoutError:
        code = "timeout"
    finally:
        signal.alarm(0)
        path.unlink()
    seconds = time.perf_counter() - started
    err.flush()
    assert isinstance(err.buffer, io.BytesIO)
    message = (err.buffer.getvalue().decode("utf-8").strip().splitlines() or [""])[0]
    if os.listdir(str(_WORK["cwd"])):
        code, message = "wrote-files", f"{os.listdir(str(_WORK['cwd']))!r}"
    return Outcome(index, mutator, base, code, message, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=300)
    parser.add_argument("--seed", type=lambda s: int(s, 0), default=1)
    parser.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    parser.add_argument("--case", type=int, help="replay this one case (prints its outcome)")
    parser.add_argument("--apk", type=Path, action="append", default=[], help="another base package")
    parser.add_argument("--save-failures", type=Path, help="write failing inputs here")
    args = parser.parse_args(argv)
    workdir = tempfile.mkdtemp(prefix="sdkreg-fuzz-")
    os.environ.setdefault("SDKREG_CACHE_DIR", os.path.join(workdir, "cache"))
    bases = [p for p in base_packages(args.apk) if p.is_file()]
    indices = [args.case] if args.case is not None else list(range(args.iterations))
    print(f"fuzz_apk: {len(indices)} case(s), seed {args.seed}, {len(bases)} base package(s), "
          f"{len(MUTATORS)} mutators, {args.jobs} worker(s)", flush=True)
    started = time.perf_counter()
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(args.jobs, _init_worker, (args.seed, [str(b) for b in bases], workdir)) as pool:
            outcomes = sorted(pool.imap_unordered(run_case, indices, chunksize=4), key=lambda o: o.index)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.perf_counter() - started

    overall = Counter(o.code for o in outcomes)
    per_mutator: dict[str, Counter[int | str]] = defaultdict(Counter)
    for outcome in outcomes:
        per_mutator[outcome.mutator][outcome.code] += 1
    codes = sorted(overall, key=str)
    print(f"\nexit codes of {len(outcomes)} mutated packages ({elapsed:.1f} s, "
          f"slowest case {max(o.seconds for o in outcomes):.2f} s):")
    for code in codes:
        print(f"  {code!s:>11}: {overall[code]:6d}  ({100 * overall[code] / len(outcomes):5.1f} %)")
    print("\nper mutator:  " + "  ".join(f"{c!s:>5}" for c in codes))
    for mutator, counts in sorted(per_mutator.items()):
        print(f"  {mutator:<25}" + "  ".join(f"{counts.get(c, 0):5d}" for c in codes))
    bad = [o for o in outcomes if o.code in (ExitCode.INTERNAL, "timeout", "wrote-files")]
    for outcome in bad:
        print(f"FAIL case {outcome.index} ({outcome.mutator} of {outcome.base}): {outcome.code}: "
              f"{outcome.message}  -- replay: scripts/fuzz_apk.py --seed {args.seed} --case {outcome.index}")
        if args.save_failures:
            args.save_failures.mkdir(parents=True, exist_ok=True)
            _, base, data = make_case(args.seed, outcome.index, bases)
            (args.save_failures / f"case-{outcome.index}{Path(base).suffix}").write_bytes(data)
    if args.case is not None:
        print(f"case {outcomes[0].index}: {outcomes[0].code}: {outcomes[0].message}")
    # A case passes when it ends in a documented exit code, on time, writing nothing.
    print(f"\nfuzz_apk: {len(outcomes) - len(bad)} passed, {len(bad)} failed")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
