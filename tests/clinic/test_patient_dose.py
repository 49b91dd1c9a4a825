"""The therapist sets one patient's own dose: /therapist/patients/<pk>/doses/<exercise>/."""

import pytest

from courses.models import Enrollment, PatientDose
from tests.factories import make_routine, make_user

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def routine(course):
    return make_routine(course)


def url(patient, exercise):
    return f"/therapist/patients/{patient.pk}/doses/{exercise.pk}/"


def own(**values):
    return {
        "mode": "own",
        "hold_seconds": 6,
        "relax_seconds": 8,
        "repetitions": 7,
        "sets": 1,
        **values,
    }


def test_it_shows_her_current_dose(therapist_client, alice, routine):
    response = therapist_client.get(url(alice, routine[0]))

    assert response.status_code == 200
    assert response.context["item"].dose.hold == 5


def test_it_saves_her_own_dose_and_she_sees_it(therapist_client, therapist, alice, routine, client):
    response = therapist_client.post(url(alice, routine[0]), own())

    assert response.status_code == 302
    assert response["Location"] == f"/therapist/patients/{alice.pk}/"
    dose = PatientDose.objects.get(user=alice)
    assert (dose.hold_seconds, dose.relax_seconds, dose.repetitions, dose.set_by) == (
        6,
        8,
        7,
        therapist,
    )
    client.force_login(alice)
    item = client.get("/today/").context["programme"].routine[0]
    assert (item.dose.hold, item.dose.adjusted) == (6, True)


def test_it_holds_her_at_a_level(therapist_client, alice, routine):
    therapist_client.post(url(alice, routine[0]), {"mode": "level", "level_week": 1})

    dose = PatientDose.objects.get(user=alice)
    assert (dose.mode, dose.level_week, dose.hold_seconds) == ("level", 1, None)


def test_it_goes_back_to_the_programme(therapist_client, alice, routine):
    therapist_client.post(url(alice, routine[0]), own())

    therapist_client.post(url(alice, routine[0]), {"action": "reset"})

    assert not PatientDose.objects.exists()


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"relax_seconds": 4}, "relax_seconds"),  # shorter than the 6 s hold
        ({"hold_seconds": 61, "relax_seconds": 61}, "hold_seconds"),
        ({"repetitions": 0}, "repetitions"),
        ({"repetitions": ""}, "repetitions"),
        ({"sets": 0}, "sets"),
    ],
)
def test_it_refuses_a_dose_that_breaks_a_rule(therapist_client, alice, routine, values, field):
    response = therapist_client.post(url(alice, routine[0]), own(**values))

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not PatientDose.objects.exists()


def test_it_allows_a_shorter_relaxation_when_she_chose_it(therapist_client, alice, routine):
    therapist_client.post(url(alice, routine[0]), own(relax_seconds=4, allow_short_relax="on"))

    assert PatientDose.objects.get(user=alice).relax_seconds == 4


def test_it_refuses_a_level_without_a_week(therapist_client, alice, routine):
    response = therapist_client.post(url(alice, routine[0]), {"mode": "level"})

    assert response.status_code == 400
    assert "level_week" in response.context["form"].errors


def test_it_answers_404_for_an_exercise_not_in_her_routine(therapist_client, alice, routine):
    assert therapist_client.get(url(alice, routine[2])).status_code == 404  # not reached yet


def test_it_answers_404_for_a_patient_without_a_course(therapist_client, routine):
    carol = make_user("carol@example.com")

    assert therapist_client.get(url(carol, routine[0])).status_code == 404


def test_it_never_sets_the_dose_of_another_patient_by_the_form(
    therapist_client, alice, bob, course, routine
):
    Enrollment.objects.create(user=bob, course=course)

    therapist_client.post(url(alice, routine[0]), own(user=bob.pk, exercise=routine[1].pk))

    dose = PatientDose.objects.get()
    assert (dose.user, dose.exercise) == (alice, routine[0])


def test_it_answers_404_to_a_patient_and_asks_to_log_in(client, alice, bob, routine):
    assert client.get(url(alice, routine[0]))["Location"].startswith("/accounts/login/")
    client.force_login(bob)
    assert client.get(url(alice, routine[0])).status_code == 404
    assert client.post(url(alice, routine[0]), own()).status_code == 404
    assert not PatientDose.objects.exists()


def test_it_refuses_other_methods(therapist_client, alice, routine):
    assert therapist_client.put(url(alice, routine[0])).status_code == 405
