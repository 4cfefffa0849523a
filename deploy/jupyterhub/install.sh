#!/usr/bin/env bash
# Richtet alles für den kommfit-JupyterHub ein (einmal, als root):
#  - eine Python-Umgebung aus dem System-Python, die alle Konten lesen dürfen (KOMMFIT_HUB_VENV),
#    mit genau den Versionen aus requirements.lock, kommfit, JupyterHub und dem PostgreSQL-Treiber;
#  - den Proxy (configurable-http-proxy, feste Version aus proxy/package-lock.json);
#  - die Debian-Pakete, falls sie fehlen: bubblewrap (Sandbox), nodejs/npm (Proxy), python3-venv.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VENV=${KOMMFIT_HUB_VENV:-$REPO/.venv-hub}
PYTHON=${KOMMFIT_HUB_PYTHON:-/usr/bin/python3}

if [ "$(id -u)" != "0" ]; then
  echo "Bitte als root ausführen: Der Hub startet die Server der Teilnehmenden unter deren eigenen Konten." >&2
  exit 1
fi
missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
"$PYTHON" -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# A virtual environment on root's own Python (e.g. pyenv in /root) could not be used by other accounts.
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REPO/requirements.lock"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -e "$REPO"
(cd "$HERE/proxy" && npm ci --no-audit --no-fund --silent)
echo "kommfit-JupyterHub eingerichtet: $VENV"
