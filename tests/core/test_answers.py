"""The answer file: atomic, versioned, merged under a lock, and never silently lost."""

from __future__ import annotations

import json
import multiprocessing
import os
import time

import pytest
from filelock import FileLock

from kommfit.core import answers
from kommfit.core.answers import ANSWER_FILE_NAME, SCHEMA_VERSION, AnswerStore, AnswerStoreError


def test_record_writes_schema_value_hash_time_and_attempts(store):
    """Does one saved answer carry the schema version, value, options hash, time and attempt count?"""
    entry = store.record("a1", "b", "hash1", "graded")
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA_VERSION
    assert data["answers"]["a1"] == entry
    assert entry["value"] == "b" and entry["options_hash"] == "hash1" and entry["attempts"] == 1
    assert entry["time"].endswith("+00:00")
    assert "first_attempt" not in entry


def test_attempts_count_up_and_practice_keeps_the_first_attempt(store):
    """Is the first attempt of a practice question kept while later attempts overwrite the value?"""
    store.record("u1", "a", "h", "practice", score=0.0)
    entry = store.record("u1", "b", "h", "practice", score=1.0)
    assert entry["attempts"] == 2
    assert entry["value"] == "b" and entry["score"] == 1.0
    assert entry["first_attempt"]["value"] == "a" and entry["first_attempt"]["score"] == 0.0


def test_all_value_shapes_round_trip(store):
    """Are option ids, lists of ids and item→category mappings stored and read back unchanged?"""
    store.record("s", "a", "h", "graded")
    store.record("m", ["a", "c"], "h", "graded")
    store.record("z", {"i1": "k1"}, "h", "graded")
    assert store.get("s")["value"] == "a"
    assert store.get("m")["value"] == ["a", "c"]
    assert store.get("z")["value"] == {"i1": "k1"}


@pytest.mark.parametrize("value", [1, None, {"i": 2}, [1, 2], 3.5])
def test_invalid_values_are_refused_in_german(store, value):
    """Is an answer of an unknown shape refused with a German message and nothing written?"""
    with pytest.raises(AnswerStoreError, match="kann nicht gespeichert werden"):
        store.record("a1", value, "h", "graded")
    assert not store.path.exists()


def test_missing_file_reads_as_no_answers(store):
    """Does a module without an answer file simply have no answers (and no problem)?"""
    snapshot = store.read()
    assert snapshot.answers == {} and snapshot.problem is None
    assert store.get("a1") is None


def test_unknown_question_ids_are_kept_on_write(store):
    """Are entries of questions this version does not know preserved when another answer is saved?"""
    store.path.write_text(
        json.dumps({"schema": 1, "answers": {"alt-frage": {"value": "x", "options_hash": "h", "time": "t",
                                                            "attempts": 1, "mode": "graded"}}}),
        encoding="utf-8",
    )
    store.record("a1", "b", "h", "graded")
    assert set(json.loads(store.path.read_text())["answers"]) == {"alt-frage", "a1"}


def test_malformed_entry_is_ignored_for_reading_and_replaced_on_write(store):
    """Is a damaged entry of one question treated as missing, without losing the others?"""
    store.path.write_text(
        json.dumps({"schema": 1, "answers": {"a1": {"value": 5}, "a2": {"value": "c", "options_hash": "h",
                                                                       "time": "t", "attempts": 2, "mode": "graded"}}}),
        encoding="utf-8",
    )
    assert store.get("a1") is None
    assert store.get("a2")["value"] == "c"
    entry = store.record("a1", "b", "h", "graded")
    assert entry["attempts"] == 1
    assert store.get("a2")["attempts"] == 2


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2, 3]",
        json.dumps({"answers": {}}),
        json.dumps({"schema": SCHEMA_VERSION + 1, "answers": {}}),
        json.dumps({"schema": 1, "answers": []}),
    ],
)
def test_corrupt_file_is_reported_in_german_and_left_untouched_by_reading(store, content):
    """Does reading a corrupt file report it in German without changing anything on disk?"""
    store.path.write_text(content, encoding="utf-8")
    snapshot = store.read()
    assert snapshot.answers == {}
    assert "beschädigt" in snapshot.problem
    assert store.path.read_text(encoding="utf-8") == content
    assert store.set_aside_files() == []


def test_corrupt_file_is_set_aside_with_a_timestamp_before_the_next_write(store):
    """Is a corrupt answer file moved aside with a timestamp (never dropped) when the next answer is saved?"""
    store.path.write_text("{kaputt", encoding="utf-8")
    store.record("a1", "b", "h", "graded")
    aside = store.set_aside_files()
    assert len(aside) == 1
    assert aside[0].name.startswith(ANSWER_FILE_NAME + ".beschaedigt-")
    assert aside[0].read_text(encoding="utf-8") == "{kaputt"
    assert store.get("a1")["value"] == "b"


def test_unreadable_bytes_are_reported(store):
    """Is a file with invalid UTF-8 reported instead of crashing?"""
    store.path.write_bytes(b"\xff\xfe\x00garbage")
    assert "nicht lesbar" in store.read().problem


def test_a_huge_file_is_not_read_and_one_at_the_limit_is(store, monkeypatch):
    """Is a file over the limit reported as implausibly large (and read no further), while one exactly at the limit
    still reads? A folder in the file's place is reported as unreadable."""
    store.record("a1", "b", "h", "graded")
    size = store.path.stat().st_size
    monkeypatch.setattr(answers, "MAX_FILE_BYTES", size)
    assert store.get("a1")["value"] == "b"
    monkeypatch.setattr(answers, "MAX_FILE_BYTES", size - 1)
    snapshot = store.read()
    assert snapshot.answers == {} and "unplausibel groß" in snapshot.problem
    store.path.unlink()
    store.path.mkdir()
    assert "nicht lesbar" in store.read().problem


def test_writes_are_atomic_and_leave_no_temporary_files(store):
    """Does every write replace the file in one step and clean up its temporary file?"""
    for i in range(20):
        store.record(f"q{i}", "a", "h", "graded")
    names = sorted(p.name for p in store.path.parent.iterdir())
    assert names == [ANSWER_FILE_NAME, ANSWER_FILE_NAME + ".lock"]
    assert len(json.loads(store.path.read_text())["answers"]) == 20


def test_failed_write_keeps_the_previous_file(store, monkeypatch):
    """If writing fails half-way, is the previous answer file still intact and the temp file gone?"""
    store.record("a1", "a", "h", "graded")
    before = store.path.read_text()

    def broken_dump(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(answers.json, "dump", broken_dump)
    with pytest.raises(AnswerStoreError, match="nicht gespeichert"):
        store.record("a2", "b", "h", "graded")
    assert store.path.read_text() == before
    assert not list(store.path.parent.glob("*.tmp"))


def test_a_held_lock_gives_a_german_retry_message(store, monkeypatch):
    """When another kernel holds the lock too long, does the participant get a calm German message?"""
    monkeypatch.setattr(answers, "LOCK_TIMEOUT_SECONDS", 0.2)
    with FileLock(str(store.path) + ".lock"):
        with pytest.raises(AnswerStoreError, match="gerade blockiert"):
            store.record("a1", "b", "h", "graded")


def _write_many(folder: str, prefix: str, count: int, start: float) -> None:
    while time.time() < start:
        time.sleep(0.001)
    store = AnswerStore.in_folder(folder)
    for i in range(count):
        store.record(f"{prefix}{i}", "a", "h", "graded")


def test_two_processes_writing_concurrently_keep_both_sets_of_answers(store):
    """Do two kernels saving answers into the same file at the same time keep the union of their answers?"""
    start = time.time() + 0.5
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_write_many, args=(str(store.path.parent), prefix, 40, start)) for prefix in ("x", "y")
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0
    saved = store.read().answers
    assert len(saved) == 80
    assert {f"x{i}" for i in range(40)} | {f"y{i}" for i in range(40)} == set(saved)


def test_store_uses_the_injected_clock(tmp_path):
    """Is the time of an answer taken from the injected clock (so tests and audits are reproducible)?"""
    store = AnswerStore(tmp_path / "x.json", clock=lambda: "2026-01-01T00:00:00+00:00")
    assert store.record("a1", "a", "h", "graded")["time"] == "2026-01-01T00:00:00+00:00"


def test_store_creates_its_folder(tmp_path):
    """Can an answer be saved even if the module folder has just been created elsewhere?"""
    store = AnswerStore(tmp_path / "neu" / ANSWER_FILE_NAME)
    store.record("a1", "a", "h", "graded")
    assert store.path.exists()
    assert os.stat(store.path).st_size > 0


# ---------------------------------------------------------------- remove (withdrawing a voluntary answer)
def test_remove_deletes_one_entry_and_keeps_the_others(store):
    """Does removing a voluntary answer delete exactly that entry from the file and keep every other answer?"""
    store.record("a1", "b", "h", "graded")
    store.record("frei", {"ansprechen": "ja", "fotos": "gern"}, "h", "voluntary")
    assert store.remove("frei") is True
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA_VERSION
    assert set(data["answers"]) == {"a1"}
    assert "fotos" not in store.path.read_text(encoding="utf-8")
    assert store.get("a1")["value"] == "b"


def test_remove_without_an_entry_writes_nothing(store):
    """Is nothing written (not even an empty file) when there is nothing to remove?"""
    assert store.remove("frei") is False
    assert not store.path.exists()
    store.record("a1", "b", "h", "graded")
    before = store.path.read_text(encoding="utf-8")
    assert store.remove("frei") is False
    assert store.path.read_text(encoding="utf-8") == before


def test_remove_deletes_a_malformed_entry_too(store):
    """Is an entry that cannot be read as an answer still removed (withdrawing must erase whatever is there)?"""
    store.path.write_text(json.dumps({"schema": 1, "answers": {"frei": {"value": 5}}}), encoding="utf-8")
    assert store.remove("frei") is True
    assert json.loads(store.path.read_text(encoding="utf-8"))["answers"] == {}


def test_remove_leaves_a_corrupt_file_untouched_and_says_so_in_german(store):
    """Does removing from an unreadable file fail with a German message, without changing or moving the file?"""
    store.path.write_text("{kaputt", encoding="utf-8")
    with pytest.raises(AnswerStoreError, match="nicht gelöscht werden"):
        store.remove("frei")
    assert store.path.read_text(encoding="utf-8") == "{kaputt"
    assert store.set_aside_files() == []


def test_remove_waits_for_the_same_lock_as_record(store, monkeypatch):
    """Does remove respect the lock that record takes, and give the calm German retry message?"""
    store.record("frei", "x", "h", "voluntary")
    monkeypatch.setattr(answers, "LOCK_TIMEOUT_SECONDS", 0.2)
    with FileLock(str(store.path) + ".lock"):
        with pytest.raises(AnswerStoreError, match="gerade blockiert"):
            store.remove("frei")
    assert store.get("frei") is not None


def test_failed_remove_keeps_the_previous_file(store, monkeypatch):
    """If rewriting fails half-way, is the previous file intact, the temp file gone and the failure German?"""
    store.record("frei", "x", "h", "voluntary")
    before = store.path.read_text()

    def broken_dump(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(answers.json, "dump", broken_dump)
    with pytest.raises(AnswerStoreError, match="nicht gelöscht"):
        store.remove("frei")
    assert store.path.read_text() == before
    assert not list(store.path.parent.glob("*.tmp"))


def test_remove_refuses_an_empty_id(store):
    """Is an empty question id refused in German instead of touching the file?"""
    with pytest.raises(AnswerStoreError, match="keine gültige Kennung"):
        store.remove("")
