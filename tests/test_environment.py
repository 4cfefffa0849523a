"""Packaging: one set of dependencies, pinned for every machine, mirrored for conda users."""

from __future__ import annotations

import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .conftest import REPO_ROOT

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def pyproject_requirements() -> dict[str, str]:
    extras = PYPROJECT["project"]["optional-dependencies"]
    deps = PYPROJECT["project"]["dependencies"] + extras["test"] + extras["hub"]
    return {canonicalize_name(r.name): str(r.specifier) for r in map(Requirement, deps)}


def conda_requirements() -> dict[str, str]:
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    found = {}
    for entry in env["dependencies"]:
        lines = entry["pip"] if isinstance(entry, dict) else [entry]
        for line in lines:
            if line.startswith("-e") or line.split(">")[0].split("=")[0] in {"python", "pip"}:
                continue
            requirement = Requirement(line.replace(" ", ""))
            found[canonicalize_name(requirement.name)] = str(requirement.specifier)
    return found


def test_environment_yml_matches_pyproject():
    """Does environment.yml list exactly the dependencies of pyproject.toml with the same version ranges?"""
    assert conda_requirements() == pyproject_requirements()


def test_lock_pins_every_direct_dependency_within_its_range():
    """Does requirements.lock pin each direct dependency to one version inside pyproject's range?"""
    pins = {}
    for line in (REPO_ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)", line)
        if match:
            pins[canonicalize_name(match.group(1))] = match.group(2)
    for name, specifier in pyproject_requirements().items():
        assert name in pins, f"{name} is not pinned in requirements.lock"
        assert Requirement(f"{name}{specifier}").specifier.contains(pins[name], prereleases=True), name


def test_python_version_matches_the_design():
    """Is Python 3.11 or newer required, as DESIGN.md says?"""
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"
