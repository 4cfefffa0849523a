"""Laptop mode: hand in a module as one zip file, for workshops without JupyterHub.

The participant types their id (as in the facilitator's list) and clicks "Abgabe exportieren"; the widget writes
``Abgabe_<modul>_<kennung>.zip`` next to the module folder with the notebook and the answer file. Inside, files sit
under ``<zeitpunkt>/<kennung>/<modul>/`` — the layout ``kommfit collect --zip`` hands to nbgrader's zip_collect.
"""

from __future__ import annotations

import html
import os
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as widgets

from .answers import ANSWER_FILE_NAME
from .display import STYLE
from .keyboard import CONTAINER_CLASS, KeyboardScope
from .roster import ID_PATTERN

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


class HandInError(Exception):
    """The module cannot be exported; the message is German."""


def archive_name(module: str, person: str) -> str:
    return f"Abgabe_{module}_{person}.zip"


def write_handin(folder: Path, person: str, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Path:
    """Zip the module in ``folder`` for ``person`` into the folder above it; returns the archive path."""
    person = person.strip()
    if not ID_PATTERN.match(person):
        raise HandInError("Bitte geben Sie Ihre Kennung so ein, wie Ihre Kursleitung sie Ihnen genannt hat "
                          "(Buchstaben, Ziffern, Punkt, Binde- oder Unterstrich).")
    module = folder.name
    notebook = folder / f"{module}.ipynb"
    if not notebook.is_file():
        raise HandInError(f"Im Ordner {module} fehlt das Notizbuch {notebook.name}.")
    stamp = clock().strftime(STAMP_FORMAT)
    target = folder.parent / archive_name(module, person)
    partial = target.with_suffix(".zip.tmp")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in (notebook, folder / ANSWER_FILE_NAME):
            if path.is_file():
                bundle.write(path, f"{stamp}/{person}/{module}/{path.name}")
    os.replace(partial, target)
    return target


class HandIn(widgets.VBox):
    """Id field and "Abgabe exportieren" button; writes nothing until clicked, never while nbgrader grades."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = Path(folder or Path.cwd())
        self.person = widgets.Text(description="Ihre Kennung", placeholder="z. B. tn017",
                                   style={"description_width": "8em"})
        self.button = widgets.Button(description="Abgabe exportieren", button_style="primary")
        self.button.add_class("kommfit-submit")
        self.status = widgets.HTML()
        self.status.add_class("kommfit-status")
        self.button.on_click(lambda _b: self.export())
        super().__init__([widgets.HTML(STYLE), widgets.HBox([self.person, self.button]), self.status,
                          KeyboardScope()])
        self.add_class("kommfit-quiz")
        self.add_class("kommfit-handin")
        self.add_class(CONTAINER_CLASS)

    def export(self) -> Path | None:
        """What the button does."""
        if os.environ.get("NBGRADER_EXECUTION"):
            return None
        try:
            archive = write_handin(self.folder, self.person.value)
        except (HandInError, OSError) as error:
            self.status.value = f"<span class='kommfit-bad'>{html.escape(str(error))}</span>"
            return None
        self.status.value = (
            f"<span class='kommfit-good'>✓ Gespeichert als <b>{html.escape(archive.name)}</b> im Ordner über diesem "
            "Modul.</span> Klicken Sie die Datei im Dateibrowser links mit der rechten Maustaste an, wählen Sie "
            "„Herunterladen“ und schicken Sie sie Ihrer Kursleitung."
        )
        return archive

    def __repr__(self) -> str:
        return "<Abgabe exportieren>"
