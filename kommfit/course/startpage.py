"""Hub mode: every participant's JupyterLab opens on the course's start page, with "Module abholen" and
"Rückmeldung abholen".

On a laptop the start page is ``notebooks/00-start.ipynb`` in the repository. On the Hub a participant's server starts
in their empty home folder, so ``deploy/jupyterhub/install.sh`` installs the start page once into the Hub's
environment, the Hub names it in ``KOMMFIT_STARTSEITE`` and opens ``/lab/tree/00-start.ipynb``, and this server
extension — enabled for participants by ``jupyter_server_config.d/kommfit-startseite.json`` — puts a copy into the
participant's home when their server starts. It runs as the participant (never as root in someone else's home), and
replaces a copy that differs from the installed page: the start page holds nothing of the participant's (answers live
in the modules' folders, hand-ins in the exchange), and so a new course version reaches everyone.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

START_PAGE_VARIABLE = "KOMMFIT_STARTSEITE"


def place_start_page(installed: Path, root: Path) -> Path:
    """Copy ``installed`` into ``root`` under its own name unless an identical copy is there; returns the copy's
    path. Something else under that name (a folder, a link) is left alone: OSError."""
    data = installed.read_bytes()
    target = root / installed.name
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise OSError(f"{target} ist keine gewöhnliche Datei; die Startseite wird nicht ersetzt")
    if target.is_file() and target.read_bytes() == data:
        return target
    handle, temporary = tempfile.mkstemp(dir=root, prefix=".startseite-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "kommfit.course.startpage"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    installed = os.environ.get(START_PAGE_VARIABLE, "")
    if not installed:
        return
    try:
        placed = place_start_page(Path(installed), Path(serverapp.root_dir).expanduser())
    except OSError as error:  # the server still starts; the Assignments panel works without the start page
        serverapp.log.warning("kommfit: Startseite nicht bereitgestellt: %s", error)
        return
    serverapp.log.info("kommfit: Startseite %s", placed)
