#!/usr/bin/env bash
# Startet den JupyterHub für einen kommfit-Kurs (als root). Einstellungen kommen aus Umgebungsvariablen oder aus
# der Datei /etc/kommfit/hub.env (KOMMFIT_HUB_EINSTELLUNGEN), zum Beispiel:
#
#   KOMMFIT_KOHORTE=/home/grader-kommfit/kurs-2026      # mit `kommfit init` angelegt, gehört grader-kommfit
#   KOMMFIT_BEWERTER=grader-kommfit                     # Systemkonto, unter dem der Kurs-Dienst läuft
#   KOMMFIT_KURSLEITUNG=schmidt,yilmaz                  # Konten der Kursleitung (Gruppe formgrade-kommfit)
#   KOMMFIT_TEILNEHMENDE=tn001,tn002,tn003              # Konten der Teilnehmenden (Gruppe nbgrader-kommfit)
#   KOMMFIT_PROFIL=/etc/kommfit/kurs.toml               # das Firmenprofil für alle
#   KOMMFIT_AUSTAUSCH=/srv/nbgrader/exchange            # nbgrader-Austauschordner
#   KOMMFIT_HUB_PORT=8000
#   KOMMFIT_HUB_VENV=/opt/kommfit-hub                   # Python-Umgebung des Hubs, für alle Konten lesbar
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
SETTINGS=${KOMMFIT_HUB_EINSTELLUNGEN:-/etc/kommfit/hub.env}
if [ -f "$SETTINGS" ]; then
  set -a; . "$SETTINGS"; set +a
fi
: "${KOMMFIT_KOHORTE:?Bitte KOMMFIT_KOHORTE setzen (der Kohortenordner, angelegt mit kommfit init).}"
export KOMMFIT_HUB_ZUSTAND=${KOMMFIT_HUB_ZUSTAND:-/srv/kommfit/hub}
export KOMMFIT_AUSTAUSCH=${KOMMFIT_AUSTAUSCH:-/srv/nbgrader/exchange}
# the Hub's environment (default /opt/kommfit-hub): set up, or brought up to date with this repository (a few seconds
# when nothing changed)
export KOMMFIT_HUB_VENV=${KOMMFIT_HUB_VENV:-/opt/kommfit-hub}
VENV=$KOMMFIT_HUB_VENV
"$HERE/install.sh"
mkdir -p "$KOMMFIT_HUB_ZUSTAND" "$KOMMFIT_AUSTAUSCH"
chmod 700 "$KOMMFIT_HUB_ZUSTAND"
chmod 777 "$KOMMFIT_AUSTAUSCH"  # nbgrader: jede Person legt hier ihre Abgaben ab
cd "$KOMMFIT_HUB_ZUSTAND"
exec "$VENV/bin/jupyterhub" -f "$HERE/jupyterhub_config.py"
