"""Issue 13: where each entry's personal-data list stands, shown by `registry list` and
summarised by `registry validate`; an empty list with its source is the vendor's "none"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdkreg.cli import run
from sdkreg.errors import ExitCode
from sdkreg.registry import Registry, load_registry
from sdkreg.registry.lint import lint_registry
from tests.registry.test_lint import edit, mini  # noqa: F401  (mini is a fixture)

SOURCE = 'sources: ["https://push.acme.example.com/docs"]'
WITH_SOURCE = SOURCE + "\ncollects_source: https://push.acme.example.com/docs"


def test_status_of_each_kind_of_data_list(mini: Path) -> None:  # noqa: F811
    edit(mini, "beta-map.yaml", "collects: [precise-location]", "collects: []")
    statuses = {e.id: e.data_list for e in load_registry(mini, use_cache=False).entries.values()}
    assert statuses == {"acme-push": "unsourced", "beta-map": "missing"}
    edit(mini, "acme-push.yaml", SOURCE, WITH_SOURCE)
    edit(mini, "beta-map.yaml", "collects: []",
         "collects: []\ncollects_unpublished: no data list on beta.example.com (checked 2026-12)")
    statuses = {e.id: e.data_list for e in load_registry(mini, use_cache=False).entries.values()}
    assert statuses == {"acme-push": "sourced", "beta-map": "reason"}


def test_an_empty_list_with_its_source_is_the_vendor_saying_none(mini: Path) -> None:  # noqa: F811
    edit(mini, "acme-push.yaml", "collects: [imei, android-id]", "collects: []")
    assert ("W001", "acme-push.yaml") in {(w.code, w.path.name) for w in lint_registry(mini).warnings}
    edit(mini, "acme-push.yaml", SOURCE, WITH_SOURCE)
    assert "acme-push.yaml" not in {w.path.name for w in lint_registry(mini).warnings}
    assert load_registry(mini, use_cache=False).entries["acme-push"].data_list == "sourced"


def test_validate_prints_the_data_list_summary(mini: Path,  # noqa: F811
                                               capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini, "acme-push.yaml", SOURCE, WITH_SOURCE)
    assert run(["registry", "validate", str(mini)]) == ExitCode.OK
    err = capsys.readouterr().err
    assert ("data lists: 1 of 2 disclosable entries sourced, 0 with a stated reason, "
            "1 unsourced, 0 missing") in err


def test_list_shows_the_data_column_and_json_field(mini: Path,  # noqa: F811
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini, "acme-push.yaml", SOURCE, WITH_SOURCE)
    assert run(["registry", "list", "--registry", str(mini)]) == ExitCode.OK
    table = capsys.readouterr().out.splitlines()
    header = table[0].split()
    assert header[:4] == ["ID", "CATEGORY", "FAMILY", "DATA"]
    rows = {line.split()[0]: line.split()[3] for line in table[1:] if line.split()[0] in
            ("acme-push", "beta-map")}
    assert rows == {"acme-push": "sourced", "beta-map": "unsourced"}
    assert run(["registry", "list", "--registry", str(mini), "--format", "json"]) == ExitCode.OK
    listed = {e["id"]: e["data_list"] for e in json.loads(capsys.readouterr().out)}
    assert listed == {"acme-push": "sourced", "beta-map": "unsourced"}


def test_shipped_registry_lists_sourced_or_explained(registry: Registry) -> None:
    """Every shipped entry that needs disclosure has a sourced list or a stated reason (issue 13);
    a list without its page, or nothing at all, is what this test refuses."""
    open_items = sorted(e.id for e in registry.entries.values()
                        if e.data_list in ("unsourced", "missing"))
    assert open_items == []
