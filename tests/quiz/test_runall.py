"""When does the kernel send the page back to the module's top? Only after a run of the whole notebook (runall.py).

The browser test (tests/course/test_participant_view.py) shows the page going up after "Alle Zellen ausführen"; here
the decision itself, with the requests JupyterLab sends: a cell id and the time the page created the request.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import nbformat
import pytest

from kommfit.quiz.runall import RunAllWatch, request_time

START = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def watch(tmp_path):
    """A watch over a module-like notebook: a heading, four code cells (one of them empty), a closing text."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Modul"),
        nbformat.v4.new_code_cell("from kommfit import show_text"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell(""),  # JupyterLab sends nothing for an empty cell
        nbformat.v4.new_code_cell("HandIn()"),
        nbformat.v4.new_markdown_cell("Geschafft!"),
    ]
    nbformat.write(nb, tmp_path / "01-modul.ipynb")
    calls = []
    result = RunAllWatch(tmp_path, lambda: calls.append("oben"))
    result.calls = calls
    result.ids = [c.id for c in nb.cells if c.cell_type == "code" and c.source]
    return result


def run(watch, cells, start=START, gap=timedelta(milliseconds=3)):
    """The cells' requests, created ``gap`` apart from ``start``; what ``cell_ran`` answered for each."""
    return [watch.cell_ran(cell, (start + i * gap).isoformat()) for i, cell in enumerate(cells)]


def test_run_all_ends_with_one_message_after_the_last_cell(watch):
    assert run(watch, watch.ids) == [False, False, True]
    assert watch.calls == ["oben"]
    assert run(watch, watch.ids, start=START + timedelta(minutes=5)) == [False, False, True]  # every run all again
    assert watch.calls == ["oben", "oben"]


def test_the_last_cell_alone_or_cell_by_cell_stays_where_it_is(watch):
    run(watch, watch.ids)
    assert run(watch, watch.ids[-1:], start=START + timedelta(minutes=2)) == [False]  # the hand-in cell again
    assert run(watch, watch.ids, start=START + timedelta(minutes=4), gap=timedelta(seconds=20)) == [False] * 3
    assert watch.calls == ["oben"]


def test_the_last_cell_run_again_right_after_run_all_stays_where_it_is(watch):
    """Even within the seconds of one run: the last cell again is not the end of a run of the whole notebook."""
    assert run(watch, watch.ids) == [False, False, True]
    assert run(watch, watch.ids[-1:], start=START + timedelta(seconds=1)) == [False]
    assert watch.calls == ["oben"]


def test_run_from_the_middle_down_stays_where_it_is(watch):
    run(watch, watch.ids[:1])
    assert run(watch, watch.ids[1:], start=START + timedelta(minutes=1)) == [False, False]
    assert watch.calls == []


def test_requests_without_cell_id_or_time_and_unknown_cells_are_ignored(watch):
    assert not watch.cell_ran(None, START)
    assert not watch.cell_ran(watch.ids[-1], None)
    assert not watch.cell_ran(watch.ids[-1], "gestern")
    assert not watch.cell_ran("anderswo", START)
    assert watch.calls == []


def test_request_times_come_as_datetime_or_text():
    assert request_time(START) == START
    assert request_time("2026-12-02T08:00:00.000Z") == START
    assert request_time(datetime(2026, 12, 2, 8, 0)) is None  # no time zone: cannot be compared safely
