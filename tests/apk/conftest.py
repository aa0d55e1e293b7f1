"""The fixture APK specs (fixtures/apks/*/expected.yaml); the built files come from the
``built_apks`` fixture in tests/conftest.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
SOURCES = REPO / "fixtures" / "apks"


def fixture_specs() -> dict[str, dict[str, Any]]:
    return {
        d.name: yaml.safe_load((d / "expected.yaml").read_text(encoding="utf-8"))
        for d in sorted(SOURCES.iterdir())
        if (d / "expected.yaml").is_file()
    }
