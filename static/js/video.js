// A lesson's uploaded video: where she stopped comes back on her next visit (kept in this
// browser only, by lesson number — no health data), and once she has seen 90% of it the
// site is told, which can be what lets her mark the lesson done.
(function () {
  "use strict";
  var video = document.querySelector("video[data-video]");
  if (!video) {
    return;
  }
  var words = JSON.parse(document.getElementById("video-words").textContent);
  var key = "bb-video-" + video.getAttribute("data-video");
  var note = document.querySelector("[data-video-resume]");
  var watchedUrl = video.getAttribute("data-watched-url");
  var told = false;
  var lastSaved = 0;

  // {at: where she stopped, seen: seconds seen on earlier visits}
  function stored() {
    try {
      var value = JSON.parse(window.localStorage.getItem(key) || "{}");
      return { at: Number(value.at) || 0, seen: Number(value.seen) || 0 };
    } catch (e) {
      return { at: 0, seen: 0 };
    }
  }

  var earlier = stored();

  function store(seconds) {
    try {
      if (seconds === null) {
        window.localStorage.removeItem(key);
      } else {
        window.localStorage.setItem(
          key,
          JSON.stringify({ at: Math.floor(seconds), seen: Math.floor(earlier.seen + playedNow()) })
        );
      }
    } catch (e) {
      // Private mode or storage full: resuming is a nicety, not a must.
    }
  }

  function clock(seconds) {
    var s = Math.floor(seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function tellWatched() {
    if (told || !watchedUrl) {
      return;
    }
    told = true;
    fetch(watchedUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (!response.ok) {
          told = false; // try again on the next progress event
          return;
        }
        var needed = document.querySelector("[data-video-needed]");
        if (needed && !needed.hidden) {
          needed.textContent = words.watched;
          needed.setAttribute("role", "status");
        }
      })
      .catch(function () {
        told = false;
      });
  }

  // What she really saw (the parts played, on this visit and earlier ones), not how far
  // she skipped ahead.
  function playedNow() {
    var seen = 0;
    for (var i = 0; i < video.played.length; i++) {
      seen += video.played.end(i) - video.played.start(i);
    }
    return seen;
  }

  function shareSeen() {
    return video.duration ? Math.min(1, (earlier.seen + playedNow()) / video.duration) : 0;
  }

  function canSeekTo(at) {
    for (var i = 0; i < video.seekable.length; i++) {
      if (video.seekable.start(i) <= at && at <= video.seekable.end(i)) {
        return true;
      }
    }
    return false;
  }

  var resumed = false;
  function resume() {
    var at = earlier.at;
    // Near the end (or past it) she starts again from the beginning.
    if (resumed || !(at > 5 && video.duration && at < video.duration - 5)) {
      return;
    }
    if (!canSeekTo(at)) {
      return; // a server without range requests: try again when more has loaded
    }
    resumed = true;
    video.currentTime = at;
    if (note) {
      note.textContent = words.resumed.replace("%s", clock(at));
      note.hidden = false;
    }
  }

  video.addEventListener("loadedmetadata", resume);
  video.addEventListener("progress", resume);
  video.addEventListener("canplaythrough", resume);
  video.addEventListener("timeupdate", function () {
    if (shareSeen() >= 0.9) {
      tellWatched();
    }
    if (Math.abs(video.currentTime - lastSaved) >= 3) {
      lastSaved = video.currentTime;
      store(video.currentTime);
    }
  });
  video.addEventListener("pause", function () {
    store(video.currentTime);
  });
  video.addEventListener("ended", function () {
    if (shareSeen() >= 0.9) {
      tellWatched();
    }
    store(null);
  });
  if (video.readyState >= 1) {
    resume();
  }
})();
