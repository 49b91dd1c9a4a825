"""What the lesson page needs from the journey: the guided timer's configuration, the
feelings a run is rated with, and the practice limits.

The lesson view lives in `courses`, which must not import the journey; its templates load
this library instead (`{% load practice %}`), so each of these rules keeps one home in
therapy/journey/models.py and reaches the form, the template and timer.js from there.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from therapy.journey.models import (
    PRACTICE_LOG_WINDOW_DAYS,
    PRACTICE_MAX_REPETITIONS,
    PracticeSession,
)

register = template.Library()

# The "get ready" count before the first phase; the saved duration leaves it out.
TIMER_READY_SECONDS = 3


def _seconds(count):
    return ngettext("%(seconds)s second", "%(seconds)s seconds", count) % {"seconds": count}


def _with_slots(message, *names):
    """A translated message whose values timer.js fills in: "%(rep)s" becomes "{rep}"."""
    return message % {name: f"{{{name}}}" for name in names}


def timer_strings():
    """Every word static/js/timer.js shows or says that is the same for all exercises.

    The msgids are those the lesson template used, so existing translations still apply.
    """
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
        "strings": timer_strings(),
    }


@register.simple_tag
def practice_feelings():
    """[(value, label)] for "how did it feel?": the timer's buttons and the form's radios."""
    return PracticeSession.Feeling.choices


@register.simple_tag
def practice_max_repetitions():
    return PRACTICE_MAX_REPETITIONS
