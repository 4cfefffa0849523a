"""The branching scene: its checked data model, the pure walk and debrief, and the player widget driven by clicks."""

from __future__ import annotations

import json

import pytest
from traitlets import TraitError

from kommfit.activities.scenario import (
    Choice,
    Node,
    Scenario,
    ScenarioDefinitionError,
    ScenarioPathError,
    ScenarioPlayer,
    all_paths,
    review,
    walk,
)
from kommfit.quiz.keyboard import CONTAINER_CLASS, KeyboardScope


def choice(choice_id: str, next_node: str, rating: str = "poor", label: str = "") -> Choice:
    return Choice(
        choice_id,
        label or f"Wahl {choice_id}",
        next=next_node,
        consequence=f"Folge von {choice_id}",
        rating=rating,
        lesson=f"Lehre aus {choice_id}",
    )


def small_nodes() -> list[Node]:
    """start → (melden → mitte | posten → mitte | warten → ende-b); mitte → (ruhig → ende-a | laut → ende-b)."""
    return [
        Node(
            "start",
            "Samstag",
            "Eine Kundin schreibt auf der Seite von {firma_kurz}.",
            [
                choice("melden", "mitte", "good", label="Link an {social_media_email}"),
                choice("posten", "mitte", "poor"),
                choice("warten", "ende-b", "mixed"),
            ],
        ),
        Node("mitte", "Sonntag", "Ein Kollege will antworten.", [choice("ruhig", "ende-a", "good"),
                                                                    choice("laut", "ende-b")]),
        Node("ende-a", "Gut ausgegangen", "Die Kundin bedankt sich."),
        Node("ende-b", "Schlecht ausgegangen", "Der Streit geht weiter."),
    ]


def small_scenario(**kwargs) -> Scenario:
    return Scenario("m99-szene", "Testszene", small_nodes(), **kwargs)


def player(store, scenario: Scenario | None = None) -> ScenarioPlayer:
    return ScenarioPlayer(scenario or small_scenario(), store=store)


# ------------------------------------------------------------------------------------------------ the data model
def test_a_well_formed_scene_is_accepted_and_describes_itself_in_german():
    """Is a scene whose references all resolve accepted, with a stable German repr?"""
    scene = small_scenario()
    assert scene.start == "start"
    assert [n.id for n in scene.endings] == ["ende-a", "ende-b"]
    assert repr(scene) == "<Entscheidungsszene 'm99-szene': 4 Situationen, 2 Enden>"


def test_a_choice_leading_nowhere_is_rejected():
    """Is a choice that points to an unknown node (a dangling reference) an error while the module is written?"""
    nodes = small_nodes()
    nodes[1] = Node("mitte", "Sonntag", "Text", [choice("ruhig", "ende-a", "good"), choice("laut", "gibt-es-nicht")])
    with pytest.raises(ScenarioDefinitionError, match="unknown node 'gibt-es-nicht'"):
        Scenario("m99-szene", "Testszene", nodes)


def test_a_loop_is_rejected_because_its_path_never_ends():
    """Is a path that can come back to an earlier situation rejected, so that every path ends?"""
    nodes = small_nodes()
    nodes[1] = Node("mitte", "Sonntag", "Text", [choice("ruhig", "ende-a", "good"), choice("zurueck", "start")])
    with pytest.raises(ScenarioDefinitionError, match=r"start → mitte → start is a loop"):
        Scenario("m99-szene", "Testszene", nodes)


def test_a_situation_nobody_can_reach_is_rejected():
    """Is a node that no path leads to reported (it would be dead text)?"""
    nodes = [*small_nodes(), Node("vergessen", "Montag", "Niemand kommt hierher.")]
    with pytest.raises(ScenarioDefinitionError, match="no path leads to \\['vergessen'\\]"):
        Scenario("m99-szene", "Testszene", nodes)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda n: [*n, Node("mitte", "Doppelt", "Text")], "node ids must be unique"),
        (lambda n: [Node("start", "S", "T", [choice("x", "ende-a", "good"), choice("x", "ende-b")]), *n[2:]],
         "choice ids must be unique"),
        (lambda n: [Node("start", "S", "T", [choice("a", "ende-a"), choice("b", "ende-b")]), *n[2:]],
         "needs a good choice"),
        (lambda n: [Node("start", "S", "T", [choice("a", "ende-a", "good")]), *n[2:]], "needs 2 to 4 choices"),
        (lambda n: [Node("start", "S", "T", [choice("a", "ende-a", "good"), choice("b", "ende-b", "meh")]), *n[2:]],
         "rating 'meh'"),
        (lambda n: [Node("start", "S", "", [choice("a", "ende-a", "good"), choice("b", "ende-b")]), *n[2:]],
         "needs a title and a text"),
        (lambda n: [Node("start", "S", "T", [Choice("a", "A", "ende-a", "Folge", "good", ""), choice("b", "ende-b")]),
                    *n[2:]], "needs a label, a consequence and a lesson"),
        (lambda n: [Node("start", "S", "T", [choice("a b", "ende-a", "good"), choice("b", "ende-b")]), *n[2:]],
         "choice ids must be unique letters"),
    ],
)
def test_broken_scenes_are_rejected_with_the_reason(change, message):
    """Are duplicate ids, a decision without a good choice, a lone choice, unknown ratings or missing texts errors?"""
    with pytest.raises(ScenarioDefinitionError, match=message):
        Scenario("m99-szene", "Testszene", change(small_nodes()))


def test_a_scene_must_start_with_a_decision():
    """Is a scene whose start is already an ending (or unknown) rejected?"""
    with pytest.raises(ScenarioDefinitionError, match="must be a node with choices"):
        small_scenario(start="ende-a")
    with pytest.raises(ScenarioDefinitionError, match="must be a node with choices"):
        Scenario("m99-szene", "Testszene", [])


# ------------------------------------------------------------------------------------------------ pure logic
def test_walk_follows_the_choices_and_knows_when_the_scene_is_over():
    """Does walk() follow a path step by step and report the current situation and whether it is an ending?"""
    scene = small_scenario()
    assert walk(scene, []).current.id == "start" and not walk(scene, []).finished
    halfway = walk(scene, ["posten"])
    assert halfway.current.id == "mitte" and halfway.path == ["posten"]
    done = walk(scene, ["melden", "ruhig"])
    assert done.finished and done.current.id == "ende-a"
    assert [s.node.id for s in done.steps] == ["start", "mitte"]


def test_walk_rejects_impossible_steps_in_german():
    """Does walk() refuse a choice the situation does not offer, and any step after an ending, with a German reason?"""
    scene = small_scenario()
    with pytest.raises(ScenarioPathError, match="»Sonntag« bietet die Wahl 'melden' nicht an"):
        walk(scene, ["melden", "melden"])
    with pytest.raises(ScenarioPathError, match="»Schlecht ausgegangen« ist schon zu Ende"):
        walk(scene, ["warten", "ruhig"])


def test_all_paths_lists_every_way_through_the_scene():
    """Does all_paths() enumerate every complete path, each ending at an ending?"""
    scene = small_scenario()
    paths = all_paths(scene)
    assert sorted(paths) == sorted([
        ["melden", "ruhig"], ["melden", "laut"], ["posten", "ruhig"], ["posten", "laut"], ["warten"],
    ])
    assert all(walk(scene, path).finished for path in paths)


def test_score_weighs_good_mixed_and_poor_decisions():
    """Is the practice score the mean of good = 1, mixed = ½ and poor = 0?"""
    scene = small_scenario()
    assert walk(scene, ["melden", "ruhig"]).score == 1.0
    assert walk(scene, ["posten", "ruhig"]).score == 0.5
    assert walk(scene, ["warten"]).score == 0.5
    assert walk(scene, []).score == 0.0


def test_review_names_what_went_well_and_the_better_choices():
    """Does the debrief sort good decisions from the others and name the good choice of each weaker step?"""
    result = review(walk(small_scenario(), ["posten", "ruhig"]))
    assert [s.choice.id for s in result.went_well] == ["ruhig"]
    [(step, better)] = result.could_be_better
    assert step.choice.id == "posten" and [c.id for c in better] == ["melden"]
    assert result.ending.id == "ende-a" and result.score == 0.5
    with pytest.raises(ScenarioPathError, match="noch nicht zu Ende"):
        review(walk(small_scenario(), ["posten"]))


# ------------------------------------------------------------------------------------------------ the player widget
def test_building_and_displaying_writes_nothing(store):
    """Is nothing written to disk when the scene is built and displayed?"""
    scene_player = player(store)
    scene_player._repr_mimebundle_()
    assert not store.path.exists()
    assert scene_player.path == [] and not scene_player.finished


def test_the_player_is_keyboard_usable_and_has_a_stable_repr(store):
    """Does the player carry the keyboard container class and a KeyboardScope child, and a stable German repr?"""
    scene_player = player(store)
    assert CONTAINER_CLASS in scene_player._dom_classes
    assert any(isinstance(child, KeyboardScope) for child in scene_player.children)
    assert repr(scene_player) == "<Entscheidungsszene 'm99-szene': 4 Situationen, 2 Enden>"


def test_the_first_situation_shows_its_choices_with_company_details_filled(store):
    """Does the start show the situation and one visible button per choice, with profile placeholders filled?"""
    scene_player = player(store)
    assert "Nordlicht" in scene_player._situation_html.value
    assert set(scene_player.buttons) == {"melden", "posten", "warten"}
    assert scene_player.buttons["melden"].description == "Link an social@nordlicht-haustechnik.de"
    assert all(b.layout.display != "none" for b in scene_player.buttons.values())
    assert scene_player._restart_button.layout.display == "none"


def test_a_click_shows_its_consequence_and_the_next_situation(store):
    """Does clicking a choice show what happens because of it and the next situation's choices?"""
    scene_player = player(store)
    scene_player.buttons["posten"].click()
    assert scene_player.path == ["posten"]
    assert "Folge von posten" in scene_player._consequence_html.value
    assert "Sonntag" in scene_player._situation_html.value
    assert set(scene_player.buttons) == {"ruhig", "laut"}
    assert not store.path.exists(), "an unfinished run is not saved"


def test_decisions_change_what_happens_next(store):
    """Do different first decisions lead to different situations?"""
    first, second = player(store), player(store)
    first.buttons["melden"].click()
    second.buttons["warten"].click()
    assert "Sonntag" in first._situation_html.value
    assert second.finished and "Schlecht ausgegangen" in second._situation_html.value


def test_the_end_shows_a_debrief_of_the_path_taken(store):
    """At an ending, does the debrief say what went well, what would have been better, and offer a restart?"""
    scene_player = player(store)
    scene_player.buttons["posten"].click()
    scene_player.buttons["ruhig"].click()
    debrief = scene_player._debrief_html.value
    assert scene_player.finished and scene_player.buttons == {}
    assert "Nachbesprechung" in debrief and "1 von 2 Entscheidungen war die beste Wahl" in debrief
    assert "Das ist gut gelaufen" in debrief and "Lehre aus ruhig" in debrief
    assert "Das wäre besser gewesen" in debrief and "Lehre aus posten" in debrief
    assert "Besser:</b> »Link an social@nordlicht-haustechnik.de«" in debrief
    assert scene_player._restart_button.layout.display != "none"


def test_the_first_complete_run_is_saved_as_a_practice_entry(store):
    """Is a finished run saved on the click that ends it: choice ids as value, mode practice, score kept?"""
    scene_player = player(store)
    scene_player.buttons["melden"].click()
    scene_player.buttons["laut"].click()
    entry = store.get("m99-szene")
    assert entry["value"] == ["melden", "laut"] and entry["mode"] == "practice" and entry["attempts"] == 1
    assert entry["score"] == 0.5 and entry["first_attempt"]["value"] == ["melden", "laut"]
    assert entry["options_hash"] == small_scenario().fingerprint
    assert scene_player.status.startswith("Durchgang 1 – gespeichert")


def test_von_vorn_beginnen_starts_again_and_later_runs_keep_the_first(store):
    """Does "Von vorn beginnen" return to the start, and does a second run count up while keeping the first run?"""
    scene_player = player(store)
    scene_player.buttons["warten"].click()
    scene_player._restart_button.click()
    assert scene_player.path == [] and not scene_player.finished
    assert scene_player._debrief_html.value == "" and scene_player._consequence_html.value == ""
    scene_player.buttons["melden"].click()
    scene_player.buttons["ruhig"].click()
    entry = store.get("m99-szene")
    assert entry["attempts"] == 2 and entry["value"] == ["melden", "ruhig"]
    assert entry["first_attempt"]["value"] == ["warten"]


def test_a_double_click_decides_only_once(store):
    """Does a second click on the same button, arriving after the first moved on, leave the next situation alone?"""
    scene_player = player(store)
    button = scene_player.buttons["melden"]
    button.click()
    button.click()
    assert scene_player.path == ["melden"]
    assert set(scene_player.buttons) == {"ruhig", "laut"}


def test_nothing_is_saved_during_nbgrader_execution(store, monkeypatch):
    """While nbgrader executes the notebook, does finishing the scene save nothing and say so?"""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    scene_player = player(store)
    scene_player.buttons["warten"].click()
    assert scene_player.finished
    assert not store.path.exists()
    assert scene_player.status == "Bewertungslauf: Es wird nichts gespeichert."


def test_impossible_choices_are_refused(store):
    """Is a choice the current situation does not offer refused, by choose() and by setting the path?"""
    scene_player = player(store)
    with pytest.raises(ScenarioPathError):
        scene_player.choose("ruhig")
    with pytest.raises(TraitError, match="Ungültiger Weg"):
        scene_player.path = ["melden", "melden"]
    assert scene_player.path == []


def test_a_saved_run_is_shown_again_without_writing(store):
    """Does a rebuilt player show the last saved run with its debrief, without touching the answer file?"""
    first = player(store)
    first.buttons["posten"].click()
    first.buttons["laut"].click()
    before = store.path.read_bytes()
    again = player(store)
    assert again.path == ["posten", "laut"] and again.finished
    assert "Nachbesprechung" in again._debrief_html.value
    assert again.status.startswith("Ihr Durchgang vom") and "Von vorn beginnen" in again.status
    assert store.path.read_bytes() == before


def test_a_run_saved_for_a_changed_scene_is_not_replayed(store):
    """If the scene changed since the run was saved, does the player start fresh with a German hint?"""
    player(store).buttons["warten"].click()
    nodes = small_nodes()
    nodes[0] = Node("start", "Samstag", "Ein neuer Text.", nodes[0].choices)
    changed = player(store, Scenario("m99-szene", "Testszene", nodes))
    assert changed.path == []
    assert "geändert" in changed.status


def test_a_corrupt_answer_file_is_reported_and_set_aside_on_the_next_save(store):
    """Is an unreadable answer file reported in German, and moved aside (not lost) when a run is saved?"""
    store.path.write_text("{kaputt", encoding="utf-8")
    scene_player = player(store)
    assert "beschädigt" in scene_player.status
    scene_player.buttons["warten"].click()
    assert store.get("m99-szene")["value"] == ["warten"]
    assert len(store.set_aside_files()) == 1


def test_the_saved_value_is_plain_json_the_grader_can_read(store):
    """Is the saved entry a plain list of choice ids in the module's answer file, next to other answers?"""
    store.record("m99-a1", "b", "hash", "graded")
    player(store).buttons["warten"].click()
    answers = json.loads(store.path.read_text(encoding="utf-8"))["answers"]
    assert answers["m99-szene"]["value"] == ["warten"]
    assert answers["m99-a1"]["value"] == "b" and answers["m99-a1"]["mode"] == "graded"
