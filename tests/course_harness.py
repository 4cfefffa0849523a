"""A throw-away nbgrader course with its own exchange, driven through the real nbgrader command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from nbgrader.api import Gradebook

from kommfit.course.settings import COURSE_ID

REPO_ROOT = Path(__file__).resolve().parent.parent


class CourseHarness:
    """Course folder, exchange and one folder per participant, all below ``base``."""

    def __init__(self, base: Path, modules: list[str]) -> None:
        self.base = base
        self.course = base / "kurs"
        self.exchange = base / "exchange"
        self.people = base / "teilnehmende"
        for folder in (self.course / "source", self.exchange, self.people):
            folder.mkdir(parents=True, exist_ok=True)
        self.exchange.chmod(0o777)
        for module in modules:
            shutil.copytree(REPO_ROOT / "source" / module, self.course / "source" / module)
        (self.course / "nbgrader_config.py").write_text(
            "from kommfit.course.settings import configure\n"
            "c = get_config()\n"
            f"configure(c, {str(self.course)!r})\n"
            f"c.Exchange.root = {str(self.exchange)!r}\n",
            encoding="utf-8",
        )

    def nbgrader(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        """Run one nbgrader command; fail the test with nbgrader's own output if it does not succeed."""
        command = [sys.executable, "-m", "nbgrader", *args]
        if cwd is not None:  # participants have no course config: tell nbgrader where the exchange is
            command += [f"--Exchange.root={self.exchange}", f"--CourseDirectory.course_id={COURSE_ID}"]
        # nbgrader runs the `alembic` command of its own environment; make sure it is found without an activated venv
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        result = subprocess.run(command, cwd=cwd or self.course, env=env, capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def person_folder(self, student: str) -> Path:
        folder = self.people / student
        folder.mkdir(exist_ok=True)
        return folder

    def fetch(self, module: str, student: str) -> Path:
        folder = self.person_folder(student)
        self.nbgrader("fetch_assignment", module, cwd=folder)
        return folder / module

    def submit(self, module: str, student: str) -> None:
        self.nbgrader("submit", module, f"--student={student}", cwd=self.person_folder(student))

    def score(self, module: str, student: str) -> float:
        with Gradebook(f"sqlite:///{self.course / 'gradebook.db'}", course_id=COURSE_ID) as gradebook:
            return gradebook.find_submission(module, student).score

    def autograded_notebook(self, module: str, student: str) -> Path:
        return self.course / "autograded" / student / module / f"{module}.ipynb"

    def feedback_html(self, module: str, student: str) -> str:
        path = self.course / "feedback" / student / module / f"{module}.html"
        return path.read_text(encoding="utf-8")
