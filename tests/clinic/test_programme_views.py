"""The therapist adjusts one patient's programme on her page: opens or hides steps and
lessons, writes feedback (/therapist/patients/<pk>/programme/ and …/feedback/)."""

import pytest
from auditlog.models import LogEntry
from django.test import Client

from courses.models import Feedback, PatientAccess, StepUnlock
from tests.factories import complete, make_course, make_user

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def staff(therapist):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(therapist)
    return client


@pytest.fixture
def stranger(other_therapist, course):
    """Sanne's patient, not Marieke's."""
    from courses.models import Enrollment

    user = make_user("carla@example.com", display_name="Carla", therapist=other_therapist)
    Enrollment.objects.create(user=user, course=course)
    return user


def programme(pk):
    return f"/therapist/patients/{pk}/programme/"


def feedback(pk):
    return f"/therapist/patients/{pk}/feedback/"


def test_it_hides_a_lesson_for_her(staff, alice, lessons, therapist):
    response = staff.post(programme(alice.pk), {"lesson": lessons[1].pk, "state": "hidden"})

    assert response.status_code == 302
    assert response["Location"] == f"/therapist/patients/{alice.pk}/#programme"
    access = PatientAccess.objects.get()
    assert (access.user, access.lesson, access.state, access.set_by) == (
        alice,
        lessons[1],
        "hidden",
        therapist,
    )
    assert LogEntry.objects.filter(object_pk=str(alice.pk)).exists()


def test_it_opens_and_hides_a_step_and_goes_back_to_the_plan(staff, alice, lessons):
    step = lessons[2].step
    staff.post(programme(alice.pk), {"step": step.pk, "state": "open"})
    assert StepUnlock.objects.filter(user=alice, step=step).exists()

    staff.post(programme(alice.pk), {"step": step.pk, "state": "hidden"})
    assert not StepUnlock.objects.exists()
    assert PatientAccess.objects.get().step == step

    staff.post(programme(alice.pk), {"step": step.pk, "state": ""})
    assert not PatientAccess.objects.exists() and not StepUnlock.objects.exists()


def test_it_shows_the_controls_with_the_current_state(staff, alice, lessons):
    staff.post(programme(alice.pk), {"lesson": lessons[1].pk, "state": "hidden"})

    html = staff.get(f"/therapist/patients/{alice.pk}/").content.decode()

    assert 'id="programme"' in html
    select = html.split(f'id="access-lesson-{lessons[1].pk}"')[1].split("</select>")[0]
    assert '<option value="hidden" selected>' in select
    assert html.count('name="state"') == 5 + 3  # every lesson and every step


@pytest.mark.parametrize(
    "data, error",
    [
        ({"state": "hidden"}, "Choose one step or one lesson of her course."),
        ({"state": "gone", "lesson": "LESSON"}, "Choose: as planned, open or hidden."),
        ({"state": "hidden", "lesson": "OTHER"}, "That lesson is not part of her course."),
        ({"state": "hidden", "step": "OTHER_STEP"}, "That step is not part of her course."),
        ({"state": "hidden", "lesson": "LESSON", "step": "STEP"}, "Choose one step"),
    ],
)
def test_it_refuses_a_wrong_choice_and_changes_nothing(staff, alice, lessons, data, error):
    other = make_course(slug="ander").published_lessons()[0]
    values = {"LESSON": lessons[0].pk, "STEP": lessons[0].step_id, "OTHER": other.pk}
    values["OTHER_STEP"] = other.step_id
    data = {key: values.get(value, value) for key, value in data.items()}

    response = staff.post(programme(alice.pk), data, follow=True)

    assert error in response.content.decode()
    assert not PatientAccess.objects.exists() and not StepUnlock.objects.exists()


def test_it_404s_for_another_therapists_patient(staff, stranger, lessons):
    assert (
        staff.post(programme(stranger.pk), {"lesson": lessons[0].pk, "state": "hidden"}).status_code
        == 404
    )
    assert staff.post(feedback(stranger.pk), {"text": "Hallo"}).status_code == 404
    assert not PatientAccess.objects.exists() and not Feedback.objects.exists()


def test_it_404s_for_a_patient(alice_client, alice, lessons):
    assert (
        alice_client.post(
            programme(alice.pk), {"lesson": lessons[0].pk, "state": "hidden"}
        ).status_code
        == 404
    )
    assert alice_client.post(feedback(alice.pk), {"text": "Hallo"}).status_code == 404


def test_it_404s_for_a_patient_without_a_course(staff, bob, lessons):
    assert (
        staff.post(programme(bob.pk), {"lesson": lessons[0].pk, "state": "hidden"}).status_code
        == 404
    )


def test_it_sends_someone_logged_out_to_the_login(client, alice):
    for url in (programme(alice.pk), feedback(alice.pk)):
        response = client.post(url, {"text": "Hallo"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_only_takes_post(staff, alice):
    assert staff.get(programme(alice.pk)).status_code == 405
    assert staff.get(feedback(alice.pk)).status_code == 405


def test_it_saves_her_feedback(staff, alice, therapist, lessons):
    response = staff.post(
        feedback(alice.pk), {"text": "Je doet het goed!", "step": lessons[0].step_id}
    )

    assert response.status_code == 302
    assert response["Location"] == f"/therapist/patients/{alice.pk}/#feedback"
    item = Feedback.objects.get()
    assert (item.user, item.written_by, item.step, item.read_at) == (
        alice,
        therapist,
        lessons[0].step,
        None,
    )
    html = staff.get(f"/therapist/patients/{alice.pk}/").content.decode()
    assert "Je doet het goed!" in html and "Not read yet" in html


def test_it_saves_feedback_without_a_step(staff, bob):
    assert staff.post(feedback(bob.pk), {"text": "Welkom!"}).status_code == 302
    assert Feedback.objects.get().step is None


def test_it_keeps_empty_feedback_out(staff, alice):
    response = staff.post(feedback(alice.pk), {"text": "  "})

    assert response.status_code == 400
    assert "Write your feedback first." in response.content.decode()
    assert not Feedback.objects.exists()


def test_it_keeps_feedback_on_another_course_out(staff, alice):
    other = make_course(slug="ander").published_lessons()[0]

    response = staff.post(feedback(alice.pk), {"text": "Goed!", "step": other.step_id})

    assert response.status_code == 400
    assert "That step is not part of her course." in response.content.decode()
    assert not Feedback.objects.exists()


def test_it_keeps_too_long_feedback_out(staff, alice):
    response = staff.post(feedback(alice.pk), {"text": "x" * 4001})

    assert response.status_code == 400
    assert not Feedback.objects.exists()


def test_it_flags_a_patient_who_waits_for_feedback(staff, alice, lessons):
    step = lessons[0].step
    step.waits_for_feedback = True
    step.save()
    complete(alice, *lessons[:2])

    row = staff.get("/therapist/").context["page"].object_list[0]
    assert "awaits_feedback" in [flag.code for flag in row.flags]
    page = staff.get(f"/therapist/patients/{alice.pk}/").content.decode()
    assert "which waits for your feedback" in page

    staff.post(feedback(alice.pk), {"text": "Ga maar door.", "step": step.pk})

    row = staff.get("/therapist/").context["page"].object_list[0]
    assert "awaits_feedback" not in [flag.code for flag in row.flags]
    assert lessons[2].step.course.outline_for(alice).state_of(lessons[2]) == "open"
