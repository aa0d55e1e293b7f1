"""`sdkreg registry diff` on fixture changes of a copy of the shipped registry, across a corpus of
fixture APKs (built with smali/aapt, a broken one included) and our own policies: a change that
adds an alias, one that adds a colliding signature, one that changes a detection."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sdkreg.cli import run
from sdkreg.errors import ExitCode
from sdkreg.registry.diff import (
    APK_SUFFIXES,
    POLICY_SUFFIXES,
    RegistryDiff,
    corpus_files,
    diff_registries,
)
from tests.conftest import REGISTRY_DIR, REPO

POLICIES = REPO / "tests" / "audit" / "policies"
AUTOSIZE = """\
id: autosize
name: AndroidAutoSize
category: library
vendor: {name_zh: JessYanCoding, name_en: JessYanCoding}
aliases: []
requires_disclosure: false
detect:
  packages: [me.jessyan.autosize]
collects: []
links: {website: "https://github.com/JessYanCoding/AndroidAutoSize"}
sources: ["https://github.com/JessYanCoding/AndroidAutoSize"]
examples:
  classes: [me.jessyan.autosize.AutoSize]
  policy: [AndroidAutoSize]
"""


@pytest.fixture()
def sides(tmp_path: Path) -> tuple[Path, Path]:
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(REGISTRY_DIR, base)
    shutil.copytree(REGISTRY_DIR, head)
    return base, head


@pytest.fixture()
def corpus(tmp_path: Path, built_apks: dict[str, Path]) -> tuple[Path, Path]:
    apks, policies = tmp_path / "apks", tmp_path / "policies"
    apks.mkdir()
    for name in ("demo", "multidex", "bundles", "broken-not-zip"):
        shutil.copy(built_apks[name], apks / built_apks[name].name)
    shutil.copytree(POLICIES, policies)
    return apks, policies


def edit(root: Path, sdk: str, old: str, new: str) -> None:
    path = root / "sdks" / f"{sdk}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_diff(sides: tuple[Path, Path], corpus: tuple[Path, Path]) -> RegistryDiff:
    base, head = sides
    apks, policies = corpus
    return diff_registries(base, head, corpus_files(apks, APK_SUFFIXES),
                           corpus_files(policies, POLICY_SUFFIXES))


def test_no_change_no_diff(sides: tuple[Path, Path], corpus: tuple[Path, Path]) -> None:
    result = run_diff(sides, corpus)
    assert (result.entries, result.collisions, result.detections, result.resolutions) == ((), (), (), ())
    assert result.apks == 3 and result.policies == len(list(POLICIES.glob("*.txt")))
    assert [Path(s.path).name for s in result.skipped] == ["broken-not-zip.apk"]  # skipped, not fatal
    assert result.head_valid


def test_change_that_adds_an_alias(sides: tuple[Path, Path], corpus: tuple[Path, Path]) -> None:
    edit(sides[1], "sensorsdata", "aliases:\n", "aliases:\n- 星云分析SDK\n")
    result = run_diff(sides, corpus)
    (change,) = result.entries
    assert (change.id, change.change) == ("sensorsdata", "changed")
    assert [(f.field, f.added) for f in change.fields] == [("aliases", ("星云分析SDK",))]
    (resolution,) = result.resolutions
    assert (Path(resolution.policy).name, resolution.as_written) == ("demo-data.txt", "星云分析SDK")
    assert (resolution.before, resolution.after) == ("unresolved", "sensorsdata")
    assert result.collisions == () and result.detections == ()


def test_change_that_adds_a_colliding_signature(
    sides: tuple[Path, Path], corpus: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    edit(sides[1], "xiaomi-push", "  - com.xiaomi.push\n", "  - com.xiaomi.push\n  - com.tencent.bugly\n")
    result = run_diff(sides, corpus)
    signature = next(c for c in result.collisions if c.kind == "signature")
    assert (signature.value, signature.owners, signature.declared) == (
        "packages com.tencent.bugly", ("tencent-bugly", "xiaomi-push"), False)
    assert not result.head_valid  # lint R006: the head registry cannot ship like this
    # In the demo app, Bugly's classes now also count for Xiaomi push.
    demo = {(d.sdk, d.change) for d in result.detections if Path(d.apk).name == "demo.apk"}
    assert ("xiaomi-push", "changed") in demo
    base, head = sides
    apks, policies = corpus
    code = run(["registry", "diff", str(base), str(head), "--apks", str(apks), "--policies", str(policies)])
    out = capsys.readouterr().out
    assert code == ExitCode.REGISTRY_INVALID
    assert "packages com.tencent.bugly now claimed by tencent-bugly, xiaomi-push (NOT declared" in out


def test_declared_collision_and_nested_prefix(sides: tuple[Path, Path], corpus: tuple[Path, Path]) -> None:
    head = sides[1]
    edit(head, "xiaomi-push", "  - com.xiaomi.push\n",
         "  - com.xiaomi.push\n  - {value: com.tencent.bugly, shared_with: [tencent-bugly]}\n"
         "  - com.tencent.bugly.beta.upgrade\n")
    edit(head, "tencent-bugly", "  - com.tencent.bugly\n",
         "  - {value: com.tencent.bugly, shared_with: [xiaomi-push]}\n")
    result = run_diff(sides, corpus)
    kinds = {(c.kind, c.value, c.declared) for c in result.collisions}
    assert ("signature", "packages com.tencent.bugly", True) in kinds
    assert ("nested-prefix", "com.tencent.bugly.beta.upgrade inside com.tencent.bugly", False) in kinds
    assert result.head_valid


def test_change_that_changes_a_detection(
    sides: tuple[Path, Path], corpus: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, head = sides
    (head / "sdks" / "autosize.yaml").write_text(AUTOSIZE, encoding="utf-8")
    edit(head, "tencent-bugly", "  native_libs:\n  - libBugly.so\n", "")
    result = run_diff(sides, corpus)
    assert [(e.id, e.change) for e in result.entries] == [("autosize", "added"), ("tencent-bugly", "changed")]
    changes = {(Path(d.apk).name, d.sdk): d for d in result.detections}
    added = changes[("multidex.apk", "autosize")]
    assert (added.change, added.evidence_added) == ("added", ("code me.jessyan.autosize",))
    bugly = changes[("demo.apk", "tencent-bugly")]
    assert (bugly.change, bugly.before, bugly.after) == ("changed", "high", "medium")
    assert bugly.evidence_removed == ("native_lib libBugly.so",)
    apks, policies = corpus
    assert run(["registry", "diff", str(base), str(head), "--apks", str(apks), "--policies", str(policies),
                "--format", "json"]) == ExitCode.OK
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema_version"] == "1" and doc["corpus"]["apks"] == 3
    assert {(d["sdk"], d["change"]) for d in doc["detections"]} >= {("autosize", "added"),
                                                                     ("tencent-bugly", "changed")}
    assert doc["entries"][0]["fields"][0]["field"] == "name"


def test_missing_inputs_have_their_exit_codes(sides: tuple[Path, Path], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    base, head = sides
    assert run(["registry", "diff", str(base), str(head), "--apks", str(tmp_path / "no")]) == \
        ExitCode.INPUT_MISSING
    assert run(["registry", "diff", str(tmp_path / "nowhere"), str(head)]) == ExitCode.REGISTRY_INVALID
    assert run(["registry", "diff", str(base)]) == ExitCode.OK  # head: the bundled registry
    err = capsys.readouterr().err
    assert "Traceback" not in err
