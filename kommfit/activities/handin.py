"""Laptop mode: hand in a module as one zip file, for workshops without JupyterHub.

The participant types their id and their personal hand-in code (both from the facilitator's list, see
``kommfit.core.handincode``) and clicks "Abgabe exportieren"; the widget writes ``Abgabe_<modul>_<kennung>.zip``
next to the module folder with the notebook, the answer file and ``abgabe.json`` (the seal made with the code; the
code itself is not in the zip); the same click hands the zip to the browser as a download (``download.py``), which
in the browser edition is the only way out of the browser's storage. Inside, files sit under
``<zeitpunkt>/<kennung>/<modul>/`` — the layout ``kommfit collect --zip`` checks and hands to nbgrader's zip_collect.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as widgets

from ..core import handincode, runtime
from ..core.answers import ANSWER_FILE_NAME
from ..core.headless import in_grading
from ..core.ids import ID_PATTERN
from ..quiz.access import live
from ..quiz.display import STYLE
from ..quiz.keyboard import CONTAINER_CLASS, KeyboardScope
from .download import Download

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
# Shown only in the browser edition, where the answer file lives in this browser's storage.
BROWSER_NOTE = (
    "<p class='kommfit-browser-note'><b>Ihre Antworten bleiben in diesem Browser.</b> Bitte nutzen Sie kein "
    "privates Fenster und löschen Sie die Daten Ihres Browsers nicht. Bleiben Sie bis zur Abgabe an diesem Gerät "
    "und in diesem Browser – auf einem anderen Gerät sind Ihre Antworten nicht da.</p>"
)


class HandInError(Exception):
    """The module cannot be exported; the message is German."""


def archive_name(module: str, person: str) -> str:
    return f"Abgabe_{module}_{person}.zip"


def _without_widget_state(data: bytes) -> bytes:
    """The notebook without saved widget state: it is useless for grading and could hold what was typed into the
    export fields (JupyterLab's "Save Widget State Automatically")."""
    try:
        notebook = json.loads(data)
    except ValueError:
        return data
    if not isinstance(notebook, dict) or not isinstance(notebook.get("metadata"), dict):
        return data
    if "widgets" not in notebook["metadata"]:
        return data
    del notebook["metadata"]["widgets"]
    return (json.dumps(notebook, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_handin(
    folder: Path, person: str, code: str, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> Path:
    """Zip the module in ``folder`` for ``person``, sealed with their hand-in ``code``, into the folder above it;
    returns the archive path."""
    person = person.strip()
    if not ID_PATTERN.match(person):
        raise HandInError("Bitte geben Sie Ihre Kennung so ein, wie Ihre Kursleitung sie Ihnen genannt hat "
                          "(Buchstaben, Ziffern, Punkt, Binde- oder Unterstrich).")
    problem = handincode.problem(code, person)
    if problem:
        raise HandInError(problem)
    module = folder.name
    notebook = folder / f"{module}.ipynb"
    if not notebook.is_file():
        raise HandInError(f"Im Ordner {module} fehlt das Notizbuch {notebook.name}.")
    now = clock()
    stamp = now.strftime(STAMP_FORMAT)
    members = {notebook.name: _without_widget_state(notebook.read_bytes())}
    answers = folder / ANSWER_FILE_NAME
    if answers.is_file():
        members[answers.name] = answers.read_bytes()
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in members.items()}
    members[handincode.MANIFEST_NAME] = handincode.manifest(code, person, module, stamp, digests)
    target = folder.parent / archive_name(module, person)
    partial = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members.items():
            info = zipfile.ZipInfo(f"{stamp}/{person}/{module}/{name}", date_time=now.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100600 << 16  # a regular file, owner read/write only
            bundle.writestr(info, data)
    os.replace(partial, target)
    return target


class HandIn(widgets.VBox):
    """Id and hand-in code fields and "Abgabe exportieren" button; writes nothing until clicked, never while nbgrader
    grades."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder or Path.cwd())
        self.person = widgets.Text(description="Ihre Kennung", placeholder="z. B. tn017",
                                   style={"description_width": "8em"})
        self.code = widgets.Text(description="Ihr Abgabecode", placeholder=f"z. B. {handincode.EXAMPLE_CODE}",
                                 style={"description_width": "8em"})
        self.code.add_class("kommfit-handin-code")
        self.button = widgets.Button(description="Abgabe exportieren", button_style="primary")
        self.button.add_class("kommfit-submit")
        self.status = widgets.HTML()
        self.status.add_class("kommfit-status")
        live(self.status)
        self.button.on_click(lambda _b: self.export())
        self.download = Download()
        note = [widgets.HTML(BROWSER_NOTE)] if runtime.in_browser() else []
        super().__init__([widgets.HTML(STYLE), *note, self.person, widgets.HBox([self.code, self.button]), self.status,
                          self.download, KeyboardScope()])
        self.add_class("kommfit-quiz")
        self.add_class("kommfit-handin")
        self.add_class(CONTAINER_CLASS)

    def export(self) -> Path | None:
        """What the button does."""
        if in_grading():
            return None
        try:
            archive = write_handin(self.folder, self.person.value, self.code.value)
        except (HandInError, OSError) as error:
            self.status.value = f"<span class='kommfit-bad'>{html.escape(str(error))}</span>"
            return None
        self.download.offer(archive.name, archive.read_bytes())
        self.status.value = (
            f"<span class='kommfit-good'>✓ Gespeichert als <b>{html.escape(archive.name)}</b>.</span> Ihr Browser "
            "lädt die Datei jetzt herunter: Sie finden sie in Ihrem Download-Ordner. Schicken Sie sie Ihrer "
            "Kursleitung."
        )
        return archive

    def __repr__(self) -> str:
        return "<Abgabe exportieren>"
