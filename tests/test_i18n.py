"""Translations: every message the code and templates show has a zh-CN translation, the shipped
.mo says what the .po says, and Chinese reports and errors come out in Chinese."""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sdkreg.cli import run
from sdkreg.errors import EXIT_CODE_TITLES, ExitCode
from sdkreg.findings import FINDING_KIND_SPECS, FINDING_KINDS
from sdkreg.i18n import LOCALE_DIR, lang_from_environment, parse_lang, translator
from sdkreg.messages import FINDING_MESSAGES, render
from tests.conftest import REPO

PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "sdkreg.po"
MO = PO.with_suffix(".mo")
DEMO_POLICY = REPO / "samples" / "demo-policy.txt"
KEYWORDS = {"_": None, "gettext": None, "pgettext": ((1, "c"), 2), "N_": None, "NP_": ((1, "c"), 2)}


def _extracted() -> set[tuple[str | None, str]]:
    """Every message in the sources and templates, found the way scripts/i18n.sh finds them."""
    method_map = [("**.py", "python"), ("report/templates/**.j2", "jinja2")]
    options = {"report/templates/**.j2": {"extensions": "jinja2.ext.i18n"}}
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(REPO / "sdkreg"), method_map, options, keywords=KEYWORDS
    ):
        if isinstance(message, tuple):
            message = message[0]
        found.add((context, message))
    return found


def _catalog() -> dict[tuple[str | None, str], tuple[str, set[str]]]:
    with PO.open("rb") as handle:
        return {(m.context, m.id): (m.string, set(m.flags)) for m in read_po(handle) if m.id}


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)[^}]*\}", text)) | set(re.findall(r"%\((\w+)\)s", text))


def test_every_message_has_a_chinese_translation() -> None:
    catalog = _catalog()
    extracted = _extracted()
    assert len(extracted) > 150
    missing = sorted(key for key in extracted if not catalog.get(key, ("", set()))[0])
    assert not missing, f"untranslated (run scripts/i18n.sh, then translate): {missing}"
    fuzzy = sorted(key for key, (_s, flags) in catalog.items() if "fuzzy" in flags)
    assert not fuzzy, f"fuzzy translations to review: {fuzzy}"


def test_translations_keep_every_placeholder() -> None:
    for (context, msgid), (msgstr, _flags) in _catalog().items():
        assert _placeholders(msgstr) == _placeholders(msgid), (context, msgid, msgstr)


def test_the_shipped_mo_is_compiled_from_the_po() -> None:
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for (context, msgid), (msgstr, _flags) in _catalog().items():
        got = compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)
        assert got == msgstr, f"stale {MO.name}: run scripts/i18n.sh ({msgid!r})"


def test_every_finding_kind_and_message_has_words() -> None:
    assert [s.kind for s in FINDING_KIND_SPECS] == list(FINDING_KINDS)
    assert set(EXIT_CODE_TITLES) == set(ExitCode)
    zh = translator("zh-CN")
    for message_id, template in FINDING_MESSAGES.items():
        params = tuple((name, "X") for name in _placeholders(template))
        assert render(message_id, params, zh) != render(message_id, params), message_id


@pytest.mark.parametrize(("environ", "lang"), [
    ({}, "en"),
    ({"LANG": "zh_CN.UTF-8"}, "zh-CN"),
    ({"LANG": "zh_TW.UTF-8"}, "zh-CN"),
    ({"LANG": "en_US.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, "en"),  # LC_MESSAGES before LANG
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh-CN"),  # LC_ALL before everything
    ({"LC_ALL": "", "LANG": "zh"}, "zh-CN"),  # an empty variable is unset
])
def test_default_language_follows_the_locale(environ: dict[str, str], lang: str) -> None:
    assert lang_from_environment(environ) == lang


def test_lang_spellings() -> None:
    assert [parse_lang(v) for v in ("zh-CN", "zh_CN", "zh", "ZH-cn", "en", "en-US", "C", "fr")] == [
        "zh-CN", "zh-CN", "zh-CN", "zh-CN", "en", "en", "en", None]


def test_chinese_text_report(built_apks: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["audit", str(built_apks["demo"]), str(DEMO_POLICY), "--lang", "zh-CN"]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("应用：") and lines[1].startswith("隐私政策：")
    assert lines[4].split() == ["级别", "类型", "SDK", "说明"]
    assert ("错误  未披露    tencent-bugly    "
            "APK 中含有 腾讯Bugly (tencent-bugly)（置信度：高），但隐私政策未披露") in out
    assert "隐私政策第 30 行：友盟统计SDK" in out
    assert "需补充到隐私政策第三方SDK清单的内容：" in out and "SDK 库未收录该 SDK 的隐私政策页面" in out
    assert lines[-1].startswith("不通过：com.example.sdkdemo 1.2.0：错误 1 项，警告 1 项")
    assert "disclose" not in out and "policy line" not in out  # no English sentence left


def test_language_from_the_locale_and_from_sdkreg_itself(
    built_apks: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    run(["scan", str(built_apks["demo"])])
    assert "检出 SDK：3 个" in capsys.readouterr().out
    run(["scan", str(built_apks["demo"]), "--lang", "en"])  # the option beats the locale
    assert "SDKs detected: 3" in capsys.readouterr().out
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    run(["--lang", "zh-CN", "policy", str(DEMO_POLICY)])
    out = capsys.readouterr().out
    assert "行号  原文写法" in out and "共 3 项披露" in out


def test_chinese_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["audit", "/nonexistent.apk", str(DEMO_POLICY), "--lang", "zh-CN"]) == 10
    assert capsys.readouterr().err == (
        "sdkreg：错误：输入路径不存在、是目录或无法读取（/nonexistent.apk: no such file）\n")
    assert run(["--lang=zh-CN", "registry", "show", "no-such-sdk"]) == 6
    assert capsys.readouterr().err.startswith("sdkreg：错误：指定的记录不存在（")
    assert run(["scan", "x.apk", "--lang", "fr"]) == 2
    assert "unknown language 'fr'" in capsys.readouterr().err


def test_console_script_under_a_chinese_locale() -> None:
    """A fresh process, as a user runs it: the locale decides, --lang overrides."""
    script = Path(sys.executable).parent / "sdkreg"

    def error(*args: str) -> str:
        return subprocess.run(
            [str(script), "audit", "/nonexistent.apk", str(DEMO_POLICY), *args],
            capture_output=True, text=True, env={"LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin"},
        ).stderr

    assert error().startswith("sdkreg：错误：输入路径不存在")
    assert error("--lang", "en") == "sdkreg: error: /nonexistent.apk: no such file\n"


def _leaf_commands() -> list[list[str]]:
    import typer.main

    from sdkreg.cli import app

    def walk(command: object, path: list[str]) -> list[list[str]]:
        children = getattr(command, "commands", None)
        if not children:
            return [path]
        return [leaf for name, child in sorted(children.items()) for leaf in walk(child, [*path, name])]

    return walk(typer.main.get_command(app), [])


REPORT_COMMANDS = {"audit", "scan", "policy", "disclose", "history", "diff"}


def test_every_command_takes_a_language(capsys: pytest.CaptureFixture[str]) -> None:
    leaves = _leaf_commands()
    assert {leaf[0] for leaf in leaves} >= REPORT_COMMANDS | {"registry"}
    for leaf in leaves:
        assert run(["--lang", "zh-CN", *leaf, "--help"]) == 0, leaf  # on sdkreg itself: every command
        if leaf[0] in REPORT_COMMANDS:
            assert run([*leaf, "--lang", "zh-CN", "--help"]) == 0, leaf  # and on each report command
    capsys.readouterr()
