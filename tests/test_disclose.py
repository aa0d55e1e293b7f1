"""`sdkreg disclose` and the rows `audit` adds: the 第三方SDK清单 built from the registry, with
every default flagged, in Markdown, HTML, JSON (its schema) and a real Word table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from docx import Document

from sdkreg import schemas
from sdkreg.cli import run
from sdkreg.detection import Detection, EvidenceItem
from sdkreg.disclose import DEFAULT_METHOD, category_purposes, disclosure_rows
from sdkreg.i18n import ENGLISH
from sdkreg.messages import chinese_term
from sdkreg.registry import Registry, load_registry
from sdkreg.report import sdk_list
from tests.conftest import REGISTRY_DIR, REPO

DEMO_POLICY = REPO / "samples" / "demo-policy.txt"
COLUMNS = ["SDK名称", "第三方公司名称", "使用目的", "收集个人信息类型", "收集方式", "隐私政策链接"]


def _detected(sdk: str, *, shared_with: tuple[str, ...] = (), requires: bool = True) -> Detection:
    return Detection(sdk, None, "high", (EvidenceItem("code", f"3 classes under {sdk}", sdk, 3,
                                                      shared_with=shared_with),), requires)


def test_every_category_has_a_default_purpose() -> None:
    schema = json.loads((REGISTRY_DIR / "schema" / "sdk.schema.json").read_text(encoding="utf-8"))
    categories = set(schema["properties"]["category"]["enum"])
    purposes = category_purposes()
    assert categories <= set(purposes), f"no 使用目的 default for {sorted(categories - set(purposes))}"
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in purposes.values())


@pytest.fixture
def registry_without_a_purpose(tmp_path: Path) -> Path:
    """A private copy of the registry in which tencent-bugly has no `purpose_zh` of its own."""
    private = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, private)
    path = private / "sdks" / "tencent-bugly.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith("purpose_zh:")]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")
    return private


def test_rows_from_the_registry_flag_their_defaults(registry: Registry) -> None:
    rows = {r.sdk: r for r in disclosure_rows([_detected("tencent-bugly"), _detected("huawei-account"),
                                               _detected("alibaba-mtop")], registry)}
    bugly = rows["tencent-bugly"]
    assert (bugly.name, bugly.company) == ("腾讯Bugly", "深圳市腾讯计算机系统有限公司")
    entry = registry.entries["tencent-bugly"]
    # the entry's own purpose, not its category's default: nothing to flag
    assert entry.purpose_zh and entry.purpose_zh != category_purposes()["crash-reporting"]
    assert (bugly.purpose, bugly.purpose_source) == (entry.purpose_zh, "registry")
    terms = {t.id: t.wordings for t in registry.data_types.values()}
    # the vocabulary's Chinese terms, in the entry's order
    assert bugly.data == tuple(chinese_term(terms[t], t) for t in entry.collects)
    assert bugly.data_optional == tuple(chinese_term(terms[t], t) for t in entry.collects_optional)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in term) for term in bugly.data)
    assert bugly.method == DEFAULT_METHOD
    assert (bugly.link, bugly.link_kind) == ("https://bugly.qq.com", "website")
    assert sdk_list.row_notes(bugly) == ("website-link",)
    huawei = rows["huawei-account"]
    assert huawei.link_kind == "privacy-policy" and "website-link" not in sdk_list.row_notes(huawei)
    mtop = rows["alibaba-mtop"]  # the vendor publishes no data list: said, not guessed
    assert mtop.data == () and mtop.data_unpublished and "no-data-list" in sdk_list.row_notes(mtop)
    assert sdk_list.data_cell(mtop) == sdk_list.EMPTY


def test_bundled_components_shared_code_and_libraries(registry: Registry) -> None:
    rows = disclosure_rows([
        _detected("huawei-account"), _detected("huawei-hms-core"),  # the kit bundles HMS Core
        _detected("aliyun-push", shared_with=("umeng-push",)),
        _detected("androidx", requires=False),
    ], registry)
    assert [r.sdk for r in rows] == ["huawei-account", "aliyun-push"]
    assert rows[1].also_fits == ("umeng-push",) and "shared-code" in sdk_list.row_notes(rows[1])
    notes = sdk_list.footnotes(rows, ENGLISH)
    assert any("umeng-push" in text for text in notes.texts)


def test_every_entry_that_needs_disclosure_has_its_own_purpose(registry: Registry) -> None:
    missing = [e.id for e in registry.entries.values() if e.requires_disclosure and not e.purpose_zh]
    assert not missing, f"no purpose_zh (disclose would write the category default): {missing}"


def test_an_entry_without_a_purpose_gets_its_category_default(registry_without_a_purpose: Path) -> None:
    private = load_registry(registry_without_a_purpose, use_cache=False)
    (row,) = disclosure_rows([_detected("tencent-bugly")], private)
    assert (row.purpose, row.purpose_source) == (category_purposes()["crash-reporting"], "category-default")
    assert sdk_list.row_notes(row) == ("purpose-default", "website-link")


def test_a_purpose_in_the_registry_is_used_as_is(tmp_path: Path) -> None:
    private = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, private)
    path = private / "sdks" / "tencent-bugly.yaml"
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry["purpose_zh"] = "崩溃日志上报"
    path.write_text(yaml.safe_dump(entry, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (row,) = disclosure_rows([_detected("tencent-bugly")], load_registry(private, use_cache=False))
    assert (row.purpose, row.purpose_source) == ("崩溃日志上报", "registry")
    assert "purpose-default" not in sdk_list.row_notes(row)


def test_disclose_markdown(built_apks: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["disclose", str(built_apks["demo"])]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "## 第三方SDK清单：com.example.sdkdemo 1.2.0"
    table = [line for line in out if line.startswith("| ")]
    assert table[0] == "| " + " | ".join(COLUMNS) + " |"
    assert [row.split(" | ")[0] for row in table[1:]] == ["| 高德定位SDK", "| 腾讯Bugly", "| 小米推送"]
    purpose = load_registry(REGISTRY_DIR).entries["tencent-bugly"].purpose_zh
    assert f"| {purpose} |" in table[2] and "| https://bugly.qq.com [1] |" in table[2]
    # every demo SDK has its own purpose: no row carries the default note
    assert not any("Purpose is the default" in line for line in out)
    assert any(line.startswith("[1] The registry knows no privacy-policy page") for line in out)


def test_disclose_markdown_flags_a_category_default(
    built_apks: dict[str, Path], registry_without_a_purpose: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["disclose", str(built_apks["demo"]), "--registry", str(registry_without_a_purpose)]) == 0
    out = capsys.readouterr().out.splitlines()
    bugly = next(line for line in out if line.startswith("| 腾讯Bugly |"))
    assert f"| {category_purposes()['crash-reporting']} [1] |" in bugly
    assert "| https://bugly.qq.com [2] |" in bugly
    assert any(line.startswith("[1] Purpose is the default") for line in out)


def test_disclose_json_matches_its_schema(built_apks: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "list.json"
    assert run(["disclose", str(built_apks["demo"]), "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    schemas.validator("disclose").validate(data)
    assert data["columns"] == COLUMNS
    assert [r["sdk"] for r in data["rows"]] == ["amap-location", "tencent-bugly", "xiaomi-push"]
    bugly = data["rows"][1]
    assert bugly["columns"]["使用目的"] == load_registry(REGISTRY_DIR).entries["tencent-bugly"].purpose_zh
    assert {row["purpose_source"] for row in data["rows"]} == {"registry"}


def test_disclose_docx_is_a_word_table(
    built_apks: dict[str, Path], registry_without_a_purpose: Path, tmp_path: Path
) -> None:
    # the private registry leaves Bugly without a purpose, so the Word table shows the default flagged
    out = tmp_path / "list.docx"
    args = ["disclose", str(built_apks["demo"]), "--format", "docx", "-o", str(out), "--lang", "zh-CN",
            "--registry", str(registry_without_a_purpose)]
    assert run(args) == 0
    document = Document(str(out))
    assert document.paragraphs[0].text == "第三方SDK清单：com.example.sdkdemo 1.2.0"
    (table,) = document.tables
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == COLUMNS
    assert [row[0] for row in cells[1:]] == ["高德定位SDK", "腾讯Bugly", "小米推送"]
    (bugly,) = disclosure_rows([_detected("tencent-bugly")], load_registry(registry_without_a_purpose))
    assert cells[2][1:] == ["深圳市腾讯计算机系统有限公司", category_purposes()["crash-reporting"] + " [1]",
                            sdk_list.data_cell(bugly), "SDK自行采集", "https://bugly.qq.com [2]"]
    notes = [p.text for p in document.paragraphs if p.text.startswith("[")]
    assert notes[0].startswith("[1] 使用目的为该类 SDK 的默认写法")


def test_disclose_docx_needs_a_file(built_apks: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["disclose", str(built_apks["demo"]), "--format", "docx"]) == 2
    assert "--output" in capsys.readouterr().err


def test_disclose_html(built_apks: dict[str, Path], tmp_path: Path) -> None:
    import lxml.html

    out = tmp_path / "list.html"
    assert run(["disclose", str(built_apks["hostile-markup"]), "--format", "html", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    assert [th.text_content() for th in tree.xpath("//table[@class='sdk-list']/thead//th")] == COLUMNS
    rows = tree.xpath("//table[@class='sdk-list']/tbody/tr")
    assert [row.xpath("./td[1]")[0].text_content() for row in rows] == ["腾讯Bugly", "小米推送"]
    assert "<script" not in html


def test_audit_adds_the_rows_for_undisclosed_sdks(
    built_apks: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "audit.json"
    run(["audit", str(built_apks["demo"]), str(DEMO_POLICY), "--format", "json", "-o", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    schemas.validator("audit").validate(data)
    undisclosed = [f["sdk"] for f in data["findings"] if f["kind"] == "undisclosed"]
    assert [r["sdk"] for r in data["rows_to_add"]] == undisclosed == ["tencent-bugly"]
    finding = data["findings"][0]
    assert finding["message_id"] == "undisclosed.company_link"
    assert finding["params"] == {"sdk": "腾讯Bugly (tencent-bugly)", "confidence": "high",
                                 "company": "深圳市腾讯计算机系统有限公司", "link": "https://bugly.qq.com"}
    capsys.readouterr()
    run(["audit", str(built_apks["demo"]), str(DEMO_POLICY), "--format", "markdown"])
    markdown = capsys.readouterr().out
    assert "### Rows to add to the policy's third-party SDK list" in markdown
    assert "| 腾讯Bugly | 深圳市腾讯计算机系统有限公司 |" in markdown
