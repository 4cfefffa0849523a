#!/usr/bin/env bash
# Richtet alles für den kommfit-JupyterHub ein (als root; start.sh ruft es bei jedem Start auf):
#  - eine Python-Umgebung aus dem System-Python an einem Ort, den alle Konten lesen dürfen
#    (KOMMFIT_HUB_VENV, Standard /opt/kommfit-hub), mit genau den Versionen aus requirements.lock,
#    JupyterHub, dem PostgreSQL-Treiber und kommfit – als Kopie, nicht als Verweis auf diesen Ordner: Die Konten der
#    Teilnehmenden und das Bewerterkonto dürfen den Repository-Ordner oft nicht lesen (Heimatordner mit chmod 700);
#  - dorthin auch die Kursmodule (source/), die nbgrader-Einstellungen der Teilnehmenden und den Proxy
#    (configurable-http-proxy, feste Version aus proxy/package-lock.json);
#  - die Debian-Pakete, falls sie fehlen: bubblewrap (Sandbox), nodejs/npm (Proxy), python3-venv.
# Hat sich im Repository nichts geändert, ist es nach wenigen Sekunden fertig; sonst wird kommfit neu installiert.
# Am Ende prüft es als Konto „nobody“, dass die Umgebung für alle benutzbar ist, und sagt sonst, was fehlt.
set -euo pipefail
umask 022  # alles, was hier entsteht, müssen alle Konten lesen können
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VENV=${KOMMFIT_HUB_VENV:-/opt/kommfit-hub}
PYTHON=${KOMMFIT_HUB_PYTHON:-/usr/bin/python3}
SHARE=$VENV/share/kommfit-hub  # what jupyterhub_config.py finds through sys.prefix

fehler() { echo "Fehler: $*" >&2; exit 1; }
[ "$(id -u)" = "0" ] ||
  fehler "Bitte als root ausführen: Der Hub startet die Server der Teilnehmenden unter deren eigenen Konten."
case "$VENV" in
  /*) ;;
  *) fehler "KOMMFIT_HUB_VENV muss ein absoluter Pfad sein (zum Beispiel /opt/kommfit-hub), nicht „$VENV“." ;;
esac
case "$VENV/" in
  "$REPO"/*) echo "Warnung: Die Hub-Umgebung $VENV liegt im Repository-Ordner. Liegt das Repository in einem" \
                  "Heimatordner mit chmod 700, können die anderen Konten sie nicht benutzen." >&2 ;;
esac

missing=()
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
"$PYTHON" -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Other accounts must be able to enter every folder on the way to the environment; say so before a long install.
blocked_folder() {  # prints the first folder on the way to $VENV that other accounts cannot enter; fails if none
  local path="" part parts
  IFS=/ read -ra parts <<<"${VENV#/}"
  for part in "${parts[@]}"; do
    path="$path/$part"
    [ -e "$path" ] || return 0  # mkdir below creates the rest, open for everyone (umask 022)
    runuser -u nobody -- test -x "$path" || { echo "$path"; return 1; }
  done
}
unusable() {  # $1: the reason, $2: how to open it
  fehler "Die Python-Umgebung des Hubs ($VENV) ist für andere Konten nicht benutzbar. $1" \
         "Die Server der Teilnehmenden und der Kurs-Dienst laufen unter deren eigenen Konten aus dieser Umgebung." \
         "Bitte KOMMFIT_HUB_VENV auf einen Ort setzen, den alle Konten lesen dürfen (Standard: /opt/kommfit-hub)," \
         "oder die Rechte dort ändern (z. B. $2)."
}
id nobody >/dev/null 2>&1 ||
  fehler "Das Konto nobody fehlt; damit prüft install.sh, ob andere Konten die Umgebung benutzen können."
if ! blocked=$(blocked_folder); then
  unusable "Der Ordner $blocked ist für andere Konten nicht zugänglich (Rechte $(stat -c %A "$blocked"))." \
    "chmod o+x $blocked"
fi
mkdir -p "$VENV"
exec 9>"$VENV/.einrichten.lock"
flock 9  # two installs at once (two test runs, start.sh and install.sh) would break each other's pip runs

# the hash of files and folders of the repository (paths and contents), without caches and answer files
fingerprint() {
  (cd "$REPO" && find "$@" -type f ! -path '*/__pycache__/*' ! -name '*.pyc' ! -path '*/.ipynb_checkpoints/*' \
      ! -name '.antworten.json*' ! -path '*/node_modules/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) \
    | sha256sum | cut -d' ' -f1
}
stamp_matches() { [ -f "$VENV/$1" ] && [ "$(cat "$VENV/$1")" = "$2" ]; }

# A virtual environment on root's own Python (e.g. pyenv in /root) could not be used by other accounts.
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"

deps=$(fingerprint requirements.lock)
if ! stamp_matches .stand-abhaengigkeiten "$deps"; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REPO/requirements.lock"
  echo "$deps" >"$VENV/.stand-abhaengigkeiten"
fi

# kommfit itself: not editable (that would point into the repository), from a copy of the working tree, so the
# build leaves nothing behind here and every run installs exactly what is in the repository now
code=$(fingerprint pyproject.toml kommfit source notebooks/00-start.ipynb deploy/jupyterhub/teilnehmende \
  deploy/jupyterhub/install.sh)
if ! stamp_matches .stand-kommfit "$code"; then
  rm -f "$VENV/.stand-kommfit"
  build=$(mktemp -d)
  trap 'rm -rf "$build"' EXIT
  tar -C "$REPO" --exclude=__pycache__ --exclude='*.pyc' --exclude='*.egg-info' -cf - pyproject.toml README.md kommfit \
    | tar -C "$build" -xf -
  chmod -R u+rwX,go+rX "$build"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall \
    --no-build-isolation "$build"
  # The installed kommfit looks for the course's modules next to its package (kommfit.course.settings.CURRICULUM_SOURCE,
  # in the repository: source/); `kommfit init` copies them from there into the cohort.
  curriculum=$(cd / && "$VENV/bin/python" -c 'from kommfit.course.settings import CURRICULUM_SOURCE; print(CURRICULUM_SOURCE)')
  case "$curriculum" in
    "$VENV"/*) ;;
    *) fehler "kommfit sucht die Kursmodule in $curriculum, nicht in der Hub-Umgebung $VENV." \
              "Ist dort noch eine alte, editierbare Installation? Bitte den Ordner $VENV löschen und neu einrichten." ;;
  esac
  rm -rf "$curriculum" "$SHARE/teilnehmende"
  mkdir -p "$curriculum" "$SHARE/teilnehmende"
  tar -C "$REPO/source" --exclude=__pycache__ --exclude=.ipynb_checkpoints --exclude='.antworten.json*' -cf - . \
    | tar -C "$curriculum" --no-same-owner -xf -
  cp "$HERE/teilnehmende/nbgrader_config.py" "$SHARE/teilnehmende/"
  # the start page ("Module abholen", "Rückmeldung abholen"), which kommfit.course.startpage puts into every home
  cp -r "$HERE/teilnehmende/jupyter_server_config.d" "$SHARE/teilnehmende/"
  cp "$REPO/notebooks/00-start.ipynb" "$SHARE/teilnehmende/"
  chmod -R u+rwX,go+rX,go-w "$curriculum" "$SHARE/teilnehmende"
  echo "$code" >"$VENV/.stand-kommfit"
fi

proxy=$(fingerprint deploy/jupyterhub/proxy)
if ! stamp_matches .stand-proxy "$proxy" || [ ! -x "$SHARE/proxy/node_modules/.bin/configurable-http-proxy" ]; then
  rm -f "$VENV/.stand-proxy"
  mkdir -p "$SHARE/proxy"
  cp "$HERE/proxy/package.json" "$HERE/proxy/package-lock.json" "$SHARE/proxy/"
  (cd "$SHARE/proxy" && npm ci --no-audit --no-fund --silent)
  echo "$proxy" >"$VENV/.stand-proxy"
fi

# Can an account that is neither root nor the owner of the repository use the environment?
probe='
import pathlib, jupyterhub, kommfit.app.cli
from kommfit.core.profile import default_profile_path
from kommfit.course.settings import CURRICULUM_SOURCE
modules = sorted(CURRICULUM_SOURCE.glob("*/*.ipynb"))
assert modules, f"keine Module in {CURRICULUM_SOURCE}"
modules[0].read_bytes()
default_profile_path().read_bytes()
share = pathlib.Path(__import__("sys").prefix) / "share" / "kommfit-hub" / "teilnehmende"
for name in ("nbgrader_config.py", "00-start.ipynb", "jupyter_server_config.d/kommfit-startseite.json"):
    (share / name).read_bytes()
'
if ! output=$(cd / && runuser -u nobody -- "$VENV/bin/python" -c "$probe" 2>&1); then
  if blocked=$(blocked_folder); then
    unusable "Python meldet: $(echo "$output" | tail -n 3)" "chmod -R o+rX $VENV"
  fi
  unusable "Der Ordner $blocked ist für andere Konten nicht zugänglich (Rechte $(stat -c %A "$blocked"))." \
    "chmod o+x $blocked"
fi
echo "kommfit-JupyterHub eingerichtet: $VENV"
