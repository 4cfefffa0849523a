"""nbgrader preprocessors kommfit adds to the autograde pipeline."""

from __future__ import annotations

from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells
from traitlets import Integer


class CapOutput(NbGraderPreprocessor):
    """Cut every text output of an executed cell to a few thousand characters.

    nbgrader's LimitOutput counts lines, so one line of 100 MB passes it and ends up in the graded notebook, the
    gradebook's view and the feedback HTML. Quiz notebooks print a few lines at most; anything beyond this limit is
    noise or an attack. Grade-cell results are single numbers and are never affected.
    """

    max_chars = Integer(20_000, help="Characters kept of each text output; the rest is replaced by a note.").tag(
        config=True
    )

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        if cell.cell_type != "code":
            return cell, resources
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = self._cut("".join(output.get("text", "")))
            for mime, value in list(output.get("data", {}).items()):
                if mime.startswith("text/") and isinstance(value, str | list):
                    output["data"][mime] = self._cut("".join(value))
        return cell, resources

    def _cut(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        return text[: self.max_chars] + f"\n[… {len(text) - self.max_chars} weitere Zeichen gekürzt]\n"


class RestoreCells(OverwriteCells):
    """nbgrader's OverwriteCells, with deleted grade cells put back where they belong.

    nbgrader 0.9 re-inserts a deleted grade cell after "the previous source cell" but looks that cell up among the
    grade and solution cells only, so a deleted cell that follows a read-only cell (as every kommfit question does)
    makes the whole submission fail with a KeyError. Here the anchor is the nearest earlier cell of the source that is
    still in the submission, of any kind; without one the cell goes to the top.
    """

    def add_missing_grade_cells(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = list(source_nb.source_cells)
        order = [cell.name for cell in source_cells]
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = {self._grade_id(cell): i for i, cell in enumerate(nb.cells) if self._grade_id(cell)}
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_cell.name)
            position = order.index(grade_cell.name)
            cell = self.missing_cell_transform(source_cells[position], grade_cell.max_score,
                                               is_solution=grade_cell.name in solution_ids)
            anchors = [present[name] for name in reversed(order[:position]) if name in present]
            nb.cells.insert(anchors[0] + 1 if anchors else 0, cell)
        return nb, resources

    @staticmethod
    def _grade_id(cell: Any) -> str | None:
        return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
