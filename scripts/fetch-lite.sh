#!/usr/bin/env bash
# Everything the browser edition is built from, fetched from the registries only and checked against the pins in
# lite/: the build tools into build/lite-env (pip, --require-hashes), the Pyodide core into build/lite-cache/npm
# (npm ci checks the tarball's integrity from lite/package-lock.json), the kernel's pure-Python wheels into
# build/lite-cache/wheels (pip download, --require-hashes). Does nothing that is already in place; `make lite` and
# `make test` (via `make system`) run it. Offline after the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
env=build/lite-env
cache=build/lite-cache
python=${PYTHON:-python3}
mkdir -p "$cache"

stamp=$env/.kommfit-lite-ready
if [ ! -f "$stamp" ] || [ lite/build-requirements.txt -nt "$stamp" ]; then
  echo "Richte die Werkzeuge für die Browser-Ausgabe ein (build/lite-env)"
  rm -rf "$env"
  "$python" -m venv "$env"
  "$env/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: \
    -r lite/build-requirements.txt
  touch "$stamp"
fi

npm_dir=$cache/npm
if [ ! -f "$npm_dir/node_modules/pyodide/pyodide-lock.json" ] || [ lite/package-lock.json -nt "$npm_dir/node_modules/pyodide/pyodide-lock.json" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm fehlt (scripts/install-system-packages.sh installiert es): die Browser-Ausgabe braucht Pyodide aus npm." >&2
    exit 1
  fi
  echo "Hole den Pyodide-Kern aus npm (build/lite-cache/npm)"
  rm -rf "$npm_dir"
  mkdir -p "$npm_dir"
  cp lite/package.json lite/package-lock.json "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --silent --ignore-scripts)
fi

wheels=$cache/wheels
wstamp=$wheels/.kommfit-lite-ready
if [ ! -f "$wstamp" ] || [ lite/kernel-requirements.txt -nt "$wstamp" ]; then
  echo "Hole die Pakete für den Kernel im Browser (build/lite-cache/wheels)"
  rm -rf "$wheels"
  "$env/bin/python" -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes \
    --only-binary=:all: --platform any --implementation py --abi none --python-version 3.14 \
    -d "$wheels" -r lite/kernel-requirements.txt
  touch "$wstamp"
fi
