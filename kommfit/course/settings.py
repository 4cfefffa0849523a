"""The nbgrader settings of a kommfit course, shared by the repository and every cohort folder.

``nbgrader_config.py`` files only call ``configure``: one place decides how answer files travel, which German stubs
are used and what participants see in their feedback, so the maintainers' course and each facilitator's cohort
cannot drift apart.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from ..core.answers import ANSWER_FILE_NAME, LOCK_SUFFIX

COURSE_ID = "kommfit"
CELL_TIMEOUT_SECONDS = 60
# Parallel grading workers write to one SQLite gradebook; a writer waits this long for the lock instead of failing.
SQLITE_BUSY_SECONDS = 300
# Never carried with a submission: the answer file's lock and half-written temporary files of a killed kernel.
TRANSIENT_ANSWER_FILES = [ANSWER_FILE_NAME + LOCK_SUFFIX, ANSWER_FILE_NAME + ".*.tmp"]
FEEDBACK_TEMPLATE = "kommfit_feedback"
HANDIN_PATTERN = r".*/(?P<timestamp>\d{8}T\d{6}Z)/(?P<student_id>[^/]+)/[^/]+/(?P<file_id>[^/]+)$"
NBGRADER_DEFAULT_IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # kommfit/
# the modules' source notebooks: next to the package (in the repository, and where install.sh put them for the Hub)
CURRICULUM_SOURCE = PACKAGE_ROOT.parent / "source"


def module_ids(source_dir: Path) -> list[str]:
    """The modules of a course: every folder in ``source/`` that holds a notebook of the same name."""
    if not source_dir.is_dir():
        return []
    return sorted(d.name for d in source_dir.iterdir() if d.is_dir() and (d / f"{d.name}.ipynb").is_file())


def configure(c: Any, course_root: Path | str, course_id: str = COURSE_ID) -> None:
    """Apply the kommfit settings to an nbgrader config object ``c``."""
    from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import ClearHiddenTests, Execute, GetGrades, OverwriteCells

    from .preprocessors import CapOutput, RestoreCells

    root = Path(course_root).resolve()
    c.CourseDirectory.root = str(root)
    c.CourseDirectory.course_id = course_id
    c.CourseDirectory.db_url = f"sqlite:///{root / 'gradebook.db'}?timeout={SQLITE_BUSY_SECONDS}"
    c.CourseDirectory.ignore = NBGRADER_DEFAULT_IGNORE + TRANSIENT_ANSWER_FILES
    # Participants never write code; should a module ever use an answer cell, its stub is German.
    c.ClearSolutions.code_stub = {"python": "# IHRE ANTWORT HIER\nraise NotImplementedError()"}
    c.ClearSolutions.text_stub = "IHRE ANTWORT HIER"
    # The participant's answer file must survive autograde: never overwrite it from source/.
    c.Autograde.exclude_overwriting = {module: [ANSWER_FILE_NAME] for module in module_ids(root / "source")}
    # A deleted grade cell is put back, so it scores 0 with a message instead of vanishing from the gradebook.
    c.OverwriteCells.add_missing_cells = True
    c.Execute.timeout = CELL_TIMEOUT_SECONDS
    # The exchange is writable by every participant: collect sets forged, foreign and broken folders aside and never
    # follows links (nbgrader's default copies link targets such as the cohort's secret into submitted/).
    c.ExchangeFactory.collect = "kommfit.workshop.exchange_collect.SafeCollect"
    # Widget state (e.g. chart images) is useless in a graded notebook and only makes it large and slow to write.
    c.Execute.store_widget_state = False
    # Deleted grade cells are put back even where they follow read-only cells (nbgrader 0.9 fails there).
    sanitize = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    c.Autograde.sanitize_preprocessors = [RestoreCells if pp is OverwriteCells else pp for pp in sanitize]
    # One 100-MB line of output must not end up in the graded notebook and its feedback.
    pipeline = list(Autograde.class_traits()["autograde_preprocessors"].default())
    c.Autograde.autograde_preprocessors = pipeline[: pipeline.index(Execute) + 1] + [CapOutput] + \
        pipeline[pipeline.index(Execute) + 1:]
    # Laptop mode: hand-in zips hold <zeitpunkt>/<kennung>/<modul>/<datei> (see kommfit.activities.handin).
    c.ZipCollectApp.collector_plugin = "nbgrader.plugins.zipcollect.FileNameCollectorPlugin"
    c.FileNameCollectorPlugin.named_regexp = HANDIN_PATTERN
    c.FileNameCollectorPlugin.valid_ext = [".ipynb", ".json"]
    c.ZipCollectApp.strict = True
    # Feedback: German, the explanation of each graded question, never the hidden source with the key (nbgrader#917).
    c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
    c.HTMLExporter.template_name = FEEDBACK_TEMPLATE
    c.HTMLExporter.extra_template_basedirs = [str(PACKAGE_ROOT / "templates")]


def ensure_tools_on_path() -> None:
    """nbgrader runs helper programs (``alembic``) by name; find those of this Python environment even when the
    virtual environment is not activated (``make`` targets and the ``kommfit`` script call it by full path)."""
    tools = str(Path(sys.executable).parent)
    if tools not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = tools + os.pathsep + os.environ.get("PATH", "")
