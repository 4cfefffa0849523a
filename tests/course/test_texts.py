"""Quality gates on what participants read: German spelling, statement coverage, guides, current platforms."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pytest

from kommfit.course.catalog import module_notebooks, read_module
from kommfit.course.texts import notebook_texts, words

from ..conftest import REPO_ROOT

NOTEBOOKS = module_notebooks(REPO_ROOT / "source") + sorted((REPO_ROOT / "notebooks").glob("*.ipynb"))
WORD_LIST = REPO_ROOT / "tests" / "wortliste.txt"
DICTIONARY = Path("/usr/share/hunspell/de_DE.dic")


def project_words() -> set[str]:
    lines = WORD_LIST.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def require_hunspell() -> None:
    """hunspell with its German dictionary, or a skip; in CI a failure, since the repo's scripts install it."""
    if not (shutil.which("hunspell") and DICTIONARY.exists()):
        if os.environ.get("CI") == "true":
            pytest.fail("hunspell und hunspell-de-de fehlen (scripts/install-system-packages.sh installiert sie)")
        pytest.skip("hunspell mit deutschem Wörterbuch ist nicht installiert (apt-get install hunspell-de-de)")


def unknown_words(found: Iterable[str]) -> list[str]:
    """The words of ``found`` that hunspell (de_DE) does not know and the project word list does not hold, sorted."""
    result = subprocess.run(["hunspell", "-d", "de_DE", "-l"], input="\n".join(found), capture_output=True,
                            text=True, check=True)
    return sorted(set(result.stdout.split()) - project_words())


def test_german_spelling_of_everything_participants_read():
    """Does hunspell (de_DE) know every word of every module and notebook, apart from the project word list?"""
    require_hunspell()
    where: dict[str, set[str]] = defaultdict(set)
    for notebook in NOTEBOOKS:
        for text in notebook_texts(notebook):
            for word in words(text):
                where[word].add(notebook.parent.name)
    unknown = unknown_words(where)
    assert not unknown, "Unbekannte Wörter (Tippfehler korrigieren oder in tests/wortliste.txt aufnehmen):\n" + \
        "\n".join(f"  {w}  ({', '.join(sorted(where[w]))})" for w in unknown)


def test_word_list_has_no_stale_entries():
    """Is every entry of the word list still used somewhere (so the list does not silently grow)?"""
    used = {word for notebook in NOTEBOOKS for text in notebook_texts(notebook) for word in words(text)}
    assert not sorted(project_words() - used)


def test_every_statement_is_taught_somewhere():
    """Is each of the 22 statements of the article covered by at least one module's metadata?"""
    statements = tomllib.loads((REPO_ROOT / "kommfit" / "data" / "aussagen.toml").read_text(encoding="utf-8"))
    assert sorted(statements) == [f"S{n:02d}" for n in range(1, 23)]
    assert all(len(entry["kurz"]) > 30 for entry in statements.values())
    covered = defaultdict(list)
    for notebook in module_notebooks(REPO_ROOT / "source"):
        info = read_module(notebook)
        assert info.objectives, notebook
        for statement in info.statements:
            assert statement in statements, f"{notebook.name}: unknown statement {statement}"
            covered[statement].append(info.module_id)
    missing = sorted(set(statements) - set(covered))
    assert not missing, f"not taught by any module: {missing}"


def test_the_curriculum_has_ten_modules_and_about_a_hundred_scenarios():
    """Are there ten modules with, together, about a hundred scenario items?"""
    infos = [read_module(p) for p in module_notebooks(REPO_ROOT / "source")]
    assert [i.module_id[:2] for i in infos] == [f"{n:02d}" for n in range(1, 11)]
    assert 95 <= sum(len(i.questions) for i in infos) <= 140


@pytest.mark.parametrize("notebook", module_notebooks(REPO_ROOT / "source"), ids=lambda p: p.parent.name)
def test_every_module_has_a_facilitator_guide(notebook):
    """Does every module have a facilitator guide with timing, discussion questions and misconceptions?"""
    guide = REPO_ROOT / "docs" / "kursleitung" / f"{notebook.parent.name}.md"
    text = guide.read_text(encoding="utf-8")
    info = read_module(notebook)
    assert text.startswith(f"# Modul {int(info.module_id[:2])}: ")
    for heading in ("## Ziele", "## Ablauf", "## Diskussionsfragen", "## Typische Fehlvorstellungen",
                    "## Hinweise zu den Fragen"):
        assert heading in text, f"{guide.name}: {heading} fehlt"
    if re.search(r"§|Urteil|Beschluss", text):
        assert "keine Rechtsberatung" in text


OUTDATED = ("Google+", "StudiVZ", "MySpace", "Vine", "Periscope")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.parent.name + "/" + p.name)
def test_platforms_are_current(notebook):
    """Are only current platforms named ('X (früher Twitter)', no discontinued networks)?"""
    text = " ".join(notebook_texts(notebook))
    assert not [name for name in OUTDATED if re.search(rf"\b{re.escape(name)}\b", text)]
    if "Twitter" in text:
        assert re.search(r"\bX\b", text), "Twitter heißt heute X"
