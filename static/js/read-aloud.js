// "Read aloud" on a lesson: the browser's own speech synthesis reads the lesson text
// paragraph by paragraph (long single utterances stop early in some browsers), each in the
// language it is written in: the nearest lang attribute (a text shown in Dutch because it
// has no English yet is marked lang="nl"), else the lesson's. Nothing plays until she
// presses the button; nothing is sent anywhere.
(function () {
  "use strict";
  var box = document.querySelector("[data-read-aloud]");
  if (!box || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance !== "function") {
    return; // the buttons stay hidden: no speech in this browser
  }
  var synth = window.speechSynthesis;
  var source = document.querySelector(box.getAttribute("data-read-aloud"));
  var lang = box.getAttribute("data-lang") || document.documentElement.lang || "nl";
  var page = document.documentElement.lang;
  var words = JSON.parse(document.getElementById("read-aloud-words").textContent);
  var start = box.querySelector("[data-action=start]");
  var pause = box.querySelector("[data-action=pause]");
  var resume = box.querySelector("[data-action=resume]");
  var stop = box.querySelector("[data-action=stop]");
  var status = box.querySelector("[data-status]");
  var queue = [];
  var reading = false;

  function voiceFor(language) {
    var voices = synth.getVoices();
    var base = language.split("-")[0].toLowerCase();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf(base) === 0) {
        return voices[i];
      }
    }
    return null;
  }

  function pieces() {
    var parts = [];
    source.querySelectorAll("h1, h2, h3, p, li, figcaption").forEach(function (node) {
      if (node.closest("[data-read-aloud], .visually-hidden, nav, form, .step-number, .muted")) {
        return;
      }
      var text = node.textContent.replace(/\s+/g, " ").trim();
      var marked = node.closest("[lang]");
      var language = marked && marked !== document.documentElement ? marked.lang : page || lang;
      if (text) {
        parts.push({ text: text, lang: language });
      }
    });
    return parts;
  }

  function show(state) {
    start.hidden = state !== "idle";
    pause.hidden = state !== "reading";
    resume.hidden = state !== "paused";
    stop.hidden = state === "idle";
    status.textContent = words[state] || "";
  }

  function next() {
    if (!reading) {
      return;
    }
    var piece = queue.shift();
    if (piece === undefined) {
      reading = false;
      show("idle");
      status.textContent = words.done;
      return;
    }
    var utterance = new SpeechSynthesisUtterance(piece.text);
    utterance.lang = piece.lang;
    var voice = voiceFor(piece.lang);
    if (voice) {
      utterance.voice = voice;
    }
    utterance.rate = 0.95;
    utterance.onend = next;
    utterance.onerror = function () {
      reading = false;
      show("idle");
    };
    synth.speak(utterance);
  }

  start.addEventListener("click", function () {
    synth.cancel();
    queue = pieces();
    reading = true;
    show("reading");
    next();
  });
  pause.addEventListener("click", function () {
    synth.pause();
    show("paused");
  });
  resume.addEventListener("click", function () {
    synth.resume();
    show("reading");
  });
  stop.addEventListener("click", function () {
    reading = false;
    queue = [];
    synth.cancel();
    show("idle");
    status.textContent = words.stopped;
  });
  window.addEventListener("pagehide", function () {
    synth.cancel();
  });
  box.hidden = false;
  show("idle");
  status.textContent = "";
})();
