"""The browser edition in Debian's chromium, for tests/lite and bench/lite.py: the site built once, served by a plain
static server on 127.0.0.1, and a page whose every request to any other host is blocked and counted.

Served from loopback over http because browsers treat http://127.0.0.1 and http://localhost as secure; any other
host needs HTTPS (the README says so), and file:// does not work at all.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}  # as urlparse gives the host


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".mjs": "text/javascript", ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serving(site: Path, handler: type[http.server.SimpleHTTPRequestHandler] = QuietHandler):
    """A static file server for ``site`` on 127.0.0.1 (what any web server does); yields its base URL. ``handler``
    may be a subclass of the plain one, to make the server slow in one place."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def block_other_hosts(context) -> list[str]:
    """Abort every request that would leave the loopback; returns the list the blocked URLs are added to."""
    blocked: list[str] = []

    def route(request_route):
        if urlparse(request_route.request.url).hostname in LOOPBACK:
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    return blocked


# For measuring with the browser's cache: Playwright's routing (above) switches Chromium's HTTP cache off, so a
# "later visit" under it fetches every file again. Instead, every host but the loopback (which Chromium never sends
# through a proxy) goes to a proxy that does not exist, and the requests are only watched.
NO_WAY_OUT = ["--proxy-server=http://127.0.0.1:9"]


def watch_other_hosts(context) -> list[str]:
    """Record (without intercepting) every request to another host, from pages and their workers alike; the browser
    runs with NO_WAY_OUT, so none of them gets through. blob: and data: URLs never leave the browser."""
    attempted: list[str] = []

    def record(request) -> None:
        url = urlparse(request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.hostname not in LOOPBACK:
            attempted.append(request.url)

    context.on("request", record)
    return attempted


KERNEL_IDLE = """() => {
  const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext && widget.sessionContext.session
    && widget.sessionContext.session.kernel;
  return kernel && kernel.status === 'idle';
}"""


def notebook_url(base: str, module: str) -> str:
    path = "00-start.ipynb" if module == "00-start" else f"{module}/{module}.ipynb"
    return f"{base}/notebooks/index.html?path={path}"


def open_notebook(page, base: str, module: str) -> None:
    """Open a notebook in the single-notebook view and wait until Pyodide's kernel is ready."""
    page.set_default_timeout(240_000)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(notebook_url(base, module))
    page.wait_for_function(KERNEL_IDLE, polling=500)


def run_all(page, base: str, module: str) -> None:
    """Open a module, run all cells and wait for the hand-in widget at its end: everything above has run."""
    open_notebook(page, base, module)
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.locator(".kommfit-handin").wait_for()
    page.wait_for_function(KERNEL_IDLE, polling=500)
