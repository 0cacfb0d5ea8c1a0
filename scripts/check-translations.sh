#!/usr/bin/env bash
# Fail when a user-facing string has no Dutch translation: extract the strings as
# `make messages` does, then look for untranslated or fuzzy entries. The committed .po
# file is put back afterwards, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
po=locale/nl/LC_MESSAGES/django.po
backup=$(mktemp)
cp "$po" "$backup"
trap 'cp "$backup" "$po"; rm -f "$backup"' EXIT

"$python" manage.py makemessages -l nl --no-obsolete --ignore=.venv --ignore=node_modules \
    --ignore=staticfiles --ignore=test-results >/dev/null

# msgattrib prints nothing when all is well, else the header entry and the culprits.
count() { local n; n=$(msgattrib "$@" --no-obsolete "$po" | grep -c '^msgid ' || true); echo $((n > 0 ? n - 1 : 0)); }
untranslated=$(count --untranslated)
fuzzy=$(count --only-fuzzy)
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
    echo "Dutch translations missing: $untranslated untranslated, $fuzzy fuzzy. Run" \
         "'make messages', translate locale/nl/LC_MESSAGES/django.po and commit it:"
    msgattrib --untranslated --no-obsolete "$po" | grep -A1 '^msgid ' | head -40
    msgattrib --only-fuzzy --no-obsolete "$po" | grep -A1 '^msgid ' | head -20
    exit 1
fi
echo "== every user-facing string has its Dutch translation"
