"""Marking a lesson as done: POST /courses/<course>/<lesson>/complete/."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.messages import get_messages

from courses.models import Enrollment, Lesson, LessonProgress, Step
from courses.outline import LessonState
from tests.factories import complete, make_course

AMS = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=AMS)
THURSDAY = datetime(2026, 3, 5, 20, 30, tzinfo=AMS)


def states(course, user):
    return [lesson.state for lesson in course.outline_for(user).lessons]


def overview_states(client):
    html = client.get("/courses/bekkenbodem/").content.decode()
    return re.findall(r'class="lesson-item lesson-(\w+)"', html)


def test_it_marks_the_lesson_done_and_goes_to_the_next(alice_client, alice, lessons):
    with time_machine.travel(MONDAY, tick=False):
        response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert response.status_code == 302
    assert response["Location"] == "/courses/bekkenbodem/bekkenbodem-les-2/"
    progress = LessonProgress.objects.get(user=alice, lesson=lessons[0])
    assert progress.completed_at == MONDAY
    assert progress.first_opened_at == MONDAY


def test_it_opens_lesson_2_and_keeps_lesson_3_locked(alice_client, alice, course, lessons):
    alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert states(course, alice) == ["done", "open", "locked", "locked", "locked"]
    assert overview_states(alice_client) == ["done", "open", "locked", "locked", "locked"]
    lesson_2 = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-2/")
    assert lesson_2.templates[0].name == "courses/lesson_detail.html"
    lesson_3 = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-3/")
    assert lesson_3.templates[0].name == "courses/lesson_locked.html"


def test_it_tells_the_patient_the_next_lesson_is_open(alice_client, lessons):
    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/", follow=True)

    assert response.redirect_chain == [("/courses/bekkenbodem/bekkenbodem-les-2/", 302)]
    html = response.content.decode()
    assert re.search(r'class="message message-success">[^<]*Les 1', html)


def test_it_goes_on_to_the_first_lesson_of_the_next_step(alice_client, alice, lessons):
    complete(alice, lessons[0])

    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-2/complete/")

    assert response["Location"] == "/courses/bekkenbodem/bekkenbodem-les-3/"


def test_it_returns_to_the_course_after_the_last_lesson(alice_client, alice, course, lessons):
    complete(alice, *lessons[:4])

    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-5/complete/", follow=True)

    assert response.redirect_chain == [("/courses/bekkenbodem/", 302)]
    assert states(course, alice) == ["done"] * 5
    assert "message-success" in response.content.decode()


def test_it_keeps_the_first_completion_time_when_completed_twice(alice_client, alice, lessons):
    with time_machine.travel(MONDAY, tick=False):
        alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")
    with time_machine.travel(THURSDAY, tick=False):
        response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert response.status_code == 302
    progress = LessonProgress.objects.get(user=alice, lesson=lessons[0])
    assert progress.completed_at == MONDAY
    assert LessonProgress.objects.filter(user=alice).count() == 1


def test_it_keeps_when_the_lesson_was_first_opened(alice_client, alice, lessons):
    with time_machine.travel(MONDAY, tick=False):
        alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")
    with time_machine.travel(THURSDAY, tick=False):
        alice_client.logout()  # Monday's session has long expired
        alice_client.force_login(alice)
        alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    progress = LessonProgress.objects.get(user=alice, lesson=lessons[0])
    assert (progress.first_opened_at, progress.completed_at) == (MONDAY, THURSDAY)


def test_it_never_completes_before_it_was_opened(alice_client, alice, lessons):
    # A server clock that stepped back must not break the completed-after-opened rule.
    LessonProgress.objects.create(user=alice, lesson=lessons[0], first_opened_at=THURSDAY)
    with time_machine.travel(MONDAY, tick=False):
        response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert response.status_code == 302
    progress = LessonProgress.objects.get(user=alice, lesson=lessons[0])
    assert progress.completed_at == THURSDAY


def test_it_changes_nothing_when_the_lesson_is_locked(alice_client, alice, course, lessons):
    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-3/complete/", follow=True)

    assert response.redirect_chain == [("/courses/bekkenbodem/bekkenbodem-les-3/", 302)]
    assert response.templates[0].name == "courses/lesson_locked.html"
    assert "message-error" in response.content.decode()
    assert not LessonProgress.objects.filter(user=alice).exists()
    assert states(course, alice) == ["open", "locked", "locked", "locked", "locked"]


def test_it_does_not_count_bobs_progress_for_alice(alice_client, alice, bob, course, lessons):
    Enrollment.objects.create(user=bob, course=course)
    complete(bob, lessons[0])

    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-2/complete/")

    assert response["Location"] == "/courses/bekkenbodem/bekkenbodem-les-2/"
    assert not LessonProgress.objects.filter(user=alice).exists()


def test_it_does_not_change_bobs_progress(client, alice, bob, course, lessons):
    client.force_login(alice)
    client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert states(course, alice)[:2] == [LessonState.DONE, LessonState.OPEN]
    assert states(course, bob)[:2] == [LessonState.OPEN, LessonState.LOCKED]
    assert not LessonProgress.objects.filter(user=bob).exists()


def test_it_answers_404_to_a_patient_for_an_unpublished_lesson(alice_client, alice, lessons):
    Lesson.objects.filter(slug="bekkenbodem-les-1").update(published=False)

    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert response.status_code == 404
    assert not LessonProgress.objects.filter(user=alice).exists()


def test_it_answers_404_when_staff_complete_a_previewed_draft(therapist_client, therapist, lessons):
    Lesson.objects.filter(slug="bekkenbodem-les-1").update(published=False)

    response = therapist_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert response.status_code == 404
    assert not LessonProgress.objects.filter(user=therapist).exists()


def test_it_answers_404_for_an_unknown_lesson(alice_client, lessons):
    response = alice_client.post("/courses/bekkenbodem/bestaat-niet/complete/")

    assert response.status_code == 404


def test_it_answers_404_for_an_unpublished_course(alice_client, alice):
    make_course(slug="concept", published=False)

    response = alice_client.post("/courses/concept/concept-les-1/complete/")

    assert response.status_code == 404
    assert not LessonProgress.objects.filter(user=alice).exists()


def test_it_redirects_to_login_when_logged_out(client, lessons):
    response = client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert response.status_code == 302
    # Back to the lesson after logging in, never to the POST-only address (a 405).
    assert response["Location"] == "/accounts/login/?next=/courses/bekkenbodem/bekkenbodem-les-1/"
    assert not LessonProgress.objects.exists()


def test_it_refuses_get(alice_client, alice, lessons):
    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert response.status_code == 405
    assert not LessonProgress.objects.filter(user=alice).exists()


def test_it_does_not_promise_an_open_lesson_when_the_next_step_waits(alice_client, alice, course):
    Step.objects.filter(course=course, order=1).update(unlock_after_days=7)
    alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-2/complete/")

    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert response["Location"] == "/courses/bekkenbodem/bekkenbodem-les-3/"
    # The last message is about this lesson; the one before it was about lesson 1.
    assert "les 2" in messages[-1].lower()
    assert "volgende les staat voor je open" not in messages[-1]
    outline = course.outline_for(alice)
    assert outline.lessons[2].state == LessonState.LOCKED
    assert outline.waiting.days == 7
