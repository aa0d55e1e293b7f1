"""Build the fixture APKs once per session with the real toolchain (smali, aapt)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "fixtures" / "apks"
BUILD_SCRIPT = REPO / "scripts" / "build-fixtures.py"


def load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_fixtures", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fixture_specs() -> dict[str, dict[str, Any]]:
    return {
        d.name: yaml.safe_load((d / "expected.yaml").read_text(encoding="utf-8"))
        for d in sorted(SOURCES.iterdir())
        if (d / "expected.yaml").is_file()
    }


@pytest.fixture(scope="session")
def built_apks() -> dict[str, Path]:
    """fixture name → built file under fixtures/build/ (rebuilt only when sources change)."""
    builder = load_builder()
    try:
        builder.check_tools()
    except builder.ToolMissing as exc:
        pytest.skip(f"cannot build fixture APKs: {exc}")
    built: dict[str, Path] = builder.build_all(REPO / "fixtures" / "build")
    return built
