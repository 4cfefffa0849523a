"""What the browser build refuses before it uses a file: a wheel whose bytes are not the pinned ones, a package in
another version than Pyodide's own lock lists, a standard library that brings its own sitecustomize, a wheel that
lacks a folder the build leaves out, and a JupyterLite service worker of another shape than the one kommfit
narrows. Each refusal is one German sentence that names the file or package."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from kommfit.course import lite
from kommfit.course.lite import (
    LiteBuildError,
    add_site_customization,
    check_versions,
    leave_out_unused,
    narrow_service_worker,
    prepare_pyodide,
)


def make_wheel(folder, name: str, version: str):
    wheel = folder / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(f"{name}/__init__.py", "")
        archive.writestr(f"{name}-{version}.dist-info/METADATA",
                         f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    return wheel


def test_a_wheel_that_is_not_the_pinned_file_is_refused(tmp_path, monkeypatch):
    if not lite.NPM_PYODIDE.is_dir():
        pytest.skip("Pyodide aus npm fehlt (scripts/fetch-lite.sh)")
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    wheel = make_wheel(wheels, "traitlets", "5.14.3")
    pins = tmp_path / "kernel-requirements.txt"
    pins.write_text(f"traitlets==5.14.3 --hash=sha256:{hashlib.sha256(b'die echte Datei').hexdigest()}\n")
    monkeypatch.setattr(lite, "WHEELS", wheels)
    monkeypatch.setattr(lite, "PINS", pins)
    with pytest.raises(LiteBuildError, match="traitlets-5.14.3-py3-none-any.whl passt nicht zur Prüfsumme"):
        prepare_pyodide(tmp_path / "site", wheel)

    pins.write_text(f"traitlets==5.14.3 --hash=sha256:{hashlib.sha256(wheel.read_bytes()).hexdigest()}\n"
                    f"comm==0.2.3 --hash=sha256:{'0' * 64}\n")
    with pytest.raises(LiteBuildError, match=r"Es fehlen Pakete \(comm\)"):
        prepare_pyodide(tmp_path / "site2", wheel)


def test_a_version_other_than_pyodides_own_is_refused(tmp_path):
    official = {"packages": {"traitlets": {"version": "5.14.3"}, "six": {"version": "1.17.0"}}}
    check_versions([make_wheel(tmp_path, "traitlets", "5.14.3"), make_wheel(tmp_path, "kommfit", "0.1.0")], official)
    with pytest.raises(LiteBuildError, match=r"six 1.16.0 \(Pyodide: 1.17.0\)"):
        check_versions([make_wheel(tmp_path, "six", "1.16.0")], official)


def test_kommfits_sitecustomize_goes_into_the_standard_library_and_never_replaces_one(tmp_path):
    stdlib = tmp_path / "python_stdlib.zip"
    with zipfile.ZipFile(stdlib, "w") as archive:
        archive.writestr("os.py", "")
    add_site_customization(stdlib)
    with zipfile.ZipFile(stdlib) as archive:
        assert archive.read("sitecustomize.py") == lite.SITE_CUSTOMIZATION.read_bytes()
    with pytest.raises(LiteBuildError, match="bringt schon ein sitecustomize mit"):
        add_site_customization(stdlib)


def test_kommfits_listener_comes_before_jupyterlites_service_worker_of_the_known_shape_only(tmp_path):
    jupyterlite = 'self.addEventListener("fetch",onFetch);function f(u){return u.pathname.includes("/api/drive")}'
    (tmp_path / "service-worker.js").write_text(jupyterlite, encoding="utf-8")
    narrow_service_worker(tmp_path)
    text = (tmp_path / "service-worker.js").read_text(encoding="utf-8")
    assert text.startswith(lite.SERVICE_WORKER_FIRST.read_text(encoding="utf-8")) and text.endswith(jupyterlite)
    (tmp_path / "service-worker.js").write_text('self.addEventListener("message",onMessage);', encoding="utf-8")
    with pytest.raises(LiteBuildError, match="service-worker.js"):
        narrow_service_worker(tmp_path)
    (tmp_path / "service-worker.js").unlink()
    with pytest.raises(LiteBuildError, match="fehlt"):
        narrow_service_worker(tmp_path)


def test_unused_folders_of_a_wheel_are_left_out_and_kept_empty_and_a_wheel_without_them_is_refused(tmp_path):
    wheel = make_wheel(tmp_path, "jedi", "0.19.2")
    with zipfile.ZipFile(wheel, "a") as archive:
        archive.writestr("jedi/third_party/typeshed/stdlib/3/os/__init__.pyi", "def getcwd() -> str: ...\n")
        for folder in lite.LEFT_OUT["jedi"]:
            archive.writestr(folder + "2and3/paket.pyi", "x: int\n")
    leave_out_unused(wheel)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "jedi/third_party/typeshed/stdlib/3/os/__init__.pyi" in names and "jedi/__init__.py" in names
    assert [n for n in names if n.startswith(lite.LEFT_OUT["jedi"])] == list(lite.LEFT_OUT["jedi"])  # empty folders
    other = make_wheel(tmp_path, "six", "1.17.0")
    before = other.read_bytes()
    leave_out_unused(other)
    assert other.read_bytes() == before
    with pytest.raises(LiteBuildError, match="jedi-0.19.2-py3-none-any.whl hat .*nicht mehr"):
        leave_out_unused(wheel)
