"""Batch manifests: the (APK, policy) items of ``sdkreg batch``, read one at a time.

Three shapes, chosen by what the path is:

- ``*.csv``: a header row naming the columns ``apk``, ``policy`` (required), ``package``,
  ``version``, ``labels`` (optional; labels separated by ``;``);
- ``*.jsonl`` / ``*.ndjson``: one JSON object per line with the same keys (``labels`` a list of
  strings, or one string separated by ``;``); blank lines are skipped;
- a directory: every ``*.apk``, ``*.apks`` and ``*.xapk`` under it (subdirectories too, in name
  order), each paired with the policy beside it that has the same stem, the first of
  ``.txt``, ``.html``, ``.htm``, ``.md`` that exists (``app.apk`` → ``app.txt``). An APK with no
  such file is still an item: it is recorded as failed (exit code 10), it never stops the batch.

Relative paths in a CSV or JSONL manifest are relative to the manifest's directory, and are made
absolute here, because workers of a remote Dask cluster do not share the client's working
directory (they must see the same paths, e.g. on shared storage).

A manifest is never held whole: iterating opens it and yields items as it reads. ``count()``
reads it once to the end (validating every row) so that a batch fails on a malformed manifest
before it starts, and so that a progress bar knows the total.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sdkreg.errors import InputMissingError, UsageError

COLUMNS = ("apk", "policy", "package", "version", "labels")
REQUIRED = ("apk", "policy")
APK_SUFFIXES = (".apk", ".apks", ".xapk")
POLICY_SUFFIXES = (".txt", ".html", ".htm", ".md")
# A CSV cell longer than this is not a path or a label: refuse it rather than buffer it.
MAX_FIELD = 64 * 1024


class ManifestError(UsageError):
    """A manifest that cannot be read as one: a usage error (exit 2) naming the line."""


@dataclass(frozen=True)
class BatchItem:
    apk: str  # absolute path
    policy: str | None  # absolute path; None: a directory APK with no policy beside it
    package: str | None = None
    version: str | None = None
    labels: tuple[str, ...] = ()
    where: str = ""  # "manifest.csv:12", for messages


class Manifest:
    """The items of a manifest file or directory; iterate to read them (again) from the start."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():
            raise InputMissingError(f"{path}: no such file or directory")
        if path.is_dir():
            self.kind = "directory"
        elif path.suffix.lower() == ".csv":
            self.kind = "csv"
        elif path.suffix.lower() in (".jsonl", ".ndjson"):
            self.kind = "jsonl"
        else:
            raise ManifestError(
                f"{path}: a manifest is a .csv or .jsonl file, or a directory of APKs and policies"
            )

    def __iter__(self) -> Iterator[BatchItem]:
        if self.kind == "directory":
            return _directory_items(self.path)
        if self.kind == "csv":
            return _csv_items(self.path)
        return _jsonl_items(self.path)

    def count(self) -> int:
        """Read the whole manifest once, checking every row; the number of items."""
        return sum(1 for _ in self)


def _open(path: Path) -> Any:
    try:
        # utf-8-sig: spreadsheet exports often start with a byte-order mark.
        return path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputMissingError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _csv_items(path: Path) -> Iterator[BatchItem]:
    base = path.resolve().parent
    csv.field_size_limit(MAX_FIELD)
    with _open(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise ManifestError(f"{path}: empty manifest (expected a header row: apk,policy,…)")
            columns = [name.strip().lower() for name in header]
            _check_columns(path, columns)
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) > len(columns):
                    raise ManifestError(f"{where}: {len(row)} cells, but the header names {len(columns)}")
                fields = dict(zip(columns, (cell.strip() for cell in row), strict=False))
                yield _item(base, fields, where)
        except csv.Error as exc:
            raise ManifestError(f"{path}:{reader.line_num}: not CSV: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise ManifestError(f"{path}: not UTF-8 text ({exc.reason})") from exc


def _jsonl_items(path: Path) -> Iterator[BatchItem]:
    base = path.resolve().parent
    with _open(path) as handle:
        number = 0
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ManifestError(f"{where}: not JSON: {exc.msg}") from exc
                if not isinstance(data, dict):
                    raise ManifestError(f"{where}: expected a JSON object with apk and policy")
                _check_columns(path, list(data), where)
                fields: dict[str, Any] = {}
                for key, value in data.items():
                    if key == "labels" and isinstance(value, list):
                        if not all(isinstance(v, str) for v in value):
                            raise ManifestError(f"{where}: labels must be strings")
                        fields[key] = ";".join(value)
                    elif value is None or isinstance(value, str):
                        fields[key] = (value or "").strip()
                    else:
                        raise ManifestError(f"{where}: '{key}' must be a string")
                yield _item(base, fields, where)
        except UnicodeDecodeError as exc:
            raise ManifestError(f"{path}:{number + 1}: not UTF-8 text ({exc.reason})") from exc


def _check_columns(path: Path, columns: list[str], where: str | None = None) -> None:
    where = where or f"{path}:1"
    unknown = [c for c in columns if c not in COLUMNS]
    if unknown:
        raise ManifestError(f"{where}: unknown column(s) {', '.join(unknown)} "
                            f"(known: {', '.join(COLUMNS)})")
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ManifestError(f"{where}: missing column(s) {', '.join(missing)}")
    if len(set(columns)) != len(columns):
        raise ManifestError(f"{where}: a column is named twice")


def _item(base: Path, fields: dict[str, str], where: str) -> BatchItem:
    for name in REQUIRED:
        if not fields.get(name):
            raise ManifestError(f"{where}: no {name} path")
    labels = tuple(label.strip() for label in fields.get("labels", "").split(";") if label.strip())
    return BatchItem(
        apk=_absolute(base, fields["apk"]),
        policy=_absolute(base, fields["policy"]),
        package=fields.get("package") or None,
        version=fields.get("version") or None,
        labels=labels,
        where=where,
    )


def _absolute(base: Path, value: str) -> str:
    # No resolve(): a symlinked path stays as the user wrote it; only relative paths move.
    return os.path.normpath(base / value)


def _directory_items(root: Path) -> Iterator[BatchItem]:
    """Depth-first, in name order; only one directory's listing is held at a time."""
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        raise InputMissingError(f"{root}: cannot list: {exc.strerror or exc}") from exc
    names = {entry.name for entry in entries}
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            yield from _directory_items(Path(entry.path))
            continue
        stem, suffix = os.path.splitext(entry.name)
        if suffix.lower() not in APK_SUFFIXES:
            continue
        policy = next((stem + s for s in POLICY_SUFFIXES if stem + s in names), None)
        yield BatchItem(
            apk=os.path.abspath(entry.path),
            policy=os.path.abspath(os.path.join(root, policy)) if policy else None,
            where=entry.path,
        )
