"""Shared fixtures for the policy tests: the bundled registry, the seed and fixture folders."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from sdkreg.policy.model import PolicyResult
from sdkreg.registry import Registry, load_registry

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Real policies are never copied into the repo: they live beside it, in shared/seeds.
SEEDS = Path(__file__).resolve().parents[1].parent.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()


def expected_multiset(items: list[dict[str, Any]] | None) -> Counter[tuple[str, str | None, str | None]]:
    out: Counter[tuple[str, str | None, str | None]] = Counter()
    for item in items or []:
        level = item.get("level", "product") if item["sdk"] is not None else None
        out[(item["as_written"], item["sdk"], level)] += 1
    return out


def result_multiset(result: PolicyResult) -> Counter[tuple[str, str | None, str | None]]:
    return Counter((d.as_written, d.sdk, d.level) for d in result.disclosures)


def load_expected(folder: Path) -> dict[str, Any]:
    data = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data
