"""nbgrader_config.py: the settings every kommfit course relies on."""

from __future__ import annotations

from traitlets.config.loader import PyFileConfigLoader

from kommfit.core.answers import ANSWER_FILE_NAME
from kommfit.course.settings import module_ids

from ..conftest import REPO_ROOT


def load_repo_config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(REPO_ROOT)).load_config()


def test_answer_file_is_never_overwritten_at_autograde_for_any_module():
    """Is the answer file excluded from overwriting for every module in source/?"""
    config = load_repo_config()
    modules = module_ids(REPO_ROOT / "source")
    assert modules, "no modules found"
    assert config.Autograde.exclude_overwriting == {m: [ANSWER_FILE_NAME] for m in modules}


def test_transient_answer_files_stay_behind_but_the_answer_file_travels():
    """Are the lock and temp files ignored by submit/collect, while the answer file itself is not?"""
    ignore = load_repo_config().CourseDirectory.ignore
    assert ".antworten.json.lock" in ignore and ".antworten.json.*.tmp" in ignore
    assert ANSWER_FILE_NAME not in ignore


def test_course_settings():
    """Are the course id, German stubs, restored grade cells, cell timeout and German feedback configured?"""
    config = load_repo_config()
    assert config.CourseDirectory.course_id == "kommfit"
    assert config.CourseDirectory.root == str(REPO_ROOT)
    assert "IHRE ANTWORT HIER" in config.ClearSolutions.code_stub["python"]
    assert config.ClearSolutions.text_stub == "IHRE ANTWORT HIER"
    assert config.OverwriteCells.add_missing_cells is True
    assert 10 <= config.Execute.timeout <= 300
    names = [cls.__name__ for cls in config.GenerateFeedback.preprocessors]
    assert "ClearHiddenTests" in names
    assert config.HTMLExporter.template_name == "kommfit_feedback"


def test_source_holds_no_answer_files():
    """Is there no answer file anywhere in source/ (it would be released to everyone)?"""
    assert not [p for p in (REPO_ROOT / "source").rglob("*") if p.name.startswith(ANSWER_FILE_NAME)]


def test_a_cohort_config_written_before_the_package_split_still_loads(tmp_path):
    """Does the nbgrader_config.py of a cohort made by an older kommfit (``from kommfit.course import configure``)
    still give the kommfit settings after an update?"""
    (tmp_path / "nbgrader_config.py").write_text(
        "from pathlib import Path\nfrom kommfit.course import configure\n"
        "c = get_config()\nconfigure(c, Path(__file__).resolve().parent, course_id='kommfit')\n", encoding="utf-8")
    config = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()
    assert config.CourseDirectory.root == str(tmp_path)
    assert config.ExchangeFactory.collect == "kommfit.workshop.exchange_collect.SafeCollect"
