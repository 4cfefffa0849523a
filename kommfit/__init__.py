"""kommfit: the "Fitnessprogramm Digitale Kommunikation" — quiz widgets, answer files and grading helpers for an
nbgrader course in German. See README.md and docs/ARCHITECTURE.md for the layers and how a click becomes a grade.

This module is the public authoring API: module notebooks (``source/``) import only from here, for example ::

    from kommfit import Option, SingleChoice, show_company
    from kommfit import grade_single            # in a hidden grade cell

so the package can be rearranged without touching a single notebook. Each name is imported on first use (PEP 562):
``import kommfit.engine.sandbox`` on the facilitator's machine does not load the widgets.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> the module (below kommfit) that defines it
_PUBLIC = {
    # questions and their parts
    "Option": "quiz.question", "Item": "quiz.question",
    "SingleChoice": "quiz.kinds", "MultipleChoice": "quiz.kinds", "Matching": "quiz.kinds", "FreeText": "quiz.kinds",
    # texts and the company profile in a notebook
    "show_company": "quiz.display", "show_text": "quiz.display", "active_profile": "quiz.display",
    "Panel": "quiz.display", "STYLE": "quiz.display",
    # hidden grade cells
    "grade_single": "grading.checks", "grade_multiple": "grading.checks", "grade_matching": "grading.checks",
    # the activities of the modules
    "ChannelMap": "activities.channelmap", "Message": "activities.channelmap", "show_voices": "activities.channelmap",
    "ChannelGuide": "activities.wegweiser",
    "VisibilityExplorer": "activities.visibility",
    "ReachExplorer": "activities.reach",
    "Scenario": "activities.scenario", "Node": "activities.scenario", "Choice": "activities.scenario",
    "ScenarioPlayer": "activities.scenario",
    "ToneCoach": "activities.tone",
    "TalentCheck": "activities.talent",
    "Checklist": "activities.plan", "first_step_feedback": "activities.plan",
    "hints_html": "activities.postcheck", "post_feedback": "activities.postcheck", "grade_post": "activities.postcheck",
    "length_hint": "activities.crmnote", "note_hints": "activities.crmnote", "note_feedback": "activities.crmnote",
    "grade_crm_note": "activities.crmnote",
    "HandIn": "activities.handin", "hand_in": "activities.submit", "pickup": "activities.submit",
    # the facilitator's report notebook
    "ReportExplorer": "reports.explorer",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'kommfit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_PUBLIC[name]}", __name__), name)
    globals()[name] = value  # the next lookup is an ordinary attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
