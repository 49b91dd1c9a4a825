"""A course as one patient sees it: which lessons are done, open or locked, and why.

The rules live here and nowhere else:
- the first lesson is open; each next lesson opens when the one before it is done;
- a step may also wait for days and/or practice sessions since the patient started the
  step before it (`Step.unlock_after_days`, `Step.unlock_after_sessions`);
- a step that comes after one that *waits for the therapist's feedback*
  (`Step.waits_for_feedback`) opens only once she wrote feedback on that step (`Feedback`);
- a step the therapist opened for her (`StepUnlock`) is open whatever it waits for, and so
  is a lesson she opened for her (`PatientAccess`, open);
- a lesson or step the therapist hid for her (`PatientAccess`, hidden) is not in her
  outline at all: not on her course page, not in her routine, not in her progress, and its
  page is a 404.

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
    """What still stands between a patient and a step: days and/or practice sessions,
    and/or her therapist's feedback on the step before it."""

    def __init__(self, days=0, sessions=0, feedback=False):
        self.days = max(days, 0)
        self.sessions = max(sessions, 0)
        self.feedback = feedback

    def __bool__(self):
        return bool(self.days or self.sessions or self.feedback)


@functools.cache
def _load_counter(path):
    return import_string(path)


def count_practice(user, since):
    """Practice sessions of `user` since `since`, counted by the app that records them."""
    path = getattr(settings, "COURSES_PRACTICE_COUNTER", "")
    return _load_counter(path)(user, since) if path else 0


def _step_gate(step, previous_step_lessons, progress, user, feedback_steps=()):
    """Waiting() when `step` asks for days or sessions the patient has not had yet, or
    comes after a step that waits for feedback she has not had yet."""
    previous_step = previous_step_lessons[0].step
    feedback = previous_step.waits_for_feedback and previous_step.pk not in feedback_steps
    if not (step.unlock_after_days or step.unlock_after_sessions) or user is None:
        return Waiting(feedback=feedback) if feedback and user is not None else None
    opened = [progress[le.id][0] for le in previous_step_lessons if le.id in progress]
    started = min(opened) if opened else timezone.now()
    days = sessions = 0
    if step.unlock_after_days:
        elapsed = (today_for(user) - local_date(user, started)).days
        days = step.unlock_after_days - elapsed
    if step.unlock_after_sessions:
        sessions = step.unlock_after_sessions - count_practice(user, started)
    waiting = Waiting(days, sessions, feedback)
    return waiting or None


def steps_awaiting_feedback(lessons, done_ids, feedback_steps, unlocked_steps):
    """The steps that wait for the therapist's feedback now: she has done all of the
    step's `lessons` (her visible ones, in course order), it has no feedback yet and the
    step after it was not opened for her."""
    grouped = []
    for lesson in lessons:
        if not grouped or grouped[-1][0].pk != lesson.step_id:
            grouped.append((lesson.step, []))
        grouped[-1][1].append(lesson)
    awaiting = []
    for index, (step, step_lessons) in enumerate(grouped):
        if not step.waits_for_feedback or step.pk in feedback_steps:
            continue
        following = grouped[index + 1][0] if index + 1 < len(grouped) else None
        if following is not None and following.pk in unlocked_steps:
            continue
        if all(lesson.pk in done_ids for lesson in step_lessons):
            awaiting.append(step)
    return awaiting


class CourseOutline:
    """A course as one patient sees it: each lesson with its done/open/locked state."""

    def __init__(self, course, lessons, progress, unlocked_steps=(), user=None, changes=None):
        """`changes`: courses.models.PatientChanges (what her therapist changed for her)."""
        self.course = course
        self.changes = changes
        if changes is not None:
            unlocked_steps = changes.unlocked_steps
            lessons = [
                lesson
                for lesson in lessons
                if lesson.id not in changes.hidden_lessons
                and lesson.step_id not in changes.hidden_steps
            ]
        opened_lessons = changes.opened_lessons if changes is not None else ()
        feedback_steps = changes.feedback_steps if changes is not None else ()
        self.lessons = lessons
        self.progress = progress  # {lesson_id: (first_opened_at, completed_at)}
        self.waiting = None  # what the first gated, still-locked step is waiting for
        done_ids = {lid for lid, (_opened, completed) in progress.items() if completed}
        self._done_ids = done_ids
        self._unlocked_steps = unlocked_steps
        self._feedback_steps = feedback_steps
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
            elif lesson.id in opened_lessons:
                lesson.state = LessonState.OPEN  # the therapist opened this lesson for her
            elif previous_done and new_step and previous_step_lessons and self.waiting is None:
                waiting = _step_gate(
                    lesson.step, previous_step_lessons, progress, user, feedback_steps
                )
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
    def awaiting_feedback(self):
        """Her steps that wait for the therapist's feedback now (steps_awaiting_feedback)."""
        return steps_awaiting_feedback(
            self.lessons, self._done_ids, self._feedback_steps, self._unlocked_steps
        )

    @property
    def unread_feedback(self):
        """Ids of her unread feedback, newest first (read with her progress)."""
        return self.changes.unread_feedback if self.changes is not None else []

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
