"""The report in a notebook: pick a module and a department, under exactly the same privacy rules as the file.

Departments are offered only as the report forms them (at least k people, small ones pooled), and a department view
is the report rebuilt for that group alone — so nothing here can show what ``kommfit report`` would hide.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import ipywidgets as widgets

from ..quiz.display import STYLE
from ..quiz.keyboard import CONTAINER_CLASS, KeyboardScope
from ..workshop.cohort import Cohort, CohortError
from .aggregate import MIN_K, build_module, merge_groups
from .html import CSS, module_section
from .records import module_facts, module_records

ALL = "Alle Bereiche"


class ReportExplorer(widgets.VBox):
    """Cohort folder → module → department; shows the privacy-safe figures for that choice."""

    def __init__(self, cohort_folder: str | None = None) -> None:
        self.folder = widgets.Text(
            value=cohort_folder or os.environ.get("KOMMFIT_KOHORTE", ""),
            description="Kohortenordner",
            placeholder="/pfad/zur/kohorte",
            style={"description_width": "9em"},
            layout=widgets.Layout(width="40em"),
        )
        self.load_button = widgets.Button(description="Laden", button_style="primary")
        self.load_button.on_click(lambda _b: self.load())
        self.module = widgets.Dropdown(description="Modul", options=[], style={"description_width": "9em"})
        self.department = widgets.Dropdown(description="Bereich", options=[ALL], style={"description_width": "9em"})
        self.view = widgets.HTML()
        self.module.observe(lambda _c: self.show(), names="value")
        self.department.observe(lambda _c: self.show(), names="value")
        self._cohort: Cohort | None = None
        self._k = MIN_K
        super().__init__([widgets.HTML(STYLE + f"<style>{CSS}</style>"),
                          widgets.HBox([self.folder, self.load_button]), self.module, self.department, self.view,
                          KeyboardScope()])
        self.add_class(CONTAINER_CLASS)
        if self.folder.value:
            self.load()
        else:
            self.view.value = "<p>Bitte den Ordner einer Kohorte eingeben und auf <b>Laden</b> klicken.</p>"

    def load(self) -> None:
        try:
            self._cohort = Cohort.open(Path(self.folder.value).expanduser())
            self._k = max(MIN_K, self._cohort.profile().mindestgruppe)
        except (CohortError, OSError) as error:
            self._cohort = None
            self.view.value = f"<p class='kommfit-bad'>{html.escape(str(error))}</p>"
            return
        departments = {p.id: p.abteilung for p in self._cohort.people()}
        by_department: dict[str, list[str]] = {}
        for person, department in departments.items():
            by_department.setdefault(department, []).append(person)
        groups, _left_out = merge_groups(by_department, self._k)
        self._groups = {label: set(people) for label, people in groups}
        self._departments = departments
        self.department.options = [ALL, *self._groups]
        self.department.value = ALL
        self.module.options = self._cohort.modules()
        self.module.value = self.module.options[0] if self.module.options else None
        self.show()

    def show(self) -> None:
        if self._cohort is None or not self.module.value:
            return
        facts = module_facts(self._cohort, self.module.value)
        members = self._groups.get(self.department.value) if self.department.value != ALL else None
        departments = {p: d for p, d in self._departments.items() if members is None or p in members}
        records = [r for r in module_records(self._cohort, self.module.value, facts, self._departments)
                   if r.person in departments]
        report = build_module(self.module.value, facts.info.title, records, departments, facts.info.questions,
                              facts.keys, self._k)
        self.view.value = module_section(report, self._k)

    def __repr__(self) -> str:
        return "<Bericht für Kursleitungen>"
