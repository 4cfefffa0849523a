"""kommfit, browser edition: Python does not look for modules in the browser's storage.

Why: Pyodide puts the working folder ('' on sys.path) first, and the kernel works in the notebook's folder, which lies
in the browser's storage (``/drive``). Each request there is a round trip from the kernel through the service worker
and the page. Python's import system asks that folder at every import — whether it changed, before it looks into the
standard library and site-packages — so a kernel start and a module's first run made some hundred such trips, each
taking the page's time while it is busy drawing the module. The course keeps no Python files next to its notebooks, so
nothing is lost when the import system skips that folder: imports come from the standard library and the site's
packages as before, and the module's own files (the notebook, the answer file, kurs.toml) are read and written there as
before.

The same holds for package metadata (``importlib.metadata``, which prompt_toolkit asks as IPython starts): it lists
every folder on ``sys.path`` — the working folder too, again at each question, because ``''`` has no modification
time to cache by — and Pyodide asks the storage once more for each name in the listing. At each kernel start that was
a dozen round trips while the page was busy starting JupyterLab. The site's packages carry their metadata in
site-packages, so the search leaves the browser's storage out.

How: the site's Pyodide imports this module once, as Python starts (``site`` imports ``sitecustomize``); the build puts
it into the standard library's zip (``kommfit.course.lite``). It may use nothing but the standard library: the site's
packages are loaded later.
"""

import os
import sys
from importlib.machinery import PathFinder

BROWSER_STORAGE = "/drive"


def _in_browser_storage(path):
    path = os.path.abspath(path)  # '' and '.' are the working folder
    return path == BROWSER_STORAGE or path.startswith(BROWSER_STORAGE + "/")


class _NoModulesHere:
    """The import system's finder for a folder in the browser's storage: it finds nothing and asks nothing."""

    def find_spec(self, fullname, target=None):
        return None

    def invalidate_caches(self):
        pass


def _skip_browser_storage(path):
    if _in_browser_storage(path):
        return _NoModulesHere()
    raise ImportError("not in the browser's storage: the usual finders take this folder")


_find_distributions = PathFinder.find_distributions


def _find_distributions_outside_browser_storage(context=None, **kwargs):
    """``PathFinder.find_distributions`` over the same search with the browser's storage taken off its path."""
    from importlib.metadata import DistributionFinder

    context = context if context is not None else DistributionFinder.Context(**kwargs)
    kept = [path for path in context.path if not _in_browser_storage(path)]
    return _find_distributions(DistributionFinder.Context(**{**vars(context), "path": kept}))


sys.path_hooks.insert(0, _skip_browser_storage)
PathFinder.find_distributions = staticmethod(_find_distributions_outside_browser_storage)
