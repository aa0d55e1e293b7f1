"""Property-based tests (Hypothesis): whatever bytes arrive, the zip, DEX, AXML and policy readers
end in a documented ``SdkregError`` (or a result), never another exception, and within a bounded
time (the deadline). Example counts are modest so CI stays fast; scripts/fuzz_apk.py mutates
whole packages at a larger scale."""

from __future__ import annotations

import io
import os
import warnings
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sdkreg.apk import inspect_apk
from sdkreg.apk.dex import class_names, decode_mutf8
from sdkreg.apk.manifest import parse_manifest
from sdkreg.errors import ApkBadDexError, ApkNoManifestError, SdkregError
from sdkreg.policy import extract_disclosures
from sdkreg.policy.read import policy_from_bytes
from sdkreg.registry import Registry
from tests.conftest import REPO

DEMO_APK = REPO / "samples" / "demo.apk"
with zipfile.ZipFile(DEMO_APK) as _demo:
    DEMO_DEX = _demo.read("classes.dex")
    DEMO_MANIFEST = _demo.read("AndroidManifest.xml")

# Generous: a reader that is linear on these small inputs takes milliseconds; the deadline only
# catches one that hangs or goes quadratic. CI runs derandomized, so a run is reproducible.
READER = settings(
    max_examples=int(os.environ.get("SDKREG_HYPOTHESIS_EXAMPLES", "120")),
    deadline=timedelta(seconds=5),
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def patched(base: bytes) -> st.SearchStrategy[bytes]:
    """``base`` with a few bytes overwritten (biased to its header) and maybe truncated."""

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        data = bytearray(base)
        for _ in range(draw(st.integers(1, 6))):
            near_start = draw(st.booleans())
            limit = min(len(data), 0x200) if near_start else len(data)
            at = draw(st.integers(0, limit - 1))
            chunk = draw(st.binary(min_size=1, max_size=4))
            data[at : at + len(chunk)] = chunk
        if draw(st.booleans()):
            del data[draw(st.integers(0, len(data))) :]
        return bytes(data)

    return build()


def printable(text: str) -> bool:
    text.encode("utf-8")  # raises on a lone surrogate
    return not any((ord(ch) < 0x20 and ch != "\n") or 0x7F <= ord(ch) <= 0x9F for ch in text)


# --- DEX ------------------------------------------------------------------------------------------


def mutf8(text: str) -> bytes:
    """Java's modified UTF-8: NUL as C0 80, characters above U+FFFF as two 3-byte surrogates."""
    out = bytearray()
    for unit in memoryview(text.encode("utf-16-le")).cast("H"):
        if unit == 0:
            out += b"\xc0\x80"
        elif unit < 0x80:
            out.append(unit)
        elif unit < 0x800:
            out += bytes([0xC0 | unit >> 6, 0x80 | unit & 0x3F])
        else:
            out += bytes([0xE0 | unit >> 12, 0x80 | (unit >> 6) & 0x3F, 0x80 | unit & 0x3F])
    return bytes(out)


@READER
@given(st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"])))
def test_mutf8_of_any_text_decodes_to_that_text(text: str) -> None:
    assert decode_mutf8(mutf8(text)) == text


@READER
@given(st.binary(max_size=256))
def test_any_bytes_decode_to_printable_text(raw: bytes) -> None:
    assert printable(decode_mutf8(raw))


@READER
@given(st.one_of(st.binary(max_size=512), patched(DEMO_DEX)))
def test_dex_reader_gives_printable_names_or_a_bad_dex_error(data: bytes) -> None:
    try:
        names = class_names(data, "x.apk!classes.dex")
    except ApkBadDexError as error:
        assert "\n" not in str(error)
        return
    assert all(printable(name) for name in names)


# --- AXML -----------------------------------------------------------------------------------------


@READER
@given(st.one_of(st.binary(max_size=512), patched(DEMO_MANIFEST)))
def test_manifest_reader_gives_printable_strings_or_a_no_manifest_error(data: bytes) -> None:
    try:
        info = parse_manifest(data, "x.apk!AndroidManifest.xml")
    except ApkNoManifestError as error:
        assert "\n" not in str(error).strip()
        return
    strings = [info.app.package, info.app.version_name, info.app.version_code, info.application,
               info.main_activity, info.split, *info.permissions,
               *(c.name for c in info.components), *(v for pair in info.meta_data for v in pair)]
    assert all(printable(s) for s in strings if s is not None)


# --- zip containers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("properties") / "case.apk"


ENTRY_NAMES = st.one_of(
    st.sampled_from(["AndroidManifest.xml", "classes.dex", "classes2.dex", "lib/arm64-v8a/libx.so",
                     "assets/a.bin", "../../escape.so", "/abs/x", "base.apk", "splits/base.apk",
                     "lib/\x1b[31m.so", "a/../../b"]),
    st.text(min_size=1, max_size=40).filter(lambda s: "\x00" not in s),
)


@st.composite
def zips(draw: st.DrawFn) -> bytes:
    """A zip of arbitrary entries: real manifest/DEX/APK contents or noise, under hostile names,
    each stored, deflated, bzip2'd or LZMA'd."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": duplicates are part of the point
        for _ in range(draw(st.integers(0, 6))):
            name = draw(ENTRY_NAMES)
            data = draw(st.one_of(st.binary(max_size=256), st.just(DEMO_MANIFEST), st.just(DEMO_DEX),
                                  patched(DEMO_DEX), st.just(DEMO_APK.read_bytes())))
            method = draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED,
                                           zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]))
            try:
                zf.writestr(name, data, method)
            except (ValueError, UnicodeEncodeError):
                assume(False)
    return buffer.getvalue()


@READER
@given(data=st.one_of(patched(DEMO_APK.read_bytes()), zips(), st.binary(max_size=256)))
def test_container_reader_gives_evidence_or_a_documented_error(data: bytes, scratch: Path) -> None:
    scratch.write_bytes(data)
    try:
        evidence = inspect_apk(scratch)
    except SdkregError as error:
        assert 10 <= error.exit_code < 20
        return
    assert all(printable(name) for name in (*evidence.native_libs, *evidence.assets))


# --- policies -------------------------------------------------------------------------------------

POLICY_WORDS = st.sampled_from([
    "第三方SDK清单", "SDK名称", "：", ":", "|", "、", "，", "\t", "\n", "\n\n", "有限公司", "小米推送",
    "com.xiaomi.push", "使用目的", "收集个人信息类型", "设备标识符", "https://example.com/p", "<table>",
    "<tr><td>", "</td><td>", "</td></tr>", "<br>", "<pre>", "# ", "- ", "1. ", "（", "）", "SDK",
    "Third-party SDK", "Purpose:", "高德地图SDK", "个推", "腾讯Bugly", " " * 40, "字段:值",
])


@st.composite
def policies(draw: st.DrawFn) -> bytes:
    text = "".join(draw(st.lists(st.one_of(POLICY_WORDS, st.text(max_size=20)), max_size=120)))
    encoding = draw(st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig"]))
    try:
        return text.encode(encoding)
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass")


@READER
@given(data=st.one_of(policies(), st.binary(max_size=1024)), fmt=st.sampled_from([None, "html", "markdown"]))
def test_policy_reader_gives_disclosures_or_a_documented_error(
    data: bytes, fmt: str | None, registry: Registry
) -> None:
    try:
        text = policy_from_bytes(data, "policy.txt", fmt)  # type: ignore[arg-type]
    except SdkregError as error:
        assert error.exit_code in (10, 20, 21, 22)
        return
    result = extract_disclosures(text, registry)
    for disclosure in result.disclosures:
        disclosure.as_written.encode("utf-8")
