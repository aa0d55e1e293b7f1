"""Open an APK, or a split-APK container (.apks / .xapk), without trusting it.

Every byte we decompress is counted against explicit limits, checked twice: first from the
sizes the zip headers declare (cheap, rejects an honest zip bomb before any work), then while
streaming (a header may lie). Only the entries the scan needs are ever decompressed: the
manifest, the ``classes*.dex`` files and, in a container, the member APKs; native libraries
and assets are evidence by name alone.
"""

from __future__ import annotations

import hashlib
import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sdkreg.errors import (
    ApkCorruptError,
    ApkEncryptedError,
    ApkNoManifestError,
    ApkNotZipError,
    ApkTooLargeError,
    InputMissingError,
)
from sdkreg.safe_text import escape_unsafe

MANIFEST = "AndroidManifest.xml"
DEX_NAME = re.compile(r"classes\d*\.dex")
_CHUNK = 1 << 20
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")


@dataclass(frozen=True)
class Limits:
    """Decompression bounds for one scan (all members of a container together)."""

    max_total_bytes: int = 1 << 30  # everything decompressed in one scan
    max_entry_bytes: int = 512 << 20  # one entry
    max_ratio: float = 100.0  # uncompressed / compressed, for entries above ratio_floor
    ratio_floor: int = 1 << 20  # small entries may compress well without being a bomb
    max_members: int = 64  # member APKs in a container
    max_entries: int = 200_000  # central-directory records in one zip


@dataclass
class Budget:
    """Bytes decompressed so far in this scan, shared by every archive of a container."""

    limits: Limits
    used: int = 0


@dataclass
class ApkZip:
    """One APK (a plain APK, or one member of a container) opened as a zip."""

    label: str  # how errors name it: the file path, or "path!member.apk"
    member: str  # member name inside the container; "" for a plain APK
    zf: zipfile.ZipFile
    budget: Budget
    names: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        infos = self.zf.infolist()
        if len(infos) > self.budget.limits.max_entries:
            raise ApkTooLargeError(
                f"{self.label}: {len(infos)} zip entries exceed the limit of "
                f"{self.budget.limits.max_entries}"
            )
        self.names = tuple(info.filename for info in infos)
        # Android's zip reader (libziparchive) refuses an archive with duplicate entry names, so
        # no device installs one; and which copy a reader takes is what the 2013 "Master Key"
        # exploits played on. So not counted once, but refused as a damaged zip.
        seen: set[str] = set()
        for name in self.names:
            if name in seen:
                raise ApkCorruptError(
                    f"{self.label}: duplicate zip entry {escape_unsafe(name)!r} "
                    "(Android refuses such archives)"
                )
            seen.add(name)

    @property
    def has_manifest(self) -> bool:
        return MANIFEST in self.names

    def dex_names(self) -> list[str]:
        """``classes.dex``, ``classes2.dex`` … in the order the runtime loads them."""
        found = [n for n in self.names if DEX_NAME.fullmatch(n)]
        return sorted(found, key=lambda n: int(n[7:-4] or "1"))

    def read(self, name: str) -> bytes:
        return read_entry(self.zf, self.zf.getinfo(name), self.budget, f"{self.label}!{name}")


def read_entry(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget, label: str) -> bytes:
    """Decompress one entry within the limits; every failure is a one-line SdkregError."""
    if info.flag_bits & 0x1:
        raise ApkEncryptedError(f"{label}: entry is encrypted; sdkreg cannot read encrypted zips")
    _check_declared(info, budget, label)
    chunks: list[bytes] = []
    produced = 0
    try:
        with zf.open(info) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                chunks.append(chunk)
                produced += len(chunk)
                _check_streamed(produced, info, budget, label)
    except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError) as exc:
        raise ApkCorruptError(f"{label}: damaged zip entry ({_reason(exc)})") from exc
    except NotImplementedError as exc:  # an unsupported compression method or zip feature
        raise ApkCorruptError(f"{label}: damaged zip entry (unsupported: {_reason(exc)})") from exc
    budget.used += produced
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _check_declared(info: zipfile.ZipInfo, budget: Budget, label: str) -> None:
    limits = budget.limits
    size, packed = info.file_size, info.compress_size
    if size > limits.max_entry_bytes:
        raise ApkTooLargeError(
            f"{label}: declares {size} bytes uncompressed, over the per-entry limit of "
            f"{limits.max_entry_bytes} (zip bomb?)"
        )
    if budget.used + size > limits.max_total_bytes:
        raise ApkTooLargeError(
            f"{label}: decompressing it would exceed the total limit of "
            f"{limits.max_total_bytes} bytes (zip bomb?)"
        )
    if size > limits.ratio_floor and size > limits.max_ratio * max(packed, 1):
        raise ApkTooLargeError(
            f"{label}: compression ratio {size / max(packed, 1):.0f}:1 exceeds "
            f"{limits.max_ratio:.0f}:1 (zip bomb?)"
        )


def _check_streamed(produced: int, info: zipfile.ZipInfo, budget: Budget, label: str) -> None:
    limits = budget.limits
    if produced > info.file_size:
        raise ApkTooLargeError(f"{label}: inflates past its declared size (zip bomb?)")
    if produced > limits.max_entry_bytes or budget.used + produced > limits.max_total_bytes:
        raise ApkTooLargeError(f"{label}: inflates past the decompression limit (zip bomb?)")
    if produced > limits.ratio_floor and produced > limits.max_ratio * max(info.compress_size, 1):
        raise ApkTooLargeError(f"{label}: inflates past a {limits.max_ratio:.0f}:1 ratio (zip bomb?)")


def _reason(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text.rstrip(".")


def _open_zip(source: Path | io.BytesIO, label: str, starts: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        # A local-file header at the start but no readable central directory: the download
        # was cut short or the file was damaged; anything else was never a zip.
        if starts in _ZIP_MAGICS:
            raise ApkCorruptError(f"{label}: truncated or damaged zip ({_reason(exc)})") from exc
        raise ApkNotZipError(f"{label}: not an APK (not a zip archive)") from exc
    except (OSError, EOFError, ValueError, zlib.error, NotImplementedError) as exc:
        # NotImplementedError: a central directory asking for a zip version zipfile lacks.
        if starts in _ZIP_MAGICS:
            raise ApkCorruptError(f"{label}: truncated or damaged zip ({_reason(exc)})") from exc
        raise ApkNotZipError(f"{label}: not an APK (not a zip archive)") from exc


def check_input(path: Path) -> None:
    if not path.exists():
        raise InputMissingError(f"{path}: no such file")
    if path.is_dir():
        raise InputMissingError(f"{path}: is a directory, not an APK file")
    if not path.is_file():
        raise InputMissingError(f"{path}: not a regular file")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(_CHUNK):
                digest.update(block)
    except OSError as exc:
        raise InputMissingError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return digest.hexdigest()


@dataclass
class Package:
    """An opened package: one APK, or the member APKs of a split container."""

    path: Path
    sha256: str
    apks: list[ApkZip]
    is_container: bool


@contextmanager
def open_package(path: Path, limits: Limits | None = None) -> Iterator[Package]:
    """Open ``path`` as an APK or a .apks/.xapk container. The kind is decided by content,
    not by file extension: a zip with an AndroidManifest.xml is an APK; a zip holding
    ``*.apk`` members is a container whose members are scanned together as one app."""
    check_input(path)
    budget = Budget(limits or Limits())
    label = str(path)
    digest = sha256_of(path)
    with path.open("rb") as handle:
        starts = handle.read(4)
    if not starts:
        raise ApkNotZipError(f"{label}: not an APK (empty file)")
    outer = _open_zip(path, label, starts)
    try:
        top = ApkZip(label, "", outer, budget)
        if top.has_manifest:
            yield Package(path, digest, [top], is_container=False)
            return
        members = [n for n in top.names if n.lower().endswith(".apk") and not n.endswith("/")]
        if not members:
            raise ApkNoManifestError(
                f"{label}: no AndroidManifest.xml (and no member APKs): not an Android package"
            )
        if len(members) > budget.limits.max_members:
            raise ApkTooLargeError(
                f"{label}: {len(members)} member APKs exceed the limit of {budget.limits.max_members}"
            )
        apks = []
        for member in sorted(members):
            member_label = f"{label}!{escape_unsafe(member)}"
            data = read_entry(outer, outer.getinfo(member), budget, member_label)
            inner = _open_zip(io.BytesIO(data), member_label, data[:4])
            apks.append(ApkZip(member_label, member, inner, budget))
        if not any(apk.has_manifest for apk in apks):
            raise ApkNoManifestError(f"{label}: none of its member APKs has an AndroidManifest.xml")
        yield Package(path, digest, apks, is_container=True)
    finally:
        outer.close()
