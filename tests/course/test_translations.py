"""kommfit's German for what the language pack leaves in English (kommfit.course.translations)."""

from __future__ import annotations

import re

from kommfit.course import translations
from kommfit.course.texts import words

from .test_texts import require_hunspell, unknown_words

# Words of JupyterLab's interface that hunspell's German dictionary does not know: names, keys and compounds.
INTERFACE_WORDS = {"Jupyter", "JupyterLab", "JupyterLite", "Notebook", "Notebooks", "Kernel", "Kernels", "Pyodide",
                   "Python", "Markdown", "Widgets", "Ctrl", "Shift", "Alt", "Enter", "Tab", "Backspace", "Subshell",
                   "ipynb", "JavaScript", "WASM", "Zen", "Befehlspalette", "Browsermenü", "Browserdaten", "Metadaten",
                   "Notizkonsole", "Syntaxhervorhebung"}
PACK = {
    "jupyterlab": {"": {"domain": "jupyterlab"}, "Last Checkpoint: %1": ["Letzter Kontrollpunkt: %1"],
                   "Open": ["Öffnen"], "Collapse Selected Code": ["Asugewählten Code reduzieren"]},
    "notebook": {"": {"domain": "notebook"}, "Open": ["Aufmachen"], "Dismiss": [""]},
}


def test_each_domain_gets_the_translations_of_jupyterlab_it_lacks_and_keeps_its_own():
    data = translations.complete(PACK)
    assert data["notebook"]["Last Checkpoint: %1"] == ["Letzter Kontrollpunkt: %1"]
    assert data["notebook"]["Open"] == ["Aufmachen"]
    assert data["notebook"][""] == {"domain": "notebook"}
    assert data["jupyterlite"]["Open"] == ["Öffnen"] and data["jupyterlite"][""]["domain"] == "jupyterlite"
    assert PACK["notebook"]["Dismiss"] == [""], "the pack given is not changed"


def test_kommfit_fills_what_the_pack_lacks_and_mends_its_slips():
    data = translations.complete(PACK)
    for domain in translations.DOMAINS:
        assert data[domain]["Insert a cell below"] == ["Darunter eine Zelle einfügen"]
        assert data[domain]["Run this cell and advance"] == ["Diese Zelle ausführen und weitergehen",
                                                             "Diese %1 Zellen ausführen und weitergehen"]
        assert data[domain]["menu\u0004Cell Type"] == ["Zellentyp"]
    assert data["jupyterlab"]["Collapse Selected Code"] == ["Ausgewählten Code reduzieren"]


def test_the_supplement_keeps_every_placeholder_and_has_two_forms_for_a_plural():
    for msgid, forms in translations.supplement().items():
        assert len(forms) in (1, 2), msgid
        expected = sorted(set(re.findall(r"%\d", msgid)))
        if len(forms) == 1 and msgid not in {"Collapse %1 side panel"}:  # "Seitenleiste einklappen": left or right
            assert sorted(set(re.findall(r"%\d", forms[0]))) == expected, msgid
        if len(forms) == 2:
            assert "%1" in forms[1] or forms[0] != forms[1], msgid


def test_the_supplement_is_spelled_right():
    require_hunspell()
    found = sorted({w for forms in translations.supplement().values() for form in forms for w in words(form)})
    assert sorted(set(unknown_words(found)) - INTERFACE_WORDS) == []


def test_the_relabel_script_carries_the_supplement():
    script = translations.relabel_script()
    assert '"Skip to Main": "Zum Inhalt springen"' in script
    assert "%s" not in script
