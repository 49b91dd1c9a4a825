from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def read_aloud_words():
    """What static/js/read-aloud.js announces to screen readers, in her language."""
    return {
        "reading": _("Reading the lesson aloud."),
        "paused": _("Reading paused."),
        "stopped": _("Reading stopped."),
        "done": _("The whole lesson has been read."),
        "idle": "",
    }


@register.simple_tag
def video_words():
    """What static/js/video.js says, in her language (%s: the time, e.g. 1:05)."""
    return {
        "resumed": _("The video goes on where you stopped (%s)."),
        "watched": _("You watched the video: you can mark the lesson as done."),
    }
