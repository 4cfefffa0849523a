"""Options in a stable order per person: shuffled against answering by position, the same on every reload and in
the grading kernel's feedback, unchanged in what is stored (option ids)."""

from __future__ import annotations

import contextlib
import io
import json

from kommfit.activities.scenario import Choice, Node, Scenario, ScenarioPlayer
from kommfit.core import answers
from kommfit.core.answers import AnswerStore
from kommfit.grading.checks import grade_multiple
from kommfit.quiz.kinds import Matching, MultipleChoice, Option, SingleChoice

from ..factories import graded_matching

LETTERS = "abcdef"


def six_options(store: AnswerStore, question_id: str, **kwargs) -> SingleChoice:
    return SingleChoice(question_id, "Welche?", [Option(c, f"Antwort {c.upper()}") for c in LETTERS], store=store,
                        **kwargs)


def order(question) -> str:
    return "".join(o.id for o in question.shown_options)


def folder_store(tmp_path, name: str) -> AnswerStore:
    (tmp_path / name).mkdir()
    return AnswerStore.in_folder(tmp_path / name)


def test_two_people_see_different_orders_and_each_always_the_same(tmp_path, monkeypatch):
    """Do two hub accounts get different option orders, does each get the same order on every reload (also after
    the first answer), and is what is stored still the option id?"""
    seen = {}
    for person in ("anna", "ben"):
        monkeypatch.setenv("JUPYTERHUB_USER", person)
        store = folder_store(tmp_path, person)
        seen[person] = [order(six_options(store, f"q{i}")) for i in range(5)]
        assert [order(six_options(store, f"q{i}")) for i in range(5)] == seen[person]  # a reload, nothing saved
        question = six_options(store, "q0")
        question.answer = "c"
        assert store.get("q0")["value"] == "c"
        assert [order(six_options(store, f"q{i}")) for i in range(5)] == seen[person]  # a reload after saving
    assert seen["anna"] != seen["ben"]
    assert all(sorted(o) == list(LETTERS) for o in seen["anna"] + seen["ben"])
    assert len(set(seen["anna"])) > 1  # the questions of one person are not all in the same order either


def test_the_answer_file_carries_the_order_to_another_device_and_the_grader(tmp_path, monkeypatch):
    """Without an account name the order is drawn once and written with the first answer: a copy of the folder
    (handed in, collected, graded in a kernel that knows no account) shows the same order."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.setattr(answers, "_process_order_seed", [])
    store = folder_store(tmp_path, "laptop")
    question = MultipleChoice("m1", "Welche?", [Option(c, f"Antwort {c}") for c in LETTERS], store=store)
    shown = order(question)
    question.checkbox("b").value = True
    seed = json.loads(store.path.read_text())["order_seed"]
    monkeypatch.setattr(answers, "_process_order_seed", ["ein-anderer-kernel"])
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    graded = MultipleChoice("m1", "Welche?", [Option(c, f"Antwort {c}") for c in LETTERS], store=store)
    assert order(graded) == shown and seed == store.read().order_seed
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert grade_multiple(graded, ["b"], {c: f"Erklärung {c}" for c in LETTERS}) == 1.0
    feedback = [line for line in out.getvalue().splitlines() if line.startswith(("✓", "✗"))]
    assert [line.split("»Antwort ")[1][0] for line in feedback] == list(shown)  # the order the person saw


def test_a_file_answered_before_shuffling_keeps_the_authors_order_when_graded(tmp_path, monkeypatch):
    """Does a submission whose answer file has no order seed (handed in by an older version) get its feedback in
    the author's order, and is nothing invented during grading?"""
    store = folder_store(tmp_path, "alt")
    store.path.write_text(json.dumps({"schema": 1, "answers": {}}), encoding="utf-8")
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert order(six_options(store, "q1")) == LETTERS
    assert "order_seed" not in json.loads(store.path.read_text())


def test_ordered_scales_can_opt_out(tmp_path, monkeypatch):
    """Can an author keep a scale in its order (``shuffle=False``) while other questions are shuffled?"""
    monkeypatch.setenv("JUPYTERHUB_USER", "anna")
    store = folder_store(tmp_path, "skala")
    assert order(six_options(store, "skala", shuffle=False)) == LETTERS
    assert any(order(six_options(store, f"q{i}")) != LETTERS for i in range(5))
    matching = Matching("z1", "Ordnen Sie zu.", graded_matching(store).items,
                        [Option("k1", "nie"), Option("k2", "manchmal"), Option("k3", "oft")], store=store,
                        shuffle=False)
    assert [c for _label, c in matching._dropdowns["i1"].options][1:] == ["k1", "k2", "k3"]


def test_matching_shuffles_its_category_list(tmp_path, monkeypatch):
    """Does the category list of a matching follow the person's order, the same in every dropdown?"""
    monkeypatch.setenv("JUPYTERHUB_USER", "ben")
    store = folder_store(tmp_path, "zuordnung")
    orders = set()
    for i in range(6):
        question = Matching(f"z{i}", "Ordnen Sie zu.", graded_matching(store).items,
                            [Option(f"k{n}", f"Kategorie {n}") for n in range(1, 6)], store=store)
        lists = {tuple(c for _label, c in d.options[1:]) for d in question._dropdowns.values()}
        assert len(lists) == 1
        orders |= lists
    assert len(orders) > 1


def test_scene_buttons_follow_the_persons_order_and_choices_still_work(tmp_path, monkeypatch):
    """Are the buttons of a branching scene in the person's order (so the good choice is not always first), the
    same on a reload, and does choosing by id still lead where the author wrote?"""
    monkeypatch.setenv("JUPYTERHUB_USER", "anna")
    choices = tuple(Choice(f"w{c}", f"Möglichkeit {c}", "ende", f"Folge {c}", "good" if c == "a" else "poor",
                           f"Darum {c}.") for c in "abcd")
    nodes = [Node("start", "Lage", "Was tun Sie?", choices), Node("ende", "Ende", "Vorbei.")]
    firsts = set()
    for i in range(8):
        player = ScenarioPlayer(Scenario(f"szene{i}", "Eine Szene", nodes), store=folder_store(tmp_path, f"s{i}"))
        firsts.add(next(iter(player.buttons)))
    assert len(firsts) > 1  # the good choice "wa" is not always the first button
    store = folder_store(tmp_path, "wieder")
    scene = Scenario("szene", "Eine Szene", nodes)
    first = ScenarioPlayer(scene, store=store)
    shown = list(first.buttons)
    assert sorted(shown) == ["wa", "wb", "wc", "wd"]
    assert list(ScenarioPlayer(scene, store=store).buttons) == shown
    first.buttons["wa"].click()
    assert first.finished and store.get("szene")["value"] == ["wa"]
    assert list(ScenarioPlayer(scene, store=store).buttons) == []  # the saved run is shown again, finished


class CountingStore(AnswerStore):
    """An answer store that counts its reads: in the browser each read is a round trip through the busy page."""

    reads = 0

    def read(self):
        self.reads += 1
        return super().read()


def test_a_question_or_scene_reads_the_answer_file_once_as_it_is_drawn(tmp_path, monkeypatch):
    """Do a question and a scene each read the answer file once while being drawn — for the order and the pre-fill
    together — and still show the saved answer and keep the order the file carries?"""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    store = CountingStore.in_folder(tmp_path)
    first = six_options(store, "e1")
    first._radio.value = "c"
    scene = Scenario("szene", "Eine Szene", [Node("start", "Lage", "Was tun Sie?", (
        Choice("wa", "Möglichkeit a", "ende", "Folge a", "good", "Darum a."),
        Choice("wb", "Möglichkeit b", "ende", "Folge b", "poor", "Darum b."))), Node("ende", "Ende", "Vorbei.")])
    ScenarioPlayer(scene, store=store).buttons["wb"].click()
    drawn = []
    for draw in (lambda: six_options(store, "e1"), lambda: ScenarioPlayer(scene, store=store)):
        store.reads = 0
        drawn.append(draw())
        assert store.reads == 1
    again, replayed = drawn
    assert order(again) == order(first) and again.answer == first.answer == "c"
    assert replayed.finished
