"""Real fixture APKs (built with smali/aapt) against policies we wrote: every finding kind is
produced exactly where expected and nowhere else, through the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sdkreg import schemas
from sdkreg.cli import run
from sdkreg.errors import ExitCode
from tests.conftest import REPO

POLICIES = Path(__file__).resolve().parent / "policies"
DEMO_POLICY = REPO / "samples" / "demo-policy.txt"

# (apk fixture, policy, expected {(kind, sdk or subject)}, exit code with the default --fail-on)
CASES = [
    ("demo", DEMO_POLICY,
     {("undisclosed", "tencent-bugly"), ("over_disclosed", "umeng-analytics")}, ExitCode.FINDINGS),
    ("demo", POLICIES / "demo-family.txt", {("family_only", "amap")}, ExitCode.OK),
    ("demo", POLICIES / "demo-sparse.txt",
     {("incomplete_disclosure", "xiaomi-push"), ("incomplete_disclosure", "tencent-bugly"),
      ("incomplete_disclosure", "amap-location")}, ExitCode.OK),
    ("demo", POLICIES / "demo-data.txt",
     {("data_under_disclosed", "xiaomi-push"), ("unregistered_disclosure", "星云分析SDK")}, ExitCode.OK),
    # Every vendor-documented item listed, in the policy's own words: nothing to report.
    ("demo", POLICIES / "demo-own-words.txt", set(), ExitCode.OK),
    # Bugly's only optional item (the device model the app may hand it) is omitted: info.
    ("demo", POLICIES / "demo-optional.txt", {("data_under_disclosed", "tencent-bugly")}, ExitCode.OK),
    ("packed-jiagu", POLICIES / "packed.txt",
     {("packed_app", "jiagu-360"), ("over_disclosed", "tencent-bugly")}, ExitCode.OK),
    ("multidex", POLICIES / "packed.txt",
     {("unrecognised_code", "me.jessyan.autosize")}, ExitCode.OK),
]


def audit_json(apk: Path, policy: Path, *extra: str) -> tuple[int, dict[str, object]]:
    out = apk.parent / f"{apk.stem}-{policy.stem}-report.json"
    code = run(["audit", str(apk), str(policy), "--format", "json", "--output", str(out), *extra])
    report = json.loads(out.read_text(encoding="utf-8"))
    schemas.validator("audit").validate(report)  # every real report honours the contract
    return code, report


@pytest.mark.parametrize(("apk", "policy", "expected", "exit_code"), CASES,
                         ids=[f"{a}+{p.stem}" for a, p, _, _ in CASES])
def test_findings_exactly_where_expected(built_apks: dict[str, Path], apk: str, policy: Path,
                                         expected: set[tuple[str, str]], exit_code: int) -> None:
    code, report = audit_json(built_apks[apk], policy)
    findings = report["findings"]
    assert isinstance(findings, list)
    got = {(f["kind"], f["sdk"] or f["subject"]) for f in findings}
    assert got == expected
    assert code == exit_code


def test_every_finding_kind_is_covered_by_the_cases() -> None:
    from sdkreg.audit import FINDING_KINDS

    assert {kind for _, _, expected, _ in CASES for kind, _ in expected} == set(FINDING_KINDS)


def test_data_findings_are_warning_for_mandatory_and_info_for_optional(
    built_apks: dict[str, Path],
) -> None:
    under = {}
    for name in ("demo-data.txt", "demo-optional.txt"):
        _, report = audit_json(built_apks["demo"], POLICIES / name)
        under[name] = [(f["severity"], f["subject"], tuple(f["missing"]))  # type: ignore[index]
                       for f in report["findings"]  # type: ignore[union-attr]
                       if f["kind"] == "data_under_disclosed"]  # type: ignore[index]
    # demo-data lists only 应用信息 and 设备型号 for Xiaomi push: its identifiers are missing.
    assert under["demo-data.txt"] == [
        ("warning", "xiaomi-push", ("advertising-id", "android-id", "oaid"))]
    assert under["demo-optional.txt"] == [("info", "tencent-bugly#optional", ("device-info",))]


def test_packed_app_downgrades_absence(built_apks: dict[str, Path]) -> None:
    _, report = audit_json(built_apks["packed-jiagu"], POLICIES / "packed.txt")
    over = [f for f in report["findings"] if f["kind"] == "over_disclosed"]  # type: ignore[union-attr]
    assert over and over[0]["severity"] == "info" and "360" in over[0]["message"]


def test_fail_on_warning_and_never(built_apks: dict[str, Path]) -> None:
    apk, policy = built_apks["demo"], POLICIES / "demo-data.txt"
    assert audit_json(apk, policy, "--fail-on", "warning")[0] == ExitCode.FINDINGS
    assert audit_json(apk, policy, "--fail-on", "info")[0] == ExitCode.FINDINGS
    assert audit_json(built_apks["demo"], DEMO_POLICY, "--fail-on", "never")[0] == ExitCode.OK


def test_baseline_only_new_findings_fail(built_apks: dict[str, Path], tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    demo = built_apks["demo"]
    assert run(["audit", str(demo), str(DEMO_POLICY), "--write-baseline", str(baseline),
                "--format", "json", "--output", str(tmp_path / "r.json")]) == ExitCode.OK
    code, report = audit_json(demo, DEMO_POLICY, "--baseline", str(baseline))
    assert code == ExitCode.OK and report["findings"] == []
    assert {s["reason"] for s in report["suppressed"]} == {"baseline"}  # type: ignore[union-attr]
    # a policy that drops xiaomi push: a new undisclosed finding fails despite the baseline
    trimmed = tmp_path / "policy.txt"
    text = DEMO_POLICY.read_text(encoding="utf-8")
    trimmed.write_text(text.replace("小米推送SDK", "某推送").replace("北京小米移动软件有限公司", "某公司"),
                       encoding="utf-8")
    code, report = audit_json(demo, trimmed, "--baseline", str(baseline))
    assert code == ExitCode.FINDINGS
    assert ("undisclosed", "xiaomi-push") in {(f["kind"], f["sdk"]) for f in report["findings"]}  # type: ignore[union-attr]


def test_waiver_from_config_file(built_apks: dict[str, Path], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "sdkreg.toml"
    config.write_text('[[ignore]]\nsdk = "tencent-bugly"\nreason = "debug flavour only"\n'
                      'expires = 2999-12-31\n', encoding="utf-8")
    code, report = audit_json(built_apks["demo"], DEMO_POLICY, "--config", str(config))
    assert code == ExitCode.OK
    assert [(s["sdk"], s["reason"]) for s in report["suppressed"]] == [  # type: ignore[union-attr]
        ("tencent-bugly", "debug flavour only")]
    expired = tmp_path / "expired.toml"
    expired.write_text('[[ignore]]\nsdk = "tencent-bugly"\nreason = "r"\nexpires = 2020-01-01\n',
                       encoding="utf-8")
    code, report = audit_json(built_apks["demo"], DEMO_POLICY, "--config", str(expired))
    assert code == ExitCode.FINDINGS and report["waivers"]["expired"]  # type: ignore[index]


def test_private_registry_and_history(built_apks: dict[str, Path], tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'history.db'}"
    demo = str(built_apks["demo"])
    assert run(["audit", demo, str(DEMO_POLICY), "--db", db, "--format", "markdown",
                "--output", str(tmp_path / "r.md")]) == ExitCode.FINDINGS
    capsys.readouterr()
    assert run(["diff", "com.example.sdkdemo", "--db", db]) == ExitCode.NOT_FOUND
    assert "needs two" in capsys.readouterr().err
    assert run(["audit", demo, str(POLICIES / "demo-family.txt"), "--record", "--db", db]) == ExitCode.OK
    capsys.readouterr()
    assert run(["history", "com.example.sdkdemo", "--db", db]) == ExitCode.OK
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 3 and "1.2.0" in rows[1] and "FAIL" in rows[1] and "pass" in rows[2]
    assert run(["diff", "com.example.sdkdemo", "--db", db]) == ExitCode.OK
    assert "no SDKs added or removed" in capsys.readouterr().out
    assert run(["audit", demo, str(DEMO_POLICY), "--registry", str(REPO / "registry"),
                "-o", str(tmp_path / "r3.txt")]) == ExitCode.FINDINGS


def test_private_registry_additions(built_apks: dict[str, Path], tmp_path: Path) -> None:
    """A company's own entry turns unrecognised code into a detected, undisclosed SDK."""
    private = tmp_path / "registry"
    shutil.copytree(REPO / "registry", private)
    (private / "sdks" / "jessyan-autosize.yaml").write_text(
        """\
id: jessyan-autosize
name: AndroidAutoSize
category: other
vendor: {name_zh: 示例公司, name_en: Example Co}
aliases: [屏幕适配SDK]
detect:
  packages: [me.jessyan.autosize]
collects: [device-info]
links: {}
sources: ["https://github.com/JessYanCoding/AndroidAutoSize"]
examples:
  classes: [me.jessyan.autosize.AutoSize]
  policy: [屏幕适配SDK]
""",
        encoding="utf-8",
    )
    multidex = built_apks["multidex"]
    _, shipped = audit_json(multidex, POLICIES / "packed.txt")
    code, report = audit_json(multidex, POLICIES / "packed.txt", "--registry", str(private))
    kinds = {(f["kind"], f["sdk"] or f["subject"]) for f in report["findings"]}  # type: ignore[union-attr]
    assert ("unrecognised_code", "me.jessyan.autosize") in {
        (f["kind"], f["subject"]) for f in shipped["findings"]}  # type: ignore[union-attr]
    assert ("undisclosed", "jessyan-autosize") in kinds
    assert ("unrecognised_code", "me.jessyan.autosize") not in kinds
    assert code == ExitCode.FINDINGS
    assert report["registry"]["entries"] == shipped["registry"]["entries"] + 1  # type: ignore[index]


def test_sarif_cites_the_html_policys_own_lines(built_apks: dict[str, Path], tmp_path: Path) -> None:
    """An HTML policy's findings point at the line of the SDK's cell in the file, not at a line
    of the flattened text."""
    rows = [
        ("小米推送SDK", "北京小米移动软件有限公司", "推送消息"),
        ("高德定位SDK", "北京高德图强科技有限公司", "签到定位"),
        ("友盟统计SDK", "友盟同欣(北京)科技有限公司", "统计"),
    ]
    html = (
        "<html><body>\n<h2>第三方SDK清单</h2>\n<table>\n"
        "<tr><th>SDK名称</th><th>合作方主体</th><th>使用目的</th></tr>\n"
        + "".join(f"<tr>\n  <td>{n}</td>\n  <td>{c}</td>\n  <td>{a}</td>\n</tr>\n" for n, c, a in rows)
        + "</table>\n</body></html>\n"
    )
    policy = tmp_path / "policy.html"
    policy.write_text(html, encoding="utf-8")
    out = tmp_path / "report.sarif"
    run(["audit", str(built_apks["demo"]), str(policy), "--format", "sarif", "--output", str(out)])
    results = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["results"]
    over = next(r for r in results if r["ruleId"] == "over_disclosed")
    (location,) = over["locations"]
    line = location["physicalLocation"]["region"]["startLine"]
    assert html.splitlines()[line - 1].strip() == "<td>友盟统计SDK</td>"
