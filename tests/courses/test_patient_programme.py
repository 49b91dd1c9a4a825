"""A programme adjusted per patient (courses/outline.py): lessons and steps her therapist
opened or hid for her, and a step that waits for the therapist's feedback."""

import pytest
from django.core import mail

from courses.models import Feedback, LessonProgress, PatientAccess, StepUnlock
from tests.factories import complete, make_course, make_routine, safety_answers

pytestmark = pytest.mark.usefixtures("frozen")

COURSE = "/courses/bekkenbodem/"
LESSON = "/courses/bekkenbodem/bekkenbodem-les-{}/"
FEEDBACK_WAIT = "Your therapist is looking at how it went"


def hide(user, therapist, *, lesson=None, step=None):
    PatientAccess.objects.choose(user=user, by=therapist, state="hidden", lesson=lesson, step=step)


@pytest.fixture
def waits(lessons):
    """Step 1 (lessons 1 and 2) waits for the therapist's feedback."""
    step = lessons[0].step
    step.waits_for_feedback = True
    step.save()
    return step


def test_it_leaves_a_hidden_lesson_out_of_her_outline(alice, course, lessons, therapist):
    hide(alice, therapist, lesson=lessons[1])

    outline = course.outline_for(alice)

    assert [lesson.pk for lesson in outline.lessons] == [
        le.pk for le in lessons if le != lessons[1]
    ]
    assert outline.total == 4
    complete(alice, lessons[0])
    outline = course.outline_for(alice)
    assert outline.percent_done == 25
    # The lesson after the hidden one follows the lesson before it.
    assert outline.state_of(lessons[2]) == "open"


def test_it_answers_404_for_a_hidden_lesson(alice_client, alice, lessons, therapist):
    complete(alice, lessons[0])
    hide(alice, therapist, lesson=lessons[1])

    assert alice_client.get(LESSON.format(2)).status_code == 404
    assert alice_client.post(LESSON.format(2) + "complete/").status_code == 404
    assert not LessonProgress.objects.filter(lesson=lessons[1]).exists()


def test_it_leaves_a_hidden_step_out_of_her_course_page_and_routine(
    alice_client, alice, course, lessons, therapist
):
    make_routine(course)
    safety_answers(alice)
    complete(alice, *lessons[:2])
    hide(alice, therapist, step=lessons[2].step)

    page = alice_client.get(COURSE).content.decode()
    today = alice_client.get("/today/").content.decode()

    assert "Les 3" not in page and "Les 4" not in page and "Les 5" in page
    assert "</span> Stap 2</h2>" not in page and "</span> Stap 3</h2>" in page
    # Oefening 3 (step 2) would replace Oefening 1: with step 2 hidden, Oefening 1 stays.
    assert "Oefening 1" in today and "Oefening 3" not in today
    assert course.outline_for(alice).state_of(lessons[4]) == "open"


def test_it_opens_a_lesson_she_has_not_reached(alice_client, alice, course, lessons, therapist):
    PatientAccess.objects.choose(user=alice, by=therapist, state="open", lesson=lessons[3])

    outline = course.outline_for(alice)

    assert outline.state_of(lessons[1]) == "locked"
    assert outline.state_of(lessons[3]) == "open"
    assert alice_client.get(LESSON.format(4)).status_code == 200
    assert "lesson_locked" not in [t.name for t in alice_client.get(LESSON.format(4)).templates]


def test_it_opens_a_step_before_its_gates(alice, course, lessons, therapist):
    step = lessons[2].step
    step.unlock_after_days = 14
    step.save()
    PatientAccess.objects.choose(user=alice, by=therapist, state="open", step=step)

    outline = course.outline_for(alice)

    assert StepUnlock.objects.filter(user=alice, step=step).exists()
    assert outline.state_of(lessons[2]) == "open"


def test_it_keeps_one_record_per_step_and_lesson(alice, lessons, therapist):
    step = lessons[2].step
    for state in ("open", "hidden", "hidden", "open"):
        PatientAccess.objects.choose(user=alice, by=therapist, state=state, step=step)
        PatientAccess.objects.choose(user=alice, by=therapist, state=state, lesson=lessons[0])

    assert StepUnlock.objects.filter(user=alice).count() == 1
    assert PatientAccess.objects.filter(user=alice, step=step).count() == 0
    assert PatientAccess.objects.get(user=alice, lesson=lessons[0]).state == "open"

    PatientAccess.objects.choose(user=alice, by=therapist, state="", step=step)
    PatientAccess.objects.choose(user=alice, by=therapist, state="", lesson=lessons[0])
    assert not StepUnlock.objects.filter(user=alice).exists()
    assert not PatientAccess.objects.filter(user=alice).exists()


def test_it_keeps_the_next_step_closed_until_the_feedback(alice, course, lessons, therapist, waits):
    complete(alice, *lessons[:2])

    outline = course.outline_for(alice)

    assert outline.state_of(lessons[2]) == "locked"
    assert outline.waiting.feedback
    assert [step.pk for step in outline.awaiting_feedback] == [waits.pk]

    Feedback.objects.create(user=alice, written_by=therapist, text="Mooi gedaan!")
    assert course.outline_for(alice).state_of(lessons[2]) == "locked"  # not about the step

    Feedback.objects.create(user=alice, written_by=therapist, text="Ga door!", step=waits)
    outline = course.outline_for(alice)
    assert outline.state_of(lessons[2]) == "open"
    assert outline.awaiting_feedback == []


def test_it_opens_the_next_step_when_the_therapist_opens_it(
    alice, course, lessons, therapist, waits
):
    complete(alice, *lessons[:2])

    StepUnlock.objects.unlock(user=alice, step=lessons[2].step, by=therapist)

    outline = course.outline_for(alice)
    assert outline.state_of(lessons[2]) == "open"
    assert outline.awaiting_feedback == []


def test_it_says_on_her_course_page_why_the_next_step_waits(alice_client, alice, lessons, waits):
    complete(alice, *lessons[:2])

    page = alice_client.get(COURSE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    locked = alice_client.get(LESSON.format(3), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert FEEDBACK_WAIT in page
    assert FEEDBACK_WAIT in locked
    assert "You have finished every lesson" not in page


def test_it_tells_her_therapist_once_when_she_finishes_the_step(
    alice_client, alice, lessons, therapist, waits
):
    complete(alice, lessons[0])

    response = alice_client.post(LESSON.format(2) + "complete/", HTTP_ACCEPT_LANGUAGE="en")
    alice_client.post(LESSON.format(2) + "complete/")  # a double click

    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[therapist.email]]
    body = mail.outbox[0].body
    # No health details: not who, not which lesson or step.
    assert "Alice" not in body and "Les" not in body and "Stap" not in body
    assert f"/therapist/patients/{alice.pk}/" in body


def test_it_tells_nobody_for_a_step_that_does_not_wait(alice_client, alice, lessons):
    complete(alice, lessons[0])

    alice_client.post(LESSON.format(2) + "complete/")

    assert mail.outbox == []


def test_it_tells_nobody_before_the_last_lesson_of_the_step(alice_client, lessons, waits):
    alice_client.post(LESSON.format(1) + "complete/")

    assert mail.outbox == []


def test_it_reads_everything_in_one_query(
    alice, course, lessons, therapist, waits, django_assert_num_queries
):
    course.content()  # warm, as after the first page view
    complete(alice, *lessons[:2])
    hide(alice, therapist, lesson=lessons[4])
    PatientAccess.objects.choose(user=alice, by=therapist, state="open", lesson=lessons[3])
    Feedback.objects.create(user=alice, written_by=therapist, text="Goed!", step=waits)

    with django_assert_num_queries(1):
        outline = course.outline_for(alice)

    assert outline.total == 4
    assert len(outline.unread_feedback) == 1


def test_it_follows_only_her_own_changes(alice, bob, course, lessons, therapist):
    hide(bob, therapist, lesson=lessons[0])
    other = make_course(slug="ander")
    hide(alice, therapist, lesson=other.published_lessons()[0])

    assert course.outline_for(alice).total == 5
