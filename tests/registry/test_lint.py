"""Every lint rule fires, with file, line and a fix, on a registry broken in that one way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from sdkreg.cli import run
from sdkreg.errors import ExitCode, RegistryError
from sdkreg.registry import load_registry
from sdkreg.registry.lint import lint_registry
from tests.conftest import REGISTRY_DIR

FAMILIES = """\
families:
  - id: acme
    name: Acme SDKs
    vendor: {name_zh: 阿克米科技有限公司, name_en: Acme Ltd}
    aliases: [阿克米SDK, Acme]
"""

ACME_PUSH = """\
id: acme-push
name: Acme Push
name_zh: 阿克米推送
family: acme
category: push
vendor: {name_zh: 阿克米科技有限公司, name_en: Acme Ltd}
aliases: [阿克米推送SDK, AcmePush]
detect:
  packages: [com.acme.push]
  services: [com.acme.push.PushService]
collects: [imei, android-id]
links: {website: "https://push.acme.example.com"}
sources: ["https://push.acme.example.com/docs"]
examples:
  classes: [com.acme.push.PushClient]
  not_classes: [com.acmex.push.Foo]
  policy: [阿克米推送SDK]
"""

BETA_MAP = """\
id: beta-map
name: Beta Map
category: map
vendor: {name_zh: 贝塔地图有限公司, name_en: Beta Map Ltd}
aliases: [贝塔地图SDK]
detect:
  packages: [com.beta.map]
collects: [precise-location]
links: {}
sources: ["https://beta.example.com/sdk"]
examples:
  classes: [com.beta.map.MapView]
  policy: [贝塔地图SDK]
"""


def write_mini_registry(root: Path) -> Path:
    """The two-entry registry (acme-push in the acme family, beta-map) at ``root``, with the
    shipped schemas and data types; the lint, LibChecker and golden tests build on it."""
    (root / "sdks").mkdir(parents=True)
    shutil.copytree(REGISTRY_DIR / "schema", root / "schema")
    shutil.copy(REGISTRY_DIR / "data-types.yaml", root / "data-types.yaml")
    (root / "families.yaml").write_text(FAMILIES, encoding="utf-8")
    (root / "sdks" / "acme-push.yaml").write_text(ACME_PUSH, encoding="utf-8")
    (root / "sdks" / "beta-map.yaml").write_text(BETA_MAP, encoding="utf-8")
    return root


@pytest.fixture()
def mini(tmp_path: Path) -> Path:
    return write_mini_registry(tmp_path / "registry")


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / "sdks" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def codes(root: Path) -> list[tuple[str, str, int | None]]:
    return [(p.code, p.path.name, p.line) for p in lint_registry(root).problems]


def test_minimal_registry_is_clean(mini: Path) -> None:
    assert codes(mini) == []
    registry = load_registry(mini)
    assert registry.family_members("acme") == ("acme-push",)
    assert [t.id for t in registry.lookup_alias("阿克米 推送 SDK")] == ["acme-push"]


def test_r001_yaml_syntax(mini: Path) -> None:
    edit(mini, "beta-map.yaml", "category: map", "category: [map")
    assert codes(mini)[0][:2] == ("R001", "beta-map.yaml")


def test_r002_schema_names_the_line(mini: Path) -> None:
    edit(mini, "beta-map.yaml", "category: map", "category: maps")
    problems = lint_registry(mini).problems
    assert [(p.code, p.line) for p in problems] == [("R002", 3)]
    assert "category" in problems[0].message and "schema" in problems[0].fix


def test_r002_missing_detect_signatures(mini: Path) -> None:
    edit(mini, "beta-map.yaml", "  packages: [com.beta.map]", "  domains: [beta.example.com]")
    assert ("R002", "beta-map.yaml", 6) in codes(mini)  # the `detect:` line


def test_r003_id_differs_from_file_name(mini: Path) -> None:
    (mini / "sdks" / "beta-map.yaml").rename(mini / "sdks" / "beta-maps.yaml")
    assert codes(mini) == [("R003", "beta-maps.yaml", 1)]


def test_r004_family_id_reused_by_entry(mini: Path) -> None:
    text = (mini / "sdks" / "beta-map.yaml").read_text(encoding="utf-8")
    (mini / "sdks" / "acme.yaml").write_text(
        text.replace("id: beta-map", "id: acme").replace("贝塔地图SDK", "贝塔另一个SDK")
        .replace("com.beta.map", "com.beta.other"),
        encoding="utf-8",
    )
    assert ("R004", "families.yaml", 2) in codes(mini)


def test_r005_alias_collision_after_normalisation(mini: Path) -> None:
    # Full-width letters, spaces and the SDK suffix do not make a different name.
    edit(mini, "beta-map.yaml", "aliases: [贝塔地图SDK]", "aliases: [贝塔地图SDK, ａｃｍｅ push sdk]")
    found = lint_registry(mini).problems
    assert {(p.code, p.path.name) for p in found} == {
        ("R005", "beta-map.yaml"),
        ("R005", "acme-push.yaml"),
    }
    assert all("acmepush" in p.message for p in found)


def test_r006_package_prefix_claimed_twice(mini: Path) -> None:
    edit(mini, "beta-map.yaml", "packages: [com.beta.map]", "packages: [com.beta.map, com.acme.push]")
    problems = lint_registry(mini).problems
    assert {(p.code, p.path.name) for p in problems} == {
        ("R006", "beta-map.yaml"),
        ("R006", "acme-push.yaml"),
    }
    assert "shared_with" in problems[0].fix


def test_r006_declared_overlap_is_accepted(mini: Path) -> None:
    edit(mini, "beta-map.yaml", "packages: [com.beta.map]",
         "packages: [com.beta.map, {value: com.acme.push, shared_with: [acme-push]}]")
    assert [c[0] for c in codes(mini)] == ["R006"]  # only the undeclared side
    edit(mini, "acme-push.yaml", "packages: [com.acme.push]",
         "packages: [{value: com.acme.push, shared_with: [beta-map]}]")
    assert codes(mini) == []


def test_r007_unknown_family(mini: Path) -> None:
    edit(mini, "acme-push.yaml", "family: acme", "family: acmee")
    found = codes(mini)
    assert ("R007", "acme-push.yaml", 4) in found
    assert ("R007", "families.yaml", 2) in found  # acme has no members any more


def test_r008_unknown_data_type(mini: Path) -> None:
    edit(mini, "acme-push.yaml", "collects: [imei, android-id]", "collects: [imei, android_id2]")
    assert ("R002", "acme-push.yaml", 11) in codes(mini)  # not even an id: the schema says so
    edit(mini, "acme-push.yaml", "android_id2", "androidid")
    assert codes(mini) == [("R008", "acme-push.yaml", 11)]


def test_r009_malformed_url(mini: Path) -> None:
    edit(mini, "beta-map.yaml", '"https://beta.example.com/sdk"', '"beta.example.com/sdk"')
    assert codes(mini) == [("R009", "beta-map.yaml", 10)]


def test_r010_unknown_via_reference(mini: Path) -> None:
    edit(mini, "acme-push.yaml", "services: [com.acme.push.PushService]",
         "services: [{value: com.acme.push.PushService, via: nobody-push}]")
    assert codes(mini) == [("R010", "acme-push.yaml", 10)]


def test_r011_too_broad_prefix(mini: Path) -> None:
    edit(mini, "beta-map.yaml", "packages: [com.beta.map]", "packages: [com.beta.map, beta]")
    assert codes(mini) == [("R011", "beta-map.yaml", 7)]


def test_load_registry_refuses_an_invalid_one(mini: Path) -> None:
    edit(mini, "beta-map.yaml", "category: map", "category: maps")
    with pytest.raises(RegistryError, match=r"beta-map.yaml:3: R002"):
        load_registry(mini)


def test_validate_command_exit_codes(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["registry", "validate", str(mini)]) == ExitCode.OK
    edit(mini, "beta-map.yaml", "category: map", "category: maps")
    assert run(["registry", "validate", str(mini)]) == ExitCode.REGISTRY_INVALID
    err = capsys.readouterr().err
    assert "registry/sdks/beta-map.yaml:3: R002" in err and "fix:" in err


def test_r012_examples_run_through_real_matchers(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini, "acme-push.yaml", "not_classes: [com.acmex.push.Foo]",
         "not_classes: [com.acme.push.internal.Foo]")
    assert run(["registry", "validate", str(mini)]) == ExitCode.REGISTRY_INVALID
    assert "R012 lookalike 'com.acme.push.internal.Foo'" in capsys.readouterr().err


def test_yaml_data_is_plain(mini: Path) -> None:
    data = yaml.safe_load((mini / "sdks" / "acme-push.yaml").read_text(encoding="utf-8"))
    assert data["id"] == "acme-push"


def test_one_part_roots_only_for_libraries(mini: Path) -> None:
    edit(mini, "beta-map.yaml", "packages: [com.beta.map]", "packages: [betamap]")
    assert codes(mini) == [("R011", "beta-map.yaml", 7)]
    edit(mini, "beta-map.yaml", "category: map", "category: library\nrequires_disclosure: false")
    assert codes(mini) == []


def test_cache_is_keyed_by_content(mini: Path) -> None:
    first = load_registry(mini)
    assert load_registry(mini) == first  # served from the cache
    edit(mini, "beta-map.yaml", "category: map", "category: maps")
    with pytest.raises(RegistryError):
        load_registry(mini)  # a changed registry is checked again, never served stale
    edit(mini, "beta-map.yaml", "category: maps", "category: location")
    changed = load_registry(mini)
    assert changed.version != first.version
    assert changed.entries["beta-map"].category == "location"


def test_r013_bundles_unknown_self_and_cycle(mini: Path) -> None:
    edit(mini, "acme-push.yaml", "detect:", "bundles: [nowhere-sdk]\ndetect:")
    assert codes(mini) == [("R013", "acme-push.yaml", 8)]
    edit(mini, "acme-push.yaml", "bundles: [nowhere-sdk]", "bundles: [beta-map]")
    assert codes(mini) == []
    edit(mini, "beta-map.yaml", "detect:", "bundles: [acme-push]\ndetect:")
    cycle = [p for p in lint_registry(mini).problems if p.code == "R013"]
    assert {p.path.name for p in cycle} == {"acme-push.yaml", "beta-map.yaml"}
    assert all("cycle" in p.message for p in cycle)


def test_r014_data_source_must_be_a_source_and_types_listed_once(mini: Path) -> None:
    edit(mini, "acme-push.yaml", "collects: [imei, android-id]",
         "collects: [imei, android-id]\ncollects_optional: [imei]\n"
         "collects_source: https://elsewhere.example.com/privacy")
    found = sorted(p.message.split(" ")[0] for p in lint_registry(mini).problems if p.code == "R014")
    assert found == ["collects_source", "data"]


def test_unpublished_reason_excludes_a_data_list(mini: Path) -> None:
    edit(mini, "acme-push.yaml", "collects: [imei, android-id]",
         "collects: [imei]\ncollects_unpublished: the vendor site has no data list")
    # (the entry fails its schema, so its family has no loaded member: R007 follows)
    assert ("R002", "acme-push.yaml") in [c[:2] for c in codes(mini)]
    edit(mini, "acme-push.yaml", "collects: [imei]", "collects: []")
    assert codes(mini) == []


def test_w001_w002_warn_about_silent_data_lists(mini: Path) -> None:
    result = lint_registry(mini)
    assert result.problems == ()
    # acme-push has a data list without its source page: W002; beta-map too.
    assert sorted((w.code, w.path.name) for w in result.warnings) == [
        ("W002", "acme-push.yaml"), ("W002", "beta-map.yaml")
    ]
    edit(mini, "beta-map.yaml", "collects: [precise-location]", "collects: []")
    assert ("W001", "beta-map.yaml") in {(w.code, w.path.name) for w in lint_registry(mini).warnings}
    edit(mini, "beta-map.yaml", "collects: []",
         "collects: []\ncollects_unpublished: no data list on beta.example.com (checked 2026-12)")
    edit(mini, "acme-push.yaml", 'sources: ["https://push.acme.example.com/docs"]',
         'sources: ["https://push.acme.example.com/docs"]\ncollects_source: https://push.acme.example.com/docs')
    assert lint_registry(mini).warnings == ()
    # warnings never stop a registry from loading
    assert load_registry(mini, use_cache=False).entries["beta-map"].collects_unpublished


def test_w003_an_alias_that_is_a_makers_bare_name(mini: Path) -> None:
    # Beta's maker makes two SDKs: "贝塔信息科技有限公司" is "贝塔" without its legal form, and an
    # alias normalising to it ("贝塔插件服务") would take every policy naming the company.
    maker = "vendor: {name_zh: 贝塔信息科技有限公司"
    edit(mini, "beta-map.yaml", "vendor: {name_zh: 贝塔地图有限公司", maker)
    (mini / "sdks" / "beta-nav.yaml").write_text(
        (mini / "sdks" / "beta-map.yaml").read_text(encoding="utf-8")
        .replace("beta-map", "beta-nav").replace("Beta Map", "Beta Nav").replace("贝塔地图SDK", "贝塔导航SDK")
        .replace("com.beta.map", "com.beta.nav").replace("category: map", "category: navigation"),
        encoding="utf-8",
    )
    assert not [w for w in lint_registry(mini).warnings if w.code == "W003"]
    edit(mini, "beta-map.yaml", "aliases: [贝塔地图SDK]", "aliases: [贝塔地图SDK, 贝塔插件服务]")
    result = lint_registry(mini)
    assert result.problems == ()
    (warning,) = [w for w in result.warnings if w.code == "W003"]
    assert (warning.path.name, warning.line) == ("beta-map.yaml", 5)
    assert "'贝塔插件服务'" in warning.message and "beta-nav" in warning.message
    # warnings never stop a registry from loading
    assert load_registry(mini, use_cache=False).lookup_alias("贝塔插件服务")


def test_r012_native_lib_and_meta_data_examples(mini: Path) -> None:
    edit(mini, "acme-push.yaml", "  services: [com.acme.push.PushService]",
         "  services: [com.acme.push.PushService]\n  native_libs: [libacmepush.so]\n"
         "  meta_data: [ACME_PUSH_KEY]")
    edit(mini, "acme-push.yaml", "  classes: [com.acme.push.PushClient]",
         "  classes: [com.acme.push.PushClient]\n  native_libs: [libacmepush.so, libother.so]\n"
         "  meta_data: [ACME_PUSH_KEY, OTHER_KEY]")
    assert run(["registry", "validate", str(mini)]) == ExitCode.REGISTRY_INVALID
    from sdkreg.curation.examples import check_examples

    failing = [p.message for p in check_examples(load_registry(mini, use_cache=False))]
    assert len(failing) == 2
    assert any("libother.so" in m for m in failing) and any("OTHER_KEY" in m for m in failing)


def test_native_library_only_entry_and_sourced_empty_data_list(mini: Path) -> None:
    # Many SDKs ship only a .so (LibChecker knows them by library name alone).
    edit(mini, "beta-map.yaml", "  packages: [com.beta.map]", "  native_libs: [libbetamap*.so]")
    edit(mini, "beta-map.yaml", "  classes: [com.beta.map.MapView]", "  native_libs: [libbetamap_v2.so]")
    # The vendor's page says the SDK collects nothing: an empty list with its source.
    edit(mini, "beta-map.yaml", "collects: [precise-location]",
         "collects: []\ncollects_source: https://beta.example.com/sdk")
    result = lint_registry(mini)
    assert result.problems == ()
    assert "beta-map" not in {w.path.stem for w in result.warnings}
    assert run(["registry", "validate", str(mini)]) == ExitCode.OK
