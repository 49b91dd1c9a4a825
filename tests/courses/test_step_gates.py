"""Steps that open only after days or practice sessions, and the therapist's StepUnlock."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from courses.models import Exercise, LessonProgress, StepUnlock
from courses.outline import LessonState
from tests.factories import NOW, later, practise

pytestmark = pytest.mark.usefixtures("frozen")

LESSON_3 = "/courses/bekkenbodem/bekkenbodem-les-3/"


def gate(lessons, **rules):
    """Put waiting rules on step 2 (lessons 3 and 4)."""
    step = lessons[2].step
    for name, value in rules.items():
        setattr(step, name, value)
    step.save()
    return step


def finish_step_1(user, lessons, started=NOW):
    for lesson in lessons[:2]:
        LessonProgress.objects.create(
            user=user, lesson=lesson, first_opened_at=started, completed_at=started
        )


def state_of_lesson_3(course, user, lessons):
    return course.outline_for(user).state_of(lessons[2])


# --- Sessions -------------------------------------------------------------------------


def test_it_waits_for_sessions_after_the_previous_step(alice, course, lessons):
    gate(lessons, unlock_after_sessions=3)
    finish_step_1(alice, lessons)

    outline = course.outline_for(alice)
    assert outline.state_of(lessons[2]) == LessonState.LOCKED
    assert (outline.waiting.sessions, outline.waiting.days) == (3, 0)

    practise(alice, NOW + timedelta(minutes=5), count=2)
    assert course.outline_for(alice).waiting.sessions == 1

    practise(alice, NOW + timedelta(minutes=30))
    outline = course.outline_for(alice)
    assert outline.state_of(lessons[2]) == LessonState.OPEN
    assert outline.waiting is None
    assert outline.next_lesson == lessons[2]


def test_it_counts_only_sessions_since_the_previous_step_started(alice, course, lessons):
    gate(lessons, unlock_after_sessions=3)
    practise(alice, NOW - timedelta(days=2), count=5)
    finish_step_1(alice, lessons)

    assert state_of_lesson_3(course, alice, lessons) == LessonState.LOCKED
    assert course.outline_for(alice).waiting.sessions == 3


def test_it_counts_only_her_own_sessions(alice, bob, course, lessons):
    gate(lessons, unlock_after_sessions=3)
    finish_step_1(alice, lessons)
    practise(bob, NOW + timedelta(minutes=5), count=3)

    assert state_of_lesson_3(course, alice, lessons) == LessonState.LOCKED


def test_it_does_not_gate_before_the_previous_step_is_done(alice, course, lessons):
    gate(lessons, unlock_after_sessions=3)

    outline = course.outline_for(alice)
    assert outline.state_of(lessons[2]) == LessonState.LOCKED
    assert outline.waiting is None


# --- Days -----------------------------------------------------------------------------


def test_it_waits_for_days_after_the_previous_step_started(frozen, alice, course, lessons):
    gate(lessons, unlock_after_days=2)
    finish_step_1(alice, lessons)

    assert course.outline_for(alice).waiting.days == 2

    frozen.move_to(NOW + timedelta(days=1), tick=False)
    assert course.outline_for(alice).waiting.days == 1
    assert state_of_lesson_3(course, alice, lessons) == LessonState.LOCKED

    frozen.move_to(NOW + timedelta(days=2), tick=False)
    assert state_of_lesson_3(course, alice, lessons) == LessonState.OPEN


def test_it_counts_days_by_the_calendar(frozen, alice, course, lessons):
    # Step 1 started late in the evening: two days later in the morning is enough.
    gate(lessons, unlock_after_days=2)
    evening = NOW.replace(hour=23, minute=30)
    finish_step_1(alice, lessons, started=evening - timedelta(days=2))

    assert state_of_lesson_3(course, alice, lessons) == LessonState.OPEN


def test_it_waits_for_both_days_and_sessions(frozen, alice, course, lessons):
    gate(lessons, unlock_after_days=2, unlock_after_sessions=3)
    finish_step_1(alice, lessons)
    practise(alice, NOW + timedelta(minutes=1), count=3)

    waiting = course.outline_for(alice).waiting
    assert (waiting.days, waiting.sessions) == (2, 0)

    frozen.move_to(NOW + timedelta(days=2), tick=False)
    assert state_of_lesson_3(course, alice, lessons) == LessonState.OPEN


# --- The lesson page ------------------------------------------------------------------


def test_it_tells_her_on_the_locked_lesson_what_is_still_needed(alice_client, alice, lessons):
    gate(lessons, unlock_after_days=2, unlock_after_sessions=3)
    finish_step_1(alice, lessons)
    practise(alice, NOW + timedelta(minutes=1))

    response = alice_client.get(LESSON_3)

    assert response.status_code == 200
    assert response.templates[0].name == "courses/lesson_locked.html"
    waiting = response.context["outline"].waiting
    assert (waiting.sessions, waiting.days) == (2, 2)
    [locked] = [le for le in response.context["outline"].lessons if le.pk == lessons[2].pk]
    assert locked.waiting is waiting
    assert not LessonProgress.objects.filter(lesson=lessons[2]).exists()


def test_it_opens_the_lesson_page_when_the_wait_is_over(frozen, alice_client, alice, lessons):
    gate(lessons, unlock_after_days=2)
    finish_step_1(alice, lessons)

    later(frozen, alice_client, alice, NOW + timedelta(days=2))
    response = alice_client.get(LESSON_3)

    assert response.templates[0].name == "courses/lesson_detail.html"
    assert LessonProgress.objects.filter(user=alice, lesson=lessons[2]).exists()


def test_it_refuses_to_complete_a_waiting_lesson(alice_client, alice, lessons):
    gate(lessons, unlock_after_sessions=3)
    finish_step_1(alice, lessons)

    response = alice_client.post(LESSON_3 + "complete/")

    assert response.status_code == 302
    assert not LessonProgress.objects.filter(lesson=lessons[2]).exists()


# --- The therapist opens a step -------------------------------------------------------


def test_it_opens_a_waiting_step_with_a_step_unlock(
    alice_client, alice, course, lessons, therapist
):
    step = gate(lessons, unlock_after_days=30, unlock_after_sessions=100)
    finish_step_1(alice, lessons)

    StepUnlock.objects.create(user=alice, step=step, unlocked_by=therapist)

    assert state_of_lesson_3(course, alice, lessons) == LessonState.OPEN
    assert alice_client.get(LESSON_3).templates[0].name == "courses/lesson_detail.html"


def test_it_opens_a_step_before_the_previous_one_is_done(alice, course, lessons):
    StepUnlock.objects.create(user=alice, step=lessons[2].step)

    outline = course.outline_for(alice)
    assert outline.state_of(lessons[2]) == LessonState.OPEN
    assert outline.state_of(lessons[3]) == LessonState.LOCKED  # one lesson at a time within


def test_it_opens_the_step_for_her_only(alice, bob, course, lessons):
    step = gate(lessons, unlock_after_sessions=3)
    finish_step_1(alice, lessons)
    finish_step_1(bob, lessons)
    StepUnlock.objects.create(user=alice, step=step)

    assert state_of_lesson_3(course, alice, lessons) == LessonState.OPEN
    assert state_of_lesson_3(course, bob, lessons) == LessonState.LOCKED


def test_it_unlocks_a_step_once_per_patient(alice, lessons):
    StepUnlock.objects.create(user=alice, step=lessons[2].step)

    with pytest.raises(IntegrityError), transaction.atomic():
        StepUnlock.objects.create(user=alice, step=lessons[2].step)


def test_it_records_who_unlocked_in_the_admin(therapist_client, therapist, alice, lessons):
    step = lessons[2].step

    response = therapist_client.post(
        "/admin/courses/stepunlock/add/", {"user": alice.pk, "step": step.pk}
    )

    assert response.status_code == 302
    unlock = StepUnlock.objects.get()
    assert (unlock.user, unlock.step, unlock.unlocked_by) == (alice, step, therapist)


# --- Exercise: relax at least as long as the hold -------------------------------------


def exercise(lesson, **fields):
    return Exercise.objects.create(lesson=lesson, name="Test", **fields)


def test_it_refuses_a_relax_shorter_than_the_hold(lessons):
    with pytest.raises(IntegrityError), transaction.atomic():
        exercise(lessons[0], kind="long_hold", hold_seconds=10, relax_seconds=5)


def test_it_refuses_short_relax_for_quick_flicks_too(lessons):
    with pytest.raises(IntegrityError), transaction.atomic():
        exercise(lessons[0], kind="quick_flicks", hold_seconds=2, relax_seconds=1)


def test_it_allows_a_short_relax_when_ticked(lessons):
    saved = exercise(
        lessons[0], kind="long_hold", hold_seconds=10, relax_seconds=5, allow_short_relax=True
    )

    assert saved.pk


@pytest.mark.parametrize("kind", ["posture", "strength"])
def test_it_allows_a_short_rest_for_posture_and_strength(lessons, kind):
    assert exercise(lessons[0], kind=kind, hold_seconds=30, relax_seconds=10).pk


def test_it_allows_relax_as_long_as_the_hold(lessons):
    assert exercise(lessons[0], kind="long_hold", hold_seconds=10, relax_seconds=10).pk


def test_it_explains_the_relax_rule_in_validation(lessons):
    candidate = Exercise(lesson=lessons[0], name="Test", hold_seconds=10, relax_seconds=5)

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        candidate.full_clean()

    assert caught.value.messages == [
        "Relaxation must be at least as long as the hold, unless you tick "
        "“relax may be shorter than the hold”."
    ]
