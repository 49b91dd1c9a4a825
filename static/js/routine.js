/* The whole routine in one guided timer (the Today page): exercise after exercise, each
 * after a short announced transition (its name, dose and starting position), with skip, and
 * the run saved as one practice session. Loaded before static/js/timer.js, which calls
 * window.bekkenbodemRoutine with its own parts (the Timer and its helpers) to make the
 * routine's timer; lesson pages, which have no routine, do not load this file.
 */
(function () {
  "use strict";

  window.bekkenbodemRoutine = function (api) {
    var Timer = api.Timer;
    var fill = api.fill;
    var dosePhases = api.dosePhases;
    var onTheClock = api.onTheClock;
    var config = api.config;
    var RS = api.strings; // the routine's words (#routine-config)

    /* Before each exercise a short announced transition (its name, dose and starting
     * position), then its phases. Every phase knows its exercise (`item`), words and dose. */
    function buildRoutinePhases(routine) {
      var phases = [];
      routine.items.forEach(function (item, index) {
        var base = { item: index, words: item.words, dose: item.dose };
        var transition = { type: "transition", seconds: routine.transitionSeconds, say: item.say };
        transition.position = item.start;
        phases.push(Object.assign(transition, base));
        phases = phases.concat(dosePhases(item.dose, base));
      });
      return onTheClock(phases);
    }

    function RoutineTimer(card, routine) {
      this.routine = routine;
      Timer.call(this, card);
      this.itemText = this.root.querySelector("[data-timer-item]");
      this.skipButton = this.root.querySelector("[data-timer-skip]");
      var self = this;
      this.skipButton.addEventListener("click", function () {
        self.skip();
      });
    }
    RoutineTimer.prototype = Object.create(Timer.prototype);
    RoutineTimer.prototype.constructor = RoutineTimer;

    RoutineTimer.prototype.phases = function () {
      return buildRoutinePhases(this.routine);
    };

    RoutineTimer.prototype.setState = function (next) {
      var changed = Timer.prototype.setState.call(this, next);
      if (changed && this.skipButton) {
        this.skipButton.hidden = !(next === "running" || next === "paused");
      }
      if (changed && this.itemText && next !== "running" && next !== "paused") {
        this.itemText.textContent = "";
      }
      return changed;
    };

    RoutineTimer.prototype.itemLine = function (index) {
      var item = this.routine.items[index];
      var total = this.routine.items.length;
      return fill(RS.progressItem, { n: index + 1, total: total, name: item.name });
    };

    /* Skip the rest of this exercise: the clock jumps to the next one's transition (the
     * skipped seconds do not count as practice); after the last one the routine ends. */
    RoutineTimer.prototype.skip = function () {
      if (this.state !== "running" && this.state !== "paused") {
        return;
      }
      var run = this.run;
      var phases = run.phases;
      var current = phases[run.index].item;
      var next = run.index;
      while (next < phases.length && phases[next].item === current) {
        next += 1;
      }
      if (this.state === "paused") {
        this.resume();
      }
      if (next >= phases.length) {
        this.finish(true);
        return;
      }
      var now = this.elapsed();
      (run.jumps = run.jumps || []).push([now, phases[next].start]);
      run.skipped += phases[next].start - now;
      this.tick();
    };

    RoutineTimer.prototype.buildRecord = function (completed, at) {
      var run = this.run;
      var phases = run.phases;
      var elapsed = Math.min(this.elapsed(at), phases[phases.length - 1].end);
      var jumps = run.jumps || [];
      var jumpedOver = function (phase) {
        return jumps.some(function (jump) {
          return phase.end > jump[0] && phase.start < jump[1];
        });
      };
      var parts = this.routine.items.map(function (item, index) {
        var done = phases.filter(function (phase) {
          return (
            phase.item === index &&
            phase.type === "contract" &&
            phase.end <= elapsed + 0.001 &&
            !jumpedOver(phase)
          );
        }).length;
        // An exercise with no repetition done was skipped (or not reached when she stopped).
        return { exercise: item.id, repetitions_done: done, skipped: done === 0 };
      });
      return {
        key: run.key,
        user: config.user,
        url: this.routine.logUrl,
        kind: "routine",
        parts: parts,
        started_at: run.startedIso,
        duration_seconds: Math.max(0, Math.round(elapsed - run.skipped)),
        repetitions_done: parts.reduce(function (sum, part) {
          return sum + part.repetitions_done;
        }, 0),
        completed: completed,
        feeling: null,
      };
    };

    RoutineTimer.prototype.summaryText = function (record, completed) {
      var done = record.parts.filter(function (part) {
        return part.repetitions_done > 0;
      }).length;
      return fill(completed ? RS.summaryRoutineDone : RS.summaryRoutineStopped, {
        done: done,
        total: record.parts.length,
      });
    };

    return RoutineTimer;
  };
})();
