#!/usr/bin/env bash
# Translations: extract messages from the code and templates, merge them into each catalog, and
# compile the .mo files the package ships (Babel, a dev dependency; the runtime reads the .mo with
# the standard library's gettext). Run after changing a message, translate the new entries in
# sdkreg/locale/<ll_CC>/LC_MESSAGES/sdkreg.po (tests/test_i18n.py names any left), then run again.
#
#   bash scripts/i18n.sh            extract + update + compile
set -euo pipefail
cd "$(dirname "$0")/.."
PYBABEL=.venv/bin/pybabel
POT=sdkreg/locale/sdkreg.pot
$PYBABEL extract -F babel.cfg -k NP_:1c,2 --no-location --sort-output --omit-header \
    --project sdkreg -o "$POT" sdkreg
$PYBABEL update -i "$POT" -d sdkreg/locale -D sdkreg --no-fuzzy-matching --ignore-obsolete
$PYBABEL compile -d sdkreg/locale -D sdkreg --statistics
