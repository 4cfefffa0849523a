"""The curriculum repository: regenerate ``release/`` from ``source/`` with the real nbgrader.

``make release`` calls this module. The committed ``release/`` must always equal what nbgrader generates from
``source/`` (a test checks it), so participants get exactly what maintainers reviewed.

Usage: ``python -m kommfit.course.release [MODULE ...]`` (no argument: all modules).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .settings import PACKAGE_ROOT, module_ids

REPO_ROOT = PACKAGE_ROOT.parent


class ReleaseError(Exception):
    """nbgrader could not generate a module's release version."""


def generate_release(course_root: Path, module_id: str) -> Path:
    """Run ``nbgrader generate_assignment`` for one module of ``course_root`` and return its release folder.

    The old release folder is replaced, so files removed from ``source/`` disappear from ``release/`` too.
    ``--no-db`` keeps maintainers' runs from creating a gradebook in the repository.
    """
    target = course_root / "release" / module_id
    if target.exists():
        shutil.rmtree(target)
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", "generate_assignment", module_id, "--force", "--no-db"],
        cwd=course_root,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not (target / f"{module_id}.ipynb").is_file():
        raise ReleaseError(f"nbgrader generate_assignment {module_id} failed:\n{result.stdout}\n{result.stderr}")
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    modules = args or module_ids(REPO_ROOT / "source")
    for module_id in modules:
        try:
            folder = generate_release(REPO_ROOT, module_id)
        except ReleaseError as error:
            print(f"Fehler: {error}", file=sys.stderr)
            return 1
        print(f"release/{module_id} neu erzeugt ({folder.relative_to(REPO_ROOT)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
