"""Hostile packages (issue 12, defects 6, 7 and 11): zip features zipfile lacks, data that lies
about its compression, class names outside the Basic Multilingual Plane or no characters at all,
and duplicate entries each end in their documented exit code, never an internal error."""

from __future__ import annotations

import io
import json
import lzma
import struct
import zipfile
from pathlib import Path

import pytest

from sdkreg.apk.dex import class_names, decode_mutf8
from sdkreg.cli import run
from sdkreg.cli.common import emit
from sdkreg.errors import ExitCode
from sdkreg.store import HistoryStore
from tests.conftest import REPO

DEMO_POLICY = str(REPO / "samples" / "demo-policy.txt")
CENTRAL = b"PK\x01\x02"
LOCAL = b"PK\x03\x04"


def central_record(data: bytes, name: str) -> int:
    """Offset of the central-directory record of entry ``name``."""
    at = data.find(CENTRAL)
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == name.encode():
            return at
        at = data.find(CENTRAL, at + 4)
    raise AssertionError(f"{name} not in the central directory")


def write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def scan_code(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = run(args)
    err = capsys.readouterr().err
    assert "internal error" not in err and "Traceback" not in err, err
    return code, err


# --- defect 6: zip features zipfile does not implement ------------------------------------------


def test_version_needed_above_zipfiles_support_is_a_damaged_zip(
    built_apks: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bytearray(built_apks["demo"].read_bytes())
    struct.pack_into("<H", data, central_record(bytes(data), "classes.dex") + 6, 0x7F)  # "version 12.7"
    code, err = scan_code(["scan", write(tmp_path / "v.apk", bytes(data))], capsys)
    assert code == ExitCode.APK_CORRUPT, err
    assert "zip file version 12.7" in err


def test_an_lzma_entry_whose_data_is_not_lzma_is_a_damaged_zip(
    built_apks: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = built_apks["demo"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(buffer, "w") as copy:
        for info in original.infolist():
            copy.writestr(info.filename, original.read(info), zipfile.ZIP_STORED)
    data = bytearray(buffer.getvalue())
    central = central_record(bytes(data), "classes.dex")
    local = struct.unpack_from("<I", data, central + 42)[0]
    for where in (central + 10, local + 8):  # compression method: 14 = LZMA
        struct.pack_into("<H", data, where, 14)
    # A well-formed zip LZMA header (version, properties size, LZMA1 properties) before data
    # that is still the stored DEX: the decoder starts, then finds no LZMA stream.
    properties = lzma._encode_filter_properties({"id": lzma.FILTER_LZMA1})  # type: ignore[attr-defined]
    header = struct.pack("<BBH", 9, 4, len(properties)) + properties
    start = local + 30 + len("classes.dex")
    data[start : start + len(header)] = header
    code, err = scan_code(["scan", write(tmp_path / "lzma.apk", bytes(data))], capsys)
    assert code == ExitCode.APK_CORRUPT, err
    assert "classes.dex: damaged zip entry" in err


# --- defect 11: duplicate entries -----------------------------------------------------------------


def test_duplicate_entries_are_refused_as_a_damaged_zip(
    built_apks: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dup.apk"
    with zipfile.ZipFile(built_apks["demo"]) as original, zipfile.ZipFile(path, "w") as copy:
        dex = original.read("classes.dex")
        for info in original.infolist():
            copy.writestr(info, original.read(info))
        with pytest.warns(UserWarning, match="Duplicate name"):
            copy.writestr("classes.dex", dex)
            copy.writestr("classes.dex", dex)
    code, err = scan_code(["scan", str(path)], capsys)
    assert code == ExitCode.APK_CORRUPT, err
    assert "duplicate zip entry 'classes.dex'" in err


# --- defect 7: MUTF-8 beyond the BMP, lone surrogates, control characters ----------------------


def mutf8_char(unit: int) -> bytes:
    """One UTF-16 code unit in MUTF-8's three-byte form."""
    return bytes([0xE0 | unit >> 12, 0x80 | (unit >> 6) & 0x3F, 0x80 | unit & 0x3F])


EMOJI = mutf8_char(0xD83D) + mutf8_char(0xDE00)  # U+1F600 as MUTF-8 writes it: a surrogate pair


def renamed_class_apk(demo: Path, tmp: Path, replacement: bytes, utf16_length: int) -> Path:
    """The demo APK with the class ``com.example.sdkdemo.App`` renamed in place: ``sdkdemo``
    (7 bytes) becomes ``replacement`` (7 bytes of MUTF-8)."""
    assert len(replacement) == 7
    with zipfile.ZipFile(demo) as original:
        dex = bytearray(original.read("classes.dex"))
        old = b"Lcom/example/sdkdemo/App;\0"
        at = dex.index(old)
        assert dex[at - 1] == len(old) - 1  # the one-byte uleb128 UTF-16 length before it
        dex[at - 1] = utf16_length
        dex[at : at + len(old)] = b"Lcom/example/" + replacement + b"/App;\0"
        path = tmp / "renamed.apk"
        with zipfile.ZipFile(path, "w") as copy:
            for info in original.infolist():
                copy.writestr(info, bytes(dex) if info.filename == "classes.dex" else original.read(info))
    return path


def test_mutf8_decoding() -> None:
    assert decode_mutf8(b"Lcom/a/" + EMOJI + b";") == "Lcom/a/\U0001f600;"
    assert decode_mutf8(b"Lcom/a/X" + mutf8_char(0xD83D) + b";") == "Lcom/a/X\\uD83D;"
    assert decode_mutf8(b"Lcom/a/X" + mutf8_char(0xDE00) + mutf8_char(0xD83D) + b";") == (
        "Lcom/a/X\\uDE00\\uD83D;"  # a low half before a high one is no pair
    )
    assert decode_mutf8(b"Lcom/a/\xc0\x80\x1b[2J;") == "Lcom/a/\\u0000\\u001B[2J;"
    assert decode_mutf8("Lcom/中文/类;".encode()) == "Lcom/中文/类;"
    assert decode_mutf8(b"Lcom/a/\xff;") == "Lcom/a/\ufffd;"


@pytest.mark.parametrize(
    ("replacement", "utf16_length", "shown"),
    [
        (b"s" + EMOJI, 21, "com.example.s\U0001f600"),
        (b"ab" + mutf8_char(0xD83D) + b"cd", 23, "com.example.ab\\uD83Dcd"),
    ],
    ids=["emoji", "lone-surrogate"],
)
def test_class_names_beyond_the_bmp_are_scanned_audited_and_recorded(
    built_apks: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    replacement: bytes, utf16_length: int, shown: str,
) -> None:
    apk = renamed_class_apk(built_apks["demo"], tmp_path, replacement, utf16_length)
    with zipfile.ZipFile(apk) as zf:
        assert f"{shown}.App" in class_names(zf.read("classes.dex"), "classes.dex")
    code, _ = scan_code(["scan", str(apk)], capsys)
    assert code == ExitCode.OK
    report = tmp_path / "scan.json"
    report.write_text("an older report")
    code, _ = scan_code(["scan", str(apk), "--format", "json", "--output", str(report)], capsys)
    assert code == ExitCode.OK
    document = json.loads(report.read_text(encoding="utf-8"))
    assert shown in {tree["package"] for tree in document["unrecognised"]}
    db = tmp_path / "history.db"
    for fmt in ("text", "json", "sarif", "markdown"):
        out = tmp_path / f"audit.{fmt}"
        code, _ = scan_code(["audit", str(apk), DEMO_POLICY, "--format", fmt, "--output", str(out),
                             "--db", f"sqlite:///{db}"], capsys)
        assert code == ExitCode.FINDINGS
        written = shown if fmt in ("text", "markdown") else json.dumps(shown, ensure_ascii=False)[1:-1]
        assert written in out.read_text(encoding="utf-8")
    assert len(HistoryStore(f"sqlite:///{db}", create=False).history("com.example.sdkdemo")) == 4


def test_a_report_that_cannot_be_written_leaves_the_old_file(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("the previous report")
    with pytest.raises(UnicodeEncodeError):
        emit("half a report \ud800", report)
    assert report.read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_report_replaces_the_file_keeping_its_permissions(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    report.write_text("old")
    report.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(report.name)
    emit("new", link)
    assert link.is_symlink() and report.read_text() == "new\n"
    assert report.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.json", "report.json"]
