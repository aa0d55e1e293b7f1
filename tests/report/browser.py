"""Headless Chromium from Debian (`apt-get install chromium`): renders a page to a PNG and to its
DOM, as a person's browser would. No network: the page is a local file and the flags turn off
every background connection Chromium would make."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
]
# A guard against a hung browser, not a measurement.
GUARD_SECONDS = 180


def chromium() -> str:
    """The browser binary; skips locally without it, but CI must have it (.ci/run installs it)."""
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI"):
        pytest.fail("CI must install chromium (apt-get install chromium)")
    pytest.skip("chromium is not installed (apt-get install chromium)")


def _run(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="sdkreg-chromium-") as profile:
        return subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
            capture_output=True, text=True, timeout=GUARD_SECONDS, check=True,
        )


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 1600) -> Path:
    _run(page, f"--screenshot={png}", f"--window-size={width},{height}")
    return png


def dump_dom(page: Path) -> str:
    return _run(page, "--dump-dom").stdout
