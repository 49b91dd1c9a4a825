"""Today's routine: GET /today/ and saving a routine, POST /today/log/."""

import uuid
from datetime import timedelta

import pytest

from courses.models import Enrollment, Exercise, PatientDose
from tests.factories import NOW, complete, make_routine, make_user, practise, safety_answers
from therapy.journey.models import DiaryEntry, PracticeSession, RoutinePart

pytestmark = pytest.mark.usefixtures("frozen")

URL = "/today/"
LOG = "/today/log/"


@pytest.fixture
def routine(course):
    return make_routine(course)


def parts(*rows):
    """The formset fields of a routine save: rows of (exercise, repetitions, skipped)."""
    data = {"part-TOTAL_FORMS": str(len(rows)), "part-INITIAL_FORMS": "0"}
    for index, (exercise, reps, skipped) in enumerate(rows):
        data[f"part-{index}-exercise"] = str(exercise.pk)
        data[f"part-{index}-repetitions_done"] = str(reps)
        if skipped:
            data[f"part-{index}-skipped"] = "on"
    return data


def save(client, *rows, key=None, json=True, **extra):
    data = {
        "idempotency_key": str(key or uuid.uuid4()),
        "started_at": NOW.isoformat(),
        "duration_seconds": "240",
        "completed": "true",
        **parts(*rows),
        **extra,
    }
    headers = {"Accept": "application/json"} if json else {}
    return client.post(LOG, data, headers=headers)


# --- GET /today/ ---------------------------------------------------------------------


def test_it_shows_her_routine_at_her_dose_and_her_count_for_today(alice_client, alice, routine):
    practise(alice, NOW - timedelta(hours=2))

    response = alice_client.get(URL)

    assert response.status_code == 200
    prog = response.context["programme"]
    assert [item.exercise.name for item in prog.routine] == ["Oefening 1", "Oefening 2"]
    assert response.context["practice"].today == 1
    html = response.content.decode()
    assert "Oefening 1" in html and "Oefening 2" in html
    assert "Week 1 van 12" in html
    assert "1</strong> van 3" in html


def test_it_shows_that_her_therapist_set_her_dose(alice_client, alice, routine):
    PatientDose.objects.create(
        user=alice, exercise=routine[0], hold_seconds=3, relax_seconds=6, repetitions=4, sets=1
    )

    html = alice_client.get(URL).content.decode()

    assert "Dosering ingesteld door je therapeut" in html


def test_it_asks_for_the_safety_questions_when_she_has_not_answered_them(alice_client, routine):
    assert "/safety/?next=/today/" in alice_client.get(URL).content.decode()


def test_it_explains_maintenance_after_the_programme(alice_client, alice, lessons, frozen):
    complete(alice, *lessons)
    frozen.move_to(NOW + timedelta(weeks=13))
    alice_client.force_login(alice)

    response = alice_client.get(URL)

    assert response.context["programme"].in_maintenance
    assert "Onderhoud" in response.content.decode()


def test_it_sends_a_patient_without_a_course_to_start_one(client, course):
    client.force_login(make_user("carol@example.com"))

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/courses/"


def test_it_asks_to_log_in(client, course):
    assert client.get(URL)["Location"] == "/accounts/login/?next=/today/"


def test_it_refuses_post_on_the_page(alice_client):
    assert alice_client.post(URL).status_code == 405


def test_it_notes_the_adaptation_for_a_pregnant_patient(alice_client, alice, routine):
    Exercise.objects.filter(pk=routine[0].pk).update(lying_on_back=True)
    safety_answers(alice, "pregnant")

    html = alice_client.get(URL).content.decode()

    assert "op je rug" in html


# --- POST /today/log/ ----------------------------------------------------------------


def test_it_saves_a_routine_with_its_parts_once(alice_client, alice, routine):
    first, flicks, _third = routine
    key = uuid.uuid4()

    response = save(alice_client, (first, 5, False), (flicks, 0, True), key=key)
    again = save(alice_client, (first, 5, False), (flicks, 0, True), key=key)

    assert response.status_code == 200
    assert response.json()["created"] is True
    assert again.json() == {"ok": True, "id": response.json()["id"], "created": False}
    session = PracticeSession.objects.get(user=alice)
    assert session.kind == PracticeSession.Kind.ROUTINE
    assert session.repetitions_done == 5
    assert [
        (p.exercise_name, p.target_repetitions, p.repetitions_done, p.skipped)
        for p in session.parts.all()
    ] == [("Oefening 1", 5, 5, False), ("Oefening 2", 10, 0, True)]


def test_it_counts_a_routine_for_today(alice_client, alice, routine):
    save(alice_client, (routine[0], 5, False), (routine[1], 10, False))

    assert alice_client.get(URL).context["practice"].today == 1
    assert alice_client.get("/dashboard/").context["practice"].today == 1


def test_it_saves_a_routine_logged_by_hand_and_says_so(alice_client, alice, routine):
    response = save(
        alice_client, (routine[0], 5, False), (routine[1], 10, False), json=False, by_hand="1"
    )

    assert response.status_code == 302
    assert response["Location"] == "/today/"
    assert PracticeSession.objects.get(user=alice).by_hand is True


def test_it_refuses_another_patients_exercise(alice_client, alice, bob, routine, course):
    other = Exercise.objects.get(name="Oefening 5")

    response = save(alice_client, (routine[0], 5, False), (other, 1, False))

    assert response.status_code == 400
    assert "komt niet overeen" in str(response.json()["errors"])
    assert not PracticeSession.objects.exists()


def test_it_refuses_a_part_list_that_misses_an_exercise(alice_client, routine):
    response = save(alice_client, (routine[0], 5, False))

    assert response.status_code == 400
    assert not PracticeSession.objects.exists()


def test_it_refuses_an_exercise_twice(alice_client, routine):
    response = save(
        alice_client, (routine[0], 5, False), (routine[0], 5, False), (routine[1], 1, 0)
    )

    assert response.status_code == 400
    assert not RoutinePart.objects.exists()


@pytest.mark.parametrize("reps", [-1, 6, 5000])
def test_it_refuses_negative_or_absurd_repetitions(alice_client, routine, reps):
    response = save(alice_client, (routine[0], reps, False), (routine[1], 10, False))

    assert response.status_code == 400
    assert not PracticeSession.objects.exists()


def test_it_refuses_repetitions_on_a_skipped_exercise(alice_client, routine):
    response = save(alice_client, (routine[0], 5, True), (routine[1], 10, False))

    assert response.status_code == 400
    assert "overgeslagen" in str(response.json()["errors"])


def test_it_refuses_an_empty_part_list(alice_client, routine):
    response = save(alice_client)

    assert response.status_code == 400


def test_it_refuses_a_start_time_too_long_ago(alice_client, routine):
    response = save(
        alice_client,
        (routine[0], 5, False),
        (routine[1], 10, False),
        started_at=(NOW - timedelta(days=8)).isoformat(),
    )

    assert response.status_code == 400
    assert "started_at" in response.json()["errors"]


def test_it_says_why_a_routine_from_before_the_seven_day_window_is_refused(alice_client, routine):
    response = save(
        alice_client,
        (routine[0], 5, False),
        (routine[1], 10, False),
        started_at=(NOW - timedelta(days=7, minutes=1)).isoformat(),
    )

    assert response.status_code == 400
    assert "meer dan 7 dagen geleden" in response.json()["errors"]["started_at"][0]


def test_it_refuses_a_replayed_routine_with_changed_parts_and_keeps_the_first(
    alice_client, alice, routine
):
    key = uuid.uuid4()
    save(alice_client, (routine[0], 5, False), (routine[1], 10, False), key=key)

    response = save(alice_client, (routine[0], 2, False), (routine[1], 10, False), key=key)

    assert response.status_code == 409
    assert "andere getallen" in response.json()["reason"]
    session = PracticeSession.objects.get(user=alice)
    assert [p.repetitions_done for p in session.parts.all()] == [5, 10]


def test_it_takes_a_replayed_routine_with_only_a_feeling_added(alice_client, alice, routine):
    key = uuid.uuid4()
    save(alice_client, (routine[0], 5, False), (routine[1], 10, False), key=key)

    response = save(
        alice_client, (routine[0], 5, False), (routine[1], 10, False), key=key, feeling="4"
    )

    assert response.status_code == 200
    assert response.json()["created"] is False
    assert PracticeSession.objects.get(user=alice).feeling == 4


def test_it_takes_the_rest_of_a_queue_after_a_refused_record(alice_client, alice, routine):
    other = Exercise.objects.get(name="Oefening 5")
    refused = save(alice_client, (routine[0], 5, False), (other, 1, False))
    too_old = save(
        alice_client,
        (routine[0], 5, False),
        (routine[1], 10, False),
        started_at=(NOW - timedelta(days=8)).isoformat(),
    )
    good = save(alice_client, (routine[0], 5, False), (routine[1], 10, False))

    assert (refused.status_code, too_old.status_code, good.status_code) == (400, 400, 200)
    assert PracticeSession.objects.filter(user=alice).count() == 1


def test_it_tells_the_hand_form_what_was_wrong_and_stores_nothing(alice_client, routine):
    response = save(alice_client, (routine[0], 9, False), (routine[1], 10, False), json=False)

    assert response.status_code == 302
    follow = alice_client.get(response["Location"])
    assert any("meer herhalingen" in str(m) for m in follow.context["messages"])
    assert not PracticeSession.objects.exists()


def test_it_answers_404_without_a_routine(client, course):
    carol = make_user("carol@example.com")
    Enrollment.objects.create(user=carol, course=course)
    client.force_login(carol)

    assert client.post(LOG, {}).status_code == 404


def test_it_asks_to_log_in_before_saving(client, routine):
    response = save(client, (routine[0], 5, False), (routine[1], 10, False), json=False)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_refuses_a_get_of_the_log(alice_client):
    assert alice_client.get(LOG).status_code == 405


def test_it_does_not_count_a_single_exercise_from_a_lesson_as_a_session(alice, alice_client):
    exercise = Exercise.objects.get(name="Oefening 1")
    PracticeSession.objects.create(
        user=alice,
        exercise=exercise,
        exercise_name=exercise.name,
        idempotency_key=uuid.uuid4(),
        started_at=NOW,
        duration_seconds=100,
        repetitions_done=8,
    )

    assert alice_client.get("/dashboard/").context["practice"].today == 0


def test_it_shows_the_rest_day_she_chose(alice_client, alice, routine):
    DiaryEntry.objects.create(
        user=alice, date=NOW.date(), leaks=0, pads=0, urgency=0, back_pain=8, rest_day=True
    )

    assert alice_client.get(URL).context["rest_day"] is True
