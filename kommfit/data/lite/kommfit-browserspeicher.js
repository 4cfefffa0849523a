/* kommfit-browserspeicher: a JupyterLab extension of the browser edition, in plain JavaScript.

   Why: JupyterLite's Pyodide kernel decides once, as it is created, whether it reaches the browser's storage, where
   the module and its answer file live: only if JupyterLite's service worker is registered by then. When the service
   worker comes late (a slow connection or device, or a later visit on which JupyterLite registers it anew), the
   kernel starts without that storage. The module then runs as usual, and every answer goes to the kernel's memory
   and is gone with the page, without a word. So this extension makes each kernel wait for the service worker first;
   a browser without one (a private window) gets its kernel as before, and kommfit refuses to store answers there
   (kommfit.core.runtime.lost_with_the_page).

   How: JupyterLab loads each extension as a container with init() and get() (webpack module federation). This one
   takes the two tokens it needs from the modules the application shares with its extensions, so it needs no
   bundler. */
(function () {
  'use strict';
  var NAME = 'kommfit-browserspeicher';
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

  /* Every kernel factory, now and as kernels register later, waits for the service worker before it starts one. */
  function waitForStorage(kernelspecs, serviceWorker) {
    var waiting = new WeakSet();
    var wrapAll = function () {
      kernelspecs.factories.forEach(function (create, name) {
        if (waiting.has(create)) {
          return;
        }
        var afterServiceWorker = async function (options) {
          // A browser without service workers (some private windows): JupyterLite's promise would never settle.
          if (navigator.serviceWorker) {
            try {
              await serviceWorker.ready;
            } catch (error) {
              // Registering failed: there is nothing to wait for, the kernel starts as before.
            }
          }
          return create(options);
        };
        waiting.add(afterServiceWorker);
        kernelspecs.factories.set(name, afterServiceWorker);
      });
    };
    wrapAll();
    kernelspecs.changed.connect(wrapAll);
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
      var plugin = {
        id: NAME + ':kernel-wartet',
        description: 'Kernel erst starten, wenn der Browserspeicher mit den Antworten erreichbar ist.',
        autoStart: true,
        requires: [services.IKernelSpecs, apputils.IServiceWorkerManager],
        activate: function (app, kernelspecs, serviceWorker) {
          waitForStorage(kernelspecs, serviceWorker);
        }
      };
      return function () {
        return { __esModule: true, default: [plugin] };
      };
    }
  };
})();
