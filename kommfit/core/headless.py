"""While nbgrader grades a notebook, widgets have no frontend: keep their messages from being sent at all.

Every ipywidget opens a comm and sends its state to the frontend; a quiz module creates a few hundred of them, so
nbgrader receives and parses over a thousand messages per submission that nobody will ever render. In a grading run
(``NBGRADER_EXECUTION`` set) kommfit's widgets switch comm creation to the ``comm`` package's own silent DummyComm.
Widgets still work as objects — the grade cells read their options and answer files — and scores are unchanged.
"""

from __future__ import annotations

import os

import comm

GRADING_ENV = "NBGRADER_EXECUTION"


def in_grading() -> bool:
    """True while nbgrader executes the notebook: widgets then neither save nor show anything interactive, and
    nothing looks at an exchange."""
    return bool(os.environ.get(GRADING_ENV))


def quiet_when_grading() -> None:
    """Make widgets created from now on send nothing, if this kernel runs under nbgrader."""
    if in_grading() and comm.create_comm is not comm._create_comm:
        comm.create_comm = comm._create_comm
