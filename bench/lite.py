"""Benchmark: the browser edition (JupyterLite, Pyodide) against JupyterLab (`make lab`) on the same module.

Measured in Debian's chromium, each from a loopback server with every other host blocked, the connection held to LAN
speed (100 Mbit/s, 2 ms latency — what an office network or good Wi-Fi gives):

* "Startseite": from opening the start page, running its cells, until its first question is on screen and the
  kernel is idle (participants start with "Alle Zellen ausführen");
* "Modul klickbereit": the same for the module, opened next.

Each twice: a first visit (fresh browser profile, empty cache) and a later visit (same profile, its cache on disk
warm; for the browser edition also the answers already in the browser). Other hosts are shut out by a proxy that
does not exist (lite_harness.NO_WAY_OUT), not by Playwright's routing as in the tests: routing switches the browser's
cache off, and every later visit would then load everything again. Targets for the browser edition (issue 13):
start page and module together ≤ 20 s on a first visit, ≤ 5 s on a later one. The machine this runs on counts:
compare the two editions' times with each other, and the targets with a laptop's times.

Usage: python bench/lite.py [--modul 01-jede-stimme-zaehlt] [--site build/lite]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.course import lab_harness  # noqa: E402
from tests.lite import lite_harness  # noqa: E402

FIRST_QUESTION = ".kommfit-quiz"
LAN = {"offline": False, "latency": 2, "downloadThroughput": 100e6 / 8, "uploadThroughput": 100e6 / 8}
TARGETS = {"erster Besuch": 20.0, "späterer Besuch": 5.0}


def open_ready(page, url: str) -> tuple[float, float]:
    """(seconds until the kernel was idle, seconds until all cells ran and the first question is on screen)."""
    started = time.monotonic()
    page.goto(url)
    page.wait_for_function(lite_harness.KERNEL_IDLE, polling=200)
    kernel = time.monotonic() - started
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.locator(FIRST_QUESTION).first.wait_for()
    page.wait_for_function(lite_harness.KERNEL_IDLE, polling=200)
    return kernel, time.monotonic() - started


def visit(context, start_url: str, module_url: str) -> dict[str, tuple[float, float]]:
    """One visit: the start page, then the module, each in a new tab held to LAN speed."""
    times = {}
    for name, url in (("Startseite", start_url), ("Modul", module_url)):
        page = context.new_page()
        context.new_cdp_session(page).send("Network.emulateNetworkConditions", LAN)
        page.set_default_timeout(300_000)
        page.set_viewport_size({"width": 1400, "height": 1000})
        times[name] = open_ready(page, url)
        page.close()
    return times


def measure(playwright, urls, blocked_total: list[str]) -> dict[str, dict[str, tuple[float, float]]]:
    """A first and a later visit in a browser with a profile of its own on disk, as a participant's browser has:
    a context without one keeps its cache in memory and drops Pyodide's 9 MB, so every visit would be a first."""
    with tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=lab_harness.CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", *lite_harness.NO_WAY_OUT])
        blocked_total += lite_harness.watch_other_hosts(context)
        try:
            return {"erster Besuch": visit(context, *urls), "späterer Besuch": visit(context, *urls)}
        finally:
            context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modul", default="01-jede-stimme-zaehlt")
    parser.add_argument("--site", type=Path, default=REPO / "build" / "lite")
    args = parser.parse_args()
    if not (args.site / "jupyter-lite.json").exists():
        print(f"{args.site} fehlt: bitte zuerst `make lite`.", file=sys.stderr)
        return 1
    module = args.modul
    blocked: list[str] = []
    results = {}
    with sync_playwright() as playwright:
        with lite_harness.serving(args.site) as base:
            urls = (lite_harness.notebook_url(base, "00-start"), lite_harness.notebook_url(base, module))
            results["Browser-Ausgabe"] = measure(playwright, urls, blocked)
        with tempfile.TemporaryDirectory() as tmp:
            root, home = Path(tmp) / "lab", Path(tmp) / "home"
            shutil.copytree(REPO / "release" / module, root / module)
            (root / "notebooks").mkdir(parents=True)
            shutil.copy2(REPO / "notebooks" / "00-start.ipynb", root / "notebooks" / "00-start.ipynb")
            home.mkdir()
            with lab_harness.running_lab(root, home) as (base, token):
                urls = (f"{base}/lab/tree/notebooks/00-start.ipynb?token={token}&reset",
                        f"{base}/lab/tree/{module}/{module}.ipynb?token={token}&reset")
                results["JupyterLab"] = measure(playwright, urls, blocked)
    print(f"Modul {module}, Verbindung 100 Mbit/s und 2 ms; Sekunden bis klickbereit "
          "(Startseite + Modul = zusammen; in Klammern: davon bis der Kernel bereit war):")
    totals: dict[str, dict[str, float]] = {}
    for edition, visits in results.items():
        for name, pages in visits.items():
            (sk, s), (mk, m) = pages["Startseite"], pages["Modul"]
            totals.setdefault(edition, {})[name] = s + m
            print(f"  {edition:16} {name:16} {s:5.1f} ({sk:4.1f}) + {m:5.1f} ({mk:4.1f}) = {s + m:5.1f}")
    for name, target in TARGETS.items():
        lite, lab = totals["Browser-Ausgabe"][name], totals["JupyterLab"][name]
        verdict = "erreicht" if lite <= target else "verfehlt"
        print(f"  {name}: Browser-Ausgabe/JupyterLab {lite / lab:.2f}x; Ziel ≤ {target:.0f} s {verdict} "
              f"({lite:.1f} s)")
    print(f"  Anfragen an andere Rechner: {len(blocked)}")
    return 0 if not blocked else 1


if __name__ == "__main__":
    raise SystemExit(main())
