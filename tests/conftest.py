"""Shared test helpers: paths to the repo, the shipped registry and the real seed policies."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

from sdkreg.registry import Registry, load_registry

REPO = Path(__file__).resolve().parents[1]
REGISTRY_DIR = REPO / "registry"
# Real third-party policies live beside the checkout (never copied into the repo).
SEEDS = REPO.parent / "shared" / "seeds"


# English output whatever the machine's locale (sdkreg's default language follows LC_ALL/LANG);
# tests of other languages say so with --lang.
os.environ["LC_ALL"] = "C.UTF-8"

# Keep the registry cache of test runs out of the user's cache directory.
os.environ["SDKREG_CACHE_DIR"] = tempfile.mkdtemp(prefix="sdkreg-test-cache-")


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(REGISTRY_DIR)


def load_builder() -> ModuleType:
    """scripts/build-fixtures.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("build_fixtures", REPO / "scripts" / "build-fixtures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built_apks() -> dict[str, Path]:
    """Fixture name → APK built from fixtures/apks/ with smali and aapt (rebuilt only when its
    sources change). Without the toolchain the tests skip locally, but CI must have it."""
    builder = load_builder()
    try:
        builder.check_tools()
    except builder.ToolMissing as exc:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install the Android toolchain: {exc}")
        pytest.skip(f"cannot build fixture APKs: {exc}")
    built: dict[str, Path] = builder.build_all(REPO / "fixtures" / "build")
    return built


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/* from the current output (then review the diff)")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden") or os.environ.get("SDKREG_UPDATE_GOLDEN"))


def broken_registry(tmp: Path) -> Path:
    """A copy of the shipped registry under ``tmp`` with one entry invalid (an unknown category),
    for the commands' exit code 3."""
    root = tmp / "registry"
    shutil.copytree(REGISTRY_DIR, root)
    entry = root / "sdks" / "xiaomi-push.yaml"
    entry.write_text(entry.read_text(encoding="utf-8").replace("category: push", "category: pushh"),
                     encoding="utf-8")
    return root
