"""A patient's summary for the GP on the therapist's side: /therapist/patients/<pk>/summary/."""

import pytest

from accounts import access_log
from tests.factories import MONDAY, TODAY, at, make_user, practise

pytestmark = pytest.mark.usefixtures("frozen")


def urls(patient):
    return [
        f"/therapist/patients/{patient.pk}/summary/",
        f"/therapist/patients/{patient.pk}/summary.pdf",
    ]


def seen(patient):
    return [(e.actor, e.additional_data["what"]) for e in access_log.accesses_of(patient)]


def test_it_shows_her_summary_with_the_numbers_of_her_dashboard(therapist_client, therapist, alice):
    practise(alice, at(MONDAY), at(TODAY, 8))

    response = therapist_client.get(f"/therapist/patients/{alice.pk}/summary/")

    assert response.status_code == 200
    assert response.context["patient"] == alice
    assert response.context["practice"].this_week == 2
    page = response.content.decode()
    assert "Samenvatting bekkenbodemtherapie" in page
    assert f'href="/therapist/patients/{alice.pk}/summary.pdf"' in page
    assert f'href="/therapist/patients/{alice.pk}/"' in page  # back to her page
    assert seen(alice) == [(therapist, "summary")]


def test_it_downloads_her_summary_as_a_pdf(therapist_client, therapist, alice):
    response = therapist_client.get(f"/therapist/patients/{alice.pk}/summary.pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="summary-patient-{alice.pk}-2026-03-11.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert seen(alice) == [(therapist, "summary as PDF")]


def test_it_is_linked_from_her_page(therapist_client, alice):
    page = therapist_client.get(f"/therapist/patients/{alice.pk}/").content.decode()

    assert f'href="/therapist/patients/{alice.pk}/summary/"' in page


def test_it_sends_a_logged_out_visitor_to_the_login(client, alice):
    for url in urls(alice):
        response = client.get(url)

        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={url}"


def test_it_404s_another_therapists_patient(client, other_therapist, alice):
    client.force_login(other_therapist)

    for url in urls(alice):
        assert client.get(url).status_code == 404, url
    assert seen(alice) == []


def test_it_404s_for_a_patient_even_her_own(alice_client, alice, bob):
    for url in urls(alice) + urls(bob):
        assert alice_client.get(url).status_code == 404, url


def test_it_404s_an_unknown_patient(therapist_client):
    assert therapist_client.get("/therapist/patients/999999/summary/").status_code == 404


def test_it_shows_any_patient_to_the_practice_owner(client, owner, other_therapist):
    patient = make_user("carla@example.com", therapist=other_therapist)
    client.force_login(owner)

    assert client.get(f"/therapist/patients/{patient.pk}/summary/").status_code == 200


def test_it_refuses_post(therapist_client, alice):
    for url in urls(alice):
        assert therapist_client.post(url).status_code == 405, url


def test_it_renders_a_patient_without_course_or_data(therapist_client, bob):
    response = therapist_client.get(f"/therapist/patients/{bob.pk}/summary/")

    assert response.status_code == 200
    assert response.context["programme"] is None
    assert "Volgt geen cursus." in response.content.decode()
