"""The way bench/lite.py keeps the browser offline: every other host goes to a proxy that does not exist, and the
requests are only watched. It has to block as surely as the routing the tests use, and unlike that routing it must
leave the browser's cache on — otherwise a "later visit" in the benchmark downloads everything again."""

from __future__ import annotations

import os
import time

import pytest

from ..course.lab_harness import browser_type_launch_args, require_chromium  # noqa: F401  (a pytest-playwright fixture)
from .lite_harness import NO_WAY_OUT, serving, watch_other_hosts

require_chromium()

pytestmark = [pytest.mark.browser]

OTHER_HOSTS = ["http://example.com/", "https://cdn.jsdelivr.net/pyodide/", "http://10.1.2.3/", "http://[2001:db8::1]/"]
FETCH = "url => fetch(url, {mode: 'no-cors'}).then(() => 'geladen', () => 'blockiert')"
FETCH_IN_WORKER = """url => new Promise(resolve => {
  const code = `fetch(${JSON.stringify(url)}, {mode: 'no-cors'}).then(() => postMessage('geladen'),
                                                             () => postMessage('blockiert'))`;
  new Worker(URL.createObjectURL(new Blob([code]))).onmessage = event => resolve(event.data);
})"""
TRANSFERRED = "url => performance.getEntriesByName(new URL(url, location.href).href)[0].transferSize"


@pytest.fixture
def site(tmp_path):
    """A page with a script, both last changed a day ago (as a published site's files are: a browser may then keep
    them a while without asking again)."""
    (tmp_path / "index.html").write_text('<!doctype html><html lang="de"><script src="teil.js"></script></html>')
    (tmp_path / "teil.js").write_text("window.geladen = true;\n" + "// Füllung\n" * 2000)
    yesterday = time.time() - 86400
    for path in tmp_path.iterdir():
        os.utime(path, (yesterday, yesterday))
    with serving(tmp_path) as base:
        yield base


@pytest.fixture
def benchmark_browser(browser_type, browser_type_launch_args, tmp_path_factory):  # noqa: F811  (imported fixture)
    """A browser as bench/lite.py starts it: a profile on disk, NO_WAY_OUT; yields (context, requests watched)."""
    launch = {**browser_type_launch_args, "args": [*browser_type_launch_args["args"], *NO_WAY_OUT]}
    context = browser_type.launch_persistent_context(tmp_path_factory.mktemp("profil"), **launch)
    try:
        yield context, watch_other_hosts(context)
    finally:
        context.close()


def test_no_request_leaves_the_loopback_and_every_attempt_is_counted(benchmark_browser, site):
    context, attempted = benchmark_browser
    page = context.new_page()
    page.goto(f"{site}/index.html")
    assert page.evaluate(FETCH, f"{site}/teil.js") == "geladen"
    for url in OTHER_HOSTS:
        assert page.evaluate(FETCH, url) == "blockiert", url
    assert page.evaluate(FETCH_IN_WORKER, "http://example.org/aus-dem-worker") == "blockiert"
    assert attempted == [*OTHER_HOSTS, "http://example.org/aus-dem-worker"]


def test_a_later_visit_comes_from_the_browser_cache(benchmark_browser, site):
    context, _attempted = benchmark_browser
    transferred = []
    for _visit in ("erster Besuch", "späterer Besuch"):
        page = context.new_page()
        page.goto(f"{site}/index.html")
        assert page.evaluate("window.geladen") is True
        transferred.append(page.evaluate(TRANSFERRED, "teil.js"))
        page.close()
    assert transferred[0] > 20000
    assert transferred[1] == 0
