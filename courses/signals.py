"""Every change to course content gives the courses a new `content_version` (courses/content.py).

Saves and deletes through the ORM — the admin, its inlines, seed_demo — arrive here as
signals. Code that changes content with a queryset `update()` or `bulk_create()` calls
`content_changed()` itself (the admin's publish actions and lesson copy, seed_demo).

A change gives every course a new version, not only the one the row belongs to: a lesson
or step may have moved from one course to another, and a practice has a few courses, so
one UPDATE of a few rows is both the simplest and the always-right answer. A version is a
fresh random number, never a counter: a course object loaded before a change and saved
after it must not bring an old version, and with it an old snapshot, back.
"""

import secrets

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Course, Exercise, ExerciseDose, Lesson, LessonImage, Step

CONTENT_MODELS = (Step, Lesson, LessonImage, Exercise, ExerciseDose)


def new_version():
    return secrets.randbits(62)


def content_changed():
    """Give every course a new content version: what patients see is built afresh."""
    Course.objects.update(content_version=new_version())


@receiver(post_save)
@receiver(post_delete)
def _content_row_changed(sender, raw=False, **kwargs):
    if sender in CONTENT_MODELS and not raw:
        content_changed()
