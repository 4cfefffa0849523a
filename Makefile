# kommfit — Fitnessprogramm Digitale Kommunikation
#   make lab      JupyterLab für Teilnehmende (Deutsch, Startseite notebooks/00-start.ipynb)
#   make test     die ganze Testsuite (richtet vorher alles ein, auch Chromium für den Browsertest)
#   make author   JupyterLab für Autorinnen und Autoren, mit den nbgrader-Werkzeugen
#   make release  release/ aus source/ neu erzeugen (nach jeder Änderung an einem Modul)
#   make demo     ein ganzer Workshop mit 30 Testpersonen: freigeben, abgeben, bewerten, Bericht
#   make bench    nbgrader autograde gegen kommfit grade auf 200 Abgaben, mit Verhältnis; Browser-Ausgabe gegen JupyterLab
#   make lite     die Browser-Ausgabe (JupyterLite) nach build/lite/ bauen: ein Ordner für jeden Webserver
#   make lock     requirements.lock aus pyproject.toml neu berechnen (nur wenn Abhängigkeiten sich ändern)
# Jedes Ziel legt .venv selbst an, wenn es fehlt.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
READY := $(VENV)/.kommfit-ready
PYTEST_ARGS ?=
# nbgrader calls helper programs (alembic) by name: they must be found without an activated venv.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: lab author test release demo bench lock system lint lite lite-lock

$(READY): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

lab: $(READY)
	$(BIN)/python -m kommfit.course.lab teilnehmende

author: $(READY)
	$(BIN)/python -m kommfit.course.lab autorenschaft

system:
	@scripts/install-system-packages.sh
	@scripts/install-test-tools.sh
	@scripts/fetch-lite.sh

lite: $(READY)
	@scripts/fetch-lite.sh
	$(BIN)/python -m kommfit.course.lite $(if $(PROFILE),--profile $(PROFILE))

lite-lock: $(READY)
	PYTHON=$(BIN)/python scripts/lite-lock.sh

test: $(READY) system
	$(BIN)/python -m pytest $(PYTEST_ARGS)

release: $(READY)
	$(BIN)/python -m kommfit.course.release

demo: $(READY)
	$(BIN)/python -m kommfit.app.demo

bench: $(READY) lite
	$(BIN)/python bench/grading.py
	$(BIN)/python bench/lite.py

lint: $(READY)
	$(BIN)/python -m ruff check kommfit tests bench nbgrader_config.py

lock: $(READY)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip compile pyproject.toml --extra test --extra hub --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --annotation-style line --no-header -o requirements.lock
	@sed -i '1i # Pinned versions for every machine (Linux, Python 3.11). Regenerate with `make lock` after changing pyproject.toml.' requirements.lock
