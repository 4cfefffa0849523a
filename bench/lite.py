"""Benchmark: the browser edition (JupyterLite, Pyodide) against JupyterLab (`make lab`) on the same module.

Measured in Debian's chromium, each from a loopback server with every other host blocked:

* "Startseite": from opening the start page, running its cells, until its first question is on screen and the
  kernel is idle (participants start with "Alle Zellen ausführen");
* "Modul klickbereit": the same for the module, opened next.

Each twice: a first visit (fresh browser profile, empty cache) and a later visit (same profile, cache warm; for the
browser edition also the answers already in the browser). Targets for the browser edition (issue 13): ≤ 20 s on a
first visit, ≤ 5 s on a later one, on a laptop over a LAN; a busy 2-core build machine is slower.

Usage: python bench/lite.py [--modul 02-unsere-kommunikation-kennen] [--site build/lite]
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


KERNEL_TIMES: dict[str, list[float]] = {}  # seconds until the kernel was idle, per URL, to tell start-up from run


def open_ready(page, url: str) -> float:
    """Seconds from opening ``url`` until all its cells ran and its first question is on screen, kernel idle."""
    started = time.monotonic()
    page.goto(url)
    page.wait_for_function(lite_harness.KERNEL_IDLE, polling=200)
    KERNEL_TIMES.setdefault(url, []).append(time.monotonic() - started)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.locator(FIRST_QUESTION).first.wait_for()
    page.wait_for_function(lite_harness.KERNEL_IDLE, polling=200)
    return time.monotonic() - started


def visit(page, start_url: str, module_url: str) -> tuple[float, float]:
    """(seconds until the start page is ready, seconds until the module is ready to click)."""
    page.set_default_timeout(300_000)
    page.set_viewport_size({"width": 1400, "height": 1000})
    return open_ready(page, start_url), open_ready(page, module_url)


def measure(browser, urls, blocked_total: list[str]) -> list[tuple[float, float]]:
    context = browser.new_context()
    blocked_total += lite_harness.block_other_hosts(context)
    try:
        page = context.new_page()
        first = visit(page, *urls)
        page.close()
        page = context.new_page()
        later = visit(page, *urls)
        return [first, later]
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modul", default="02-unsere-kommunikation-kennen")
    parser.add_argument("--site", type=Path, default=REPO / "build" / "lite")
    args = parser.parse_args()
    if not (args.site / "jupyter-lite.json").exists():
        print(f"{args.site} fehlt: bitte zuerst `make lite`.", file=sys.stderr)
        return 1
    module = args.modul
    blocked: list[str] = []
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=lab_harness.CHROMIUM,
                                             args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        with lite_harness.serving(args.site) as base:
            urls = (lite_harness.notebook_url(base, "00-start"), lite_harness.notebook_url(base, module))
            results["Browser-Ausgabe"] = measure(browser, urls, blocked)
        with tempfile.TemporaryDirectory() as tmp:
            root, home = Path(tmp) / "lab", Path(tmp) / "home"
            shutil.copytree(REPO / "release" / module, root / module)
            (root / "notebooks").mkdir(parents=True)
            shutil.copy2(REPO / "notebooks" / "00-start.ipynb", root / "notebooks" / "00-start.ipynb")
            home.mkdir()
            with lab_harness.running_lab(root, home) as (base, token):
                urls = (f"{base}/lab/tree/notebooks/00-start.ipynb?token={token}&reset",
                        f"{base}/lab/tree/{module}/{module}.ipynb?token={token}&reset")
                results["JupyterLab"] = measure(browser, urls, blocked)
        browser.close()
    print(f"Modul {module}; Sekunden bis bereit (Startseite / Modul klickbereit):")
    for name, ((s1, m1), (s2, m2)) in results.items():
        print(f"  {name:16} erster Besuch {s1:6.1f} / {m1:6.1f}   späterer Besuch {s2:6.1f} / {m2:6.1f}")
    (ls1, lm1), (ls2, lm2) = results["Browser-Ausgabe"]
    (js1, jm1), (js2, jm2) = results["JupyterLab"]
    print(f"  Verhältnis Browser-Ausgabe/JupyterLab: erster Besuch {(ls1 + lm1) / (js1 + jm1):.2f}x, "
          f"späterer Besuch {(ls2 + lm2) / (js2 + jm2):.2f}x")
    print("  davon bis der Kernel bereit war (erster / späterer Besuch):")
    for url, seconds in KERNEL_TIMES.items():
        print(f"    {url.split('?')[0].rsplit('/', 1)[-1] if 'lab/tree' in url else url.rsplit('=', 1)[-1]:50} "
              + " / ".join(f"{s:5.1f}" for s in seconds))
    print(f"  Anfragen an andere Rechner: {len(blocked)}")
    return 0 if not blocked else 1


if __name__ == "__main__":
    raise SystemExit(main())
