"""Shared fixtures: isolated answer stores and a clean environment for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from kommfit.core.answers import AnswerStore
from kommfit.core.profile import PROFILE_ENV, default_profile_path

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No test sees a grading run, a facilitator's profile or the repository as its working folder by accident."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv(PROFILE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def store(tmp_path) -> AnswerStore:
    """An answer store in an empty module folder."""
    folder = tmp_path / "modul"
    folder.mkdir()
    return AnswerStore.in_folder(folder)


@pytest.fixture
def company_profile(tmp_path, monkeypatch):
    """Make a text the active company profile, as a facilitator's kurs.toml would be; returns its path."""

    def activate(text: str) -> Path:
        path = tmp_path / "kurs.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(PROFILE_ENV, str(path))
        return path

    return activate


def default_profile_text() -> str:
    """The example company's kurs.toml, for tests that change one detail of it."""
    return default_profile_path().read_text(encoding="utf-8")
