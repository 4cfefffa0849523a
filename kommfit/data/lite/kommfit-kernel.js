/* kommfit-kernel: a JupyterLab extension of the browser edition, in plain JavaScript. It decides two things about
   the kernel of each page — with what it starts, and when — and keeps the service worker the kernel relies on.

   With the browser's storage. JupyterLite's Pyodide kernel decides once, as it is created, whether it reaches the
   browser's storage, where the module and its answer file live: only if JupyterLite's service worker is registered
   by then. When the service worker comes late (a slow connection or device, or a later visit on which JupyterLite
   registers it anew), the kernel starts without that storage. The module then runs as usual, and every answer goes
   to the kernel's memory and is gone with the page, without a word. So each kernel waits for the service worker
   first; a browser without one (a private window) gets its kernel as before, and kommfit refuses to store answers
   there (kommfit.core.runtime.lost_with_the_page).

   Early. JupyterLab starts a notebook's kernel only once the notebook is loaded and drawn, and Pyodide's start is
   the longest part of opening a module. The page's address names the notebook (?path=…), so its kernel is started
   as soon as the kernel is known, in a session for that notebook, which the notebook then finds and takes, as it
   takes the running session of a notebook that is opened again; then the session gets the notebook's name, which
   the restart question shows. Should the notebook have started its own kernel in the meantime, the early one is
   shut down: never two kernels for one notebook.

   Once registered, kept. JupyterLite notes the version of its service worker in the browser's localStorage, under
   the worker's address + "-version", and unregisters every service worker of the site when a page finds that note
   different — or missing, as it is after the very first registration, because JupyterLite writes it only on a later
   page. So the second page of every first visit spent seconds unregistering and registering the service worker
   again, while the other tabs of the site lost it. The note is written at once instead; a different version still
   goes through JupyterLite's own update.

   How: JupyterLab loads each extension as a container with init() and get() (webpack module federation). This one
   takes the tokens it needs from the modules the application shares with its extensions, so it needs no bundler. */
(function () {
  'use strict';
  var NAME = 'kommfit-kernel';
  // The early session's name until the notebook has taken it: the notebook gives its own sessions the file's name,
  // and JupyterLite hands out a running session again by name — to a notebook that would then shut it down, as not
  // the one it asked for. So the two must not be confused while both may be starting.
  var EARLY = ' (kommfit, früh gestartet)';
  var shareScope = null;

  /* A module as the application uses it: the instance already loaded, so its tokens are everyone else's. (Other
     extensions may offer further versions of it, which stay unused.) */
  async function sharedModule(name) {
    var offered = (shareScope && shareScope[name]) || {};
    var loaded = Object.keys(offered).filter(function (version) {
      return offered[version].loaded;
    });
    if (loaded.length !== 1) {
      throw new Error(NAME + ': ' + name + ' is loaded in ' + loaded.length + ' versions, expected one');
    }
    var factory = await offered[loaded[0]].get();
    return typeof factory === 'function' ? factory() : factory;
  }

  /* The browser's storage is reachable, or will never be: a browser without service workers (some private windows)
     has none, and JupyterLite's promise would never settle there; a failed registration has nothing to wait for. */
  async function storageSettled(serviceWorker) {
    if (!navigator.serviceWorker) {
      return;
    }
    try {
      await serviceWorker.ready;
    } catch (error) {
      // Registering failed: the kernel starts as before.
    }
  }

  /* Every kernel factory, now and as kernels register later, waits for the service worker before it starts one. */
  function waitForStorage(kernelspecs, serviceWorker) {
    var waiting = new WeakSet();
    var wrapAll = function () {
      kernelspecs.factories.forEach(function (create, name) {
        if (waiting.has(create)) {
          return;
        }
        var afterServiceWorker = async function (options) {
          await storageSettled(serviceWorker);
          return create(options);
        };
        waiting.add(afterServiceWorker);
        kernelspecs.factories.set(name, afterServiceWorker);
      });
    };
    wrapAll();
    kernelspecs.changed.connect(wrapAll);
  }

  /* After the first registration, the note that stops the next page from unregistering it (see above). */
  function keepServiceWorker(serviceWorker, version) {
    if (!navigator.serviceWorker || !version) {
      return;
    }
    storageSettled(serviceWorker).then(function () {
      return navigator.serviceWorker.getRegistration();
    }).then(function (registration) {
      var worker = registration && (registration.active || registration.waiting || registration.installing);
      var key = worker && worker.scriptURL + '-version';
      if (key && localStorage.getItem(key) === null) {
        localStorage.setItem(key, version);
      }
    }).catch(function (error) {
      console.warn(NAME + ': ' + error);
    });
  }

  /* The notebook named in the page's address gets its kernel started now, not after it is drawn. */
  function startEarly(app, kernelspecs, serviceWorker, notebooks) {
    var path = new URLSearchParams(window.location.search).get('path');
    if (!path || !/\.ipynb$/.test(path)) {
      return;
    }
    var opened = function () {
      var found = false;
      notebooks.forEach(function (panel) {
        found = found || panel.context.path === path;
      });
      return found;
    };
    var name = path.split('/').pop(); // as JupyterLab names a notebook's session
    var asked = false;
    var start = async function () {
      // One kernel known, so it is the notebook's (the site has one); with several, the notebook chooses.
      if (asked || kernelspecs.factories.size !== 1) {
        return;
      }
      asked = true;
      await storageSettled(serviceWorker);
      if (opened()) {
        return; // the notebook came first and starts its own kernel
      }
      var sessions = app.serviceManager.sessions;
      var early = await sessions.startNew({
        path: path, type: 'notebook', name: name + EARLY,
        kernel: { name: Array.from(kernelspecs.factories.keys())[0] }
      });
      var id = early.id;
      early.dispose(); // only this connection: the notebook makes its own to the running session
      console.info(NAME + ': kernel started early, session ' + id);
      var takeOrShutDown = function (panel) {
        if (panel.context.path !== path) {
          return;
        }
        panel.sessionContext.ready.then(function () {
          var own = panel.sessionContext.session;
          if (!own || own.id !== id) {
            return sessions.shutdown(id);
          }
          return own.setName(name);
        }).catch(function (error) {
          console.warn(NAME + ': ' + error);
        });
      };
      notebooks.forEach(takeOrShutDown);
      notebooks.widgetAdded.connect(function (sender, panel) {
        takeOrShutDown(panel);
      });
    };
    var startQuietly = function () {
      start().catch(function (error) {
        // The notebook starts its kernel itself, as without this extension.
        console.warn(NAME + ': ' + error);
      });
    };
    startQuietly();
    kernelspecs.changed.connect(startQuietly);
  }

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = {
    init: function (scope) {
      shareScope = scope;
      return Promise.resolve();
    },
    get: async function () {
      var services = await sharedModule('@jupyterlite/services');
      var apputils = await sharedModule('@jupyterlite/apputils');
      var notebook = await sharedModule('@jupyterlab/notebook');
      var coreutils = await sharedModule('@jupyterlab/coreutils');
      var plugin = {
        id: NAME + ':start',
        description: 'Den Kernel früh starten, aber erst, wenn der Browserspeicher mit den Antworten erreichbar ist.',
        autoStart: true,
        requires: [services.IKernelSpecs, apputils.IServiceWorkerManager, notebook.INotebookTracker],
        activate: function (app, kernelspecs, serviceWorker, notebooks) {
          waitForStorage(kernelspecs, serviceWorker);
          keepServiceWorker(serviceWorker, coreutils.PageConfig.getOption('appVersion'));
          startEarly(app, kernelspecs, serviceWorker, notebooks);
        }
      };
      return function () {
        return { __esModule: true, default: [plugin] };
      };
    }
  };
})();
