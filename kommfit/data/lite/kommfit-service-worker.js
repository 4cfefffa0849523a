/* kommfit, before JupyterLite's service worker (the build puts this first in service-worker.js): the site's files
   come straight from the browser's cache again, not through the service worker.

   JupyterLite's service worker is there for one thing the course needs: Python's file access to the browser's
   storage (its /api/ addresses). Without its own cache (enableCache, off in this site) it still answers every other
   request by fetching the file itself and handing it on: every file of JupyterLab and Pyodide took that detour, and
   on later visits each page was ready about a second later than with the files straight from the browser's cache
   (measured with bench/lite.py).
   Here, a request for anything but /api/ is left to the browser (no other listener, no answer), as on a site without
   a service worker. With enableCache=true, JupyterLite's own cache is at work and everything goes to it as before. */
'use strict';
if (new URL(location.href).searchParams.get('enableCache') !== 'true') {
  self.addEventListener('fetch', function (event) {
    var url = new URL(event.request.url);
    if (url.origin !== location.origin || !url.pathname.includes('/api/')) {
      event.stopImmediatePropagation();
    }
  });
}
