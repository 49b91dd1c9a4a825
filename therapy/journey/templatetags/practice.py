"""What the lesson page needs from the journey: the guided timer's configuration, the
feelings a run is rated with, and the practice limits.

The lesson view lives in `courses`, which must not import the journey; its templates load
this library instead (`{% load practice %}`), so each of these rules keeps one home in
therapy/journey/models.py and reaches the form, the template and timer.js from there.
"""

import functools

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language, gettext, ngettext, pgettext

from therapy.journey.models import (
    PRACTICE_LOG_WINDOW_DAYS,
    PRACTICE_MAX_REPETITIONS,
    PracticeSession,
)

register = template.Library()

# The "get ready" count before the first phase; the saved duration leaves it out.
TIMER_READY_SECONDS = 3
# In a routine: the announced pause before each exercise (name, dose, starting position).
ROUTINE_TRANSITION_SECONDS = 8


def _seconds(count):
    return ngettext("%(seconds)s second", "%(seconds)s seconds", count) % {"seconds": count}


def _with_slots(message, *names):
    """A translated message whose values timer.js fills in: "%(rep)s" becomes "{rep}"."""
    return message % {name: f"{{{name}}}" for name in names}


@functools.lru_cache(maxsize=8)
def _timer_strings(language):
    return _build_timer_strings()


def timer_strings():
    """Every word static/js/timer.js shows or says that is the same for all exercises, in
    the active language (worked out once per language and process)."""
    return _timer_strings(get_language())


def _build_timer_strings():
    """The msgids are those the lesson template used, so existing translations still apply."""
    ready = gettext("Get ready")
    return {
        "ready": ready,
        "sayReady": f"{ready}, {_seconds(TIMER_READY_SECONDS)}",
        "done": gettext("Done"),
        "stopped": gettext("Stopped"),
        "paused": gettext("Paused"),
        "pause": gettext("Pause"),
        "resume": gettext("Resume"),
        "startAgain": gettext("Start again"),
        "progressRep": _with_slots(gettext("Repetition %(rep)s of %(reps)s"), "rep", "reps"),
        "progressRepSet": _with_slots(
            gettext("Repetition %(rep)s of %(reps)s, set %(set)s of %(sets)s"),
            "rep",
            "reps",
            "set",
            "sets",
        ),
        "progressSet": _with_slots(gettext("Set %(set)s of %(sets)s"), "set", "sets"),
        "progressRest": _with_slots(gettext("Next: set %(set)s of %(sets)s"), "set", "sets"),
        "summaryDone": _with_slots(
            gettext("Well done! Repetitions done: %(done)s of %(total)s."), "done", "total"
        ),
        "summaryStopped": _with_slots(
            gettext("Stopped. Repetitions done: %(done)s of %(total)s."), "done", "total"
        ),
        "stoppedEarly": gettext("Stopped before the first repetition, so nothing was saved."),
        "saved": gettext("Saved"),
        "savedFeeling": gettext("Saved. Thank you!"),
        "savedEarlier": gettext("An earlier practice session has now been saved."),
        "retrying": gettext("Not saved yet — we will try again"),
        "failed": _with_slots(gettext("This practice could not be saved: %(errors)s"), "errors"),
        # The offline queue (static/js/practice-queue.js): what waits, what was refused.
        "queueWaitingOne": _queue_waiting(1),
        "queueWaitingOther": _queue_waiting(2),
        "queueRefused": _with_slots(
            gettext("A practice session from earlier could not be saved: %(errors)s"), "errors"
        ),
    }


def _queue_waiting(count):
    """The singular or plural form (Dutch and English have two); timer.js fills in {count}."""
    return _with_slots(
        ngettext(
            "%(count)s practice session is waiting to be sent.",
            "%(count)s practice sessions are waiting to be sent.",
            count,
        ),
        "count",
    )


def exercise_words(exercise, dose):
    """What the timer shows and says in each phase of this exercise, at this dose.

    Posture and strength hold and rest; breathing breathes in and lets go; pelvic-floor
    exercises contract and relax (with one-word cues for quick phases).
    """
    if exercise.uses_hold_and_rest:
        contract = pgettext("exercise phase: keep the position", "Hold")
        relax = pgettext("exercise phase: pause between repetitions", "Rest")
        cue_contract, cue_relax = contract, relax
    elif exercise.kind == "breathing":
        contract = gettext("Breathe in")
        relax = gettext("Breathe out, let go")
        cue_contract, cue_relax = contract, relax
    else:
        contract = pgettext("exercise phase: tighten the muscles", "Contract")
        relax = gettext("Relax")
        cue_contract = pgettext("short spoken cue for a quick contraction", "Squeeze")
        cue_relax = pgettext("short spoken cue after a quick contraction", "Let go")
    rest = pgettext("exercise phase: pause between repetitions", "Rest")
    return {
        "wordContract": contract,
        "wordRelax": relax,
        "wordRest": rest,
        "cueContract": cue_contract,
        "cueRelax": cue_relax,
        "sayContract": f"{contract}, {_seconds(dose.hold)}",
        "sayRelax": f"{relax}, {_seconds(dose.relax)}",
        "sayRest": f"{rest}, {_seconds(dose.rest)}",
    }


@register.simple_tag
def practice_words(exercise, dose):
    return exercise_words(exercise, dose)


def _dose_words(dose):
    """ "10 times 8 seconds" (and the sets): how the transition says the dose."""
    words = ngettext(
        "%(reps)s time %(seconds)s", "%(reps)s times %(seconds)s", dose.repetitions
    ) % {"reps": dose.repetitions, "seconds": _seconds(dose.hold)}
    if dose.sets > 1:
        words += ", " + ngettext("%(sets)s set", "%(sets)s sets", dose.sets) % {"sets": dose.sets}
    return words


@register.simple_tag(takes_context=True)
def practice_routine_config(context, programme):
    """Today's routine for the timer (json_script "routine-config"): every exercise with its
    dose, words and announcement, and where the run is saved. No queries: `programme` is
    already built."""
    items = []
    for index, item in enumerate(programme.routine, start=1):
        exercise, dose = item.exercise, item.dose
        say = gettext("Next: %(name)s. %(dose)s.") % {
            "name": exercise.name,
            "dose": _dose_words(dose),
        }
        if exercise.starting_position:
            say += " " + exercise.starting_position
        items.append(
            {
                "id": exercise.pk,
                "name": exercise.name,
                "position": index,
                "kind": exercise.kind,
                "dose": dose.as_json(),
                "words": exercise_words(exercise, dose),
                "say": say,
                "start": exercise.starting_position,
            }
        )
    return {
        "logUrl": reverse("therapy:routine-log"),
        "transitionSeconds": ROUTINE_TRANSITION_SECONDS,
        "items": items,
        "strings": {
            "getInPosition": gettext("Get into your starting position"),
            "progressItem": _with_slots(
                gettext("Exercise %(n)s of %(total)s: %(name)s"), "n", "total", "name"
            ),
            "summaryRoutineDone": _with_slots(
                gettext("Well done! Your routine is done: %(done)s of %(total)s exercises."),
                "done",
                "total",
            ),
            "summaryRoutineStopped": _with_slots(
                gettext("Stopped. Exercises done: %(done)s of %(total)s."), "done", "total"
            ),
            "skipped": gettext("Skipped"),
        },
    }


@register.simple_tag(takes_context=True)
def practice_timer_config(context):
    """The timer's settings and words, for `{{ …|json_script:"timer-config" }}`.

    Reads only what the request already holds: no queries.
    """
    return {
        "logUrl": reverse("therapy:practice-log"),
        "user": str(context["request"].user.pk),
        "readySeconds": TIMER_READY_SECONDS,
        "maxAgeDays": PRACTICE_LOG_WINDOW_DAYS,
        "maxRepetitions": PRACTICE_MAX_REPETITIONS,
        # Only tests run the timer faster (settings.TIMER_SPEED); patients always at 1.
        "speed": settings.TIMER_SPEED,
        "csrfCookie": settings.CSRF_COOKIE_NAME,
        "strings": timer_strings(),
    }


@register.simple_tag
def practice_feelings():
    """[(value, label)] for "how did it feel?": the timer's buttons and the form's radios."""
    return PracticeSession.Feeling.choices


@register.simple_tag
def practice_max_repetitions():
    return PRACTICE_MAX_REPETITIONS
