/* Guided exercise timer on the lesson page: contract / relax / rest, announced calmly, and
 * every run saved as a practice session (retried until the server has it, never twice).
 * The Today page's whole routine is built on it by static/js/routine.js.
 *
 * Plain JavaScript, no libraries, no build step. Every word shown or spoken comes from the
 * page, so this file holds no language: the #timer-config block (json_script, built by
 * therapy/journey/templatetags/practice.py, which also passes the journey's limits) and the
 * data- attributes of each exercise.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("timer-config");
  if (!configElement) {
    return;
  }
  var config;
  try {
    config = JSON.parse(configElement.textContent);
  } catch (error) {
    return;
  }
  var S = config.strings || {};
  var RS = {}; // the routine's words (#routine-config on the Today page)
  var READY_SECONDS = config.readySeconds;
  var MAX_REPETITIONS = config.maxRepetitions;
  var MAX_AGE_MS = config.maxAgeDays * 24 * 60 * 60 * 1000; // the server refuses older start times
  // 1 for patients; browser tests run the clock faster (settings.TIMER_SPEED).
  var SPEED = config.speed || 1;
  // Phases shorter than this get a one-word cue: a full sentence would lag behind the rhythm.
  var SHORT_PHASE_SECONDS = 3;
  var STORE_PREFIX = "bekkenbodem.practice-log.";
  var PREF_PREFIX = "bekkenbodem.timer.";
  var RETRY_DELAYS = [2, 5, 15, 30, 60, 120, 300];
  var LANG = (document.documentElement.lang || "nl").toLowerCase();

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (match, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : match;
    });
  }

  function newKey() {
    var cryptoApi = window.crypto;
    if (cryptoApi && typeof cryptoApi.randomUUID === "function") {
      return cryptoApi.randomUUID();
    }
    // Older browsers (and pages not served over https): a version-4 UUID by hand.
    var bytes = new Uint8Array(16);
    if (cryptoApi && cryptoApi.getRandomValues) {
      cryptoApi.getRandomValues(bytes);
    } else {
      for (var i = 0; i < 16; i++) {
        bytes[i] = Math.floor(Math.random() * 256);
      }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrfToken() {
    // Read on every request: logging in again elsewhere gives a new token.
    // The cookie's name comes from the settings: "__Host-csrftoken" in production.
    var name = config.csrfCookie || "csrftoken";
    var found = document.cookie.split(/;\s*/).filter(function (pair) {
      return pair.indexOf(name + "=") === 0;
    })[0];
    if (found) {
      return decodeURIComponent(found.slice(name.length + 1));
    }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- Local storage (may be unavailable: private mode, full disk) -----------------------

  var store = {
    get: function (name) {
      try {
        var raw = window.localStorage.getItem(name);
        return raw === null ? null : JSON.parse(raw);
      } catch (error) {
        return null;
      }
    },
    set: function (name, value) {
      try {
        window.localStorage.setItem(name, JSON.stringify(value));
      } catch (error) {
        /* the in-memory copy still retries while the page is open */
      }
    },
    remove: function (name) {
      try {
        window.localStorage.removeItem(name);
      } catch (error) {
        /* nothing to clean up */
      }
    },
    names: function (prefix) {
      var found = [];
      try {
        for (var i = 0; i < window.localStorage.length; i++) {
          var name = window.localStorage.key(i);
          if (name && name.indexOf(prefix) === 0) {
            found.push(name);
          }
        }
      } catch (error) {
        /* no storage, nothing pending */
      }
      return found;
    },
  };

  // --- Saving practice sessions ------------------------------------------------------------

  /* One record per run, keyed by its idempotency key. It waits in the offline queue
   * (IndexedDB, static/js/practice-queue.js) until the server answered, so that a lost
   * connection, a closed tab or a day offline loses nothing; the server stores each key
   * once, so sending it again is always safe. Sent again at once when the connection comes
   * back ("online"), on the next page load, and by the service worker (Background Sync).
   * A run cut short by leaving the page is written to localStorage first (it is written at
   * once, IndexedDB maybe not before the page is gone) and moved to the queue on the next
   * load. Without IndexedDB, localStorage is the queue. */
  var queue = window.PracticeQueue;
  var queueNote = document.querySelector("[data-practice-queue]");

  var saver = {
    records: {},
    listeners: {},
    busy: {},
    again: {},
    timers: {},
    attempts: {},
    waiting: {}, // keys not sent yet after a try: what the page says is waiting
    resumed: {}, // keys from an earlier page: a refusal is said in the page's note
    refused: [], // reasons of runs the server refused, shown once

    keep: function (record) {
      record.url = record.url || config.logUrl;
      if (!queue) {
        store.set(STORE_PREFIX + record.key, record);
        return Promise.resolve();
      }
      return queue.put(record).catch(function () {
        store.set(STORE_PREFIX + record.key, record);
      });
    },

    forget: function (key) {
      store.remove(STORE_PREFIX + key);
      delete this.waiting[key];
      var done = queue ? queue.remove(key).catch(function () {}) : Promise.resolve();
      this.showQueue();
      return done;
    },

    save: function (record, listener) {
      var self = this;
      this.records[record.key] = record;
      if (listener) {
        this.listeners[record.key] = listener;
      }
      clearTimeout(this.timers[record.key]);
      delete this.timers[record.key];
      this.keep(record).then(function () {
        self.send(record.key);
      });
    },

    notify: function (key, state, detail) {
      var listener = this.listeners[key];
      if (listener) {
        listener(state, detail, this.records[key]);
      }
    },

    send: function (key) {
      var self = this;
      var record = this.records[key];
      if (!record) {
        return;
      }
      if (this.busy[key]) {
        this.again[key] = true; // e.g. a feeling chosen while the first save is on its way
        return;
      }
      this.busy[key] = true;
      this.again[key] = false;
      var sending = queue ? queue.send(record, csrfToken()) : Promise.resolve({ state: "retry" });
      sending.then(function (outcome) {
        self.busy[key] = false;
        if (outcome.state === "retry") {
          self.waiting[key] = true;
          self.showQueue();
          self.retryLater(key);
          askForSync();
          return;
        }
        self.attempts[key] = 0;
        if (outcome.state === "refused") {
          self.forget(key); // the same data would be refused again
          if (!self.listeners[key] || self.resumed[key]) {
            self.refused.push(outcome.detail);
          }
          self.notify(key, "failed", outcome.detail);
          self.showQueue();
          return;
        }
        if (self.again[key]) {
          self.send(key);
          return;
        }
        self.forget(key);
        self.notify(key, "saved", outcome.data);
      });
    },

    retryLater: function (key) {
      var self = this;
      var attempt = (this.attempts[key] || 0) + 1;
      this.attempts[key] = attempt;
      var delay = RETRY_DELAYS[Math.min(attempt, RETRY_DELAYS.length) - 1];
      this.notify(key, "retrying");
      clearTimeout(this.timers[key]);
      this.timers[key] = setTimeout(function () {
        delete self.timers[key];
        self.send(key);
      }, delay * 1000);
    },

    retryNow: function () {
      for (var key in this.timers) {
        if (Object.prototype.hasOwnProperty.call(this.timers, key)) {
          clearTimeout(this.timers[key]);
          delete this.timers[key];
          this.send(key);
        }
      }
    },

    /* Her runs that wait from an earlier page (or were refused while the worker sent
     * them): moved from localStorage into the queue, then sent. Another patient's runs on
     * a shared device wait for her; runs too old for the server are dropped. */
    resumePending: function (listenerFor) {
      var self = this;
      var now = Date.now();
      var kept = store.names(STORE_PREFIX).map(function (name) {
        return store.get(name);
      });
      var moved = Promise.all(
        kept.map(function (record) {
          if (!record || !record.key || !queue) {
            return null;
          }
          record.url = record.url || config.logUrl;
          return queue.put(record).then(function () {
            store.remove(STORE_PREFIX + record.key);
          });
        })
      ).catch(function () {});
      var all = moved.then(function () {
        return queue ? queue.all() : kept;
      });
      all
        .catch(function () {
          return kept; // no IndexedDB after all: localStorage is the queue
        })
        .then(function (records) {
          (records || []).forEach(function (record) {
            if (!record || !record.key || record.user !== config.user || self.records[record.key]) {
              return;
            }
            if (record.refused) {
              self.refused.push(record.refused);
              self.forget(record.key);
              return;
            }
            if (!(now - Date.parse(record.started_at) < MAX_AGE_MS)) {
              self.forget(record.key);
              return;
            }
            self.records[record.key] = record;
            self.waiting[record.key] = true;
            self.resumed[record.key] = true;
            var listener = listenerFor(record);
            if (listener) {
              self.listeners[record.key] = listener;
            }
            self.send(record.key);
          });
          self.showQueue();
        });
    },

    /* "1 practice session is waiting to be sent", and what was refused (aria-live). */
    showQueue: function () {
      if (!queueNote) {
        return;
      }
      var count = Object.keys(this.waiting).length;
      var lines = [];
      if (count) {
        lines.push(fill(count === 1 ? S.queueWaitingOne : S.queueWaitingOther, { count: count }));
      }
      this.refused.forEach(function (reason) {
        lines.push(fill(S.queueRefused, { errors: reason || "" }));
      });
      var text = lines.join(" ");
      if (queueNote.textContent !== text) {
        queueNote.textContent = text;
      }
      queueNote.dataset.waiting = String(count);
      queueNote.hidden = !text;
    },
  };

  /* Background Sync (where the browser has it): the worker sends the queue when the
   * connection is back, also after she closed the page. */
  function askForSync() {
    if (!("serviceWorker" in navigator)) {
      return;
    }
    navigator.serviceWorker.ready
      .then(function (registration) {
        return registration.sync && registration.sync.register("practice-queue");
      })
      .catch(function () {});
  }

  window.addEventListener("online", function () {
    saver.retryNow();
  });
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "practice-queue-changed") {
        saver.retryNow(); // the worker sent them: the server answers "already saved"
      }
    });
  }

  // --- Preferences, sound, voice, screen wake lock -------------------------------------------

  var prefs = {
    sound: store.get(PREF_PREFIX + "sound") === true,
    voice: store.get(PREF_PREFIX + "voice") === true,
  };
  var AudioContextClass = window.AudioContext || window.webkitAudioContext;
  var canSpeak = "speechSynthesis" in window && typeof window.SpeechSynthesisUtterance === "function";
  var audio = null;

  function wakeAudio() {
    // Only ever called from a click: browsers start audio after a user gesture only.
    if (!prefs.sound || !AudioContextClass) {
      return;
    }
    try {
      if (!audio) {
        audio = new AudioContextClass();
      }
      if (audio.state === "suspended") {
        audio.resume().catch(function () {});
      }
    } catch (error) {
      audio = null;
    }
  }

  var TONES = { ready: 440, contract: 523.25, relax: 392, rest: 349.23, done: 659.25 };

  function tone(kind) {
    if (!prefs.sound || !audio || !TONES[kind]) {
      return;
    }
    try {
      var start = audio.currentTime + 0.01;
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = TONES[kind];
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.12, start + 0.04);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.45);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.5);
    } catch (error) {
      /* a cue is a nicety */
    }
  }

  function pickVoice() {
    var primary = LANG.split("-")[0];
    var voices = window.speechSynthesis.getVoices() || [];
    var exact = null;
    var close = null;
    voices.forEach(function (voice) {
      var voiceLang = String(voice.lang || "").toLowerCase().replace("_", "-");
      if (!exact && voiceLang === LANG) {
        exact = voice;
      }
      if (!close && voiceLang.split("-")[0] === primary) {
        close = voice;
      }
    });
    return exact || close;
  }

  function speak(text) {
    if (!prefs.voice || !canSpeak || !text) {
      return;
    }
    try {
      window.speechSynthesis.cancel(); // never queue up behind the rhythm
      var utterance = new window.SpeechSynthesisUtterance(text);
      utterance.lang = LANG;
      var voice = pickVoice();
      if (voice) {
        utterance.voice = voice;
      }
      utterance.rate = 0.95;
      window.speechSynthesis.speak(utterance);
    } catch (error) {
      /* a cue is a nicety */
    }
  }

  var wakeLock = null;

  function keepScreenOn() {
    if (!("wakeLock" in navigator) || document.visibilityState !== "visible" || wakeLock) {
      return;
    }
    navigator.wakeLock
      .request("screen")
      .then(function (lock) {
        wakeLock = lock;
        lock.addEventListener("release", function () {
          if (wakeLock === lock) {
            wakeLock = null;
          }
        });
      })
      .catch(function () {
        wakeLock = null;
      });
  }

  function letScreenSleep() {
    if (wakeLock) {
      var lock = wakeLock;
      wakeLock = null;
      lock.release().catch(function () {});
    }
  }

  // --- One exercise's timer -----------------------------------------------------------------

  /* The phases of one dose: contract and relax per repetition, a rest between sets. Each
   * phase also carries `extra` (in a routine: its exercise, words and dose). */
  function dosePhases(dose, extra) {
    var phases = [];
    for (var set = 1; set <= dose.sets; set++) {
      for (var rep = 1; rep <= dose.reps; rep++) {
        phases.push(Object.assign({ type: "contract", seconds: dose.hold, rep: rep, set: set }, extra));
        phases.push(Object.assign({ type: "relax", seconds: dose.relax, rep: rep, set: set }, extra));
      }
      if (set < dose.sets && dose.rest > 0) {
        phases.push(Object.assign({ type: "rest", seconds: dose.rest, rep: dose.reps, set: set }, extra));
      }
    }
    return phases;
  }

  // Give each phase its start and end on the run's clock (seconds).
  function onTheClock(phases) {
    var at = 0;
    phases.forEach(function (phase) {
      phase.start = at;
      at += phase.seconds;
      phase.end = at;
    });
    return phases;
  }

  function buildPhases(dose) {
    var ready = { type: "ready", seconds: READY_SECONDS, rep: 1, set: 1 };
    return onTheClock([ready].concat(dosePhases(dose, {})));
  }

  function number(value, fallback) {
    var parsed = parseInt(value, 10);
    return isNaN(parsed) ? fallback : parsed;
  }

  /* A timer is always in one of four states, and only setState() moves it between them:
   *
   *   idle     → running    start
   *   running  → paused     pause (or another exercise is started)
   *   paused   → running    resume
   *   running  → finished   the last phase ends, or stop after at least one repetition
   *   paused   → finished   stop after at least one repetition
   *   running  → idle       stop before the first repetition: nothing to save
   *   paused   → idle       (the same)
   *   finished → running    start again
   *
   * Within "running" the phases (ready, contract, relax, rest) follow the clock: see tick(). */
  var TRANSITIONS = {
    idle: ["running"],
    running: ["paused", "finished", "idle"],
    paused: ["running", "finished", "idle"],
    finished: ["running"],
  };

  var timers = [];

  function Timer(card) {
    var root = card.querySelector("[data-timer]");
    this.card = card;
    this.root = root;
    this.dose = {
      id: number(card.dataset.exerciseId, 0),
      hold: Math.max(1, number(card.dataset.hold, 8)),
      relax: Math.max(1, number(card.dataset.relax, 8)),
      reps: Math.max(1, number(card.dataset.reps, 8)),
      sets: Math.max(1, number(card.dataset.sets, 1)),
      rest: Math.max(0, number(card.dataset.rest, 0)),
    };
    this.words = root.dataset;
    var find = function (name) {
      return root.querySelector("[data-timer-" + name + "]");
    };
    this.stage = find("stage");
    this.circle = find("circle");
    this.count = find("count");
    this.phaseText = find("phase");
    this.progressText = find("progress");
    this.live = find("live");
    this.startButton = find("start");
    this.pauseButton = find("pause");
    this.stopButton = find("stop");
    this.result = find("result");
    this.summary = find("summary");
    this.saveText = find("save");
    this.soundBox = find("sound");
    this.voiceBox = find("voice");
    this.feelingButtons = Array.prototype.slice.call(root.querySelectorAll("[data-feeling]"));
    this.state = "idle"; // the template renders the idle view
    root.dataset.state = this.state;
    this.run = null; // the clock of the run in progress (running or paused)
    this.record = null; // the saved record of the last finished run, for "how did it feel?"
    this.ticking = null;

    var self = this;
    this.startButton.addEventListener("click", function () {
      self.start();
    });
    this.pauseButton.addEventListener("click", function () {
      if (self.state === "paused") {
        self.resume();
      } else {
        self.pause();
      }
    });
    this.stopButton.addEventListener("click", function () {
      self.finish(false);
    });
    this.feelingButtons.forEach(function (button) {
      button.addEventListener("click", function () {
        self.chooseFeeling(number(button.dataset.feeling, 0), button);
      });
    });
    this.setUpCue(this.soundBox, find("sound-option"), "sound", Boolean(AudioContextClass));
    this.setUpCue(this.voiceBox, find("voice-option"), "voice", canSpeak);

    root.hidden = false;
    var details = card.querySelector("[data-log-details]");
    if (details) {
      details.open = false; // the timer is the main way now; logging by hand stays one click away
    }
  }

  Timer.prototype.setUpCue = function (box, option, name, supported) {
    if (!supported) {
      option.hidden = true;
      return;
    }
    box.checked = prefs[name];
    box.addEventListener("change", function () {
      prefs[name] = box.checked;
      store.set(PREF_PREFIX + name, box.checked);
      timers.forEach(function (timer) {
        var other = name === "sound" ? timer.soundBox : timer.voiceBox;
        other.checked = box.checked;
      });
      if (name === "sound") {
        wakeAudio();
        tone("ready"); // let her hear how soft it is
      }
      if (name === "voice" && !box.checked && canSpeak) {
        window.speechSynthesis.cancel();
      }
    });
  };

  /* The one place that changes state: buttons, the stage's look, the clock's interval and
   * the screen wake lock all follow from the state. What a transition says (words, focus,
   * saving) stays with the action that asked for it. Returns false for a move not allowed. */
  Timer.prototype.setState = function (next) {
    var previous = this.state;
    if (TRANSITIONS[previous].indexOf(next) === -1) {
      return false;
    }
    var self = this;
    var active = next === "running" || next === "paused";
    this.state = next;
    this.root.dataset.state = next;
    this.startButton.hidden = active;
    this.pauseButton.hidden = !active;
    this.stopButton.hidden = !active;
    this.pauseButton.textContent = next === "paused" ? S.resume : S.pause;
    this.result.hidden = next !== "finished";

    if (next === "paused") {
      // Hold the circle where it is instead of letting it finish its movement.
      var transform = window.getComputedStyle(this.circle).transform;
      this.circle.style.transition = "none";
      this.circle.style.transform = transform && transform !== "none" ? transform : "";
      this.stage.dataset.paused = "true";
      this.phaseText.textContent = S.paused;
    } else {
      // Dropping the frozen value lets the circle move on from there to its target (resume
      // sets --phase-seconds to the time the phase has left first).
      this.circle.style.transition = "";
      this.circle.style.transform = "";
      delete this.stage.dataset.paused;
    }
    if (next === "idle") {
      this.stage.dataset.phase = "idle";
      this.phaseText.textContent = "";
    }
    if (next === "finished") {
      this.stage.style.setProperty("--phase-seconds", "1s");
      this.stage.dataset.phase = "done";
      this.startButton.textContent = S.startAgain;
    }
    if (!active) {
      this.count.textContent = next === "finished" ? "\u2713" : ""; // a check mark, for the eyes only
      this.progressText.textContent = "";
    }

    clearInterval(this.ticking);
    this.ticking = null;
    if (next === "running") {
      this.ticking = setInterval(function () {
        self.tick();
      }, 100);
      keepScreenOn();
    } else {
      letScreenSleep();
    }
    return true;
  };

  Timer.prototype.phases = function () {
    return buildPhases(this.dose);
  };

  Timer.prototype.elapsed = function (at) {
    var run = this.run;
    var now = run.pausedAt !== null ? run.pausedAt : at || performance.now();
    return ((now - run.startedAt - run.pausedMs) / 1000) * SPEED + (run.skipped || 0);
  };

  Timer.prototype.start = function () {
    if (this.state !== "idle" && this.state !== "finished") {
      return;
    }
    var self = this;
    timers.forEach(function (other) {
      if (other !== self && other.state === "running") {
        other.pause(); // one exercise at a time
      }
    });
    wakeAudio();
    this.record = null;
    this.run = {
      key: newKey(),
      startedIso: new Date().toISOString(),
      startedAt: performance.now(),
      pausedMs: 0,
      pausedAt: null,
      leftAt: null,
      phases: this.phases(),
      skipped: 0, // seconds jumped over by "skip"
      index: 0,
      shown: -1,
      left: null,
    };
    this.saveText.textContent = "";
    this.setState("running");
    // Draw the first phase before scrolling: the idle stage is hidden and much smaller.
    this.tick();
    // Focus the button she needs next; show the whole timer (the circle sits above it).
    this.pauseButton.focus({ preventScroll: true });
    this.root.scrollIntoView({ block: "nearest" });
  };

  Timer.prototype.tick = function () {
    if (this.state !== "running") {
      return;
    }
    var run = this.run;
    var elapsed = this.elapsed();
    var phases = run.phases;
    // A throttled background tab may skip phases: we jump to where she is now.
    while (run.index < phases.length && elapsed >= phases[run.index].end) {
      run.index += 1;
    }
    if (run.index >= phases.length) {
      this.finish(true);
      return;
    }
    var phase = phases[run.index];
    if (run.shown !== run.index) {
      this.enterPhase(phase, elapsed);
      run.shown = run.index;
    }
    var left = Math.max(1, Math.ceil(phase.end - elapsed - 0.001));
    if (left !== run.left) {
      run.left = left;
      this.count.textContent = String(left);
    }
  };

  Timer.prototype.word = function (phase) {
    var words = phase.words || this.words;
    if (phase.type === "ready") {
      return S.ready;
    }
    if (phase.type === "transition") {
      return RS.getInPosition;
    }
    if (phase.type === "contract") {
      return words.wordContract;
    }
    if (phase.type === "relax") {
      return words.wordRelax;
    }
    return words.wordRest;
  };

  Timer.prototype.progress = function (phase) {
    var dose = phase.dose || this.dose;
    if (phase.type === "transition") {
      return phase.position || ""; // her starting position, also said aloud
    }
    if (phase.type === "rest") {
      return fill(S.progressRest, { set: phase.set + 1, sets: dose.sets });
    }
    var values = { rep: phase.rep, reps: dose.reps, set: phase.set, sets: dose.sets };
    return fill(dose.sets > 1 ? S.progressRepSet : S.progressRep, values);
  };

  Timer.prototype.announcement = function (phase) {
    var short = phase.seconds < SHORT_PHASE_SECONDS;
    var words = phase.words || this.words;
    var dose = phase.dose || this.dose;
    if (phase.type === "ready") {
      return S.sayReady;
    }
    if (phase.type === "transition") {
      return phase.say;
    }
    if (phase.type === "rest") {
      return words.sayRest;
    }
    if (phase.type === "relax") {
      return short ? words.cueRelax : words.sayRelax;
    }
    var say = short ? words.cueContract : words.sayContract;
    if (phase.rep === 1 && dose.sets > 1) {
      say = fill(S.progressSet, { set: phase.set, sets: dose.sets }) + ". " + say;
    }
    return say;
  };

  Timer.prototype.announce = function (text) {
    // Only at phase and state changes: the ticking seconds are aria-hidden.
    this.live.textContent = text;
  };

  Timer.prototype.enterPhase = function (phase, elapsed) {
    var remaining = Math.max(0.1, phase.end - elapsed);
    // The circle grows or shrinks over exactly the time this phase has left.
    this.stage.style.setProperty("--phase-seconds", remaining.toFixed(2) + "s");
    this.stage.dataset.phase = phase.type;
    if (this.itemText && phase.item !== undefined) {
      this.itemText.textContent = this.itemLine(phase.item);
    }
    this.phaseText.textContent = this.word(phase);
    this.progressText.textContent = this.progress(phase);
    var say = this.announcement(phase);
    this.announce(say);
    speak(say);
    tone(phase.type);
  };

  Timer.prototype.pause = function () {
    if (this.state !== "running") {
      return;
    }
    this.run.pausedAt = performance.now();
    this.setState("paused");
    this.announce(S.paused);
    speak(S.paused);
  };

  Timer.prototype.resume = function () {
    if (this.state !== "paused") {
      return;
    }
    wakeAudio();
    var run = this.run;
    run.pausedMs += performance.now() - run.pausedAt;
    run.pausedAt = null;
    var phase = run.phases[run.index];
    var remaining = Math.max(0.1, phase.end - this.elapsed());
    this.stage.style.setProperty("--phase-seconds", remaining.toFixed(2) + "s");
    this.setState("running");
    this.phaseText.textContent = this.word(phase);
    this.announce(this.word(phase));
    speak(this.word(phase));
    this.tick();
  };

  Timer.prototype.repetitionsDone = function (elapsed) {
    return this.run.phases.filter(function (phase) {
      return phase.type === "contract" && phase.end <= elapsed + 0.001;
    }).length;
  };

  /* The one place a run becomes the record that is saved: when it finishes or is stopped,
   * and when she leaves the page in the middle of it. `at` is when it ended (default now,
   * or when it was paused). */
  Timer.prototype.buildRecord = function (completed, at) {
    var run = this.run;
    var phases = run.phases;
    var elapsed = Math.min(this.elapsed(at), phases[phases.length - 1].end);
    return {
      key: run.key,
      user: config.user,
      exercise: this.dose.id,
      started_at: run.startedIso,
      duration_seconds: Math.max(0, Math.round(elapsed - READY_SECONDS)),
      repetitions_done: Math.min(this.repetitionsDone(elapsed), MAX_REPETITIONS),
      completed: completed,
      feeling: null,
    };
  };

  Timer.prototype.finish = function (completed, at) {
    if (!this.run) {
      return;
    }
    var record = this.buildRecord(completed, at);
    this.run = null;

    if (!completed && record.repetitions_done === 0) {
      this.setState("idle");
      this.announce("");
      this.saveText.textContent = S.stoppedEarly;
      this.startButton.focus();
      return;
    }

    var said = completed ? S.done : S.stopped;
    this.summary.textContent = this.summaryText(record, completed);
    this.feelingButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", "false");
    });
    this.setState("finished");
    this.phaseText.textContent = said;
    this.announce(said);
    speak(said);
    tone("done");
    // Focus the summary: it is read out, and "how did it feel?" comes right after it.
    this.summary.focus();

    this.record = record;
    saver.save(record, this.listener(false));
  };

  Timer.prototype.summaryText = function (record, completed) {
    return fill(completed ? S.summaryDone : S.summaryStopped, {
      done: record.repetitions_done,
      total: this.dose.reps * this.dose.sets,
    });
  };

  Timer.prototype.chooseFeeling = function (feeling, chosen) {
    // The buttons are the model's choices (practice_feelings), so any value they carry is valid.
    if (!this.record || !feeling) {
      return;
    }
    this.feelingButtons.forEach(function (button) {
      button.setAttribute("aria-pressed", button === chosen ? "true" : "false");
    });
    this.record.feeling = feeling;
    saver.save(this.record, this.listener(false));
  };

  Timer.prototype.listener = function (earlier) {
    var self = this;
    return function (state, detail, record) {
      if (state === "retrying") {
        self.showSave(S.retrying, "retrying");
      } else if (state === "failed") {
        self.showSave(fill(S.failed, { errors: detail || "" }), "failed");
      } else if (state === "saved") {
        var text = earlier ? S.savedEarlier : record && record.feeling ? S.savedFeeling : S.saved;
        self.showSave(text, "saved");
      }
    };
  };

  Timer.prototype.showSave = function (text, state) {
    // A role="status" region: read out when it changes, so only set it when it does.
    if (this.saveText.textContent !== text) {
      this.saveText.textContent = text;
    }
    this.saveText.dataset.state = state;
  };

  // A run that is cut short by leaving the page is kept, and saved on the next visit.
  Timer.prototype.keepUnfinished = function () {
    if (!this.run) {
      return;
    }
    // Where she left it (as finish() counts it when the page comes back): the same run.
    var record = this.buildRecord(false, this.run.leftAt);
    record.url = record.url || config.logUrl;
    if (record.repetitions_done > 0) {
      store.set(STORE_PREFIX + record.key, record);
    }
  };

  // --- Logging by hand ----------------------------------------------------------------------

  function freshKeys(force) {
    var inputs = document.querySelectorAll("[data-log-form] input[name=idempotency_key]");
    Array.prototype.forEach.call(inputs, function (input) {
      if (force || !input.value) {
        input.value = newKey();
      }
    });
  }

  // --- Start ----------------------------------------------------------------------------------

  var cards = document.querySelectorAll(".exercise[data-exercise-id]");
  Array.prototype.forEach.call(cards, function (card) {
    if (card.querySelector("[data-timer]")) {
      timers.push(new Timer(card));
    }
  });
  // The whole routine (the Today page): static/js/routine.js, loaded before this file, makes
  // its timer out of this one's parts; lesson pages do without it.
  var RoutineTimer = null;
  var routineElement = document.getElementById("routine-config");
  var routineCard = document.querySelector("[data-routine-card]");
  if (routineElement && routineCard && window.bekkenbodemRoutine) {
    try {
      var routine = JSON.parse(routineElement.textContent);
      RS = routine.strings || {};
      if (routine.items && routine.items.length) {
        RoutineTimer = window.bekkenbodemRoutine({
          Timer: Timer,
          fill: fill,
          dosePhases: dosePhases,
          onTheClock: onTheClock,
          config: config,
          strings: RS,
        });
        timers.push(new RoutineTimer(routineCard, routine));
      }
    } catch (error) {
      /* without a routine the page still offers logging by hand */
    }
  }
  freshKeys(false);

  saver.resumePending(function (record) {
    for (var i = 0; i < timers.length; i++) {
      var isRoutine = RoutineTimer !== null && timers[i] instanceof RoutineTimer;
      if (record.kind === "routine" ? isRoutine : !isRoutine && timers[i].dose.id === record.exercise) {
        return timers[i].listener(true);
      }
    }
    return null;
  });

  window.addEventListener("pagehide", function () {
    timers.forEach(function (timer) {
      if (timer.state === "running") {
        timer.run.leftAt = performance.now();
      }
      timer.keepUnfinished();
    });
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    // Back from the browser's page cache: she left in the middle of a run, so it ends where
    // she left it (not where the clock is now), with the same key as the copy kept on leaving.
    timers.forEach(function (timer) {
      if (timer.run) {
        timer.finish(false, timer.run.leftAt);
      }
    });
    freshKeys(true); // a new log by hand needs a new key
  });

  document.addEventListener("visibilitychange", function () {
    var running = timers.some(function (timer) {
      return timer.state === "running";
    });
    if (running && document.visibilityState === "visible") {
      keepScreenOn();
    }
  });
})();
