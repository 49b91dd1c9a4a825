"""The conversation on the therapist's patient page, and her reply:
POST /therapist/patients/<pk>/messages/."""

import re

import pytest
from django.core import mail
from django.test import Client

from accounts import export
from accounts.services import user_erase
from courses.models import LessonQuestion
from tests.factories import make_user
from therapy.messaging.models import Message
from therapy.messaging.services import message_send

pytestmark = pytest.mark.usefixtures("frozen")


def url(patient):
    return f"/therapist/patients/{patient.pk}/messages/"


def write(sender, patient, text):
    return message_send(patient=patient, sender=sender, text=text, link="https://x/")[0]


def nav_count(response):
    found = re.search(r'class="nav-count" aria-hidden="true">(\d+)<', response.content.decode())
    return int(found.group(1)) if found else None


def test_it_sends_her_a_message_and_redirects(therapist_client, therapist, alice):
    response = therapist_client.post(url(alice), {"text": "Goed dat je vraagt. Ja, dat mag."})

    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/therapist/patients/{alice.pk}/#message-{message.pk}"
    assert message.patient == alice
    assert message.sender == therapist
    assert not message.from_patient


def test_it_emails_her_without_health_details(therapist_client, alice):
    therapist_client.post(url(alice), {"text": "Je bekkenbodem en je rugpijn: rustig aan"})

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [alice.email]
    assert "/messages/" in email.body
    for secret in ("bekkenbodem en", "rugpijn", "rustig"):
        assert secret not in email.body
        assert secret not in email.subject


def test_a_new_message_shows_to_her_at_once(therapist_client, alice):
    her = Client()
    her.force_login(alice)
    her.get("/today/")
    assert nav_count(her.get("/today/")) is None

    therapist_client.post(url(alice), {"text": "Hoe gaat het?"})

    assert nav_count(her.get("/today/")) == 1
    assert "Hoe gaat het?" in her.get("/messages/").content.decode()


def test_it_refuses_an_empty_message_and_shows_the_conversation(therapist_client, alice):
    write(alice, alice, "Mijn vraag")

    response = therapist_client.post(url(alice), {"text": ""})

    assert response.status_code == 400
    assert response.context["message_form"].has_error("text", "required")
    assert "Mijn vraag" in response.content.decode()
    assert Message.objects.count() == 1


def test_it_keeps_a_text_that_is_too_long(therapist_client, alice):
    text = "b" * (Message.MAX_LENGTH + 1)

    response = therapist_client.post(url(alice), {"text": text})

    assert response.status_code == 400
    assert text in response.content.decode()
    assert not Message.objects.exists()


def test_it_has_a_daily_limit_for_therapists_too(therapist_client, therapist, alice):
    Message.objects.bulk_create(
        Message(patient=alice, sender=therapist, from_patient=False, text=str(n))
        for n in range(Message.THERAPIST_PER_DAY)
    )

    response = therapist_client.post(url(alice), {"text": "Nog een"})

    assert response.status_code == 400
    assert response.context["message_form"].has_error("__all__", "limit")


def test_it_sends_a_logged_out_visitor_to_login(client, alice):
    response = client.post(url(alice), {"text": "Hallo"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Message.objects.exists()


def test_it_404s_for_a_patient(alice_client, alice, bob):
    for patient in (alice, bob):
        assert alice_client.post(url(patient), {"text": "Hallo"}).status_code == 404
    assert not Message.objects.exists()


def test_it_404s_another_therapists_patient(therapist_client, other_therapist):
    carol = make_user("carol@example.com", display_name="Carol", therapist=other_therapist)
    write(carol, carol, "Vraag van Carol")

    assert therapist_client.post(url(carol), {"text": "Hallo"}).status_code == 404
    assert therapist_client.get(f"/therapist/patients/{carol.pk}/").status_code == 404
    assert Message.objects.count() == 1
    assert Message.objects.get().read_at is None


def test_it_refuses_a_get(therapist_client, alice):
    assert therapist_client.get(url(alice)).status_code == 405


def test_the_patient_page_shows_the_conversation_and_marks_it_read(
    therapist_client, therapist, alice, lessons
):
    own = write(therapist, alice, "Mijn eerdere antwoord")
    hers = write(alice, alice, "Mijn nieuwe vraag")
    question = LessonQuestion.objects.create(user=alice, lesson=lessons[0], text="Over les 1")

    response = therapist_client.get(f"/therapist/patients/{alice.pk}/")

    html = response.content.decode()
    assert 'id="conversation"' in html
    assert "Mijn eerdere antwoord" in html and "Mijn nieuwe vraag" in html
    assert f'href="/therapist/questions/{question.pk}/"' in html
    assert f'action="/therapist/patients/{alice.pk}/messages/"' in html
    assert f'data-draft="message-patient-{alice.pk}"' in html
    hers.refresh_from_db()
    own.refresh_from_db()
    assert hers.read_at is not None
    assert own.read_at is None


def test_the_unread_counts_show_in_the_overview_and_navigation(
    therapist_client, therapist, alice, bob, other_therapist
):
    carol = make_user("carol@example.com", display_name="Carol", therapist=other_therapist)
    write(alice, alice, "Een")
    write(alice, alice, "Twee")
    write(bob, bob, "Drie")
    write(carol, carol, "Niet van haar")

    overview = therapist_client.get("/therapist/")

    html = overview.content.decode()
    assert nav_count(overview) == 3
    assert f'/therapist/patients/{alice.pk}/#conversation">2' in html
    assert f'/therapist/patients/{bob.pk}/#conversation">1' in html

    therapist_client.get(f"/therapist/patients/{alice.pk}/")

    assert nav_count(therapist_client.get("/therapist/")) == 1


def test_the_practice_owner_counts_every_patient(client, owner, alice, other_therapist):
    carol = make_user("carol@example.com", display_name="Carol", therapist=other_therapist)
    write(alice, alice, "Een")
    write(carol, carol, "Twee")
    client.force_login(owner)

    assert nav_count(client.get("/therapist/")) == 2


def test_the_open_questions_keep_working(therapist_client, alice, lessons):
    question = LessonQuestion.objects.create(user=alice, lesson=lessons[0], text="Open vraag")
    write(alice, alice, "Los bericht")

    html = therapist_client.get("/therapist/").content.decode()

    assert f"/therapist/questions/{question.pk}/" in html


def test_messages_are_in_her_export_and_go_with_her_erasure(therapist, alice, bob):
    write(alice, alice, "Van Alice")
    write(therapist, alice, "Aan Alice")
    write(bob, bob, "Van Bob")

    data = export.build_export(alice)["messaging.Message"]["records"]

    assert [(r["text"], r["from_patient"]) for r in data] == [
        ("Van Alice", True),
        ("Aan Alice", False),
    ]
    assert data[1]["sender__display_name"] == "Marieke"

    user_erase(user=alice)

    assert list(Message.objects.values_list("text", flat=True)) == ["Van Bob"]


def test_a_therapist_who_leaves_leaves_her_messages_with_the_patient(therapist, alice):
    write(therapist, alice, "Tot ziens")

    therapist.delete()

    message = Message.objects.get()
    assert message.sender is None
    assert not message.from_patient


def test_the_admin_shows_only_her_own_patients_messages(therapist_client, other_therapist, alice):
    carol = make_user("carol@example.com", display_name="Carol", therapist=other_therapist)
    mine = write(alice, alice, "Van Alice")
    theirs = write(carol, carol, "Van Carol")

    listing = therapist_client.get("/admin/messaging/message/").content.decode()

    assert f"/admin/messaging/message/{mine.pk}/change/" in listing
    assert f"/admin/messaging/message/{theirs.pk}/change/" not in listing
    assert therapist_client.get(f"/admin/messaging/message/{theirs.pk}/change/").status_code in (
        302,
        404,
    )
