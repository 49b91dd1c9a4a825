"""A course's published content, built once per change and kept in each process.

What a patient page shows that is the same for every patient — the steps, the published
lessons in order with their addresses, their text as HTML, their images with the sizes of
each, their exercises with the dose steps — comes from one snapshot per course, content
version and language, built in five queries. `Course.content_version` is read with the
course on every request and is new after every change to the content (courses/signals.py),
so a snapshot is never stale: a changed course has a new key, and the old snapshot ages out.

The snapshots live in process memory, not in the shared cache: they are a few hundred model
objects, which Redis would have to pickle and send on every request, and the key comes from
the database, so every process learns of a change by itself. Nothing about a patient is in
a snapshot.

The snapshot's objects are shared by every request of the process: never set attributes on
them. `own_copy()` gives a request its own copy to set `state`, `dose` and the like on.
"""

import copy
import threading
from collections import OrderedDict, defaultdict

from django.urls import reverse
from django.utils.translation import get_language

from .rendering import render_markdown

# Snapshots kept per process: a few courses × two languages, and the versions just replaced
# while requests that started before a change finish.
KEEP = 24

_snapshots = OrderedDict()
_lock = threading.Lock()


def own_copy(instance):
    """A copy of a snapshot object that one request may set attributes on."""
    return copy.copy(instance)


class CourseContent:
    """The published steps, lessons, images and exercises of one course, in course order."""

    def __init__(self, course):
        from .models import Exercise, Lesson, LessonCaption, LessonImage

        self.course = course
        steps = {step.pk: step for step in course.steps.all()}
        for step in steps.values():
            step.course = course
        lessons = list(
            Lesson.objects.published()
            .filter(step__course=course)
            .order_by("step__order", "step_id", "order", "id")
        )
        for lesson in lessons:
            lesson.step = steps[lesson.step_id]
            lesson._url = reverse(
                "courses:lesson-detail",
                kwargs={"course_slug": course.slug, "lesson_slug": lesson.slug},
            )
        self.lessons = lessons
        self._by_slug = {lesson.slug: lesson for lesson in lessons}
        by_id = {lesson.pk: lesson for lesson in lessons}

        self._images = defaultdict(list)
        for image in LessonImage.objects.filter(lesson__in=lessons).order_by("order", "id"):
            image.lesson = by_id[image.lesson_id]
            image._srcset_items = image.srcset_items()
            self._images[image.lesson_id].append(image)
        for lesson in lessons:
            # Rendered once here, for every request after; its own images placed in the text.
            lesson.body_html = render_markdown(lesson.body, self._images.get(lesson.pk, ()))

        self._captions = defaultdict(list)
        for caption in LessonCaption.objects.filter(lesson__in=lessons).order_by("language"):
            caption.lesson = by_id[caption.lesson_id]
            self._captions[caption.lesson_id].append(caption)

        self._exercises = defaultdict(list)
        exercises = (
            Exercise.objects.filter(lesson__in=lessons)
            .prefetch_related("dose_steps")
            .order_by("order", "id")
        )
        for exercise in exercises:
            exercise.lesson = by_id[exercise.lesson_id]
            self._exercises[exercise.lesson_id].append(exercise)
        # The course's routine exercises in course order (courses/programme.py chooses hers).
        self.routine_exercises = [
            exercise
            for lesson in lessons
            for exercise in self._exercises[lesson.pk]
            if exercise.in_routine
        ]

    def lesson(self, slug):
        """The published lesson with this address, or None."""
        return self._by_slug.get(slug)

    def images_of(self, lesson):
        return self._images.get(lesson.pk, [])

    def captions_of(self, lesson):
        return self._captions.get(lesson.pk, [])

    def exercises_of(self, lesson):
        return self._exercises.get(lesson.pk, [])


def content_of(course):
    """The snapshot of `course` at its current content version, in the active language."""
    return kept_for(course, "content", CourseContent)


def kept_for(course, name, build):
    """`build(course)`, kept until the course's content version changes.

    For other apps' content that patients of this course see (the journey's questionnaires):
    their changes give the courses a new version too (courses.signals.content_changed).
    """
    key = (course.pk, course.content_version, get_language(), name)
    with _lock:
        value = _snapshots.get(key)
        if value is not None:
            _snapshots.move_to_end(key)
            return value
    value = build(course)  # outside the lock: other courses need not wait
    with _lock:
        _snapshots[key] = value
        while len(_snapshots) > KEEP:
            _snapshots.popitem(last=False)
    return value


def forget_all():
    """Drop every snapshot of this process (tests that change rows behind the ORM's back)."""
    with _lock:
        _snapshots.clear()
