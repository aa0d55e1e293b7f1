"""The shipped registry: valid, complete for the seeds and the issue's list, entries prove themselves."""

from __future__ import annotations

import json

import pytest
import yaml

from sdkreg.cli import run
from sdkreg.curation.examples import check_examples
from sdkreg.errors import ExitCode
from sdkreg.registry import Registry
from sdkreg.registry.lint import Problem
from sdkreg.registry.load import entry_paths
from tests.conftest import REGISTRY_DIR, SEEDS

REQUIRED_PRODUCTS = (
    "xiaomi-push", "oppo-push", "vivo-push", "meizu-push", "huawei-push", "honor-push",
    "huawei-hms-core", "huawei-jos", "amap-map", "amap-location", "amap-search", "amap-navi",
    "baidu-map", "baidu-location", "baidu-push", "tencent-bugly", "tencent-tbs", "tencent-map",
    "tencent-location", "tencent-mta", "tencent-qq-connect", "tencent-xg-push", "wechat-opensdk",
    "sina-weibo-sdk", "umeng-common", "umeng-analytics", "umeng-push", "umeng-share", "easemob-im",
    "getui-push", "jpush", "alipay-sdk", "react-native",
)
ENTRY_IDS = sorted(path.stem for path in entry_paths(REGISTRY_DIR))


def test_validate_passes_on_the_shipped_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["registry", "validate"]) == ExitCode.OK, capsys.readouterr().err


def test_issue_products_and_families_exist(registry: Registry) -> None:
    missing = [sdk for sdk in REQUIRED_PRODUCTS if sdk not in registry.entries]
    assert missing == []
    for family in ("amap", "baidu-lbs", "umeng"):
        assert len(registry.family_members(family)) >= 2, family


@pytest.mark.skipif(not (SEEDS / "expected.yaml").is_file(), reason=f"no seed policies at {SEEDS}")
def test_every_seed_expected_id_resolves(registry: Registry) -> None:
    expected = yaml.safe_load((SEEDS / "expected.yaml").read_text(encoding="utf-8"))
    for items in expected.values():
        for item in items or ():
            level = item.get("level", "product")
            assert registry.level_of(item["sdk"]) == level, item


def test_common_libraries_need_no_disclosure(registry: Registry) -> None:
    libraries = [e for e in registry.entries.values() if not e.requires_disclosure]
    assert {"androidx", "okhttp"} <= {e.id for e in libraries}
    assert all(not e.collects for e in libraries)


@pytest.fixture(scope="module")
def example_problems(registry: Registry) -> list[Problem]:
    return check_examples(registry)


@pytest.mark.parametrize("sdk_id", ENTRY_IDS)
def test_entry_examples(example_problems: list[Problem], sdk_id: str) -> None:
    """Each entry's own examples, run through the real APK and policy matchers."""
    assert [p.render() for p in example_problems if p.path.stem == sdk_id] == []


def test_list_json_and_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["registry", "list", "--format", "json", "--family", "amap"]) == ExitCode.OK
    entries = json.loads(capsys.readouterr().out)
    assert {e["id"] for e in entries} >= {"amap-map", "amap-location"}
    assert all({"id", "name", "family", "category"} <= set(e) for e in entries)
    assert {e["family"] for e in entries} == {"amap"}
    assert run(["registry", "list", "--category", "push"]) == ExitCode.OK
    table = capsys.readouterr().out
    assert "xiaomi-push" in table and "amap-map" not in table


def test_show_product_family_and_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["registry", "show", "xiaomi-push", "--format", "json"]) == ExitCode.OK
    entry = json.loads(capsys.readouterr().out)
    assert entry["vendor"]["name_zh"] == "北京小米移动软件有限公司"
    assert "com.xiaomi.push" in entry["detect"]["packages"]
    assert run(["registry", "show", "umeng"]) == ExitCode.OK
    family = yaml.safe_load(capsys.readouterr().out)
    assert family["kind"] == "family" and "umeng-push" in family["members"]
    assert run(["registry", "show", "no-such-sdk"]) == ExitCode.NOT_FOUND
    assert "no-such-sdk" in capsys.readouterr().err
