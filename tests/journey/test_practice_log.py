"""Saving a timer run or a hand-logged exercise: POST /practice/log/."""

import uuid
from datetime import timedelta

import pytest

from courses.models import Enrollment
from tests.factories import NOW, make_course
from therapy.journey.models import PracticeSession

pytestmark = pytest.mark.usefixtures("frozen")

KEY = "6f1c7b1e-3c39-4a53-9a59-2f3f3b1d2c10"
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def exercise(lessons):
    return lessons[0].exercises.get()


def run(exercise, /, **overrides):
    data = {
        "idempotency_key": KEY,
        "exercise": exercise.pk,
        "started_at": (NOW - timedelta(minutes=6)).isoformat(),
        "duration_seconds": 320,
        "repetitions_done": 24,
        "completed": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_it_saves_a_run_and_answers_json(alice_client, alice, exercise):
    response = alice_client.post("/practice/log/", run(exercise, feeling=4), **JSON)

    assert response.status_code == 200
    session = PracticeSession.objects.get()
    assert response.json() == {"ok": True, "id": session.pk, "created": True}
    assert session.user == alice
    assert session.exercise == exercise
    assert session.exercise_name == exercise.name
    assert session.idempotency_key == uuid.UUID(KEY)
    assert session.started_at == NOW - timedelta(minutes=6)
    assert session.duration_seconds == 320
    assert session.repetitions_done == 24
    assert session.completed is True
    assert session.feeling == 4
    assert session.by_hand is False


def test_it_uses_now_when_no_start_time_is_sent(alice_client, exercise):
    alice_client.post("/practice/log/", run(exercise, started_at=None), **JSON)

    assert PracticeSession.objects.get().started_at == NOW


def test_it_stores_a_hand_logged_run_without_feeling(alice_client, exercise):
    data = run(exercise, by_hand="on", completed=None)
    response = alice_client.post("/practice/log/", data, **JSON)

    assert response.status_code == 200
    session = PracticeSession.objects.get()
    assert session.by_hand is True
    assert session.completed is False
    assert session.feeling is None


def test_it_redirects_a_form_post_to_next(alice_client, exercise):
    data = run(exercise, next="/courses/bekkenbodem/bekkenbodem-les-1/#oefening")
    response = alice_client.post("/practice/log/", data)

    assert response.status_code == 302
    assert response["Location"] == "/courses/bekkenbodem/bekkenbodem-les-1/#oefening"
    assert PracticeSession.objects.count() == 1


def test_it_redirects_a_form_post_to_the_lesson_without_next(alice_client, exercise):
    response = alice_client.post("/practice/log/", run(exercise))

    assert response.status_code == 302
    assert response["Location"] == "/courses/bekkenbodem/bekkenbodem-les-1/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_it_never_redirects_a_saved_run_to_another_site(alice_client, exercise, next_url):
    response = alice_client.post("/practice/log/", run(exercise, next=next_url))

    assert response.status_code == 302
    assert response["Location"] == "/courses/bekkenbodem/bekkenbodem-les-1/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_it_never_redirects_a_refused_run_to_another_site(alice_client, exercise, next_url):
    data = run(exercise, repetitions_done=-1, next=next_url)
    response = alice_client.post("/practice/log/", data)

    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert not PracticeSession.objects.exists()


def test_it_sends_a_logged_out_visitor_to_the_login(client, exercise):
    response = client.post("/practice/log/", run(exercise), **JSON)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/today/"
    assert not PracticeSession.objects.exists()


def test_it_refuses_get(alice_client):
    assert alice_client.get("/practice/log/").status_code == 405


def test_it_404s_an_exercise_of_a_course_she_does_not_follow(alice_client, alice):
    other = make_course(slug="rug", lessons_per_step=(1,))
    exercise = other.published_lessons()[0].exercises.get()

    response = alice_client.post("/practice/log/", run(exercise), **JSON)

    assert response.status_code == 404
    assert not PracticeSession.objects.exists()


def test_it_404s_an_exercise_of_an_unpublished_lesson(alice_client, lessons, exercise):
    lessons[0].published = False
    lessons[0].save()

    response = alice_client.post("/practice/log/", run(exercise), **JSON)

    assert response.status_code == 404
    assert not PracticeSession.objects.exists()


def test_it_404s_an_exercise_of_an_unpublished_course(alice_client, course, exercise):
    course.published = False
    course.save()

    response = alice_client.post("/practice/log/", run(exercise), **JSON)

    assert response.status_code == 404


def test_it_404s_an_exercise_that_does_not_exist(alice_client, exercise):
    response = alice_client.post("/practice/log/", run(exercise, exercise=999_999), **JSON)

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("repetitions_done", -1),
        ("repetitions_done", 2001),
        ("duration_seconds", 4 * 60 * 60 + 1),
        ("duration_seconds", -5),
        ("feeling", 0),
        ("feeling", 6),
        ("idempotency_key", "not-a-uuid"),
        ("started_at", (NOW + timedelta(hours=1)).isoformat()),
        ("started_at", (NOW - timedelta(days=8)).isoformat()),
        ("started_at", "yesterday"),
        ("exercise", "abc"),
    ],
)
def test_it_refuses_a_bad_value_with_json_errors(alice_client, exercise, field, value):
    response = alice_client.post("/practice/log/", run(exercise, **{field: value}), **JSON)

    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert list(body["errors"]) == [field]
    assert body["errors"][field]
    assert not PracticeSession.objects.exists()


def test_it_accepts_a_start_time_a_little_ahead_of_the_server_clock(alice_client, exercise):
    # Phones run a minute or two fast; that is not "the future".
    data = run(exercise, started_at=(NOW + timedelta(minutes=2)).isoformat())
    response = alice_client.post("/practice/log/", data, **JSON)

    assert response.status_code == 200


def test_it_stores_a_retry_with_the_same_key_once(alice_client, exercise):
    first = alice_client.post("/practice/log/", run(exercise), **JSON).json()
    second = alice_client.post("/practice/log/", run(exercise), **JSON).json()

    assert PracticeSession.objects.count() == 1
    assert first["created"] is True
    assert second == {"ok": True, "id": first["id"], "created": False}


def test_it_only_adds_the_feeling_on_a_later_post(alice_client, exercise):
    alice_client.post("/practice/log/", run(exercise), **JSON)

    response = alice_client.post("/practice/log/", run(exercise, feeling=2), **JSON)

    assert response.json()["created"] is False
    session = PracticeSession.objects.get()
    assert session.feeling == 2
    assert session.duration_seconds == 320


@pytest.mark.parametrize(
    "changed",
    [
        {"duration_seconds": 9999},
        {"repetitions_done": 99},
        {"completed": None},
        {"by_hand": "on"},
        {"started_at": (NOW - timedelta(minutes=7)).isoformat()},
    ],
)
def test_it_refuses_a_replay_with_the_same_key_and_a_changed_payload(
    alice_client, exercise, changed
):
    alice_client.post("/practice/log/", run(exercise), **JSON)

    response = alice_client.post("/practice/log/", run(exercise, feeling=2, **changed), **JSON)

    assert response.status_code == 409
    body = response.json()
    assert body["ok"] is False
    assert "other numbers" in body["reason"] or "andere getallen" in body["reason"]
    session = PracticeSession.objects.get()
    assert (session.duration_seconds, session.repetitions_done, session.feeling) == (320, 24, None)


def test_it_refuses_a_replay_for_another_exercise_with_the_same_key(
    alice_client, alice, lessons, exercise
):
    alice_client.post("/practice/log/", run(exercise), **JSON)
    alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")
    second = lessons[1].exercises.get()

    response = alice_client.post("/practice/log/", run(second), **JSON)

    assert response.status_code == 409
    assert PracticeSession.objects.get().exercise == exercise


def test_it_says_why_a_replay_with_a_changed_payload_is_refused_on_a_form_post(
    alice_client, exercise
):
    alice_client.post("/practice/log/", run(exercise), **JSON)

    response = alice_client.post("/practice/log/", run(exercise, repetitions_done=3), follow=True)

    assert response.redirect_chain[-1][0] == "/courses/bekkenbodem/bekkenbodem-les-1/"
    assert any(
        "other numbers" in str(m) or "andere" in str(m) for m in response.context["messages"]
    )
    assert PracticeSession.objects.get().repetitions_done == 24


def test_it_refuses_an_exercise_of_a_lesson_not_open_for_her_with_a_reason(alice_client, lessons):
    locked = lessons[1].exercises.get()

    response = alice_client.post("/practice/log/", run(locked), **JSON)

    assert response.status_code == 404
    assert response.json()["ok"] is False
    assert response.json()["reason"]
    assert not PracticeSession.objects.exists()


def test_it_gives_the_same_reason_for_another_patients_exercise_and_one_that_does_not_exist(
    alice_client, exercise
):
    other = make_course(slug="rug", lessons_per_step=(1,))
    theirs = other.published_lessons()[0].exercises.get()

    refused = alice_client.post("/practice/log/", run(theirs), **JSON)
    missing = alice_client.post("/practice/log/", run(exercise, exercise=999_999), **JSON)

    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()


def test_it_refuses_a_run_from_before_the_seven_day_window_with_a_reason(alice_client, exercise):
    data = run(exercise, started_at=(NOW - timedelta(days=7, minutes=1)).isoformat())

    response = alice_client.post("/practice/log/", data, **JSON)

    assert response.status_code == 400
    [reason] = response.json()["errors"]["started_at"]
    assert "7" in reason
    assert not PracticeSession.objects.exists()


def test_it_takes_a_run_from_six_days_ago(alice_client, exercise):
    data = run(exercise, started_at=(NOW - timedelta(days=6, hours=23)).isoformat())

    assert alice_client.post("/practice/log/", data, **JSON).status_code == 200


def test_it_keeps_the_feeling_when_a_retry_has_none(alice_client, exercise):
    alice_client.post("/practice/log/", run(exercise, feeling=5), **JSON)
    alice_client.post("/practice/log/", run(exercise), **JSON)

    assert PracticeSession.objects.get().feeling == 5


def test_it_gives_bob_his_own_key_space(alice_client, client, alice, bob, course, exercise):
    alice_client.post("/practice/log/", run(exercise, feeling=3), **JSON)
    Enrollment.objects.create(user=bob, course=course)
    client.force_login(bob)

    response = client.post("/practice/log/", run(exercise, feeling=5), **JSON)

    assert response.status_code == 200
    assert response.json()["created"] is True
    assert PracticeSession.objects.count() == 2
    assert PracticeSession.objects.get(user=alice).feeling == 3
    assert PracticeSession.objects.get(user=bob).feeling == 5
