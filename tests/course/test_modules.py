"""Docs as tests: every module reads like an episode and its items follow the item-writing rules."""

from __future__ import annotations

import re
from collections import Counter

import nbformat
import pytest

from kommfit.core.profile import default_profile_path, load_profile
from kommfit.course.catalog import ModuleInfo, module_notebooks, nbgrader_meta, read_module
from kommfit.course.timing import estimated_minutes

from ..conftest import REPO_ROOT

SOURCES = module_notebooks(REPO_ROOT / "source")
MODULE_IDS = [p.parent.name for p in SOURCES]
PLACEHOLDERS = set(load_profile(default_profile_path()).placeholders())


@pytest.fixture(scope="module", params=SOURCES, ids=MODULE_IDS)
def module(request) -> tuple[ModuleInfo, nbformat.NotebookNode]:
    return read_module(request.param), nbformat.read(request.param, as_version=4)


def markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_metadata_declares_title_minutes_objectives_statements(module):
    """Does the notebook metadata record title, 20–30 minutes, 2–4 objectives and the statements it teaches?"""
    info, _nb = module
    assert info.title
    assert 20 <= info.minutes <= 30
    assert 2 <= len(info.objectives) <= 4
    assert info.statements and all(re.fullmatch(r"S\d\d", s) for s in info.statements)


def test_estimated_time_fits_the_workshop_frame(module):
    """Does the course's own estimate (``kommfit overview``) stay within 30 minutes and within 5 of what it declares?"""
    info, _nb = module
    estimate = estimated_minutes(info)
    assert estimate <= 30, f"{info.module_id}: geschätzt {estimate:.1f} Minuten"
    assert abs(estimate - info.minutes) <= 5, f"{info.module_id}: angegeben {info.minutes}, geschätzt {estimate:.1f}"


def test_episode_structure(module):
    """Title with minutes → Lernziele → scenes with Übungen → Abschluss-Check → 'Das nehme ich mit'?"""
    info, nb = module
    cells = markdown(nb)
    number = int(info.module_id[:2])
    assert cells[0].startswith(f"# Modul {number}: {info.title}")
    assert f"ca. {info.minutes} Minuten" in cells[0]
    headings = [line for cell in cells for line in cell.splitlines() if line.startswith("#")]
    order = [
        next(i for i, h in enumerate(headings) if h.startswith("## Lernziele")),
        next(i for i, h in enumerate(headings) if "Übung" in h),
        next(i for i, h in enumerate(headings) if h.startswith("## Abschluss-Check")),
        next(i for i, h in enumerate(headings) if h.startswith("## Das nehme ich mit")),
    ]
    assert order == sorted(order)


def test_objectives_in_metadata_are_the_ones_participants_read(module):
    """Are the metadata objectives exactly the bullet points under 'Lernziele'?"""
    info, nb = module
    cell = next(c for c in markdown(nb) if c.startswith("## Lernziele"))
    bullets = [line[2:].rstrip(",.") for line in cell.splitlines() if line.startswith("- ")]
    assert bullets == info.objectives


def test_takeaways_are_three_to_five(module):
    """Does 'Das nehme ich mit' hold 3–5 takeaways?"""
    _info, nb = module
    cell = next(c for c in markdown(nb) if c.startswith("## Das nehme ich mit"))
    assert 3 <= sum(1 for line in cell.splitlines() if line.startswith("- ")) <= 5


def test_code_is_hidden_and_locked(module):
    """Is every code cell collapsed for participants and locked so nbgrader restores it at grading?"""
    _info, nb = module
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.source[:60]
            assert nbgrader_meta(cell).get("locked") is True, cell.source[:60]


def test_enough_practice_and_graded_items(module):
    """≥ 4 Übungen and a graded Abschluss-Check of ≥ 5 items, at least one of them not single choice?"""
    info, _nb = module
    assert len(info.practice) >= 4
    assert len(info.graded) >= 5
    assert any(q["kind"] != "single" for q in info.graded)


def test_every_graded_question_has_a_grade_call_with_matching_points(module):
    """Does each graded question have exactly one grade call, and do its points equal the cell's points?"""
    info, _nb = module
    graded_vars = Counter(call.question_variable for call in info.grade_calls)
    assert all(count == 1 for count in graded_vars.values())
    assert len(info.grade_calls) == len(info.graded)
    for call in info.grade_calls:
        assert call.arguments["points"] == call.points, call.grade_id


def test_graded_feedback_covers_every_option_and_key_is_valid(module):
    """Does the hidden feedback explain every option (or item), and is the key made of real option ids?"""
    info, _nb = module
    by_variable = _graded_by_variable(info)
    for call in info.grade_calls:
        question = by_variable[call.question_variable]
        if question["kind"] == "text":
            continue  # free texts are checked by rules, not against options
        if question["kind"] == "matching":
            ids = {i["id"] for i in question["items"]}
            assert set(call.arguments["key"]) == ids
            assert set(call.arguments["key"].values()) <= {c["id"] for c in question["categories"]}
        else:
            ids = {o["id"] for o in question["options"]}
            correct = call.arguments["correct"]
            assert ({correct} if isinstance(correct, str) else set(correct)) <= ids
        assert set(call.arguments["feedback"]) == ids
        assert all(len(text) >= 30 for text in call.arguments["feedback"].values()), "feedback must explain"


def _graded_by_variable(info: ModuleInfo) -> dict[str, dict]:
    """Graded questions by the variable name their grade call refers to."""
    return {q["variable"]: q for q in info.graded}


def _key_position(question: dict, info: ModuleInfo) -> int | None:
    ids = [o["id"] for o in question["options"]]
    if question["practice"]:
        return next(i for i, o in enumerate(question["options"]) if o["correct"])
    call = next(c for c in info.grade_calls if c.question_variable == question["variable"])
    return ids.index(call.arguments["correct"])


def test_item_writing_rules(module):
    """3–4 options of similar length, no 'alle genannten', no negative question, feedback for every option?"""
    info, _nb = module
    for question in info.questions:
        if question["kind"] not in ("single", "multiple"):
            continue
        texts = [o["text"] for o in question["options"]]
        assert 3 <= len(texts) <= 4, question["id"]
        lengths = [len(t) for t in texts]
        assert max(lengths) <= 2.2 * min(lengths), f"{question['id']}: option lengths {lengths}"
        for text in texts:
            assert not re.search(r"\b(alle|keine) (der )?(genannten|oben)", text, re.I), question["id"]
        last_question = re.split(r"(?<=[.!:])\s", question["prompt"].strip())[-1]
        assert last_question.endswith("?"), question["id"]
        assert not re.search(r"\b(nicht|kein\w*)\b", last_question, re.I), f"negative stem: {question['id']}"


def test_key_positions_vary(module):
    """Is the best option not always in the same position?"""
    info, _nb = module
    positions = [_key_position(q, info) for q in info.questions if q["kind"] == "single"]
    most_common = Counter(positions).most_common(1)[0][1]
    assert len(set(positions)) >= 2 and most_common <= 0.6 * len(positions), positions


def test_placeholders_are_known(module):
    """Does every {placeholder} in questions name a value the company profile provides?"""
    info, _nb = module
    texts = []
    for q in info.questions:
        texts.append(q["prompt"])
        texts += [o["text"] + o.get("feedback", "") for o in q.get("options", [])]
        texts += [i["text"] + i.get("feedback", "") for i in q.get("items", [])]
    used = {name for text in texts for name in re.findall(r"\{([a-z_]+)\}", text)}
    assert used <= PLACEHOLDERS


def test_question_ids_carry_the_module_number(module):
    """Does every question id start with its module's number (m01-…), so ids never clash across modules?"""
    info, _nb = module
    assert all(q["id"].startswith(f"m{info.module_id[:2]}-") for q in info.questions)


def test_question_ids_are_unique_across_the_course():
    """Is every question id used once in the whole course (answer files and item analysis rely on it)?"""
    ids = [q["id"] for path in SOURCES for q in read_module(path).questions]
    duplicates = [qid for qid, n in Counter(ids).items() if n > 1]
    assert not duplicates


def test_legal_references_come_with_the_no_legal_advice_note(module):
    """Where a module cites law or a court, does it say that the course is no legal advice?"""
    _info, nb = module
    text = "\n".join(markdown(nb))
    if re.search(r"§|Art\. \d+ (GG|DSGVO)|Urteil", text):
        assert "keine Rechtsberatung" in text


def test_module_01_teaches_its_statements_and_has_the_reach_estimate():
    """Does module 01 cover S01–S03, S05, S08–S10, include the reach estimate, a multiple choice and a matching?"""
    info = read_module(REPO_ROOT / "source" / "01-jede-stimme-zaehlt" / "01-jede-stimme-zaehlt.ipynb")
    assert set(info.statements) >= {"S01", "S02", "S03", "S05", "S08", "S09", "S10"}
    kinds = {q["kind"] for q in info.graded}
    assert {"multiple", "matching"} <= kinds
    nb = nbformat.read(info.path, as_version=4)
    assert any("ReachExplorer()" in c.source for c in nb.cells if c.cell_type == "code")
