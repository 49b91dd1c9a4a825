"""Course, step, lesson, exercise and progress models."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from courses.models import Enrollment, Exercise, Lesson, LessonProgress

AMS = ZoneInfo("Europe/Amsterdam")


def db_constraint_names(model):
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, model._meta.db_table))


# --- Database constraints ------------------------------------------------------------


def test_it_allows_one_enrolment_per_course(alice, course):
    assert "courses_enrollment_one_per_course" in db_constraint_names(Enrollment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(user=alice, course=course)
    assert Enrollment.objects.filter(user=alice).count() == 1


def test_it_allows_one_progress_row_per_lesson(alice, lessons):
    LessonProgress.objects.create(user=alice, lesson=lessons[0])

    assert "courses_progress_one_per_lesson" in db_constraint_names(LessonProgress)
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonProgress.objects.create(user=alice, lesson=lessons[0])


def test_it_refuses_a_completion_before_the_first_opening(alice, lessons):
    opened = datetime(2026, 3, 2, 9, 0, tzinfo=AMS)

    with (
        pytest.raises(IntegrityError, match="courses_progress_completed_after_opened"),
        transaction.atomic(),
    ):
        LessonProgress.objects.create(
            user=alice,
            lesson=lessons[0],
            first_opened_at=opened,
            completed_at=opened - timedelta(seconds=1),
        )
    same_moment = LessonProgress.objects.create(
        user=alice, lesson=lessons[0], first_opened_at=opened, completed_at=opened
    )
    assert same_moment.completed_at is not None


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("hold_seconds", 0, "courses_exercise_hold_range"),
        ("hold_seconds", 121, "courses_exercise_hold_range"),
        ("relax_seconds", 121, "courses_exercise_relax_range"),
        ("repetitions", 0, "courses_exercise_repetitions_range"),
        ("repetitions", 101, "courses_exercise_repetitions_range"),
        ("sets", 0, "courses_exercise_sets_range"),
        ("sets", 21, "courses_exercise_sets_range"),
        ("rest_between_sets_seconds", 601, "courses_exercise_rest_range"),
    ],
)
def test_it_keeps_exercise_doses_in_range(lessons, field, value, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Exercise.objects.create(lesson=lessons[0], name="Te veel", **{field: value})
    with pytest.raises(ValidationError) as excinfo:
        Exercise(lesson=lessons[0], name="Te veel", **{field: value}).full_clean()
    assert field in excinfo.value.message_dict


def test_it_accepts_exercise_doses_at_the_edges(lessons):
    low = Exercise.objects.create(
        lesson=lessons[0],
        name="Minimaal",
        hold_seconds=1,
        relax_seconds=1,
        repetitions=1,
        sets=1,
        rest_between_sets_seconds=0,
    )
    high = Exercise.objects.create(
        lesson=lessons[0],
        name="Maximaal",
        hold_seconds=120,
        relax_seconds=120,
        repetitions=100,
        sets=20,
        rest_between_sets_seconds=600,
    )

    assert low.pk and high.pk


@pytest.mark.parametrize("minutes", [0, 241])
def test_it_keeps_lesson_minutes_in_range(lessons, minutes):
    with pytest.raises(IntegrityError, match="courses_lesson_minutes_range"), transaction.atomic():
        Lesson.objects.filter(pk=lessons[0].pk).update(estimated_minutes=minutes)


# --- URLs and small helpers ----------------------------------------------------------


def test_it_gives_course_and_lesson_urls(course, lessons):
    assert course.get_absolute_url() == "/courses/bekkenbodem/"
    assert lessons[2].get_absolute_url() == "/courses/bekkenbodem/bekkenbodem-les-3/"
    enrollment = Enrollment(course=course)
    assert enrollment.get_absolute_url() == "/courses/bekkenbodem/"


def test_it_adds_up_an_exercises_total_time(lessons):
    exercise = Exercise(
        lesson=lessons[0],
        hold_seconds=8,
        relax_seconds=8,
        repetitions=10,
        sets=3,
        rest_between_sets_seconds=60,
    )
    # 3 sets × 10 × (8 + 8) s, plus 2 rests of 60 s between the sets
    assert exercise.total_seconds == 3 * 160 + 2 * 60

    exercise.sets = 1
    assert exercise.total_seconds == 160  # no rest after the only set


def test_it_names_objects_for_the_admin(alice, course, lessons):
    progress = LessonProgress.objects.create(user=alice, lesson=lessons[0])

    assert str(course) == "Bekkenbodem"
    assert str(lessons[0]) == "Les 1"
    assert str(progress) == "Alice – Les 1"
    assert progress.completed_at is None
