"""The course as a programme of weeks: her week, her phase, and her daily routine.

The rules, in one place:
- week 1 starts the day she started the course (her own date); a new week every 7 days;
- she is in *maintenance* once she has done every lesson and the course's weeks of daily
  practice (`Course.programme_weeks`, usually 12) are over; until then, the *programme*;
- her routine holds the routine exercises (`Exercise.in_routine`) of every step she has
  reached, in course order, without the ones a later routine exercise replaces;
- each routine exercise is done at her dose: the therapist's own dose for her if there is
  one, else the dose of her week (`Exercise.dose_for_week`);
- the target is `Course.sessions_per_day` routine sessions a day in the programme and
  `Course.maintenance_sessions_per_week` a week in maintenance.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.timezones import local_date, today_for

from .outline import LessonState


class Phase(models.TextChoices):
    PROGRAMME = "programme", _("Daily practice")
    MAINTENANCE = "maintenance", _("Maintenance")


@dataclass(frozen=True)
class RoutineItem:
    exercise: object
    dose: object  # courses.doses.Dose
    step: object


@dataclass
class Programme:
    enrollment: object
    outline: object
    week: int
    phase: str
    routine: list

    @property
    def course(self):
        return self.enrollment.course

    @property
    def in_maintenance(self):
        return self.phase == Phase.MAINTENANCE

    @property
    def per_day(self):
        """The day's target during the programme; None in maintenance (a weekly target)."""
        return None if self.in_maintenance else self.course.sessions_per_day

    @property
    def per_week(self):
        if self.in_maintenance:
            return self.course.maintenance_sessions_per_week
        return self.course.sessions_per_day * 7

    @property
    def routine_key(self):
        """What her routine looks like, as plain values: the key of its kept page parts."""
        return tuple((item.exercise.pk, item.dose) for item in self.routine)

    @property
    def weeks_left(self):
        return max(self.course.programme_weeks - self.week + 1, 0)


def programme_week(user, started_at, today=None):
    """Her week of the programme (1, 2, …) on `today`."""
    today = today or today_for(user)
    return max((today - local_date(user, started_at)).days // 7 + 1, 1)


def phase_of(course, outline, week):
    finished = outline.total and outline.done_count == outline.total
    if finished and week > course.programme_weeks:
        return Phase.MAINTENANCE
    return Phase.PROGRAMME


def reached_steps(outline):
    """The steps she has reached: their first lesson is open or done."""
    return [step for step, lessons in outline.steps if lessons[0].state != LessonState.LOCKED]


def routine_exercises(outline, exercises):
    """Her routine's exercises in course order. `exercises`: the course's routine exercises
    (with their lesson), in any order."""
    reached = {step.pk for step in reached_steps(outline)}
    order = {lesson.pk: index for index, lesson in enumerate(outline.lessons)}
    chosen = sorted(
        (e for e in exercises if e.lesson_id in order and e.lesson.step_id in reached),
        key=lambda e: (order[e.lesson_id], e.order, e.pk),
    )
    replaced = {e.replaces_id for e in chosen if e.replaces_id}
    return [e for e in chosen if e.pk not in replaced]


def build(enrollment, outline, user, today=None):
    """Programme of one patient: the routine exercises come from the content cache, her
    own doses from one query."""
    from .models import PatientDose

    week = programme_week(user, enrollment.enrolled_at, today)
    exercises = enrollment.course.content().routine_exercises
    own = PatientDose.objects.for_user(user)
    steps = {step.pk: step for step in reached_steps(outline)}
    routine = [
        RoutineItem(exercise=e, dose=e.dose_for(week, own.get(e.pk)), step=steps[e.lesson.step_id])
        for e in routine_exercises(outline, exercises)
    ]
    return Programme(
        enrollment=enrollment,
        outline=outline,
        week=week,
        phase=phase_of(enrollment.course, outline, week),
        routine=routine,
    )


def attach_doses(exercises, user, enrollment=None):
    """Give each exercise `.dose`: hers (her week, her own dose) when she follows the course,
    else week 1 (a therapist's preview). One query for her own doses."""
    from .models import PatientDose

    if enrollment is None:
        for exercise in exercises:
            exercise.dose = exercise.dose_for_week(1)
        return exercises
    week = programme_week(user, enrollment.enrolled_at)
    own = PatientDose.objects.for_user(user)
    for exercise in exercises:
        exercise.dose = exercise.dose_for(week, own.get(exercise.pk))
    return exercises
