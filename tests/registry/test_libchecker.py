"""The LibChecker importer and the coverage report, on a tiny LibChecker-shaped tree written here
(JSON rule files + a rules.db built with sqlite3), never on the real snapshot."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from sdkreg.cli import run
from sdkreg.curation.coverage import Exclusions, measure, read_exclusions
from sdkreg.curation.drafts import package_prefixes, suggest_id
from sdkreg.errors import ExitCode
from sdkreg.registry import load_registry
from sdkreg.registry.libchecker import build_index, load_map, read_checkout, snapshot_of
from sdkreg.registry.lint import lint_registry
from sdkreg.registry.reference import ReferenceIndex, read_index, write_index
from tests.conftest import REGISTRY_DIR
from tests.registry.test_lint import write_mini_registry

MAP = """\
vendors:
  - {id: acme, name: Acme 阿克米, teams: [Acme, ACME Inc]}
  - {id: beta, name: Beta 贝塔, teams: [Beta]}
  - {id: gamma, name: Gamma 伽马, teams: [Gamma]}
labels:
  Gamma Tracker SDK: Gamma Tracker
relabel:
  activities-libs/com.beta.map.NaviActivity.json: Beta Map SDK
products:
  Beta Map SDK: {category: map}
library_categories: [library]
default_category: other
categories:
  - {match: "推送|push", category: push}
  - {match: "track|统计", category: analytics}
"""

# (path, JSON text): a LibChecker checkout in miniature.
RULE_FILES = {
    "native-libs/libacmepush.so.json": {"label": "Acme Push", "team": "Acme"},
    "native-libs/regex/regex_acme_core.json": {"label": "Acme Push", "team": "Acme"},
    "services-libs/com.acme.push.PushService.json": {"label": "Acme  Push", "team": "ACME Inc"},
    "activities-libs/com.beta.map.MapActivity.json": {"label": "Beta Map SDK", "team": "Beta",
                                                      "relativeUrl": "https://beta.example.com/sdk"},
    # LibChecker filed this one under the wrong product: relabel moves it to Beta Map SDK.
    "activities-libs/com.beta.map.NaviActivity.json": {"label": "Gamma Tracker", "team": "Gamma"},
    "receivers-libs/com.gamma.tracker.push.TrackReceiver.json": {"label": "Gamma Tracker",
                                                                 "team": "Gamma"},
    "services-libs/com.gamma.tracker.core.TrackService.json": {"label": "Gamma Tracker",
                                                               "team": "Gamma"},
    "native-libs/libforeign.so.json": {"label": "Foreign Kit", "team": "Foreign Inc"},
}
EMPTY_FILE = "providers-libs/com.gamma.tracker.InitProvider.json"  # label from rules.db
BROKEN_FILE = "native-libs/libbroken.so.json"
DB_ROWS = [
    # name, label, type, iconIndex, isRegexRule, regexName
    ("libacmepush.so", "Acme Push", 0, 1, 0, None),
    (r"libacmecore(.*)\.so", "Acme Push", 0, 1, 1, "regex_acme_core"),
    ("com.gamma.tracker.InitProvider", "Gamma Tracker SDK", 4, 3, 0, None),
    ("com.gamma.tracker", "Gamma Tracker", 5, 3, 0, None),  # a DEX rule: no JSON file
    ("com.acme.push", "Acme Push", 5, 1, 0, None),
    ("com.betalegacy.core", "Beta Legacy", 5, 2, 0, None),  # team only from the icon
]


def write_checkout(root: Path) -> Path:
    for rel, data in RULE_FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (root / EMPTY_FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / EMPTY_FILE).write_text("", encoding="utf-8")
    (root / BROKEN_FILE).write_text("{not json", encoding="utf-8")
    db = root / "cloud" / "rules" / "v3" / "rules.db"
    db.parent.mkdir(parents=True)
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE rules_table(_id INTEGER PRIMARY KEY, name TEXT NOT NULL, label TEXT NOT NULL,"
            " type INTEGER NOT NULL, iconIndex INTEGER NOT NULL, isRegexRule INTEGER NOT NULL,"
            " regexName TEXT)"
        )
        connection.executemany(
            "INSERT INTO rules_table(name, label, type, iconIndex, isRegexRule, regexName) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [*DB_ROWS, ("com.beta.map.MapActivity", "Beta Map SDK", 2, 2, 0, None)],
        )
    connection.close()
    return root


def fixture_index(checkout: Path, registry_root: Path) -> ReferenceIndex:
    return build_index(read_checkout(checkout),
                       load_map(registry_root / "reference" / "libchecker-map.yaml"), "abc123")


@pytest.fixture()
def checkout(tmp_path: Path) -> Path:
    return write_checkout(tmp_path / "LibChecker-Rules")


@pytest.fixture()
def mini_registry(tmp_path: Path) -> Path:
    """The two-entry registry of the lint tests, with this test's map beside it."""
    root = write_mini_registry(tmp_path / "registry")
    (root / "reference").mkdir()
    (root / "reference" / "libchecker-map.yaml").write_text(MAP, encoding="utf-8")
    return root


def test_checkout_rules_labels_and_teams(checkout: Path) -> None:
    found = read_checkout(checkout)
    by_path = {lc.rule.path: lc for lc in found.rules}
    assert by_path["native-libs/regex/regex_acme_core.json"].rule.names == (r"libacmecore(.*)\.so",)
    assert by_path["native-libs/regex/regex_acme_core.json"].rule.regex
    # an empty rule file takes its label from rules.db and its team from the label's other rules
    assert by_path[EMPTY_FILE].label == "Gamma Tracker SDK"
    # database rows without a JSON file are rules too; a row whose file exists is not twice
    dex = by_path["rules.db#dex:com.gamma.tracker"]
    assert (dex.rule.kind, dex.label, dex.team) == ("dex", "Gamma Tracker", "Gamma")
    assert dex.rule.url.endswith("/blob/master/cloud/rules/v3/rules.db")
    assert "rules.db#native-libs:libacmepush.so" not in by_path
    assert by_path["rules.db#dex:com.betalegacy.core"].team == "Beta"  # the icon's owner
    assert [w for w in found.warnings if BROKEN_FILE in w]  # skipped, not fatal
    assert len(found.rules) == len(RULE_FILES) + 1 + 3


def test_products_grouped_by_label_and_vendor(checkout: Path, mini_registry: Path) -> None:
    index = fixture_index(checkout, mini_registry)
    products = {p.label: p for p in index.products}
    assert set(products) == {"Acme Push", "Beta Map SDK", "Beta Legacy", "Gamma Tracker"}  # no Foreign Kit
    acme = products["Acme Push"]
    assert (acme.vendor, acme.category, acme.kind) == ("acme", "push", "svc")
    assert acme.teams == ("ACME Inc", "Acme") and acme.labels == ("Acme  Push", "Acme Push")
    gamma = products["Gamma Tracker"]
    assert gamma.labels == ("Gamma Tracker", "Gamma Tracker SDK") and gamma.category == "analytics"
    beta_paths = {r.path for r in products["Beta Map SDK"].rules}
    assert "activities-libs/com.beta.map.NaviActivity.json" in beta_paths
    assert products["Beta Map SDK"].docs == "https://beta.example.com/sdk"
    assert index.rule_count == 11


def test_index_round_trip(checkout: Path, mini_registry: Path, tmp_path: Path) -> None:
    index = fixture_index(checkout, mini_registry)
    path = tmp_path / "index.yaml"
    write_index(index, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Chinese-vendor products of LibChecker-Rules") and "Apache-2.0" in text
    assert read_index(path) == index
    write_index(read_index(path), path)
    assert path.read_text(encoding="utf-8") == text  # deterministic


def test_coverage_statuses_and_rule_claims(checkout: Path, mini_registry: Path) -> None:
    registry = load_registry(mini_registry, use_cache=False)
    index = fixture_index(checkout, mini_registry)
    report = measure(registry, index, Exclusions(
        products={"Beta Legacy": "a discontinued fork", "Nobody": "stale"},
        signals={"native-libs/libacmepush.so.json": "shipped by other vendors too"},
    ))
    by_label = {p.product.label: p for p in report.products}
    acme = by_label["Acme Push"]
    assert acme.status == "covered" and acme.entries == ("acme-push",)
    claims = {c.rule.path: c for c in acme.rules}
    assert claims["services-libs/com.acme.push.PushService.json"].entries == ("acme-push",)
    assert claims["rules.db#dex:com.acme.push"].entries == ("acme-push",)
    assert claims["native-libs/libacmepush.so.json"].left_out == "shipped by other vendors too"
    assert [c.rule.path for c in acme.unclaimed] == ["native-libs/regex/regex_acme_core.json"]
    # a component under a registered package prefix is claimed through the prefix
    assert by_label["Beta Map SDK"].status == "covered"
    legacy = by_label["Beta Legacy"]
    assert legacy.status == "excluded" and legacy.reason == "a discontinued fork"
    assert by_label["Gamma Tracker"].status == "missing" and by_label["Gamma Tracker"].reason == "missing"
    assert report.stale_exclusions == ("Nobody",)
    tally = report.tally()
    assert (tally.products, tally.covered, tally.excluded, tally.missing) == (4, 2, 1, 1)
    assert report.by("vendor")["gamma"].missing == 1


def test_regex_rule_claimed_by_a_registry_glob(checkout: Path, mini_registry: Path) -> None:
    path = mini_registry / "sdks" / "acme-push.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  services: [com.acme.push.PushService]",
        '  services: [com.acme.push.PushService]\n  native_libs: ["libacmecore*.so"]'), encoding="utf-8")
    registry = load_registry(mini_registry, use_cache=False)
    index = fixture_index(checkout, mini_registry)
    acme = next(p for p in measure(registry, index).products if p.product.label == "Acme Push")
    claims = {c.rule.path: c.entries for c in acme.rules}
    assert claims["native-libs/regex/regex_acme_core.json"] == ("acme-push",)


def test_name_only_product_is_missing_with_a_hint(checkout: Path, mini_registry: Path) -> None:
    path = mini_registry / "sdks" / "beta-map.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("aliases: [贝塔地图SDK]",
                                                             "aliases: [贝塔地图SDK, Gamma Tracker]"),
                    encoding="utf-8")
    registry = load_registry(mini_registry, use_cache=False)
    index = fixture_index(checkout, mini_registry)
    gamma = next(p for p in measure(registry, index).products if p.product.label == "Gamma Tracker")
    assert gamma.status == "missing" and gamma.named_by == ("beta-map",)
    assert "names it: beta-map" in gamma.reason


def test_import_command_writes_drafts_that_validate_rejects(
    checkout: Path, mini_registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    drafts, index_path = tmp_path / "drafts", tmp_path / "index.yaml"
    code = run(["registry", "import-libchecker", str(checkout), "--out", str(drafts),
                "--index-out", str(index_path), "--snapshot", "abc123", "--registry", str(mini_registry)])
    out = capsys.readouterr().out
    assert code == ExitCode.OK
    assert sorted(p.name for p in drafts.iterdir()) == ["beta-legacy.yaml", "gamma-tracker.yaml"]
    assert "Acme Push (acme-push): 2 unclaimed" in out and "libacmepush.so" in out
    assert read_index(index_path).snapshot == "abc123"

    draft = (drafts / "gamma-tracker.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(draft)
    assert data["detect"]["packages"] == ["com.gamma.tracker"]
    assert data["detect"]["receivers"] == ["com.gamma.tracker.push.TrackReceiver"]
    assert data["sources"][0].startswith("https://github.com/LibChecker/LibChecker-Rules/blob/master/")
    shutil.copy(drafts / "gamma-tracker.yaml", mini_registry / "sdks")
    assert "R015" in {p.code for p in lint_registry(mini_registry).problems}
    assert run(["registry", "validate", str(mini_registry)]) == ExitCode.REGISTRY_INVALID

    # Completed by a maintainer (every TODO resolved), the same signals validate.
    data.update(name="Gamma Tracker", name_zh="伽马统计", collects=["android-id"],
                collects_source="https://gamma.example.com/privacy",
                vendor={"name_zh": "伽马科技有限公司", "name_en": "Gamma Ltd"},
                links={"website": "https://gamma.example.com"},
                sources=[*data["sources"], "https://gamma.example.com/privacy"])
    data["examples"]["policy"] = ["Gamma Tracker", "伽马统计SDK"]
    (mini_registry / "sdks" / "gamma-tracker.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run(["registry", "validate", str(mini_registry)]) == ExitCode.OK, capsys.readouterr().err


def test_coverage_command_text_and_json(
    checkout: Path, mini_registry: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    index_path = mini_registry / "reference" / "libchecker-cn.yaml"
    write_index(fixture_index(checkout, mini_registry), index_path)
    (mini_registry / "reference" / "exclusions.yaml").write_text(
        "products:\n  Beta Legacy: a discontinued fork\n", encoding="utf-8")
    assert run(["registry", "coverage", "--registry", str(mini_registry)]) == ExitCode.OK
    text = capsys.readouterr().out
    assert "Products: 2 of 4 covered (50.0%)" in text
    assert "Beta Legacy" in text and "a discontinued fork" in text and "Gamma Tracker" in text
    assert "Data lists of registry entries that need disclosure" in text
    assert run(["registry", "coverage", "--registry", str(mini_registry), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["total"]["covered"] == 2 and doc["total"]["rules"] == 11
    assert {p["label"]: p["status"] for p in doc["products"]}["Gamma Tracker"] == "missing"
    assert doc["data_lists"][0]["entries"] >= 1


def test_bad_inputs_are_one_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "drafts")
    assert run(["registry", "import-libchecker", str(tmp_path / "nowhere"), "--out", out]) == \
        ExitCode.INPUT_MISSING
    (tmp_path / "empty").mkdir()
    assert run(["registry", "import-libchecker", str(tmp_path / "empty"), "--out", out]) == ExitCode.USAGE
    checkout = write_checkout(tmp_path / "corrupt")
    (checkout / "cloud" / "rules" / "v3" / "rules.db").write_bytes(b"not a database" * 100)
    assert run(["registry", "import-libchecker", str(checkout), "--out", out]) == ExitCode.USAGE
    assert run(["registry", "coverage", "--reference", str(tmp_path / "none.yaml")]) == \
        ExitCode.INPUT_MISSING
    (tmp_path / "bad.yaml").write_text("source: [1]\n", encoding="utf-8")
    assert run(["registry", "coverage", "--reference", str(tmp_path / "bad.yaml")]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert "Traceback" not in err and all(line.startswith("sdkreg: error: ") for line in err.splitlines())


def test_snapshot_of_a_git_checkout_stays_inside_it(tmp_path: Path) -> None:
    git = tmp_path / "co" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/master\n", encoding="ascii")
    (git / "refs" / "heads" / "master").write_text("3ec8753a0bb5\n", encoding="ascii")
    assert snapshot_of(tmp_path / "co") == "3ec8753a0bb5"
    (git / "HEAD").write_text("ref: ../../../../etc/hostname\n", encoding="ascii")
    assert snapshot_of(tmp_path / "co") is None
    assert snapshot_of(tmp_path) is None


def test_draft_ids_and_package_prefixes(checkout: Path, mini_registry: Path) -> None:
    index = fixture_index(checkout, mini_registry)
    gamma = next(p for p in index.products if p.label == "Gamma Tracker")
    assert suggest_id(gamma) == "gamma-tracker"
    assert package_prefixes(gamma) == ("com.gamma.tracker",)


# --- the committed reference data -----------------------------------------------------------------


def test_committed_reference_is_consistent_and_its_exclusions_are_live(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The shipped index uses the registry's categories and the map's vendors; every exclusion
    still excludes something (a stale one means the registry covers it now: delete it)."""
    reference = REGISTRY_DIR / "reference"
    index = read_index(reference / "libchecker-cn.yaml")
    schema = yaml.safe_load((REGISTRY_DIR / "schema" / "sdk.schema.json").read_text(encoding="utf-8"))
    categories = set(schema["properties"]["category"]["enum"])
    vendors = {v.id for v in load_map(reference / "libchecker-map.yaml").vendors}
    assert {p.category for p in index.products} <= categories
    assert {p.vendor for p in index.products} <= vendors
    report = measure(load_registry(REGISTRY_DIR), index, read_exclusions(reference / "exclusions.yaml"))
    assert report.stale_exclusions == ()
    assert run(["registry", "coverage"]) == ExitCode.OK
    assert "Chinese-vendor products" in capsys.readouterr().out


def test_data_lists_per_category(mini_registry: Path) -> None:
    from sdkreg.curation.coverage import data_lists

    lists = {d.category: d for d in data_lists(load_registry(mini_registry, use_cache=False))}
    assert (lists["push"].unsourced, lists["map"].unsourced) == (1, 1)
    acme = mini_registry / "sdks" / "acme-push.yaml"
    acme.write_text(acme.read_text(encoding="utf-8").replace(
        'sources: ["https://push.acme.example.com/docs"]',
        'sources: ["https://push.acme.example.com/docs"]\ncollects_source: https://push.acme.example.com/docs'),
        encoding="utf-8")
    beta = mini_registry / "sdks" / "beta-map.yaml"
    reason = "collects: []\ncollects_unpublished: no data list on beta.example.com"
    beta.write_text(beta.read_text(encoding="utf-8").replace("collects: [precise-location]", reason),
                    encoding="utf-8")
    lists = {d.category: d for d in data_lists(load_registry(mini_registry, use_cache=False))}
    assert (lists["push"].sourced, lists["map"].reason, lists["map"].none) == (1, 1, 0)


def test_regex_stub_components_are_claimed_through_the_package(mini_registry: Path) -> None:
    # LibChecker writes plug-in stub components as character-class patterns
    # (``…stub.p[0-9]*.StubActivity[0-9]*$``); one concrete name stands for them.
    from sdkreg.curation.coverage import _probe_names
    from sdkreg.match import SignatureIndex
    from sdkreg.registry.reference import ReferenceRule

    index = SignatureIndex(load_registry(mini_registry, use_cache=False))
    rule = ReferenceRule(
        "activities-libs/regex/regex_acme_stub.json",
        "activity",
        (r"com.acme.push.stub.p[0-9]*.StubActivity[0-9]*$",),
        regex=True,
    )
    names = _probe_names(rule, index)
    assert "com.acme.push.stub.p0.StubActivity0" in names
    assert index.classify_component("com.acme.push.stub.p0.StubActivity0") == ("acme-push",)
