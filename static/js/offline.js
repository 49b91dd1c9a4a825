/* On every page (templates/base.html): starts the service worker (static/js/sw.js) for a
 * logged-in patient, and makes it forget what it kept once she has logged out.
 *
 * Logged in or not is the <body>'s data-user. Logging out clears twice: when the logout
 * form is sent (best effort: the page is leaving), and for certain on the next page, which
 * is a logged-out page. Her practice runs that are still waiting (IndexedDB, see
 * practice-queue.js) are not deleted: they hold no words, only numbers and her id, and
 * are sent when she logs in again.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var workerUrl = (script && script.dataset.worker) || "/sw.js";
  var PREFIX = "bekkenbodem-";

  function forget() {
    var controller = navigator.serviceWorker && navigator.serviceWorker.controller;
    if (controller) {
      controller.postMessage({ type: "clear" });
    }
    if (!window.caches) {
      return Promise.resolve();
    }
    return window.caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf(PREFIX) === 0;
            })
            .map(function (name) {
              return window.caches.delete(name);
            })
        );
      })
      .catch(function () {});
  }

  if (!("serviceWorker" in navigator)) {
    return;
  }
  var signedIn = Boolean(document.body && document.body.dataset.user);
  if (!signedIn) {
    window.offlineForgotten = forget(); // tests wait for this
    return;
  }

  navigator.serviceWorker.register(workerUrl, { scope: "/" }).catch(function () {
    /* no worker (private mode, an old browser): the site works as before, online */
  });
  navigator.serviceWorker.ready.then(function (registration) {
    if (registration.active) {
      registration.active.postMessage({ type: "warm" });
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.matches && form.matches("form[data-logout]")) {
      forget();
    }
  });
})();
