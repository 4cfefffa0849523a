"""German for the parts of the JupyterLab and Notebook interface that the German language pack leaves in English.

Why: participants read German and many read no English; a screen reader reads every button's label aloud. The
language pack (jupyterlab-language-pack-de-DE) lags behind JupyterLab. Its ``notebook`` domain has 11 entries, so the
single-notebook view says "Last Checkpoint", though the ``jupyterlab`` domain has "Letzter Kontrollpunkt". The toolbar's
labels, the restart question and many menu entries are missing from it altogether.

``complete`` fills the gaps in a language pack's data as ``/api/translations/de_DE`` serves it. Every domain the
interface loads gets the ``jupyterlab`` translations it lacks, then kommfit's own
(``kommfit/data/jupyter/de_DE-ergaenzung.json``, message id → German, a list of two for singular and plural; a menu
label from a settings schema has the id ``menu\u0004Label``, as gettext writes a context). They also mend the pack's
few slips (it writes "Asugewählten").

Some labels never pass through a translator (JupyterLab creates them with its ``nullTranslator``): the skip link
"Skip to Main" and a few screen-reader labels. ``relabel_script`` gives the browser edition a small script that puts
the supplement's German on exactly those texts as JupyterLab draws them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

SUPPLEMENT = Path(__file__).resolve().parents[1] / "data" / "jupyter" / "de_DE-ergaenzung.json"
# The domains the interface's code loads (translator.load(...)) in JupyterLab, Notebook and JupyterLite.
DOMAINS = ("jupyterlab", "notebook", "jupyterlite", "jupyterlab_widgets")
HEADER = {"language": "de-DE", "plural_forms": "nplurals=2; plural=(n != 1);"}


def supplement() -> dict[str, list[str]]:
    """kommfit's translations, each as the list of forms a language pack holds."""
    entries = json.loads(SUPPLEMENT.read_text(encoding="utf-8"))
    return {msgid: german if isinstance(german, list) else [german] for msgid, german in entries.items()}


def _translated(entry) -> bool:
    """A pack entry that says something: not missing, not empty."""
    return isinstance(entry, list) and bool(entry) and all(entry)


def complete(data: dict) -> dict:
    """A copy of ``data`` (domain → message id → forms) with the gaps filled; the header entry ``""`` is kept."""
    result = copy.deepcopy(data)
    lab, own = result.get("jupyterlab", {}), supplement()
    for domain in DOMAINS:
        entries = result.setdefault(domain, {"": {**HEADER, "domain": domain}})
        for msgid, forms in lab.items():
            if msgid and not _translated(entries.get(msgid)) and _translated(forms):
                entries[msgid] = list(forms)
        entries.update(own)
    return result


def complete_site_file(path: Path) -> None:
    """Fill the gaps in a JupyterLite site's ``api/translations/de_DE.json`` in place."""
    pack = json.loads(path.read_text(encoding="utf-8"))
    pack["data"] = complete(pack.get("data") or {})
    path.write_text(json.dumps(pack, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")


# Where JupyterLab puts a label without a translator: the skip link's text, and these attributes.
RELABEL_SCRIPT = """(() => {
  const german = new Map(Object.entries(%s));
  const relabel = (element) => {
    for (const name of ["aria-label", "title"]) {
      const value = element.getAttribute(name);
      if (value && german.has(value)) element.setAttribute(name, german.get(value));
    }
    if (element.classList.contains("skip-link") && german.has(element.textContent)) {
      element.textContent = german.get(element.textContent);
    }
  };
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.type === "attributes") relabel(change.target);
      for (const node of change.addedNodes) {
        if (node.nodeType !== 1) continue;
        relabel(node);
        node.querySelectorAll("[aria-label], [title], .skip-link").forEach(relabel);
      }
    }
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
                                         attributeFilter: ["aria-label", "title"]});
})();
"""


def relabel_script() -> str:
    """The browser edition's script for the labels JupyterLab leaves untranslated (singular forms only)."""
    german = {msgid: forms[0] for msgid, forms in supplement().items()}
    return RELABEL_SCRIPT % json.dumps(german, ensure_ascii=False, sort_keys=True)


# ------------------------------------------------------------------------------------------------ JupyterLab
def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "kommfit.course.translations"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """JupyterLab (`make lab`, the participants' servers on the hub): its translations API serves the completed pack.

    jupyterlab_server has no hook for this; its handler calls ``translations_handler.get_language_pack`` at every
    request, so that name is wrapped. If jupyterlab_server moves it, JupyterLab keeps the plain pack (logged)."""
    try:
        from jupyterlab_server import translations_handler
    except ImportError:
        return
    original = getattr(translations_handler, "get_language_pack", None)
    if original is None:
        serverapp.log.warning("kommfit: jupyterlab_server hat kein get_language_pack; Sprachpaket ohne Ergänzung")
        return
    if getattr(original, "completed_by_kommfit", False):
        return

    def get_language_pack(locale_: str) -> tuple[dict, str]:
        data, message = original(locale_)
        if data and locale_.lower().startswith("de"):
            data = complete(data)
        return data, message

    get_language_pack.completed_by_kommfit = True
    translations_handler.get_language_pack = get_language_pack
