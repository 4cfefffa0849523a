#!/usr/bin/env bash
# Node packages the test suite needs (tests/tools/package.json, pinned in its package-lock.json): axe-core, which
# tests/course/test_accessibility.py injects into JupyterLab. Installs them with `npm ci` when they are missing or
# older than the lock file. Without npm the accessibility test is skipped with that reason — except under CI=true,
# where that is an error, because CI must run every test.
set -euo pipefail
cd "$(dirname "$0")/../tests/tools"

if ! command -v npm >/dev/null 2>&1; then
  echo "Hinweis: npm fehlt (scripts/install-system-packages.sh); der Barrierefreiheitstest wird übersprungen." >&2
  [ "${CI:-}" = "true" ] && exit 1
  exit 0
fi
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ "$stamp" -nt package-lock.json ] && [ -f node_modules/axe-core/axe.min.js ]; then
  exit 0
fi
echo "Installiere die Node-Pakete für die Tests (tests/tools): axe-core"
npm ci --no-audit --no-fund --silent
