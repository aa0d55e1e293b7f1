"""Shared test helpers: paths to the repo, the shipped registry and the real seed policies."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from sdkreg.registry import Registry, load_registry

REPO = Path(__file__).resolve().parents[1]
REGISTRY_DIR = REPO / "registry"
# Real third-party policies live beside the checkout (never copied into the repo).
SEEDS = REPO.parent / "shared" / "seeds"


# Keep the registry cache of test runs out of the user's cache directory.
os.environ["SDKREG_CACHE_DIR"] = tempfile.mkdtemp(prefix="sdkreg-test-cache-")


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(REGISTRY_DIR)


# The fixture APKs, built once per session by scripts/build-fixtures.py (tests/apk/conftest.py).
from tests.apk.conftest import built_apks  # noqa: E402,F401
