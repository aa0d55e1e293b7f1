"""Batch fixtures: a real 2-worker Dask LocalCluster (worker processes), a fresh PostgreSQL
database on the server CI starts, and corpora of distinct items built from the fixture APKs."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import distributed
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import REPO

POSTGRES_URL = os.environ.get("SDKREG_TEST_POSTGRES_URL")
POLICIES = [REPO / "samples" / "demo-policy.txt",
            *sorted((REPO / "tests" / "audit" / "policies").glob("*.txt"))]
# Fixture APKs that audit cleanly (the broken-* ones are the failing items).
GOOD_APKS = ("demo", "multidex", "obfuscated", "lookalike", "packed-jiagu", "packed-legu", "split-apks")



@pytest.fixture(scope="session")
def dask_client() -> Iterator[distributed.Client]:
    """Two single-threaded worker processes, as `sdkreg batch --workers 2` starts them."""
    from sdkreg.batch.engine import connect

    with connect(workers=2) as client:
        yield client


@pytest.fixture
def client(dask_client: distributed.Client) -> distributed.Client:
    dask_client.wait_for_workers(2, timeout=120)  # a test may have killed one: the nanny restarts it
    return dask_client


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A database of its own on the CI server, dropped afterwards."""
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must provide SDKREG_TEST_POSTGRES_URL (scripts/start-postgres.sh)")
        pytest.skip("set SDKREG_TEST_POSTGRES_URL (CI starts a server)")
    name = f"sdkreg_batch_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def write_manifest(path: Path, rows: list[tuple[Path, Path]]) -> Path:
    lines = ["apk,policy,labels"] + [f"{apk},{policy},fixture;{apk.stem}" for apk, policy in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def distinct_items(built: dict[str, Path], tmp: Path, count: int) -> list[tuple[Path, Path]]:
    """``count`` items with distinct keys: fixture APKs in turn, each with its own copy of a real
    fixture policy (a numbered revision line at the end makes every copy's hash different)."""
    folder = tmp / "policies"
    folder.mkdir(exist_ok=True)
    items = []
    for index in range(count):
        source = POLICIES[index % len(POLICIES)]
        policy = folder / f"{index:03d}-{source.name}"
        policy.write_text(source.read_text(encoding="utf-8") + f"\n修订记录：第{index + 1}版\n",
                          encoding="utf-8")
        items.append((built[GOOD_APKS[index % len(GOOD_APKS)]], policy))
    return items
