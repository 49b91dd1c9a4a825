"""Each therapist her own patients; practice owners see everyone and move patients
(accounts/care.py). Another therapist's patient is a 404 on every therapist URL."""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Profile
from courses.models import Enrollment, LessonQuestion
from tests.factories import make_routine, make_user, safety_answers
from therapy.journey.models import DiaryEntry
from therapy.journey.services import safety_check_submit

pytestmark = pytest.mark.usefixtures("frozen")


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sanne(other_therapist):
    return logged_in(other_therapist)


@pytest.fixture
def question(alice, lessons):
    return LessonQuestion.objects.create(user=alice, lesson=lessons[0], text="Mag ik staan?")


@pytest.fixture
def routine(course):
    return make_routine(course)


def therapist_urls(patient, question, exercise):
    """Every therapist URL about one patient, with its methods."""
    return [
        ("get", f"/therapist/patients/{patient.pk}/", {}),
        ("get", f"/therapist/patients/{patient.pk}/records.csv", {}),
        ("get", f"/therapist/patients/{patient.pk}/doses/{exercise.pk}/", {}),
        (
            "post",
            f"/therapist/patients/{patient.pk}/doses/{exercise.pk}/",
            {"mode": "own", "hold_seconds": 6, "relax_seconds": 8, "repetitions": 7, "sets": 1},
        ),
        ("post", f"/therapist/patients/{patient.pk}/unlock/", {}),
        ("get", f"/therapist/questions/{question.pk}/", {}),
        ("post", f"/therapist/questions/{question.pk}/", {"answer": "Ja."}),
        ("post", f"/therapist/patients/{patient.pk}/therapist/", {}),
        ("post", f"/therapist/patients/{patient.pk}/messages/", {"text": "Hoe gaat het?"}),
    ]


def test_another_therapists_patient_is_a_404_on_every_therapist_url(
    sanne, alice, question, routine
):
    for method, url, data in therapist_urls(alice, question, routine[0]):
        response = getattr(sanne, method)(url, data)
        assert response.status_code == 404, (method, url)

    question.refresh_from_db()
    assert question.answer == ""
    assert not alice.own_doses.exists()
    assert not alice.conversation.exists()


def test_her_own_therapist_opens_every_page(therapist_client, alice, question, routine):
    for method, url, _data in therapist_urls(alice, question, routine[0]):
        if method == "get":
            assert therapist_client.get(url).status_code == 200, url


def test_the_overview_lists_only_her_own_patients_and_their_questions(
    therapist_client, sanne, other_therapist, alice, question
):
    carol = make_user("carol@example.com", display_name="Carol", therapist=other_therapist)
    LessonQuestion.objects.create(user=carol, lesson=question.lesson, text="Vraag van Carol")

    hers = therapist_client.get("/therapist/")
    theirs = sanne.get("/therapist/")

    assert [row.name for row in hers.context["page"].object_list] == ["Alice"]
    assert [row.name for row in theirs.context["page"].object_list] == ["Carol"]
    assert [q.text for q in hers.context["open_questions"]] == ["Mag ik staan?"]
    assert [q.text for q in theirs.context["open_questions"]] == ["Vraag van Carol"]
    assert "Carol" not in hers.content.decode()


def test_a_practice_owner_sees_everyone_and_gives_a_patient_another_therapist(
    owner, sanne, other_therapist, therapist_client, alice
):
    boss = logged_in(owner)
    assert "Alice" in [row.name for row in boss.get("/therapist/").context["page"].object_list]
    assert boss.get(f"/therapist/patients/{alice.pk}/").context["move_form"] is not None

    response = boss.post(
        f"/therapist/patients/{alice.pk}/therapist/", {"therapist": other_therapist.pk}
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=alice).therapist == other_therapist
    assert sanne.get(f"/therapist/patients/{alice.pk}/").status_code == 200
    assert therapist_client.get(f"/therapist/patients/{alice.pk}/").status_code == 404


def test_a_therapist_cannot_move_her_own_patient(therapist_client, other_therapist, alice):
    response = therapist_client.post(
        f"/therapist/patients/{alice.pk}/therapist/", {"therapist": other_therapist.pk}
    )

    assert response.status_code == 404
    assert therapist_client.get(f"/therapist/patients/{alice.pk}/").context["move_form"] is None
    assert Profile.objects.get(user=alice).therapist.email == "therapist@example.com"


@pytest.mark.parametrize("choice", ["", "999999", "x"])
def test_moving_to_someone_who_is_no_therapist_changes_nothing(owner, alice, bob, choice):
    boss = logged_in(owner)
    chosen = bob.pk if choice == "x" else choice  # a patient is no therapist either

    response = boss.post(
        f"/therapist/patients/{alice.pk}/therapist/", {"therapist": chosen}, follow=True
    )

    assert response.redirect_chain == [(f"/therapist/patients/{alice.pk}/", 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Profile.objects.get(user=alice).therapist.email == "therapist@example.com"


def test_moving_asks_a_stranger_to_log_in_and_refuses_get(client, owner, alice):
    url = f"/therapist/patients/{alice.pk}/therapist/"
    assert client.post(url, {})["Location"].startswith("/accounts/login/")
    assert logged_in(owner).get(url).status_code == 405


def test_the_admin_shows_a_therapist_only_her_own_patients_records(owner, other_therapist, alice):
    entry = DiaryEntry.objects.create(
        user=alice, date="2026-03-10", leaks=1, pads=1, urgency=1, back_pain=2
    )
    other_therapist.groups.add(*owner.groups.exclude(name="Practice owners"))
    sanne = logged_in(other_therapist)

    listing = sanne.get("/admin/therapy/diaryentry/")
    opened = sanne.get(f"/admin/therapy/diaryentry/{entry.pk}/change/")

    assert listing.status_code == 200
    assert alice.email not in listing.content.decode()
    assert opened.status_code == 302  # the admin says the record does not exist
    assert logged_in(owner).get(f"/admin/therapy/diaryentry/{entry.pk}/change/").status_code == 200


def test_an_urgent_answer_is_mailed_to_her_own_therapist_only(alice, other_therapist):
    safety_check_submit(user=alice, flags=["saddle_numbness"], source="check_in")

    assert [m.to for m in mail.outbox] == [["therapist@example.com"]]


def test_a_patient_without_a_therapist_is_mailed_to_the_practice_owners(owner, therapist):
    dora = make_user("dora@example.com")
    safety_answers(dora)
    safety_check_submit(user=dora, flags=["saddle_numbness"], source="check_in")

    assert [m.to for m in mail.outbox] == [[owner.email]]


def test_an_enrolled_patient_of_another_therapist_is_not_in_her_csv(
    therapist_client, other_therapist, course
):
    carol = make_user("carol@example.com", therapist=other_therapist)
    Enrollment.objects.create(user=carol, course=course)

    assert therapist_client.get(f"/therapist/patients/{carol.pk}/records.csv").status_code == 404
