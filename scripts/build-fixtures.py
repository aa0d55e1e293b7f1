#!/usr/bin/env python3
"""Build the test APKs from their sources under fixtures/apks/ with the real Android toolchain.

Each fixture directory holds an ``expected.yaml`` and, for a buildable APK, an
``AndroidManifest.xml`` plus ``smali/<dex>/`` trees (``smali/classes`` → classes.dex,
``smali/classes2`` → classes2.dex, …) and optionally ``files/`` (copied into the APK root as is:
``lib/<abi>/*.so``, ``assets/…``). A split container fixture has one such directory per member
APK under ``members/`` instead. Broken inputs (``broken:`` in expected.yaml) are generated here.

Tools: smali (libsmali-java), aapt and framework-res.apk (aapt, android-framework-res).
Output: fixtures/build/<name>.<ext>; ``--demo`` also refreshes samples/demo.apk.

    python scripts/build-fixtures.py [--out DIR] [--demo] [--force]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "fixtures" / "apks"
DEFAULT_OUT = ROOT / "fixtures" / "build"
FRAMEWORK_RES = Path("/usr/share/android-framework-res/framework-res.apk")
STAMP = ".sources.sha256"


class ToolMissing(RuntimeError):
    pass


def smali_command() -> list[str]:
    if shutil.which("smali"):
        return ["smali"]
    jar = Path("/usr/share/java/smali.jar")
    if jar.is_file() and shutil.which("java"):
        return ["java", "-jar", str(jar)]
    raise ToolMissing("smali not found (apt install libsmali-java)")


def check_tools() -> list[str]:
    smali = smali_command()
    if not shutil.which("aapt"):
        raise ToolMissing("aapt not found (apt install aapt)")
    if not FRAMEWORK_RES.is_file():
        raise ToolMissing(f"{FRAMEWORK_RES} not found (apt install android-framework-res)")
    return smali


def run(cmd: list[str], cwd: Path | None = None) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{result.stdout}{result.stderr}")


def assemble_dex(smali: list[str], source: Path, out: Path) -> None:
    # --api 21 keeps the DEX at version 035, the format every tool reads.
    run([*smali, "assemble", "--api", "21", "-o", str(out), str(source)])


def build_apk(smali: list[str], source: Path, out: Path) -> None:
    """aapt package the manifest, then aapt add each assembled DEX and every extra file."""
    with tempfile.TemporaryDirectory(prefix="sdkreg-fixture-") as tmp_name:
        tmp = Path(tmp_name)
        apk = tmp / "out.apk"
        run(["aapt", "package", "-f", "-M", str(source / "AndroidManifest.xml"),
             "-I", str(FRAMEWORK_RES), "-F", str(apk)])
        dex_names = []
        smali_root = source / "smali"
        if smali_root.is_dir():
            for dex_dir in sorted(p for p in smali_root.iterdir() if p.is_dir()):
                name = f"{dex_dir.name}.dex"
                assemble_dex(smali, dex_dir, tmp / name)
                dex_names.append(name)
        if dex_names:
            run(["aapt", "add", str(apk), *dex_names], cwd=tmp)
        files = source / "files"
        if files.is_dir():
            rel = sorted(str(p.relative_to(files)) for p in files.rglob("*") if p.is_file())
            run(["aapt", "add", str(apk), *rel], cwd=files)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(apk, out)


def build_container(smali: list[str], spec: dict[str, Any], out: Path) -> None:
    """A .apks (bundletool) or .xapk (APKPure) zip of member APKs built from
    ``fixtures/apks/<source>/members/<dir>/``."""
    source = SOURCES / spec["source"] / "members"
    with tempfile.TemporaryDirectory(prefix="sdkreg-container-") as tmp_name:
        tmp = Path(tmp_name)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
            for member_dir, member_name in spec["members"]:
                built = tmp / f"{member_dir}.apk"
                if not built.exists():
                    build_apk(smali, source / member_dir, built)
                zf.write(built, member_name)
            for extra_name, text in (spec.get("extra") or {}).items():
                zf.writestr(extra_name, text)


# --- broken inputs ---------------------------------------------------------------------------


def set_encrypted_flag(data: bytes, entry: str) -> bytes:
    """Set the 'encrypted' bit of ``entry`` in its local and central headers (data unchanged:
    the bit alone makes every zip reader refuse the entry)."""
    buf = bytearray(data)
    name = entry.encode()
    pos = 0
    while (pos := buf.find(b"PK\x03\x04", pos)) >= 0:
        n_len = struct.unpack_from("<H", buf, pos + 26)[0]
        if bytes(buf[pos + 30 : pos + 30 + n_len]) == name:
            buf[pos + 6] |= 0x01
        pos += 4
    pos = 0
    while (pos := buf.find(b"PK\x01\x02", pos)) >= 0:
        n_len = struct.unpack_from("<H", buf, pos + 28)[0]
        if bytes(buf[pos + 46 : pos + 46 + n_len]) == name:
            buf[pos + 8] |= 0x01
        pos += 4
    return bytes(buf)


def copy_entries(
    base: Path, skip: Collection[str] = ()
) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(base) as zf:
        return [(i, zf.read(i)) for i in zf.infolist() if i.filename not in skip]


def build_broken(kind: str, base: Path, out: Path) -> None:
    if kind == "not-zip":
        out.write_text("This is a privacy policy, not an Android package.\n", encoding="utf-8")
    elif kind == "empty":
        out.write_bytes(b"")
    elif kind == "truncated":
        data = base.read_bytes()
        out.write_bytes(data[: len(data) * 6 // 10])
    elif kind == "zip-bomb":
        # A real manifest, then a "classes.dex" of 256 MiB of zeros: ~256 KiB on disk.
        entries = copy_entries(base, skip={"classes.dex"})
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for info, data in entries:
                zf.writestr(info, data)
            bomb = zipfile.ZipInfo("classes.dex")
            bomb.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(bomb, "w", force_zip64=True) as stream:
                block = bytes(1 << 20)
                for _ in range(256):
                    stream.write(block)
    elif kind == "encrypted":
        out.write_bytes(set_encrypted_flag(base.read_bytes(), "classes.dex"))
    elif kind == "no-manifest":
        entries = copy_entries(base, skip={"AndroidManifest.xml"})
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in entries:
                zf.writestr(info, data)
    elif kind == "corrupt-dex":
        entries = copy_entries(base)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in entries:
                if info.filename == "classes.dex":
                    # Valid magic and header size, but the tables point past the end.
                    bad = bytearray(data[:0x70])
                    struct.pack_into("<I", bad, 32, len(bad))  # file_size
                    struct.pack_into("<II", bad, 96, 5, 0x7FFF_0000)  # class_defs size/off
                    data = bytes(bad)
                zf.writestr(info, data)
    elif kind == "bad-manifest":
        entries = copy_entries(base)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in entries:
                if info.filename == "AndroidManifest.xml":
                    data = b"<manifest>plain text, not binary XML</manifest>"
                zf.writestr(info, data)
    elif kind == "directory":
        if out.exists() and not out.is_dir():
            out.unlink()
        out.mkdir(parents=True, exist_ok=True)
    elif kind == "missing":
        if out.exists():
            out.unlink()
    else:
        raise SystemExit(f"unknown broken kind: {kind}")


# --- driver ----------------------------------------------------------------------------------


def sources_digest(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


def load_fixtures() -> dict[str, dict[str, Any]]:
    return {
        d.name: yaml.safe_load((d / "expected.yaml").read_text(encoding="utf-8"))
        for d in sorted(SOURCES.iterdir())
        if (d / "expected.yaml").is_file()
    }


def output_name(name: str, spec: dict[str, Any]) -> str:
    return str(spec.get("file") or f"{name}.apk")


def build_all(out_dir: Path, force: bool = False) -> dict[str, Path]:
    """Build every fixture into ``out_dir``; unchanged sources are not rebuilt."""
    smali = check_tools()
    out_dir.mkdir(parents=True, exist_ok=True)
    fixtures = load_fixtures()
    built: dict[str, Path] = {}
    stamps_path = out_dir / STAMP
    stamps: dict[str, str] = {}
    if stamps_path.is_file() and not force:
        stamps = json.loads(stamps_path.read_text(encoding="utf-8"))
    # Plain APKs first: broken inputs are derived from them.
    order = sorted(fixtures, key=lambda n: ("broken" in fixtures[n], "container" in fixtures[n], n))
    for name in order:
        spec = fixtures[name]
        if spec.get("members_only"):
            continue
        source = SOURCES / name
        out = out_dir / output_name(name, spec)
        digest = sources_digest(source)
        if "container" in spec:
            digest += sources_digest(SOURCES / spec["container"]["source"])
        base = spec.get("base")
        if base:
            digest += stamps.get(str(base), "")
        fresh = stamps.get(name) == digest and (out.exists() or spec.get("broken") == "missing")
        if not fresh:
            if "broken" in spec:
                base_path = built.get(str(base)) if base else None
                if base and base_path is None:
                    raise SystemExit(f"{name}: base fixture '{base}' not found")
                build_broken(spec["broken"], base_path or out, out)
            elif "container" in spec:
                build_container(smali, spec["container"], out)
            else:
                build_apk(smali, source, out)
            stamps[name] = digest
        built[name] = out
    stamps_path.write_text(json.dumps(stamps, indent=1, sort_keys=True), encoding="utf-8")
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--demo", action="store_true", help="also copy the demo to samples/demo.apk")
    parser.add_argument("--force", action="store_true", help="rebuild even unchanged fixtures")
    args = parser.parse_args(argv)
    try:
        built = build_all(args.out, args.force)
    except ToolMissing as exc:
        print(f"build-fixtures: {exc}", file=sys.stderr)
        return 2
    for name, path in built.items():
        print(f"{name:24} {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if args.demo:
        target = ROOT / "samples" / "demo.apk"
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(built["demo"], target)
        print(f"{'samples/demo.apk':24} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())

