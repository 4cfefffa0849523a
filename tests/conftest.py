"""Shared fixtures: isolated answer stores and a clean environment for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

from kommfit.answers import AnswerStore

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No test sees a grading run, a facilitator's profile or the repository as its working folder by accident."""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    monkeypatch.delenv("KOMMFIT_PROFIL", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def store(tmp_path) -> AnswerStore:
    """An answer store in an empty module folder."""
    folder = tmp_path / "modul"
    folder.mkdir()
    return AnswerStore.in_folder(folder)
