#!/usr/bin/env bash
# Regenerate docs/audit-report.png, the HTML report screenshot README shows: the demo audit
# rendered by headless Chromium (apt-get install chromium fonts-noto-cjk; no network is used).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
.venv/bin/sdkreg audit samples/demo.apk samples/demo-policy.txt --lang en --format html \
    --output "$out/report.html" || [ $? -eq 1 ]   # exit 1: the demo has an undisclosed SDK
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
    --user-data-dir="$out/profile" --window-size=1280,1500 \
    --screenshot="$PWD/docs/audit-report.png" "file://$out/report.html" 2>/dev/null
echo "wrote docs/audit-report.png"
