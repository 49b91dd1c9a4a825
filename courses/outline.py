"""A course as one patient sees it: which lessons are done, open or locked, and why.

The rules live here and nowhere else:
- the first lesson is open; each next lesson opens when the one before it is done;
- a step may also wait for days and/or practice sessions since the patient started the
  step before it (`Step.unlock_after_days`, `Step.unlock_after_sessions`);
- a step the therapist opened for her (`StepUnlock`) is open whatever it waits for.

Practice sessions are recorded by the journey app, which `courses` must not import: the
project names the function that counts them in `settings.COURSES_PRACTICE_COUNTER`
(`count(user, since) -> int`). Without it, a step never waits for sessions.
"""

import functools
import math

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.timezones import local_date, today_for


class LessonState(models.TextChoices):
    DONE = "done", _("Done")
    OPEN = "open", _("Open")
    LOCKED = "locked", _("Locked")


class Waiting:
    """What still stands between a patient and a step: days and/or practice sessions."""

    def __init__(self, days=0, sessions=0):
        self.days = max(days, 0)
        self.sessions = max(sessions, 0)

    def __bool__(self):
        return bool(self.days or self.sessions)


@functools.cache
def _load_counter(path):
    return import_string(path)


def count_practice(user, since):
    """Practice sessions of `user` since `since`, counted by the app that records them."""
    path = getattr(settings, "COURSES_PRACTICE_COUNTER", "")
    return _load_counter(path)(user, since) if path else 0


def _step_gate(step, previous_step_lessons, progress, user):
    """Waiting() when `step` asks for days or sessions the patient has not had yet."""
    if not (step.unlock_after_days or step.unlock_after_sessions) or user is None:
        return None
    opened = [progress[le.id][0] for le in previous_step_lessons if le.id in progress]
    started = min(opened) if opened else timezone.now()
    days = sessions = 0
    if step.unlock_after_days:
        elapsed = (today_for(user) - local_date(user, started)).days
        days = step.unlock_after_days - elapsed
    if step.unlock_after_sessions:
        sessions = step.unlock_after_sessions - count_practice(user, started)
    waiting = Waiting(days, sessions)
    return waiting or None


class CourseOutline:
    """A course as one patient sees it: each lesson with its done/open/locked state."""

    def __init__(self, course, lessons, progress, unlocked_steps=(), user=None):
        self.course = course
        self.lessons = lessons
        self.progress = progress  # {lesson_id: (first_opened_at, completed_at)}
        self.waiting = None  # what the first gated, still-locked step is waiting for
        done_ids = {lid for lid, (_opened, completed) in progress.items() if completed}
        previous_done = True
        previous_step_lessons = []
        current_step_lessons = []
        for lesson in lessons:
            lesson.waiting = None
            new_step = (
                not current_step_lessons or current_step_lessons[-1].step_id != lesson.step_id
            )
            if new_step:
                previous_step_lessons, current_step_lessons = current_step_lessons, []
            current_step_lessons.append(lesson)
            if lesson.id in done_ids:
                lesson.state = LessonState.DONE
            elif new_step and lesson.step_id in unlocked_steps:
                lesson.state = LessonState.OPEN  # the therapist opened this step for her
            elif previous_done and new_step and previous_step_lessons and self.waiting is None:
                waiting = _step_gate(lesson.step, previous_step_lessons, progress, user)
                lesson.state = LessonState.LOCKED if waiting else LessonState.OPEN
                if waiting:
                    lesson.waiting = self.waiting = waiting
            elif previous_done:
                lesson.state = LessonState.OPEN
            else:
                lesson.state = LessonState.LOCKED
            previous_done = lesson.id in done_ids
        self._index = {lesson.id: i for i, lesson in enumerate(lessons)}

    @property
    def steps(self):
        """[(step, [lessons])] in order; steps without published lessons are left out."""
        grouped = []
        for lesson in self.lessons:
            if not grouped or grouped[-1][0].id != lesson.step_id:
                grouped.append((lesson.step, []))
            grouped[-1][1].append(lesson)
        return grouped

    @property
    def total(self):
        return len(self.lessons)

    @property
    def done_count(self):
        return sum(1 for lesson in self.lessons if lesson.state == LessonState.DONE)

    @property
    def percent_done(self):
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def next_lesson(self):
        """Where "continue" leads: the first open lesson that is not done yet."""
        return next((le for le in self.lessons if le.state == LessonState.OPEN), None)

    @property
    def next_locked_step(self):
        """The step she would open next if the therapist unlocked it, or None."""
        return next(
            (step for step, lessons in self.steps if lessons[0].state == LessonState.LOCKED),
            None,
        )

    @property
    def steps_with_weeks(self):
        """[(step, [lessons], expected week)] for the course page."""
        weeks = self.expected_weeks()
        return [(step, lessons, weeks[step.pk]) for step, lessons in self.steps]

    def expected_weeks(self):
        """{step_id: the week of her programme its first lesson opens} if she keeps to plan.

        A step opens after the days it waits, or after the routine sessions it waits for at
        the course's sessions a day, whichever takes longer.
        """
        per_day = max(self.course.sessions_per_day, 1)
        day = 0
        weeks = {}
        for index, (step, _lessons) in enumerate(self.steps):
            if index:
                day += max(step.unlock_after_days, math.ceil(step.unlock_after_sessions / per_day))
            weeks[step.pk] = day // 7 + 1
        return weeks

    def find(self, slug):
        """Her copy of the published lesson with this address, or None."""
        return next((lesson for lesson in self.lessons if lesson.slug == slug), None)

    def state_of(self, lesson):
        index = self._index.get(lesson.id)
        return self.lessons[index].state if index is not None else None

    def is_open(self, lesson):
        return self.state_of(lesson) in {LessonState.OPEN, LessonState.DONE}

    def has_visited(self, lesson):
        return lesson.id in self.progress

    def neighbours(self, lesson):
        index = self._index.get(lesson.id)
        if index is None:
            return None, None
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following
