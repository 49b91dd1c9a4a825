"""The demo course as the programme a pelvic-floor therapist runs, walked day by day.

A new patient starts at NOW and does everything: three routine sessions a day and every lesson
as soon as it opens. Her steps open about every two weeks, her routine stays short while its
dose grows, and after twelve weeks she moves on to maintenance.
"""

import io
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.management import call_command

from courses import programme
from courses.models import Course, Enrollment, LessonProgress
from courses.outline import LessonState
from tests.factories import NOW, at, make_user, practise

pytestmark = pytest.mark.django_db

COURSE = "bekkenbodem-in-balans"
DAYS = 14 * 7  # into week 15: past the end of the programme
PRACTICE_HOURS = (8, 13, 19)
LONG_HOLD = "Lang aanspannen"
FLICKS = "Snelle knijpjes"


@dataclass
class Walk:
    """What she saw on the way: per step the day it opened; per week her routine on /today/."""

    course: Course
    outline: object = None  # her course at the end
    opened: dict = field(default_factory=dict)  # step order -> day (0 = her first day)
    routine: dict = field(default_factory=dict)  # week -> [RoutineItem] from /today/
    phase: dict = field(default_factory=dict)  # day -> phase


def complete_open_lessons(user, course):
    """Do every lesson that is open now, and the ones that open because of it."""
    while True:
        outline = course.outline_for(user)
        todo = [lesson for lesson in outline.lessons if lesson.state == LessonState.OPEN]
        if not todo:
            return outline
        for lesson in todo:
            LessonProgress.objects.submit_completion(user=user, lesson=lesson)


@pytest.fixture
def walk(db, frozen, client):
    """Seed the demo, then walk a new patient through it: every lesson, 3 routines a day."""
    call_command("seed_demo", stdout=io.StringIO())
    course = Course.objects.get(slug=COURSE)
    user = make_user("wil@example.com", display_name="Wil")
    enrollment = Enrollment.objects.enrol(user=user, course=course)
    walk = Walk(course=course)
    for day in range(DAYS):
        date = NOW.date() + timedelta(days=day)
        frozen.move_to(at(date, NOW.hour), tick=False)
        outline = complete_open_lessons(user, course)
        for step, lessons in outline.steps:
            if lessons[0].state != LessonState.LOCKED:
                walk.opened.setdefault(step.order, day)

        built = programme.build(enrollment, outline, user)
        walk.phase[day] = built.phase
        if built.week not in walk.routine:
            client.logout()  # a session that old has ended; log in afresh
            client.force_login(user)
            response = client.get("/today/")
            assert response.status_code == 200
            walk.routine[built.week] = response.context["programme"].routine

        # Her three routines of the day, logged by the evening.
        frozen.move_to(at(date, 21), tick=False)
        practise(user, *(at(date, hour) for hour in PRACTICE_HOURS))
    walk.outline = outline
    return walk


def items(walk, week, name):
    return [item for item in walk.routine[week] if item.exercise.name.startswith(name)]


def doses(walk, name):
    """{week: (exercise name, hold, relax, repetitions, sets)} of the one routine item."""
    result = {}
    for week in walk.routine:
        [item] = items(walk, week, name)
        dose = item.dose
        result[week] = (item.exercise.name, dose.hold, dose.relax, dose.repetitions, dose.sets)
    return result


# Each test walks the twelve weeks again (about 3 s): a few tests that each check one aspect.


def test_it_opens_the_steps_in_order_about_every_two_weeks_and_the_last_from_week_10(walk):
    assert list(walk.opened) == [step.order for step in walk.course.steps.all()]
    assert list(walk.opened) == [1, 2, 3, 4, 5, 6, 7]
    days = list(walk.opened.values())
    assert days[0] == 0
    gaps = [later - earlier for earlier, later in zip(days, days[1:], strict=False)]
    assert all(10 <= gap <= 14 for gap in gaps), gaps
    assert walk.opened[7] >= 63  # even for her, who practises every time

    # As the course plans it (CourseOutline.expected_weeks).
    planned = walk.outline.expected_weeks()
    weeks = {step.order: walk.opened[step.order] // 7 + 1 for step, _ in walk.outline.steps}
    assert weeks == {step.order: planned[step.pk] for step, _ in walk.outline.steps}
    assert weeks == {1: 1, 2: 3, 3: 5, 4: 7, 5: 9, 6: 10, 7: 12}


def test_it_starts_maintenance_in_week_13(walk):
    first = min(day for day, phase in walk.phase.items() if phase == programme.Phase.MAINTENANCE)

    assert walk.course.programme_weeks == 12
    assert first == 12 * 7  # the first day of week 13
    assert all(walk.phase[day] == programme.Phase.MAINTENANCE for day in range(first, DAYS))


def test_it_grows_the_dose_of_the_long_holds_and_the_quick_flicks(walk):
    long_holds = doses(walk, LONG_HOLD)
    assert long_holds[1] == long_holds[2] == ("Lang aanspannen (liggend)", 5, 10, 5, 1)
    assert long_holds[3] == long_holds[4] == ("Lang aanspannen (zittend)", 8, 8, 8, 1)
    for week in range(5, 15):
        assert long_holds[week] == ("Lang aanspannen (staand)", 10, 10, 10, 1)

    flicks = {week: dose[3] for week, dose in doses(walk, FLICKS).items()}
    assert flicks == {1: 5, 2: 5, 3: 8, 4: 8, **dict.fromkeys(range(5, 15), 10)}


def test_it_keeps_the_routine_short_with_10_long_holds_and_10_quick_flicks(walk):
    assert len(walk.routine[1]) == 3
    assert max(len(routine) for routine in walk.routine.values()) <= 6
    # Letting go stays in it from the first day: it is the exercise for over-tensing.
    assert all(items(walk, week, "Loslaten met je adem") for week in walk.routine)

    for week in range(5, 15):
        routine = walk.routine[week]
        long_holds = sum(
            item.dose.total_repetitions
            for item in routine
            if item.exercise.kind == "long_hold" and item.dose.hold >= 8
        )
        flicks = sum(
            item.dose.total_repetitions for item in routine if item.exercise.kind == "quick_flicks"
        )
        assert (long_holds, flicks) == (10, 10), week
