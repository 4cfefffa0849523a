"""Build the browser edition of the course (JupyterLite with the Pyodide kernel) into ``build/lite/``.

Why a static site: most participants have a browser and no Python, many companies no JupyterHub, and laptop mode
puts ``source/`` — every hidden test — on each laptop. The site is made only from what participants may see:
``release/``, ``notebooks/00-start.ipynb`` and a kommfit wheel; it is checked for hidden tests before it is written.

Everything comes from pinned registry files that ``scripts/fetch-lite.sh`` put into ``build/lite-env`` (build tools),
``build/lite-cache/npm`` (the official Pyodide core from npm) and ``build/lite-cache/wheels`` (pure-Python wheels from
PyPI). Pyodide's npm package has no package files, so the site's ``pyodide-lock.json`` lists exactly the shipped
wheels (PyPI's wheels are not byte-identical to Pyodide's own builds, whose sha256 the official lock holds). Each
wheel's hash is checked against ``lite/kernel-requirements.txt`` before it is used; then folders no kernel of the
course reads are left out (``LEFT_OUT``), the wheels and the standard library are precompiled to bytecode
(``bytecode.py``: the kernel starts without compiling anything), the lock gets the sha256 of each file as it lies
in the site, and Pyodide checks that when it loads the package. Dependencies come
from the wheels' own metadata, and a dependency the site does not carry stops the build. The kernel loads all
packages at once as it starts (``loadPyodideOptions``), not one by one through piplite.

The build is always clean: an incremental JupyterLite build was seen to drop the local Pyodide URL, after which the
site asked a public CDN for Pyodide.

Usage: ``python -m kommfit.course.lite [--profile kurs.toml]`` (``make lite``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

import nbformat
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from . import bytecode, translations

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build"
SITE = BUILD / "lite"
STAGE = BUILD / "lite-stage"
ENV = BUILD / "lite-env"
NPM_PYODIDE = BUILD / "lite-cache" / "npm" / "node_modules" / "pyodide"
WHEELS = BUILD / "lite-cache" / "wheels"
# The wheels jupyterlite-pyodide-kernel brings for its kernel (pyodide_kernel, piplite, an ipykernel shim).
KERNEL_WHEELS = ENV / "share" / "jupyter" / "labextensions" / "@jupyterlite" / "pyodide-kernel-extension" / "static"
KERNEL_WHEELS /= "pypi"
PINS = REPO / "lite" / "kernel-requirements.txt"
START_NOTEBOOK = REPO / "notebooks" / "00-start.ipynb"
RELEASE = REPO / "release"
VIEW_SETTINGS = REPO / "kommfit" / "data" / "jupyter" / "teilnehmende"

# What kommfit needs inside a participant's kernel: the browser wheel declares only these, never jupyterlab,
# nbgrader, pandas or the language pack (which a piplite install would try to fetch).
KOMMFIT_KERNEL_DEPENDENCIES = ("ipywidgets", "anywidget", "traitlets", "comm", "filelock")
# Dependencies served by the site itself rather than by a wheel: the widgets' JupyterLab parts (lab extensions) and
# the shim that jupyterlite-pyodide-kernel ships for widgetsnbextension.
PROVIDED_BY_SITE = {"widgetsnbextension", "jupyterlab-widgets"}
# Folders of the pinned wheels that no kernel of the course reads, left out of the site: each page unpacks every file
# of every wheel as its kernel starts, and these were more than half of jedi's files and a third of the packages'
# time. Jedi (IPython's completion) reads its stubs for the standard library; those for other libraries and for
# Django describe packages the site does not have. anywidget carries its JupyterLab and notebook front end twice
# (1.1 MB that every kernel unpacked), which the site serves as an extension; ipywidgets carries its own tests.
# Each folder stays, empty: jedi lists the first one.
LEFT_OUT = {
    "jedi": ("jedi/third_party/typeshed/third_party/", "jedi/third_party/django-stubs/"),
    "anywidget": ("anywidget/labextension/", "anywidget/nbextension/", "anywidget-0.11.0.data/"),
    "ipywidgets": ("ipywidgets/tests/", "ipywidgets/widgets/tests/"),
}
PYODIDE_CORE_FILES = ("pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide.js", "pyodide.mjs", "python_stdlib.zip")
# Emscripten's view of the marker variables, to read which Requires-Dist apply in the browser.
EMSCRIPTEN_MARKERS = {"sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
                      "platform_machine": "wasm32", "implementation_name": "cpython", "extra": ""}
# Never in the site: what only facilitators and graders may see.
FORBIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "BEGIN SOLUTION", "### BEGIN")
FORBIDDEN_CALL = re.compile(r"\bgrade_\w*\s*\(")
PLUGIN = "@jupyterlite/pyodide-kernel-extension:kernel"
APP_NAME = "Fitnessprogramm Digitale Kommunikation"
# "Browserdaten löschen" in the menu wipes the browser's storage: every answer before it is handed in.
SITE_DISABLED_EXTENSIONS = ("@jupyterlite/application-extension:clear-browser-data",)
RELABEL_SCRIPT = "kommfit-deutsch.js"
# kommfit's own JupyterLab extension in the site: each page's kernel starts early, but not before the browser's
# storage is reachable (see its comment).
KERNEL_EXTENSION = "kommfit-kernel"
KERNEL_EXTENSION_SOURCE = REPO / "kommfit" / "data" / "lite" / f"{KERNEL_EXTENSION}.js"
# Put before JupyterLite's service worker: it answers only the storage's /api/ addresses (see the file's comment).
SERVICE_WORKER_FIRST = REPO / "kommfit" / "data" / "lite" / "kommfit-service-worker.js"
# Run by the site's Python as it starts: imports skip the browser's storage (see the file's docstring).
SITE_CUSTOMIZATION = REPO / "kommfit" / "data" / "lite" / "sitecustomize.py"
# What the pages show before JupyterLab has drawn anything (the loading screen) and without JavaScript, in German.
LOADING = "Loading JupyterLite..."
PAGE_TEXTS = {
    "<html>": '<html lang="de">',
    LOADING: "Der Kurs wird geladen …",
    "JupyterLite requires JavaScript to be enabled in your browser.":
        "Der Kurs braucht JavaScript. Bitte schalten Sie JavaScript in Ihrem Browser ein.",
}


class LiteBuildError(Exception):
    """The browser edition cannot be built; the message is German and says what to do."""


# ------------------------------------------------------------------------------------------------ wheels and lock
def pinned_hashes(pins: Path = PINS) -> dict[str, tuple[str, str]]:
    """canonical name → (version, sha256) from lite/kernel-requirements.txt."""
    found = {}
    for line in pins.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)\s+--hash=sha256:([0-9a-f]{64})", line)
        if match:
            found[canonicalize_name(match[1])] = (match[2], match[3])
    return found


def wheel_metadata(wheel: Path) -> tuple[str, str, list[str], list[str]]:
    """(name, version, dependencies in the browser, top-level import names) read from the wheel itself."""
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        (meta_name,) = [n for n in names if re.fullmatch(r"[^/]+\.dist-info/METADATA", n)]
        meta = Parser().parsestr(archive.read(meta_name).decode("utf-8"))
    environment = {**default_environment(), **EMSCRIPTEN_MARKERS, "python_version": "3.14",
                   "python_full_version": "3.14.2"}
    depends = []
    for line in meta.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            depends.append(str(canonicalize_name(requirement.name)))
    imports = sorted({re.sub(r"\.pyc?$", "", n.split("/")[0]) for n in names
                      if not n.split("/")[0].endswith((".dist-info", ".data"))
                      and (n.count("/") == 0 and n.endswith((".py", ".pyc"))
                           or n.endswith(("/__init__.py", "/__init__.pyc")) and n.count("/") == 1)})
    return meta["Name"], meta["Version"], depends, imports


def build_kommfit_wheel(target: Path) -> Path:
    """A wheel of the kommfit package for the browser, declaring only the kernel-side dependencies.

    Written directly (no setuptools run, nothing written into the repository) from the files pyproject.toml packs.
    """
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    dist_info = f"kommfit-{version}.dist-info"
    wheel = target / f"kommfit-{version}-py3-none-any.whl"
    files: dict[str, bytes] = {}
    for path in sorted((REPO / "kommfit").rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            files[path.relative_to(REPO).as_posix()] = path.read_bytes()
    requires = "".join(f"Requires-Dist: {name}\n" for name in KOMMFIT_KERNEL_DEPENDENCIES)
    files[f"{dist_info}/METADATA"] = (f"Metadata-Version: 2.1\nName: kommfit\nVersion: {version}\n"
                                      f"Summary: kommfit für den Kernel im Browser\n{requires}").encode()
    files[f"{dist_info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: kommfit.course.lite\nRoot-Is-Purelib: true\n"
                                   b"Tag: py3-none-any\n")
    files[f"{dist_info}/top_level.txt"] = b"kommfit\n"
    record = [bytecode.record_line(name, data) for name, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))  # the same bytes for the same sources
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data)
    return wheel


def lock_entry(wheel: Path) -> dict:
    """A pyodide-lock.json entry for a pure wheel shipped in the site."""
    name, version, depends, imports = wheel_metadata(wheel)
    return {
        "name": str(canonicalize_name(name)), "version": version, "file_name": wheel.name, "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(), "package_type": "package",
        "imports": imports, "depends": [d for d in depends if d not in PROVIDED_BY_SITE], "unvendored_tests": False,
    }


def prepare_pyodide(target: Path, kommfit_wheel: Path) -> dict:
    """Pyodide's core from npm plus the pinned wheels, the kernel's own wheels and the kommfit wheel in ``target``,
    all precompiled to bytecode, with their lock."""
    official = json.loads((NPM_PYODIDE / "pyodide-lock.json").read_text(encoding="utf-8"))
    target.mkdir(parents=True)
    for name in PYODIDE_CORE_FILES:
        shutil.copy2(NPM_PYODIDE / name, target / name)
    add_site_customization(target / "python_stdlib.zip")
    pins = pinned_hashes(PINS)
    for wheel in sorted(WHEELS.glob("*.whl")):
        name, version, _, _ = wheel_metadata(wheel)
        pin = pins.pop(str(canonicalize_name(name)), None)
        if pin is None:
            raise LiteBuildError(f"{wheel.name} steht nicht in {PINS.name}. "
                                 "Bitte scripts/fetch-lite.sh erneut ausführen.")
        if pin != (version, hashlib.sha256(wheel.read_bytes()).hexdigest()):
            raise LiteBuildError(f"{wheel.name} passt nicht zur Prüfsumme in {PINS.name}: "
                                 "die Datei wird nicht verwendet.")
        shutil.copy2(wheel, target / wheel.name)
    if pins:
        raise LiteBuildError(f"Es fehlen Pakete ({', '.join(sorted(pins))}). Bitte scripts/fetch-lite.sh ausführen.")
    kernel_wheels = [w for w in sorted(KERNEL_WHEELS.glob("*.whl"))
                     if canonicalize_name(wheel_metadata(w)[0]) not in PROVIDED_BY_SITE]
    for wheel in [*kernel_wheels, kommfit_wheel]:
        shutil.copy2(wheel, target / wheel.name)
    wheels = sorted(target.glob("*.whl"))
    check_versions(wheels, official)
    for wheel in wheels:
        leave_out_unused(wheel)
    precompile([target / "python_stdlib.zip", *wheels])
    packages = {entry["name"]: entry for entry in map(lock_entry, wheels)}
    missing = sorted({d for e in packages.values() for d in e["depends"] if d not in packages})
    if missing:
        raise LiteBuildError(f"Die Pakete brauchen {', '.join(missing)}, "
                             "die nicht in lite/kernel-requirements.in stehen.")
    lock = {"info": official["info"], "packages": dict(sorted(packages.items()))}
    (target / "pyodide-lock.json").write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return lock


def add_site_customization(stdlib: Path) -> None:
    """Put kommfit's ``sitecustomize`` into the standard library's zip, where Python's start finds it. Pyodide ships
    none; should a later version bring one, the build stops rather than replace it unseen."""
    with zipfile.ZipFile(stdlib, "a", zipfile.ZIP_DEFLATED) as archive:
        if {"sitecustomize.py", "sitecustomize.pyc"} & set(archive.namelist()):
            raise LiteBuildError("Pyodides Standardbibliothek bringt schon ein sitecustomize mit: "
                                 f"bitte {SITE_CUSTOMIZATION.name} mit ihm zusammenführen.")
        entry = zipfile.ZipInfo("sitecustomize.py", date_time=(2020, 1, 1, 0, 0, 0))  # same bytes for the same file
        entry.external_attr = 0o100644 << 16
        archive.writestr(entry, SITE_CUSTOMIZATION.read_bytes())


def leave_out_unused(wheel: Path) -> None:
    """Rewrite ``wheel`` without its folders in LEFT_OUT (each kept as an empty folder). A wheel that no longer has
    such a folder stops the build: then LEFT_OUT no longer says what it means. The wheel's RECORD is rewritten when
    it is precompiled."""
    folders = LEFT_OUT.get(str(canonicalize_name(wheel_metadata(wheel)[0])), ())
    if not folders:
        return
    with zipfile.ZipFile(wheel) as archive:
        infos = archive.infolist()
        absent = [f for f in folders if not any(i.filename.startswith(f) and not i.is_dir() for i in infos)]
        if absent:
            raise LiteBuildError(f"{wheel.name} hat {', '.join(absent)} nicht mehr: bitte LEFT_OUT in lite.py prüfen.")
        kept = [(info, archive.read(info)) for info in infos if not info.filename.startswith(folders)]
    for folder in folders:
        entry = zipfile.ZipInfo(folder, date_time=(2020, 1, 1, 0, 0, 0))
        entry.external_attr = 0o40755 << 16
        kept.append((entry, b""))
    bytecode.write_archive(wheel, kept)


def check_versions(wheels: list[Path], official: dict) -> None:
    """Every package that Pyodide's own lock lists is shipped in the version listed there: that is the version
    Pyodide's release was tested with (the files differ, see above, the versions must not)."""
    differing = []
    for wheel in wheels:
        name, version, _, _ = wheel_metadata(wheel)
        listed = official["packages"].get(str(canonicalize_name(name)), {}).get("version")
        if listed not in (None, version):
            differing.append(f"{name} {version} (Pyodide: {listed})")
    if differing:
        raise LiteBuildError("Diese Pakete weichen von den Versionen in Pyodides eigener pyodide-lock.json ab: "
                             + ", ".join(sorted(differing)) + ". Bitte lite/kernel-requirements.in anpassen.")


def precompile(archives: list[Path]) -> None:
    """Bytecode instead of source in ``archives``, compiled by the site's own Pyodide under node (see bytecode.py)."""
    node = shutil.which("node")
    if node is None:
        raise LiteBuildError("node fehlt (scripts/install-system-packages.sh installiert es): "
                             "die Browser-Ausgabe übersetzt ihr Python mit Pyodide unter node vor.")
    folder = archives[0].parent
    command = [node, str(REPO / "lite" / "run-in-pyodide.mjs"), str(NPM_PYODIDE), str(folder),
               str(Path(bytecode.__file__)), *map(str, archives)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        raise LiteBuildError("Das Vorübersetzen für den Browser hat nach 10 Minuten nicht geendet.") from None
    if result.returncode != 0:
        raise LiteBuildError("Das Vorübersetzen für den Browser ist fehlgeschlagen:\n" + result.stderr[-3000:])


# ------------------------------------------------------------------------------------------------ contents
BROWSER_NOTE_MARKDOWN = """## Im Browser: Ihre Antworten bleiben hier

Diese Ausgabe des Kurses läuft ganz in Ihrem Browser – ohne Anmeldung und ohne Installation. Ihre Antworten
speichert der Browser auf diesem Gerät. Deshalb:

- Öffnen Sie den Kurs **nicht in einem privaten Fenster**: Dort ist beim Schließen alles weg.
- **Bleiben Sie bis zur Abgabe an diesem Gerät und in diesem Browser.** Auf einem anderen Gerät oder in einem
  anderen Browser sind Ihre Antworten nicht da.
- Löschen Sie die Daten Ihres Browsers nicht, bevor Sie abgegeben haben.
- **Abgeben:** Am Ende jedes Moduls geben Sie Ihre Kennung und Ihren Abgabecode ein und klicken auf
  **Abgabe exportieren**. Ihr Browser lädt dann eine Datei herunter. Schicken Sie diese Datei Ihrer Kursleitung."""


def with_browser_note(source: Path, target: Path) -> None:
    """The start page with a note after its title that only the browser edition needs: where answers live."""
    notebook = nbformat.read(source, as_version=4)
    cell = nbformat.v4.new_markdown_cell(BROWSER_NOTE_MARKDOWN)
    cell.metadata.update({"deletable": False, "editable": False, "kommfit": {"browser_note": True}})
    notebook.cells.insert(1, cell)
    nbformat.write(notebook, target)


def site_problems(text: str, where: str) -> list[str]:
    """What must never be in the site, found in ``text`` (a notebook or any text file of the site)."""
    problems = [f"{where}: enthält „{marker}“" for marker in FORBIDDEN_MARKERS if marker in text]
    if FORBIDDEN_CALL.search(text):
        problems.append(f"{where}: ruft eine grade_-Funktion auf")
    return problems


def stage_contents(target: Path) -> list[str]:
    """Copy the released modules and the start page into ``target``; refuse anything a participant must not see."""
    target.mkdir(parents=True)
    problems = []
    notebooks = sorted(RELEASE.glob("*/*.ipynb"))
    if not notebooks:
        raise LiteBuildError("release/ ist leer. Bitte zuerst `make release` ausführen.")
    for notebook in [*notebooks, START_NOTEBOOK]:
        problems += site_problems(notebook.read_text(encoding="utf-8"), notebook.relative_to(REPO).as_posix())
        folder = target if notebook == START_NOTEBOOK else target / notebook.parent.name
        folder.mkdir(exist_ok=True)
        if notebook == START_NOTEBOOK:
            with_browser_note(notebook, folder / notebook.name)
        else:
            shutil.copy2(notebook, folder / notebook.name)
    if problems:
        raise LiteBuildError("Die Website würde Lösungen enthalten:\n" + "\n".join(problems))
    return [p.relative_to(target).as_posix() for p in sorted(target.rglob("*.ipynb"))]


def lite_config(packages: list[str]) -> dict:
    """jupyter-lite.json: the participant view (no news, no PyPI), the kernel from the site's own Pyodide.

    ``packages`` are loaded as Pyodide starts, all at once from the site's lock — the kernel would otherwise install
    its own parts one by one through piplite and kommfit only at the first cell."""
    page_config = json.loads((VIEW_SETTINGS / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    disabled = sorted({*(name for name, off in page_config["disabledExtensions"].items() if off),
                       *SITE_DISABLED_EXTENSIONS})
    return {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": APP_NAME,
            "disabledExtensions": disabled,
            # window.jupyterapp, as `--LabApp.expose_app_in_browser` in the tests of make lab: the browser tests and
            # the benchmark wait for the kernel through it. Everything here runs in the participant's tab anyway.
            "exposeAppInBrowser": True,
            "litePluginSettings": {PLUGIN: {"disablePyPIFallback": True,
                                            "loadPyodideOptions": {"packages": packages}}},
        },
    }


def write_lite_dir(stage: Path, packages: list[str]) -> None:
    config = lite_config(packages)
    (stage / "jupyter-lite.json").write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    overrides = json.loads((VIEW_SETTINGS / "settings" / "overrides.json").read_text(encoding="utf-8"))
    # The participant view's File menu leads to nbgrader's Assignments panel; the site has no nbgrader, so no entry.
    overrides.pop("@jupyterlab/mainmenu-extension:plugin", None)
    (stage / "overrides.json").write_text(json.dumps(overrides, indent=1) + "\n", encoding="utf-8")


def germanize(site: Path, title: str) -> None:
    """German from the first moment: the loading screen and title of every page, the interface's texts that the
    language pack lacks, and the labels JupyterLab leaves untranslated (translations.py). A page without the loading
    screen is left as it is."""
    pack = site / "api" / "translations" / "de_DE.json"
    if not pack.is_file():
        raise LiteBuildError("Die Website hat kein deutsches Sprachpaket (api/translations/de_DE.json).")
    translations.complete_site_file(pack)
    (site / RELABEL_SCRIPT).write_text(translations.relabel_script(), encoding="utf-8")
    for page in sorted(site.glob("*/index.html")):
        text = page.read_text(encoding="utf-8")
        if LOADING not in text:
            continue
        for english, german in PAGE_TEXTS.items():
            text = text.replace(english, german, 1)
        text = re.sub(r"<title>[^<]*</title>", f"<title>{title}</title>", text, count=1)
        text = text.replace("</head>", f'<script src="../{RELABEL_SCRIPT}"></script></head>', 1)
        page.write_text(text, encoding="utf-8")


def add_kernel_extension(site: Path) -> None:
    """Install kommfit's extension that starts each page's kernel early, but none before the browser's storage is
    reachable: without that, a kernel that comes before JupyterLite's service worker loses every answer silently. It
    is one plain script, so it is added as JupyterLab loads any extension (listed in ``federated_extensions``),
    without a bundler."""
    target = site / "extensions" / KERNEL_EXTENSION / "static" / "remoteEntry.js"
    target.parent.mkdir(parents=True)
    shutil.copy2(KERNEL_EXTENSION_SOURCE, target)
    config_file = site / "jupyter-lite.json"
    config = json.loads(config_file.read_text(encoding="utf-8"))
    config["jupyter-config-data"]["federated_extensions"].append(
        {"name": KERNEL_EXTENSION, "load": "static/remoteEntry.js", "extension": "./extension"})
    config_file.write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")


def narrow_service_worker(site: Path) -> None:
    """Let JupyterLite's service worker answer only the browser storage's addresses, so that every other file comes
    straight from the browser's cache (kommfit-service-worker.js says why). JupyterLite's worker must
    still be the one this was written for: it answers fetch events and the storage under /api/drive."""
    worker = site / "service-worker.js"
    text = worker.read_text(encoding="utf-8") if worker.is_file() else ""
    if 'addEventListener("fetch"' not in text or "/api/drive" not in text:
        raise LiteBuildError("JupyterLites Service Worker (service-worker.js) fehlt oder hat eine unbekannte Form; "
                             "kommfit-service-worker.js bitte mit der neuen Version prüfen.")
    worker.write_text(SERVICE_WORKER_FIRST.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


# ------------------------------------------------------------------------------------------------ the build
def check_site(site: Path) -> None:
    """After the build: the site uses its own Pyodide, and nothing a participant must not see got in."""
    settings = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))
    plugin = settings["jupyter-config-data"]["litePluginSettings"][PLUGIN]
    if not plugin.get("pyodideUrl", "").startswith("./") or not plugin.get("disablePyPIFallback"):
        raise LiteBuildError(f"Die Website lädt Pyodide nicht aus dem eigenen Ordner ({plugin}).")
    problems = []
    for path in site.rglob("*"):
        if path.suffix in {".ipynb", ".json"} and path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            problems += site_problems(text, path.relative_to(site).as_posix())
    if problems:
        raise LiteBuildError("Die fertige Website enthält Lösungen:\n" + "\n".join(problems))


def fetch() -> None:
    """Run the repo's fetch script: whatever of the pinned inputs is missing comes from PyPI and npm (else nothing)."""
    result = subprocess.run([str(REPO / "scripts" / "fetch-lite.sh")], cwd=REPO, capture_output=True, text=True)
    if result.returncode != 0:
        raise LiteBuildError("Die Bausteine der Browser-Ausgabe konnten nicht geholt werden:\n"
                             + result.stdout[-2000:] + result.stderr[-2000:])


def build(profile: Path | None = None, site: Path = SITE) -> dict:
    """Build the site clean into ``site``; returns a short summary (files, bytes, seconds)."""
    started = time.monotonic()
    jupyter = ENV / "bin" / "jupyter"
    if not jupyter.exists() or not NPM_PYODIDE.is_dir() or not WHEELS.is_dir():
        raise LiteBuildError("Die Bausteine fehlen. Bitte zuerst scripts/fetch-lite.sh ausführen (macht `make lite`).")
    for folder in (site, STAGE):
        shutil.rmtree(folder, ignore_errors=True)
    STAGE.mkdir(parents=True)
    stage_contents(STAGE / "files")
    (STAGE / "dist").mkdir()
    wheel = build_kommfit_wheel(STAGE / "dist")
    lock = prepare_pyodide(STAGE / "static" / "pyodide", wheel)
    write_lite_dir(STAGE, sorted(lock["packages"]))
    if profile is not None:
        shutil.copy2(profile, STAGE / "files" / "kurs.toml")
    command = [str(jupyter), "lite", "build", "--lite-dir", str(STAGE), "--contents", str(STAGE / "files"),
               "--output-dir", str(site), "--no-sourcemaps", "--no-unused-shared-packages"]
    result = subprocess.run(command, cwd=STAGE, capture_output=True, text=True)
    if result.returncode != 0:
        raise LiteBuildError("jupyter lite build ist fehlgeschlagen:\n" + result.stdout[-3000:] + result.stderr[-3000:])
    if (site / "lab" / "favicon.ico").is_file():  # browsers ask for /favicon.ico first; no 404 in the console
        shutil.copy2(site / "lab" / "favicon.ico", site / "favicon.ico")
    germanize(site, APP_NAME)
    add_kernel_extension(site)
    narrow_service_worker(site)
    check_site(site)
    files = [p for p in site.rglob("*") if p.is_file()]
    shutil.rmtree(STAGE, ignore_errors=True)
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files), "seconds": time.monotonic() - started}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kommfit lite", description="Die Browser-Ausgabe des Kurses bauen.")
    parser.add_argument("--profile", type=Path, help="Firmenprofil (kurs.toml), das in die Website kommt")
    parser.add_argument("--ausgabe", type=Path, default=SITE, help="Zielordner (Standard: build/lite)")
    args = parser.parse_args(argv)
    try:
        fetch()
        summary = build(args.profile, args.ausgabe)
    except LiteBuildError as error:
        print(error, file=sys.stderr)
        return 1
    print(summary_line(args.ausgabe, summary))
    return 0


def summary_line(site: Path, summary: dict) -> str:
    return (f"Browser-Ausgabe gebaut: {site}/ — {summary['files']} Dateien, {summary['bytes'] / 2**20:.0f} MiB, "
            f"{summary['seconds']:.0f} s. Veröffentlichen: den Ordner auf einen Webserver mit HTTPS kopieren (README).")


if __name__ == "__main__":
    raise SystemExit(main())
