/* The service worker: the app keeps working without a connection.
 *
 * Served at /sw.js by therapy/journey/offline.py, which puts its settings in front of this
 * file as self.OFFLINE_CONFIG: the files to keep from the start (with their real static
 * addresses), the pages it may keep and for how long.
 *
 * - Static files and the offline page: kept when the worker installs, served from there.
 * - Her pages /today/ and her lessons (with their images): always from the network while
 *   there is one; a copy is kept with the time it was stored and served when the network
 *   fails, for PAGE_MAX_AGE at most (they hold her practice of that day). Older copies are
 *   deleted when the worker starts and when a page is opened.
 * - Every other page (dashboard, diary, messages, account, therapist pages): never kept;
 *   offline they get the calm offline page.
 * - Practice runs done offline wait in IndexedDB (practice-queue.js) and are sent by the
 *   page, and here on Background Sync.
 * - A logged-out page (offline.js) tells the worker to forget everything it kept.
 */
/* global OFFLINE_CONFIG, PracticeQueue */
"use strict";

var CONFIG = self.OFFLINE_CONFIG;
importScripts(CONFIG.queueScript);

var PREFIX = "bekkenbodem-";
var STATIC_CACHE = PREFIX + "static-" + CONFIG.version;
var PAGE_CACHE = PREFIX + "pages";
var STORED_AT = "X-Stored-At";
var MAX_AGE_MS = CONFIG.pageMaxAgeSeconds * 1000;
var KEPT = CONFIG.keptPages.map(function (pattern) {
  return new RegExp(pattern);
});
var PRECACHED = new Set(
  CONFIG.precache.map(function (url) {
    return new URL(url, self.location.origin).href;
  })
);

function precache() {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.addAll(CONFIG.precache);
  });
}

function isStale(response) {
  var stored = Number(response.headers.get(STORED_AT));
  return !stored || Date.now() - stored > MAX_AGE_MS;
}

function purgeStale() {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.keys().then(function (requests) {
      return Promise.all(
        requests.map(function (req) {
          return cache.match(req, { ignoreVary: true }).then(function (response) {
            if (!response || isStale(response)) {
              return cache.delete(req);
            }
          });
        })
      );
    });
  });
}

function forgetAll() {
  return caches.keys().then(function (names) {
    return Promise.all(
      names
        .filter(function (name) {
          return name.indexOf(PREFIX) === 0;
        })
        .map(function (name) {
          return caches.delete(name);
        })
    );
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    precache().then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf(PREFIX + "static-") === 0 && name !== STATIC_CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(purgeStale)
      .then(function () {
        return self.clients.claim();
      })
  );
});

self.addEventListener("message", function (event) {
  var type = event.data && event.data.type;
  if (type === "clear") {
    event.waitUntil(forgetAll());
  } else if (type === "warm") {
    // Logged in (again): keep the offline files if a logout removed them.
    event.waitUntil(
      caches
        .has(STATIC_CACHE)
        .then(function (has) {
          return has ? null : precache();
        })
        .then(purgeStale)
        .catch(function () {})
    );
  }
});

/* A copy of a response with the time it was stored. */
function stamped(response) {
  return response.blob().then(function (blob) {
    var headers = new Headers(response.headers);
    headers.set(STORED_AT, String(Date.now()));
    return new Response(blob, { status: response.status, statusText: response.statusText, headers: headers });
  });
}

function keepable(response) {
  return response && response.ok && response.type === "basic" && !response.redirected;
}

function offlinePage() {
  return caches.match(CONFIG.offlineUrl, { cacheName: STATIC_CACHE, ignoreVary: true }).then(function (response) {
    return response || new Response("", { status: 503, statusText: "Offline" });
  });
}

/* From the network, keeping a stamped copy; the copy when the network fails (if fresh). */
function networkFirst(event, fallback) {
  var request = event.request;
  return fetch(request)
    .then(function (response) {
      if (keepable(response)) {
        var copy = response.clone();
        event.waitUntil(
          stamped(copy).then(function (kept) {
            return caches.open(PAGE_CACHE).then(function (cache) {
              return cache.put(request, kept);
            });
          })
        );
      }
      return response;
    })
    .catch(function (error) {
      return caches.open(PAGE_CACHE).then(function (cache) {
        // Her own copy (the worker forgets everything at logout): whatever it varied on.
        return cache.match(request, { ignoreVary: true }).then(function (kept) {
          if (kept && !isStale(kept)) {
            return kept;
          }
          if (kept) {
            cache.delete(request);
          }
          return fallback(error);
        });
      });
    });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return; // video players, object storage: the browser's own business
  }
  if (request.method !== "GET") {
    if (request.mode === "navigate") {
      // A form sent without a connection: the offline page rather than the browser's error.
      event.respondWith(fetch(request).catch(offlinePage));
    }
    return; // fetch() posts (the timer's saves) go to the network untouched
  }
  if (PRECACHED.has(url.href)) {
    event.respondWith(
      caches.match(request, { cacheName: STATIC_CACHE, ignoreVary: true }).then(function (kept) {
        return kept || fetch(request);
      })
    );
    return;
  }
  if (request.mode === "navigate") {
    var isKept = KEPT.some(function (pattern) {
      return pattern.test(url.pathname);
    });
    event.respondWith(isKept ? networkFirst(event, offlinePage) : fetch(request).catch(offlinePage));
    return;
  }
  if (request.destination === "image" && url.pathname.indexOf(CONFIG.mediaUrl) === 0) {
    // Lesson images: kept with the pages that show them, for as long.
    event.respondWith(
      networkFirst(event, function (error) {
        throw error;
      })
    );
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "practice-queue") {
    event.waitUntil(
      PracticeQueue.flush({ sessionUrl: CONFIG.sessionUrl, maxAgeMs: CONFIG.maxAgeDays * 86400000 }).then(
        function (done) {
          if (!done) {
            throw new Error("practice not sent yet"); // the browser tries the sync again later
          }
          return self.clients.matchAll({ type: "window" }).then(function (clients) {
            clients.forEach(function (client) {
              client.postMessage({ type: "practice-queue-changed" });
            });
          });
        }
      )
    );
  }
});
