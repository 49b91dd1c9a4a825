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

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import (
    Course,
    Exercise,
    ExerciseDose,
    Lesson,
    LessonCaption,
    LessonImage,
    LessonQuestion,
    Step,
)

CONTENT_MODELS = (Step, Lesson, LessonImage, LessonCaption, Exercise, ExerciseDose)
# The content version of all courses, in the shared cache: the key of patients' kept pages
# (courses/pagecache.py) is read from it without a query. It lives a few seconds, so that
# a process that kept it in its own memory while Redis was down catches up soon.
VERSION_KEY = "courses:content-version"
VERSION_SECONDS = 5


def new_version():
    return secrets.randbits(62)


def content_changed():
    """Give every course a new content version: what patients see is built afresh."""
    version = new_version()
    Course.objects.update(content_version=version)
    cache.set(VERSION_KEY, version, VERSION_SECONDS)


def content_version():
    """The content version of the courses (all share one), mostly without a query."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = Course.objects.order_by().values_list("content_version", flat=True).first()
        version = version or 0
        cache.set(VERSION_KEY, version, VERSION_SECONDS)
    return version


@receiver(post_save)
@receiver(post_delete)
def _content_row_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if sender is Course or sender in CONTENT_MODELS:
        content_changed()
    elif sender is LessonQuestion and instance.answered_at is not None:
        # An answered question may be (or have been) shown to every patient of the lesson.
        content_changed()
