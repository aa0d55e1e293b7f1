"""A registry directory is untrusted input (issue 12, defects 3, 4, 5 and 8): its schemas cannot
reach outside it, its symlinks cannot read outside it or hang, its cache cannot run code, and a
registry missing a file or holding a broken schema is exit 3 with one line."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import pickle
import resource
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from sdkreg import __version__
from sdkreg.cli import run
from sdkreg.errors import ExitCode, RegistryError
from sdkreg.registry import load_registry, registry_files
from sdkreg.registry.registry import content_hash
from tests.conftest import REGISTRY_DIR, REPO

DEMO_APK = str(REPO / "samples" / "demo.apk")


@pytest.fixture
def copied(tmp_path: Path) -> Path:
    root = tmp_path / "registry"
    shutil.copytree(REGISTRY_DIR, root)
    return root


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "cache"
    monkeypatch.setenv("SDKREG_CACHE_DIR", str(directory))
    monkeypatch.delenv("SDKREG_NO_CACHE", raising=False)
    return directory


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("sdkreg: error: "), lines
    return lines[0]


def set_id_schema(root: Path, subschema: dict[str, Any]) -> None:
    path = root / "schema" / "sdk.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["properties"]["id"] = subschema
    path.write_text(json.dumps(schema), encoding="utf-8")


# --- defect 3: $ref resolved inside the registry only -------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = b'{"type": "integer"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/schema+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def schema_server() -> Iterator[tuple[str, list[str]]]:
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/id.schema.json", requests
    finally:
        server.shutdown()
        server.server_close()


def test_a_schema_ref_over_http_opens_no_connection(
    copied: Path, schema_server: tuple[str, list[str]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, requests = schema_server
    set_id_schema(copied, {"$ref": url})
    assert run(["registry", "validate", str(copied)]) == ExitCode.REGISTRY_INVALID
    assert f"$ref '{url}' is not one of the registry's schemas" in one_error_line(capsys)
    assert run(["scan", DEMO_APK, "--registry", str(copied)]) == ExitCode.REGISTRY_INVALID
    assert f"$ref '{url}' is not one of the registry's schemas" in one_error_line(capsys)
    assert requests == []


@pytest.mark.parametrize("target", ["file:///etc/passwd", "outside"])
def test_a_schema_ref_to_a_local_file_reads_nothing(
    copied: Path, tmp_path: Path, target: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if target == "outside":  # a valid schema outside the registry, which would make ids integers
        outside = tmp_path / "outside.schema.json"
        outside.write_text('{"type": "integer"}', encoding="utf-8")
        target = outside.as_uri()
    set_id_schema(copied, {"$ref": target})
    assert run(["registry", "validate", str(copied)]) == ExitCode.REGISTRY_INVALID
    err = one_error_line(capsys)
    assert f"$ref '{target}' is not one of the registry's schemas" in err
    assert "integer" not in err


def test_refs_between_the_registrys_own_schemas_still_resolve(copied: Path) -> None:
    (copied / "schema" / "id.schema.json").write_text(
        '{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string",'
        ' "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}', encoding="utf-8")
    set_id_schema(copied, {"$ref": "id.schema.json"})
    assert len(load_registry(copied, use_cache=False).entries) == len(load_registry(REGISTRY_DIR).entries)


# --- defect 4: regular files inside the registry only, with a size cap --------------------------


def validate_in_a_child(root: Path) -> subprocess.CompletedProcess[str]:
    """`registry validate` in its own process, bounded in time and memory: the old code hung on
    a FIFO and read /dev/zero until memory ran out."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    return subprocess.run(
        [sys.executable, "-m", "sdkreg", "registry", "validate", str(root)],
        capture_output=True, text=True, timeout=120, preexec_fn=limit_memory,
        env={**os.environ, "SDKREG_NO_CACHE": "1"},
    )


def test_a_symlink_to_a_file_outside_the_registry_is_refused(
    copied: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = tmp_path / "elsewhere" / "secret-sdk.yaml"
    outside.parent.mkdir()
    outside.write_text((copied / "sdks" / "okio.yaml").read_text(encoding="utf-8")
                       .replace("id: okio", "id: secret-sdk"), encoding="utf-8")
    (copied / "sdks" / "secret-sdk.yaml").symlink_to(outside)
    assert run(["registry", "validate", str(copied)]) == ExitCode.REGISTRY_INVALID
    assert f"a symlink to {outside}, outside the registry" in capsys.readouterr().err
    assert run(["scan", DEMO_APK, "--registry", str(copied)]) == ExitCode.REGISTRY_INVALID
    assert "outside the registry" in one_error_line(capsys)


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_a_symlink_to_a_device_or_fifo_is_refused_without_reading(
    copied: Path, tmp_path: Path, special: str
) -> None:
    if special == "fifo":
        fifo = copied / "pipe"  # inside the registry: refused as not a regular file
        os.mkfifo(fifo)
        special = str(fifo)
    (copied / "sdks" / "zz-special.yaml").symlink_to(special)
    message = "outside the registry" if special.startswith("/dev/") else "not a regular file"
    proc = validate_in_a_child(copied)
    assert proc.returncode == ExitCode.REGISTRY_INVALID, proc.stderr
    assert message in proc.stderr


def test_a_fifo_in_place_of_a_registry_file_is_refused(copied: Path) -> None:
    (copied / "families.yaml").unlink()
    os.mkfifo(copied / "families.yaml")
    with pytest.raises(RegistryError, match=r"families\.yaml: not a regular file"):
        load_registry(copied, use_cache=False)


def test_an_oversized_registry_file_is_refused(copied: Path) -> None:
    path = copied / "sdks" / "okio.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "#" * (1 << 20) + "\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"okio\.yaml: larger than 1 MB"):
        load_registry(copied, use_cache=False)


def test_a_symlink_that_stays_inside_the_registry_is_followed(copied: Path) -> None:
    (copied / "shared").mkdir()
    (copied / "families.yaml").rename(copied / "shared" / "families.yaml")
    (copied / "families.yaml").symlink_to(Path("shared") / "families.yaml")
    families = load_registry(copied, use_cache=False).families
    assert families.keys() == load_registry(REGISTRY_DIR).families.keys()


# --- defect 5: the cache is JSON, keyed and verified; a pickle is never loaded -----------------


def cache_files(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "registry").glob("*.json"))


def test_a_malicious_pickle_at_the_old_cache_path_does_nothing(copied: Path, cache_dir: Path) -> None:
    marker = cache_dir.parent / "pwned"

    class Exploit:
        def __reduce__(self) -> tuple[Any, ...]:
            return (open, (str(marker), "w"))

    version = content_hash(registry_files(copied), copied)
    old_key = hashlib.sha256(f"2\0{__version__}\0{copied}\0{version}".encode()).hexdigest()
    planted = cache_dir / "registry" / f"{old_key[:32]}.pickle"
    planted.parent.mkdir(parents=True)
    planted.write_bytes(pickle.dumps(Exploit()))
    registry = load_registry(copied)
    assert not marker.exists()
    assert "xiaomi-push" in registry.entries


def test_the_cache_returns_the_registry_a_full_check_builds(copied: Path, cache_dir: Path) -> None:
    fresh = load_registry(copied, use_cache=False)
    load_registry(copied)  # writes the cache
    assert len(cache_files(cache_dir)) == 1
    cached = load_registry(copied)
    assert cached.entries == fresh.entries
    assert cached.families == fresh.families
    assert cached.data_types == fresh.data_types
    assert cached.categories == fresh.categories
    assert dict(cached.alias_index) == dict(fresh.alias_index)


def test_a_tampered_json_cache_is_ignored_and_rebuilt(copied: Path, cache_dir: Path) -> None:
    original = load_registry(copied).entries["okio"].name
    (cache,) = cache_files(cache_dir)
    data = cache.read_bytes()
    assert original.encode() in data
    cache.write_bytes(data.replace(original.encode(), b"Tampered SDK"))
    assert load_registry(copied).entries["okio"].name == original
    assert cache.read_bytes() == data  # rebuilt


def test_a_consistent_cache_others_could_write_is_ignored(copied: Path, cache_dir: Path) -> None:
    original = load_registry(copied).entries["okio"].name
    (cache,) = cache_files(cache_dir)
    first, _, body = cache.read_bytes().partition(b"\n")
    body = body.replace(original.encode(), b"Tampered SDK")
    header = json.loads(first)
    header["payload_sha256"] = hashlib.sha256(body).hexdigest()
    cache.write_bytes(json.dumps(header).encode() + b"\n" + body)
    os.chmod(cache, 0o666)
    assert load_registry(copied).entries["okio"].name == original


def test_another_registrys_cache_is_not_taken(copied: Path, cache_dir: Path, tmp_path: Path) -> None:
    load_registry(copied)
    other = tmp_path / "other"
    shutil.copytree(copied, other)
    (other / "sdks" / "okio.yaml").unlink()
    (cache,) = cache_files(cache_dir)
    version = content_hash(registry_files(other), other)
    from sdkreg.registry import _cache_file

    target = _cache_file(other, version)
    assert target is not None
    shutil.copy(cache, target)  # the first registry's cache under the second one's name
    assert "okio" not in load_registry(other).entries


# --- defect 8: a registry missing a file or holding a broken schema is exit 3 -------------------


@pytest.mark.parametrize("missing", ["families.yaml", "data-types.yaml"])
def test_a_registry_missing_a_file_is_exit_3(
    copied: Path, missing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (copied / missing).unlink()
    assert run(["scan", DEMO_APK, "--registry", str(copied)]) == ExitCode.REGISTRY_INVALID
    assert f"{missing}: no such file" in one_error_line(capsys)
    assert run(["registry", "validate", str(copied)]) == ExitCode.REGISTRY_INVALID


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{ this is not JSON", "not a JSON schema"),
        ("[1, 2]", "not a JSON schema: the document is not an object"),
        ('{"type": 5}', "not a valid JSON Schema"),
        ('{"type": "object"}', "has no properties.category.enum"),
    ],
)
def test_a_broken_schema_is_exit_3(
    copied: Path, content: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (copied / "schema" / "sdk.schema.json").write_text(content, encoding="utf-8")
    assert run(["scan", DEMO_APK, "--registry", str(copied)]) == ExitCode.REGISTRY_INVALID
    assert message in one_error_line(capsys)
    assert run(["registry", "validate", str(copied)]) == ExitCode.REGISTRY_INVALID
    assert message in capsys.readouterr().err


BILLION_LAUGHS = """\
id: zz-laughs
l0: &a ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]
l1: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
l2: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
l3: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
l4: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
l5: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
l6: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
l7: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
aliases: [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


@pytest.mark.parametrize("document", [BILLION_LAUGHS, "id: zz-laughs\naliases: &x [a, *x]\n"],
                         ids=["billion-laughs", "self-containing"])
def test_an_alias_bomb_is_refused_without_expanding_it(copied: Path, document: str) -> None:
    (copied / "sdks" / "zz-laughs.yaml").write_text(document, encoding="utf-8")
    proc = validate_in_a_child(copied)
    assert proc.returncode == ExitCode.REGISTRY_INVALID, proc.stderr[-2000:]
    assert "zz-laughs.yaml" in proc.stderr and "YAML aliases expand it past" in proc.stderr
