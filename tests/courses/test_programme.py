"""The programme: her week, her phase, her routine and its doses (courses/programme.py)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from courses import programme
from courses.models import Enrollment, Exercise, ExerciseDose, PatientDose, Step
from tests.factories import NOW, complete, make_routine

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def routine(course):
    return make_routine(course)


def build(user, when=None):
    enrollment = Enrollment.objects.current_for(user)
    outline = enrollment.course.outline_for(user)
    return programme.build(enrollment, outline, user, when)


def names(prog):
    return [item.exercise.name for item in prog.routine]


def test_it_counts_weeks_from_the_day_she_started(alice, frozen):
    assert build(alice).week == 1
    frozen.move_to(NOW + timedelta(days=6, hours=13))  # the next Tuesday night
    assert build(alice).week == 1
    frozen.move_to(NOW + timedelta(days=7))
    assert build(alice).week == 2
    frozen.move_to(NOW + timedelta(weeks=11, days=6))
    assert build(alice).week == 12


def test_it_puts_the_routine_of_the_reached_steps_in_course_order(alice, routine):
    assert names(build(alice)) == ["Oefening 1", "Oefening 2"]


def test_it_replaces_an_exercise_once_she_reaches_the_step_of_its_successor(
    alice, lessons, routine
):
    complete(alice, *lessons[:2])

    assert names(build(alice)) == ["Oefening 2", "Oefening 3"]


def test_it_leaves_out_routine_exercises_of_locked_steps_and_other_courses(alice, routine):
    Exercise.objects.filter(name="Oefening 5").update(in_routine=True)

    assert "Oefening 5" not in names(build(alice))


@pytest.mark.parametrize(
    ("days", "dose"),
    [(0, (5, 5, 5)), (13, (5, 5, 5)), (14, (8, 8, 8)), (27, (8, 8, 8)), (28, (10, 10, 10))],
)
def test_it_grows_the_dose_with_the_weeks(alice, routine, frozen, days, dose):
    frozen.move_to(NOW + timedelta(days=days))

    item = build(alice).routine[0]

    assert (item.dose.hold, item.dose.relax, item.dose.repetitions) == dose
    assert item.dose.adjusted is False


def test_it_uses_her_own_dose_when_her_therapist_set_one(alice, routine, therapist):
    first, _flicks, _third = routine
    PatientDose.objects.create(
        user=alice,
        exercise=first,
        hold_seconds=4,
        relax_seconds=8,
        repetitions=6,
        sets=2,
        set_by=therapist,
    )

    dose = build(alice).routine[0].dose

    assert (dose.hold, dose.relax, dose.repetitions, dose.sets, dose.adjusted) == (4, 8, 6, 2, True)


def test_it_holds_her_at_a_level(alice, routine, frozen):
    first, _flicks, _third = routine
    PatientDose.objects.create(
        user=alice, exercise=first, mode=PatientDose.Mode.LEVEL, level_week=1
    )
    frozen.move_to(NOW + timedelta(weeks=6))

    dose = build(alice).routine[0].dose

    assert (dose.hold, dose.repetitions, dose.level_week) == (5, 5, 1)


def test_it_keeps_another_patients_own_dose_to_her(alice, bob, course, routine):
    first, _flicks, _third = routine
    Enrollment.objects.create(user=bob, course=course)
    PatientDose.objects.create(
        user=bob, exercise=first, hold_seconds=3, relax_seconds=3, repetitions=3, sets=1
    )

    assert build(alice).routine[0].dose.hold == 5


def test_it_enters_maintenance_after_the_weeks_and_every_lesson(alice, lessons, frozen):
    complete(alice, *lessons)
    assert build(alice).phase == programme.Phase.PROGRAMME  # done, but only week 1

    frozen.move_to(NOW + timedelta(weeks=12))
    prog = build(alice)
    assert (prog.week, prog.phase) == (13, programme.Phase.MAINTENANCE)
    assert prog.per_day is None
    assert prog.per_week == 3


def test_it_stays_in_the_programme_while_lessons_are_open(alice, lessons, frozen):
    complete(alice, *lessons[:4])
    frozen.move_to(NOW + timedelta(weeks=20))

    prog = build(alice)
    assert prog.phase == programme.Phase.PROGRAMME
    assert (prog.per_day, prog.per_week) == (3, 21)


def test_it_expects_each_step_in_the_week_its_waits_add_up_to(alice, course):
    Step.objects.filter(course=course, order=1).update(unlock_after_days=14)
    Step.objects.filter(course=course, order=2).update(
        unlock_after_days=3, unlock_after_sessions=30
    )

    weeks = course.outline_for(alice).expected_weeks()

    # Step 3 waits 3 days or 30 sessions at 3 a day (10 days): day 14 + 10 = 24, week 4.
    assert list(weeks.values()) == [1, 3, 4]


@pytest.mark.parametrize(
    ("kind", "values", "field"),
    [
        ("long_hold", {"hold_seconds": 10, "relax_seconds": 8}, "relax_seconds"),
        ("long_hold", {"hold_seconds": 61, "relax_seconds": 61}, "hold_seconds"),
        ("posture", {"hold_seconds": 121, "relax_seconds": 5}, "hold_seconds"),
    ],
)
def test_it_refuses_a_dose_step_that_breaks_a_rule(lessons, kind, values, field):
    exercise = Exercise.objects.get(name="Oefening 1")
    exercise.kind = kind
    exercise.save()
    step = ExerciseDose(exercise=exercise, from_week=3, repetitions=8, sets=1, **values)

    with pytest.raises(ValidationError) as caught:
        step.full_clean()

    assert field in caught.value.message_dict


def test_it_lets_posture_rest_shorter_than_the_hold(lessons):
    exercise = Exercise.objects.get(name="Oefening 1")
    exercise.kind = Exercise.Kind.POSTURE
    exercise.save()

    ExerciseDose(
        exercise=exercise, from_week=3, hold_seconds=60, relax_seconds=10, repetitions=3, sets=1
    ).full_clean()
