#!/usr/bin/env bash
# Print the path of a Python 3.12+ to build .venv with: pyenv's (as .python-version says),
# else python3.12 / python3.13 / python3 from PATH if new enough. Fails with a hint.
set -euo pipefail
cd "$(dirname "$0")/.."

ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }

candidates=()
if command -v pyenv >/dev/null 2>&1; then
    # pyenv reads .python-version ("3.12") from this directory.
    candidates+=("$(pyenv which python 2>/dev/null || true)")
    candidates+=("$(pyenv which python3.12 2>/dev/null || true)")
fi
for name in python3.12 python3.13 python3; do
    candidates+=("$(command -v "$name" 2>/dev/null || true)")
done
for root in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12* "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*; do
    [ -x "$root/bin/python" ] && candidates+=("$root/bin/python")
done

for python in "${candidates[@]}"; do
    if [ -n "$python" ] && ok "$python"; then
        echo "$python"
        exit 0
    fi
done
echo "No Python 3.12 or newer found. Install it with pyenv (pyenv install 3.12) -" \
     "this project's .python-version asks for 3.12." >&2
exit 1
