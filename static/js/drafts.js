/* What she types stays in the browser until the server has it.
 *
 * A form with data-draft="<name>" keeps its fields in localStorage while she types. When
 * her session ended meanwhile, sending the form leads to the login page; after logging in
 * she comes back to the same page, and the form is filled in again from the draft. The
 * draft goes once the server confirms the save (a message with the class "draft-saved"),
 * when she logs out, and after a day. Drafts belong to one user (data-user on <body>), so
 * another person on the same device never sees them.
 */
(function () {
  "use strict";

  var PREFIX = "bekkenbodem.draft.";
  var MAX_AGE_MS = 24 * 60 * 60 * 1000;
  var SKIP = { csrfmiddlewaretoken: true, idempotency_key: true };
  var user = document.body.dataset.user || "";

  var storage = {
    get: function (key) {
      try {
        return JSON.parse(window.localStorage.getItem(key));
      } catch (error) {
        return null;
      }
    },
    set: function (key, value) {
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
      } catch (error) {
        /* no storage: the form works as before */
      }
    },
    remove: function (key) {
      try {
        window.localStorage.removeItem(key);
      } catch (error) {
        /* nothing to remove */
      }
    },
    keys: function () {
      var found = [];
      try {
        for (var i = 0; i < window.localStorage.length; i++) {
          var key = window.localStorage.key(i);
          if (key && key.indexOf(PREFIX) === 0) {
            found.push(key);
          }
        }
      } catch (error) {
        /* no storage */
      }
      return found;
    },
  };

  function clearAll() {
    storage.keys().forEach(storage.remove);
  }

  // Logging out, or the server confirming a save, ends the drafts.
  Array.prototype.forEach.call(document.querySelectorAll('form[action$="/logout/"]'), function (form) {
    form.addEventListener("submit", clearAll);
  });
  if (document.querySelector(".draft-saved")) {
    storage.keys().forEach(function (key) {
      var draft = storage.get(key);
      if (draft && draft.sent) {
        storage.remove(key);
      }
    });
  }
  storage.keys().forEach(function (key) {
    var draft = storage.get(key);
    if (!draft || Date.now() - draft.at > MAX_AGE_MS) {
      storage.remove(key);
    }
  });
  if (!user) {
    return; // the login page: drafts wait for her
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && !SKIP[field.name] && field.type !== "submit" && field.type !== "button";
    });
  }

  function read(form) {
    var values = {};
    fieldsOf(form).forEach(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) {
          values[field.name] = (values[field.name] || []).concat(field.value);
        }
      } else if (field.type !== "hidden" || field.name === "date") {
        values[field.name] = [field.value];
      }
    });
    return values;
  }

  function fill(form, values) {
    fieldsOf(form).forEach(function (field) {
      var wanted = values[field.name];
      if (!wanted) {
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = false;
        }
        return;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = wanted.indexOf(field.value) !== -1;
      } else if (field.type !== "hidden" || field.name === "date") {
        field.value = wanted[0];
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-draft]"), function (form) {
    var key = PREFIX + form.dataset.draft;
    var draft = storage.get(key);
    var hasErrors = form.querySelector(".errorlist, [aria-invalid=true]");
    if (draft && draft.user === user && draft.sent && !hasErrors) {
      // Sent, but not saved (her session had ended): here it is again.
      fill(form, draft.values);
      var note = form.querySelector("[data-draft-note]");
      if (note) {
        note.hidden = false;
      }
    }

    function keep(sent) {
      storage.set(key, { user: user, at: Date.now(), sent: sent, values: read(form) });
    }
    form.addEventListener("input", function () {
      keep(false);
    });
    form.addEventListener("change", function () {
      keep(false);
    });
    form.addEventListener("submit", function () {
      keep(true);
    });
  });
})();
