"""Report figures: item analysis that is right, and no figure about fewer than k people — ever."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kommfit.reports.aggregate import (
    MIN_K,
    OTHER_GROUP,
    Record,
    build_report,
    check_k,
    merge_groups,
    pearson,
    safe_count,
    score_bins,
)

QUESTIONS = [
    {"id": "m01-a1", "prompt": "?", "kind": "single", "practice": False,
     "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}]},
    {"id": "m01-a2", "prompt": "?", "kind": "multiple", "practice": False,
     "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}]},
    {"id": "m01-u1", "prompt": "?", "kind": "single", "practice": True,
     "options": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}, {"id": "c", "text": "C"}]},
]
KEYS = {"m01-a1": "b", "m01-a2": ["a", "c"], "m01-u1": "a"}


def record(person: str, department: str, a1: str, a2: list[str], u1: str) -> Record:
    s1 = 1.0 if a1 == "b" else 0.0
    s2 = max(0.0, (len(set(a2) & {"a", "c"}) - len(set(a2) - {"a", "c"})) / 2) * 2
    return Record(person, department, "m01", s1 + s2, 3.0, {"m01-a1": (s1, 1.0), "m01-a2": (s2, 2.0)},
                  {"m01-a1": a1, "m01-a2": a2}, {"m01-u1": (u1, 1.0 if u1 == "a" else 0.0)}, True)


def test_k_below_five_is_refused():
    """Can a report be asked for with k below 5? (No: groups that small identify people.)"""
    with pytest.raises(ValueError, match="mindestens 5"):
        check_k(4)


def test_counts_below_k_are_suppressed_but_zero_is_shown():
    """Are counts between 1 and k−1 suppressed, while 0 and ≥ k are shown?"""
    assert [safe_count(n, 5) for n in (0, 1, 4, 5, 9)] == [0, None, None, 5, 9]


def test_small_departments_are_pooled_or_left_out():
    """Are small departments pooled as 'Weitere Bereiche' — and left out if even the pool is too small?"""
    groups, left_out = merge_groups({"A": list(range(6)), "B": [1, 2, 3], "C": [4, 5]}, 5)
    assert [(label, len(people)) for label, people in groups] == [("A", 6), (OTHER_GROUP, 5)]
    assert left_out == 0
    groups, left_out = merge_groups({"A": list(range(6)), "B": [1, 2]}, 5)
    assert [label for label, _ in groups] == ["A"] and left_out == 2


def test_score_bins_merge_until_every_bar_has_k_people():
    """Does every bar of the score distribution stand for at least k people?"""
    fractions = [0.1] * 2 + [0.5] * 6 + [0.9] * 7
    bins = score_bins(fractions, 5)
    assert all(count >= 5 for _, count in bins) and sum(c for _, c in bins) == 15
    assert score_bins([0.5] * 4, 5) == []


def test_item_analysis_difficulty_discrimination_and_distractors():
    """Are difficulty, item–rest discrimination and distractor shares computed as defined?"""
    records = [record(f"p{i}", "Service", a1, a2, u1) for i, (a1, a2, u1) in enumerate([
        ("b", ["a", "c"], "a"), ("b", ["a", "c"], "a"), ("b", ["a"], "a"), ("a", ["a"], "b"),
        ("a", ["b"], "b"), ("c", ["b"], "c"), ("b", ["a", "c"], "a"), ("a", [], "b"),
    ])]
    report = build_report([{"module": "m01", "title": "T", "records": records, "questions": QUESTIONS,
                            "keys": KEYS}], {r.person: "Service" for r in records}, volunteers=0, k=5)
    items = {i.question_id: i for i in report.modules[0].items}
    assert items["m01-a1"].difficulty == pytest.approx(4 / 8)
    assert items["m01-a1"].discrimination > 0.5  # those who got it right also did better on the rest
    shares = {o.option_id: (o.count, o.share) for o in items["m01-a1"].options}
    assert shares["b"] == (None, None) or shares["b"][0] >= 5
    assert shares["a"] == (None, None)  # 3 people chose 'a': fewer than k, suppressed
    assert items["m01-u1"].practice and items["m01-u1"].difficulty == pytest.approx(4 / 8)


def test_pearson_is_undefined_without_variance():
    """Is the correlation left undefined (not 0) when everybody has the same score?"""
    assert pearson([1, 1, 1, 1], [1, 2, 3, 4]) is None
    assert pearson([0, 1, 0, 1], [0, 1, 0, 1]) == pytest.approx(1.0)


def test_fewer_than_k_submissions_show_no_scores():
    """With fewer than k submissions, are scores and item analysis withheld with a note?"""
    records = [record(f"p{i}", "Service", "b", ["a"], "a") for i in range(4)]
    module = build_report([{"module": "m01", "title": "T", "records": records, "questions": QUESTIONS,
                            "keys": KEYS}], {f"p{i}": "Service" for i in range(9)}, volunteers=2).modules[0]
    assert module.mean is None and module.items == [] and module.bins == [] and module.submitted is None
    assert any("Weniger als 5" in note for note in module.notes)


people_strategy = st.lists(
    st.tuples(st.sampled_from(["Service", "Vertrieb", "Verwaltung", "Lager", "Führung", "IT"]),
              st.booleans(), st.sampled_from(["a", "b", "c"]), st.lists(st.sampled_from(["a", "b", "c"]), unique=True),
              st.sampled_from(["a", "b", "c"])),
    min_size=0, max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(people=people_strategy, k=st.integers(min_value=5, max_value=9), volunteers=st.integers(0, 12))
def test_no_figure_ever_describes_fewer_than_k_people(people, k, volunteers):
    """Property: for any cohort, does every group, bar, count and share in the report cover at least k people?"""
    departments = {f"p{i}": dept for i, (dept, *_rest) in enumerate(people)}
    records = [record(f"p{i}", dept, a1, a2, u1) for i, (dept, submitted, a1, a2, u1) in enumerate(people) if submitted]
    report = build_report([{"module": "m01", "title": "T", "records": records, "questions": QUESTIONS,
                            "keys": KEYS}], departments, volunteers, k)
    module = report.modules[0]
    shown = [module.submitted, module.completed, report.volunteers]
    assert all(n is None or n == 0 or n >= k for n in shown)
    assert all(count >= k for _, count in module.bins)
    if module.mean is not None:
        assert len(records) >= k
    for group in module.departments:
        assert group.n >= k
        assert group.submitted is None or group.submitted == 0 or group.submitted >= k
        if group.mean is not None:
            members = [r for r in records if departments[r.person] == group.label] if group.label != OTHER_GROUP \
                else None
            assert members is None or len(members) >= k
    for item in module.items:
        assert item.n >= k or (item.difficulty is None and not item.options)
        for option in item.options:
            assert option.count is None or option.count == 0 or option.count >= k
            assert option.share is None or option.count is not None
    assert MIN_K <= report.k


def test_html_report_escapes_what_people_wrote():
    """Does the HTML report (Jinja2, autoescape) show titles, department names and option texts as text, never as
    markup, and keep its structure: privacy note, grading table, one section per module?"""
    from kommfit.reports.html import module_section, render

    attack = "<script>alert(1)</script>"
    questions = [dict(q, prompt=attack, options=[dict(o, text=attack + o["text"]) for o in q["options"]])
                 for q in QUESTIONS]
    records = [record(f"p{i}", attack, "b", ["a", "c"], "a") for i in range(6)]
    report = build_report([{"module": "m01", "title": attack, "records": records, "questions": questions,
                            "keys": KEYS}], {r.person: attack for r in records}, volunteers=3, k=5)
    page = render(report, attack, {"bewertet": 6, attack: 1})
    assert "<script>" not in page and page.count("&lt;script&gt;") >= 5
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "mindestens <b>5</b> Personen" in page and "angesprochen werden möchten: <b>&lt; 5</b>" in page
    assert "<tr><td>bewertet</td><td class='num'>6</td></tr>" in page
    assert "Itemanalyse" in page and "<img alt='Punkteverteilung' src='data:image/png;base64," in page
    assert module_section(report.modules[0], 5) in page
