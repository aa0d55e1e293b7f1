"""Tests that need outside inputs skip without them on a developer's machine; CI must have them,
so a missing input there fails loudly instead of turning tests into silent skips."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.skipif(not os.environ.get("CI"), reason="checked under CI only")


def test_ci_has_the_real_seed_policies() -> None:
    assert (SEEDS / "expected.yaml").is_file(), f"CI needs shared/seeds beside the checkout: {SEEDS}"


def test_ci_has_the_android_toolchain() -> None:
    assert shutil.which("aapt") and (shutil.which("smali") or shutil.which("java"))


def test_ci_has_a_postgresql_server_url() -> None:
    assert os.environ.get("SDKREG_TEST_POSTGRES_URL"), "CI starts PostgreSQL (scripts/start-postgres.sh)"
