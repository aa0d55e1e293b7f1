"""Batch manifests: CSV, JSONL and directories, read lazily; malformed ones name the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sdkreg.batch.manifest import BatchItem, Manifest, ManifestError
from sdkreg.errors import ExitCode, InputMissingError


def test_csv_columns_relative_paths_and_labels(tmp_path: Path) -> None:
    (tmp_path / "apps").mkdir()
    manifest = tmp_path / "apps" / "batch.csv"
    manifest.write_text(
        "\ufeffAPK, policy ,package,version,labels\n"  # a BOM and loose header spelling
        "a.apk,policies/a.txt,com.example.a,1.0,store-x; games \n"
        "\n"
        "/abs/b.apk,/abs/b.html,,,\n",
        encoding="utf-8",
    )
    items = list(Manifest(manifest))
    assert items == [
        BatchItem(str(tmp_path / "apps" / "a.apk"), str(tmp_path / "apps" / "policies" / "a.txt"),
                  "com.example.a", "1.0", ("store-x", "games"), f"{manifest}:2"),
        BatchItem("/abs/b.apk", "/abs/b.html", None, None, (), f"{manifest}:4"),
    ]
    assert Manifest(manifest).count() == 2


def test_jsonl_rows(tmp_path: Path) -> None:
    manifest = tmp_path / "batch.jsonl"
    rows = [{"apk": "x.apk", "policy": "x.md", "labels": ["a", "b"]},
            {"apk": "y.apk", "policy": "y.txt", "package": "com.y", "labels": "c;d"}]
    manifest.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    items = list(Manifest(manifest))
    assert [(i.apk, i.policy, i.package, i.labels) for i in items] == [
        (str(tmp_path / "x.apk"), str(tmp_path / "x.md"), None, ("a", "b")),
        (str(tmp_path / "y.apk"), str(tmp_path / "y.txt"), "com.y", ("c", "d")),
    ]


@pytest.mark.parametrize(("name", "text", "message"), [
    ("m.csv", "", "empty manifest"),
    ("m.csv", "apk\nx.apk\n", r"missing column\(s\) policy"),
    ("m.csv", "apk,policy,notes\n", r"unknown column\(s\) notes"),
    ("m.csv", "apk,policy\nx.apk,x.txt,extra\n", r"m.csv:2: 3 cells"),
    ("m.csv", "apk,policy\nx.apk,\n", r"m.csv:2: no policy path"),
    ("m.jsonl", '{"apk": "x.apk", "policy": "x.txt"}\n{"apk": "y.apk"\n', r"m.jsonl:2: not JSON"),
    ("m.jsonl", '["x.apk", "x.txt"]\n', "expected a JSON object"),
    ("m.jsonl", '{"apk": "x.apk", "policy": 3}\n', "'policy' must be a string"),
    ("m.jsonl", '{"apk": "x.apk", "policy": "p", "labels": [1]}\n', "labels must be strings"),
    ("m.txt", "x.apk x.txt\n", "a manifest is a .csv or .jsonl file"),
])
def test_malformed_manifests_are_usage_errors(tmp_path: Path, name: str, text: str, message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError, match=message) as caught:
        Manifest(path).count()
    assert caught.value.exit_code is ExitCode.USAGE


def test_non_utf8_manifest(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes("apk,policy\n应用.apk,政策.txt\n".encode("gbk"))
    with pytest.raises(ManifestError, match="not UTF-8"):
        Manifest(path).count()


def test_missing_manifest(tmp_path: Path) -> None:
    with pytest.raises(InputMissingError):
        Manifest(tmp_path / "nope.csv")


def test_directory_pairs_each_apk_with_the_policy_beside_it(tmp_path: Path) -> None:
    for name in ("b.apk", "b.html", "b.md", "a.xapk", "a.txt", "notes.txt", "c.apks",
                 "sub/d.apk", "sub/d.htm", "sub/e.APK"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    items = [(Path(i.apk).relative_to(tmp_path).as_posix(),
              Path(i.policy).relative_to(tmp_path).as_posix() if i.policy else None)
             for i in Manifest(tmp_path)]
    assert items == [
        ("a.xapk", "a.txt"),
        ("b.apk", "b.html"),  # .html comes before .md in the pairing order
        ("c.apks", None),  # no policy beside it: still an item, recorded as failed
        ("sub/d.apk", "sub/d.htm"),
        ("sub/e.APK", None),
    ]


def test_items_are_read_lazily(tmp_path: Path) -> None:
    """A bad row late in the file is reached only when iteration gets there."""
    path = tmp_path / "m.csv"
    path.write_text("apk,policy\n" + "x.apk,x.txt\n" * 3 + "y.apk\n", encoding="utf-8")
    items = iter(Manifest(path))
    assert [next(items).apk for _ in range(3)] == [str(tmp_path / "x.apk")] * 3
    with pytest.raises(ManifestError, match=r"m\.csv:5: no policy path"):
        next(items)
