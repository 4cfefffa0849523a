#!/usr/bin/env bash
# Debian packages the test suite needs. Installs what is missing when it can (root + apt-get);
# otherwise it says what is missing, and the tests that need it are skipped with that reason —
# except under CI=true, where a missing package is an error, because CI must run every test.
set -euo pipefail

packages=(chromium hunspell hunspell-de-de bubblewrap libseccomp2 uidmap postgresql)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
# The JupyterHub proxy runs on Node.js; Debian's nodejs (18) or NodeSource's (which brings its own npm) both do.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installiere Debian-Pakete für die Tests: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    exit 0
  fi
  echo "Die Installation von ${missing[*]} ist fehlgeschlagen." >&2
else
  echo "Hinweis: Es fehlen Debian-Pakete (${missing[*]}), und sie können hier nicht installiert werden" \
       "(nur als root mit apt-get). Die Tests, die sie brauchen, werden übersprungen." >&2
fi
if [ "${CI:-}" = "true" ]; then
  echo "Unter CI=true müssen alle Tests laufen: bitte ${missing[*]} installieren." >&2
  exit 1
fi
exit 0
