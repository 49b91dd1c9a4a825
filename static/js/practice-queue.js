/* The offline queue of practice runs, in IndexedDB: shared by the pages (timer.js) and the
 * service worker (sw.js, for Background Sync), which is why it lives in the browser's
 * database and not in localStorage (a worker cannot read that).
 *
 * A record is one timer run as timer.js builds it: its idempotency key, whose it is
 * (`user`), where it is sent (`url`) and its numbers. It stays here until the server has
 * answered: saved (removed), or refused with a reason (kept with `refused`, so the page can
 * say so, then removed). Sending it again is always safe: the server stores each key once
 * and refuses (409) the same key with other numbers.
 *
 * Plain JavaScript, no build step: `self.PracticeQueue` in a page and in the worker.
 */
(function (global) {
  "use strict";

  var DB_NAME = "bekkenbodem-offline";
  var STORE = "practice";
  var opening = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function open() {
    if (!global.indexedDB) {
      return Promise.reject(new Error("no IndexedDB"));
    }
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var req = global.indexedDB.open(DB_NAME, 1);
        req.onupgradeneeded = function () {
          req.result.createObjectStore(STORE, { keyPath: "key" });
        };
        req.onsuccess = function () {
          var db = req.result;
          db.onversionchange = function () {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        req.onerror = function () {
          opening = null;
          reject(req.error);
        };
      });
    }
    return opening;
  }

  function withStore(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result;
        Promise.resolve(work(tx.objectStore(STORE))).then(function (value) {
          result = value;
        }, reject);
        tx.oncomplete = function () {
          resolve(result);
        };
        tx.onerror = tx.onabort = function () {
          reject(tx.error);
        };
      });
    });
  }

  /* The form fields of a record: one exercise (exercise, repetitions_done), or a routine
   * with one formset row per exercise ("part-0-exercise", …). */
  function body(record) {
    var fields = {
      idempotency_key: record.key,
      started_at: record.started_at,
      duration_seconds: String(record.duration_seconds),
      completed: record.completed ? "true" : "",
      feeling: record.feeling ? String(record.feeling) : "",
    };
    if (record.parts) {
      fields["part-TOTAL_FORMS"] = String(record.parts.length);
      fields["part-INITIAL_FORMS"] = "0";
      record.parts.forEach(function (part, index) {
        var prefix = "part-" + index + "-";
        fields[prefix + "exercise"] = String(part.exercise);
        fields[prefix + "repetitions_done"] = String(part.repetitions_done);
        if (part.skipped) {
          fields[prefix + "skipped"] = "on";
        }
      });
    } else {
      fields.exercise = String(record.exercise);
      fields.repetitions_done = String(record.repetitions_done);
    }
    return new URLSearchParams(fields);
  }

  function errorText(data) {
    var messages = [];
    var errors = data && data.errors;
    if (errors && typeof errors === "object") {
      Object.keys(errors).forEach(function (field) {
        [].concat(errors[field]).forEach(function (message) {
          messages.push(typeof message === "string" ? message : (message && message.message) || "");
        });
      });
    }
    return messages.filter(Boolean).join(" ") || (data && data.reason) || "";
  }

  var PracticeQueue = {
    put: function (record) {
      return withStore("readwrite", function (store) {
        store.put(record);
      });
    },

    remove: function (key) {
      return withStore("readwrite", function (store) {
        store.delete(key);
      });
    },

    all: function () {
      return withStore("readonly", function (store) {
        return request(store.getAll());
      });
    },

    /* POST one record. Resolves to {state: "saved", data} | {state: "refused", detail}
     * (the server said no and will say so again: drop it) | {state: "retry"} (offline,
     * a server error, an expired session or token: keep it and try again later). */
    send: function (record, csrfToken) {
      return fetch(record.url, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual", // a logged-out session answers with a redirect: try again later
        headers: {
          Accept: "application/json",
          "Content-Type": "application/x-www-form-urlencoded",
          "X-CSRFToken": csrfToken || "",
        },
        body: body(record),
      })
        .then(function (response) {
          var isJson = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
          if (response.ok && isJson) {
            return response.json().then(function (data) {
              return data && data.ok ? { state: "saved", data: data } : { state: "retry" };
            });
          }
          if ((response.status === 400 || response.status === 404 || response.status === 409) && isJson) {
            return response.json().then(function (data) {
              return { state: "refused", detail: errorText(data) };
            });
          }
          if (response.status === 404 || response.status === 405) {
            return { state: "refused", detail: String(response.status) };
          }
          return { state: "retry" }; // 5xx, 403, 429, a redirect to the login page
        })
        .catch(function () {
          return { state: "retry" }; // offline, aborted, DNS…
        });
    },

    /* Who is logged in and a fresh CSRF token (therapy/journey/offline.py), or null when
     * the server cannot be reached. */
    session: function (url) {
      return fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .catch(function () {
          return null;
        });
    },

    /* Send every waiting record of whoever is logged in, one after the other (the worker's
     * Background Sync). A refused one is kept with its reason for the page to show; a
     * record of someone else waits for her; one too old for the server is dropped.
     * Resolves to true when nothing is left to retry. */
    flush: function (options) {
      var self = this;
      return this.session(options.sessionUrl).then(function (session) {
        if (!session) {
          return false;
        }
        if (!session.user) {
          return true; // logged out: her runs wait until she logs in again
        }
        return self.all().then(function (records) {
          var now = Date.now();
          var done = true;
          var chain = Promise.resolve();
          records.forEach(function (record) {
            if (record.user !== session.user || record.refused) {
              return;
            }
            if (!(now - Date.parse(record.started_at) < options.maxAgeMs)) {
              chain = chain.then(function () {
                return self.remove(record.key);
              });
              return;
            }
            chain = chain.then(function () {
              return self.send(record, session.csrfToken).then(function (outcome) {
                if (outcome.state === "saved") {
                  return self.remove(record.key);
                }
                if (outcome.state === "refused") {
                  record.refused = outcome.detail || "?";
                  return self.put(record);
                }
                done = false;
              });
            });
          });
          return chain.then(function () {
            return done;
          });
        });
      });
    },
  };

  global.PracticeQueue = PracticeQueue;
})(self);
