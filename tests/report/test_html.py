"""The HTML report: one self-contained page, markup from untrusted inputs shown as text, and
checked in a real browser (headless Chromium) — the findings are in the rendered DOM and the
screenshot is a page, not a blank."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from PIL import Image, ImageStat

from sdkreg.cli import run
from tests.report.browser import dump_dom, screenshot

HERE = Path(__file__).resolve().parent
HOSTILE_POLICY = HERE / "hostile-policy.txt"
DEMO_POLICY = HERE.parents[1] / "samples" / "demo-policy.txt"
ERROR_RED = (0xB3, 0x26, 0x1E)  # --error in base.html.j2: the FAIL badge and error labels


def _audit(tmp_path: Path, apk: Path, policy: Path, *args: str, name: str = "report") -> tuple[Path, dict]:
    page = tmp_path / f"{name}.html"
    assert run(["audit", str(apk), str(policy), "--format", "html", "--output", str(page), *args]) == 1
    data = tmp_path / f"{name}.json"
    run(["audit", str(apk), str(policy), "--format", "json", "--output", str(data)])
    return page, json.loads(data.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile(built_apks: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    return _audit(tmp_path_factory.mktemp("hostile"), built_apks["hostile-markup"], HOSTILE_POLICY)


def test_markup_from_the_apk_and_the_policy_is_text(hostile: tuple[Path, dict]) -> None:
    page, data = hostile
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(&#39;version&#39;)&lt;/script&gt;" in html  # the APK's version name
    for written in ("alert(&#39;purpose&#39;)", "alert(&#39;company&#39;)", "alert(&#39;data&#39;)",
                    "alert(&#39;unregistered&#39;)"):
        assert written in html  # the policy's fields, quoted as written
    # a link is made only of an http(s) URL: the policy's javascript: link stays text
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert "javascript:alert(&#39;link&#39;)" in html
    assert {f["kind"] for f in data["findings"]} >= {"undisclosed", "unregistered_disclosure"}


def test_the_page_is_self_contained(hostile: tuple[Path, dict]) -> None:
    html = hostile[0].read_text(encoding="utf-8")
    tree = lxml.html.fromstring(html)
    assert not tree.xpath("//script | //link | //img | //iframe | //object | //embed | //@src")
    assert "url(" not in html and "@import" not in html and "@font-face" not in html
    policy = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert policy == ["default-src 'none'; style-src 'unsafe-inline'"]


def test_findings_first_filterable_by_severity(hostile: tuple[Path, dict]) -> None:
    page, data = hostile
    tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    sections = [s.get("id") for s in tree.xpath("//section")]
    assert sections[0] == "findings" and "rows-to-add" in sections and "sdks" in sections
    rows = tree.xpath("//section[@id='findings']//tr[contains(@class, 'finding')]")
    assert [r.get("data-kind") for r in rows] == [f["kind"] for f in data["findings"]]
    for row, finding in zip(rows, data["findings"], strict=True):
        assert f"sev-row-{finding['severity']}" in row.get("class")
    # The filter is CSS only: a checkbox per severity, placed before the table it filters.
    boxes = tree.xpath("//section[@id='findings']/input[@type='checkbox']/@id")
    assert boxes == ["show-error", "show-warning", "show-info"]
    assert tree.xpath("//section[@id='findings']/input[@id='show-info']/following-sibling::table")


def test_every_sdk_side_by_side(tmp_path: Path, built_apks: dict[str, Path]) -> None:
    page, data = _audit(tmp_path, built_apks["demo"], DEMO_POLICY)
    tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    rows = {r.get("data-sdk"): r for r in tree.xpath("//section[@id='sdks']//tr[@class='sdk']")}
    assert set(rows) == {"amap-location", "tencent-bugly", "xiaomi-push", "umeng-analytics"}
    amap = rows["amap-location"].text_content()
    assert "yes" in amap and "high confidence" in amap and "com.amap.api.location" in amap
    assert "北京高德图强科技有限公司" in amap and "签到时获取当前位置" in amap  # the policy's own fields
    assert "line 23" in amap and "disclosed" in amap
    quote = rows["amap-location"].xpath(".//blockquote")[0].text_content()
    assert quote.startswith("高德定位SDK\n使用目的：签到时获取当前位置")  # the policy's lines, quoted
    assert "undisclosed" in rows["tencent-bugly"].text_content()
    assert "over-disclosed" in rows["umeng-analytics"].text_content()
    to_add = tree.xpath("//section[@id='rows-to-add']//table[@class='sdk-list']/tbody/tr")
    assert [r.xpath("./td[1]")[0].text_content() for r in to_add] == ["腾讯Bugly"]
    assert len(data["rows_to_add"]) == 1


def test_chinese_page(tmp_path: Path, built_apks: dict[str, Path]) -> None:
    page, _ = _audit(tmp_path, built_apks["demo"], DEMO_POLICY, "--lang", "zh-CN")
    tree = lxml.html.fromstring(page.read_text(encoding="utf-8"))
    assert tree.get("lang") == "zh-CN"
    assert tree.xpath("//section[@id='findings']/h2")[0].text_content().startswith("问题")
    assert "未披露" in tree.xpath("//tr[@data-kind='undisclosed']")[0].text_content()


def test_scan_page(tmp_path: Path, built_apks: dict[str, Path]) -> None:
    page = tmp_path / "scan.html"
    assert run(["scan", str(built_apks["hostile-markup"]), "--format", "html", "-o", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(&#39;version&#39;)" in html
    tree = lxml.html.fromstring(html)
    assert sorted(tree.xpath("//tr[@class='sdk']/@data-sdk")) == ["tencent-bugly", "xiaomi-push"]


# --- in a real browser -------------------------------------------------------------------------


def test_browser_renders_the_findings(hostile: tuple[Path, dict], tmp_path: Path) -> None:
    page, data = hostile
    dom = lxml.html.fromstring(dump_dom(page))
    # the browser built the page from our markup: no script element, the version name as text
    assert not dom.xpath("//script")
    assert "<script>alert('version')</script>" in dom.xpath("//h1")[0].text_content()
    shown = [(row.get("data-kind"), row.xpath(".//td[@class='message']")[0].text_content().strip())
             for row in dom.xpath("//tr[contains(@class, 'finding')]")]
    assert shown == [(f["kind"], f["message"]) for f in data["findings"]]
    assert dom.xpath("//*[@id='verdict']")[0].text_content() == "FAIL"


def test_browser_screenshot_is_a_page(hostile: tuple[Path, dict], tmp_path: Path) -> None:
    png = screenshot(hostile[0], tmp_path / "report.png", 1280, 1000)
    with Image.open(png) as image:
        rgb = image.convert("RGB")
        assert rgb.size == (1280, 1000)
        spread = ImageStat.Stat(rgb.convert("L")).stddev[0]
        assert spread > 20, f"a near-uniform screenshot (grey-level stddev {spread:.1f})"
        colours = rgb.getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50  # text, badges and tables, not a blank or an error page
        red = sum(n for n, c in colours if all(abs(a - b) <= 12 for a, b in zip(c, ERROR_RED, strict=True)))
        assert red > 200, "the FAIL badge and the error label are painted"
