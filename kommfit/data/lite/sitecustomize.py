"""kommfit, browser edition: Python does not look for modules in the browser's storage.

Why: Pyodide puts the working folder ('' on sys.path) first, and the kernel works in the notebook's folder, which lies
in the browser's storage (``/drive``). Each request there is a round trip from the kernel through the service worker
and the page. Python's import system asks that folder at every import — whether it changed, before it looks into the
standard library and site-packages — so a kernel start and a module's first run made some hundred such trips, each
taking the page's time while it is busy drawing the module. The course keeps no Python files next to its notebooks, so
nothing is lost when the import system skips that folder: imports come from the standard library and the site's
packages as before, and the module's own files (the notebook, the answer file, kurs.toml) are read and written there as
before.

How: the site's Pyodide imports this module once, as Python starts (``site`` imports ``sitecustomize``); the build puts
it into the standard library's zip (``kommfit.course.lite``). It may use nothing but the standard library: the site's
packages are loaded later.
"""

import sys

BROWSER_STORAGE = "/drive"


class _NoModulesHere:
    """The import system's finder for a folder in the browser's storage: it finds nothing and asks nothing."""

    def find_spec(self, fullname, target=None):
        return None

    def invalidate_caches(self):
        pass


def _skip_browser_storage(path):
    if path == BROWSER_STORAGE or path.startswith(BROWSER_STORAGE + "/"):
        return _NoModulesHere()
    raise ImportError("not in the browser's storage: the usual finders take this folder")


sys.path_hooks.insert(0, _skip_browser_storage)
