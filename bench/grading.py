"""Benchmarks, each comparing against its baseline in the same run:

1. `nbgrader autograde` (serial, the baseline) against `kommfit grade` (parallel, pre-forked kernels, in the sandbox)
   on N submissions — target: at least 3x faster with identical scores.
2. `kommfit grade` in the sandbox against `kommfit grade --ohne-sandbox` on M submissions — target: at most 1.2x.

The cohort has N synthetic participants for one real module (answer files written through the quiz widgets,
20 distinct answer patterns). Each run prints wall time, peak memory (summed resident memory of the whole process
tree, sampled) and whether every score is identical to the baseline's.

Usage: python bench/grading.py [--teilnehmende 200] [--sandbox-teilnehmende 100] [--modul M] [--parallel 2]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kommfit.core.profile import default_profile_path  # noqa: E402
from kommfit.course.settings import ensure_tools_on_path  # noqa: E402
from kommfit.course.synthetic import answer_through_widgets, module_info, plausible_answers, synthetic_people  # noqa: E402
from kommfit.workshop.cohort import Cohort  # noqa: E402
from kommfit.workshop.roster import Person, write_roster  # noqa: E402

PATTERNS = 20


class PeakMemory:
    """Samples the summed RSS of a process and all its descendants every 0.1 s."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                total = sum(p.memory_info().rss for p in [root, *root.children(recursive=True)] if p.is_running())
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            self._stop.wait(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def build_cohort(base: Path, people: int, module: str) -> Cohort:
    synthetic = synthetic_people(people)
    base.mkdir(parents=True, exist_ok=True)
    roster = base / "teilnehmende.csv"
    write_roster(roster, [Person(p.id, p.name, p.abteilung) for p in synthetic])
    source = base / "curriculum"
    shutil.copytree(REPO / "source" / module, source / module)
    cohort = Cohort.create(base / "kohorte", default_profile_path(), roster, curriculum=source)
    api = cohort.api()
    assert api.generate_assignment(module, force=True, create=True)["success"]
    info = module_info(cohort.root / "source" / module / f"{module}.ipynb")
    released = cohort.root / "release" / module
    rng = random.Random(42)
    patterns = []
    for number in range(PATTERNS):
        folder = base / "muster" / f"m{number}"
        shutil.copytree(released, folder)
        answers = plausible_answers(info, rng.uniform(0.3, 0.95), rng)
        answer_through_widgets(released / f"{module}.ipynb", folder, answers)
        patterns.append(folder)
    for index, person in enumerate(synthetic):
        target = cohort.folder("submitted", person.id, module)
        shutil.copytree(patterns[index % PATTERNS], target)
        (target / "timestamp.txt").write_text("2026-11-27 10:00:00.000000 UTC\n", encoding="utf-8")
    return cohort


def timed(command: list[str], cwd: Path) -> tuple[float, int, subprocess.CompletedProcess]:
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(process.pid)
    out, err = process.communicate()
    wall = time.monotonic() - started
    peak = memory.stop()
    result = subprocess.CompletedProcess(command, process.returncode, out, err)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{out[-3000:]}\n{err[-3000:]}")
    return wall, peak, result


def scores(cohort: Cohort, module: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(cohort.db_url, course_id=cohort.course_id) as gradebook:
        return {s.student.id: round(s.score, 4) for s in gradebook.assignment_submissions(module)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teilnehmende", type=int, default=200)
    parser.add_argument("--modul", default="01-jede-stimme-zaehlt")
    parser.add_argument("--parallel", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--sandbox-teilnehmende", type=int, default=100)
    args = parser.parse_args()
    ensure_tools_on_path()
    with tempfile.TemporaryDirectory(prefix="kommfit-bench-") as scratch:
        base = Path(scratch)
        print(f"Baue Kohorte: {args.teilnehmende} Abgaben von {args.modul} …", flush=True)
        original = build_cohort(base / "aufbau", args.teilnehmende, args.modul)
        baseline_root, ours_root = base / "nbgrader", base / "kommfit"
        shutil.copytree(original.root, baseline_root, symlinks=True)
        shutil.copytree(original.root, ours_root, symlinks=True)
        baseline, ours = Cohort.open(baseline_root), Cohort.open(ours_root)  # each copy has its own gradebook

        print("nbgrader autograde (seriell, Ausgangspunkt) …", flush=True)
        base_wall, base_peak, _ = timed(
            [sys.executable, "-m", "nbgrader", "autograde", args.modul, "--create"], baseline_root
        )
        print(f"kommfit grade --parallel {args.parallel} …", flush=True)
        ours_wall, ours_peak, result = timed(
            [sys.executable, "-m", "kommfit.app.cli", "grade", "--parallel", str(args.parallel)], ours_root
        )
        base_scores, our_scores = scores(baseline, args.modul), scores(ours, args.modul)
        identical = base_scores == our_scores and len(base_scores) == args.teilnehmende
        ratio = base_wall / ours_wall
        print()
        print(f"Abgaben:                 {args.teilnehmende} ({args.modul}), {os.cpu_count()} Kerne")
        print(f"nbgrader autograde:      {base_wall:7.1f} s  ({base_wall / args.teilnehmende:.2f} s je Abgabe), "
              f"Spitze {base_peak / 2**20:.0f} MiB")
        print(f"kommfit grade:           {ours_wall:7.1f} s  ({ours_wall / args.teilnehmende:.2f} s je Abgabe), "
              f"Spitze {ours_peak / 2**20:.0f} MiB")
        print(f"Verhältnis:              {ratio:.2f}x schneller (Ziel: mindestens 3x)")
        print(f"Punkte identisch:        {'ja' if identical else 'NEIN'} ({len(our_scores)} Bewertungen verglichen)")
        if not identical:
            diff = {k: (base_scores.get(k), our_scores.get(k)) for k in set(base_scores) | set(our_scores)
                    if base_scores.get(k) != our_scores.get(k)}
            print(f"Abweichungen: {dict(list(diff.items())[:10])}")
            return 1

        count = min(args.sandbox_teilnehmende, args.teilnehmende)
        print(f"\nSandbox-Vergleich auf {count} Abgaben …", flush=True)
        plain_root, boxed_root = base / "ohne-sandbox", base / "sandbox"
        for target in (plain_root, boxed_root):
            shutil.copytree(original.root, target, symlinks=True)
            for person in sorted((target / "submitted").iterdir())[count:]:
                shutil.rmtree(person)
        plain_wall, plain_peak, _ = timed(
            [sys.executable, "-m", "kommfit.app.cli", "grade", "--parallel", str(args.parallel), "--ohne-sandbox"],
            plain_root,
        )
        boxed_wall, boxed_peak, _ = timed(
            [sys.executable, "-m", "kommfit.app.cli", "grade", "--parallel", str(args.parallel)], boxed_root
        )
        plain_scores, boxed_scores = scores(Cohort.open(plain_root), args.modul), scores(Cohort.open(boxed_root),
                                                                                        args.modul)
        overhead = boxed_wall / plain_wall
        print(f"ohne Sandbox:            {plain_wall:7.1f} s, Spitze {plain_peak / 2**20:.0f} MiB")
        print(f"mit Sandbox:             {boxed_wall:7.1f} s, Spitze {boxed_peak / 2**20:.0f} MiB")
        print(f"Aufwand der Sandbox:     {overhead:.2f}x (Ziel: höchstens 1,2x)")
        print(f"Punkte identisch:        {'ja' if plain_scores == boxed_scores else 'NEIN'}")
        if plain_scores != boxed_scores:
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
