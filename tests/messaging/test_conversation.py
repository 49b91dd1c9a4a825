"""The patient's conversation with her therapist: /messages/."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.models import LessonQuestion
from therapy.messaging.models import Message
from therapy.messaging.services import message_send

pytestmark = pytest.mark.usefixtures("frozen")

URL = "/messages/"
# Her page, whatever the length of the conversation: her user, the messages, her lesson
# questions, marking read, her profile with her therapist; and her new data version when
# something was unread (the count in her header goes down).
BUDGET = 6


def write(sender, patient, text="Hoe gaat het met oefenen?"):
    message, _emailed = message_send(patient=patient, sender=sender, text=text, link="https://x/")
    return message


def nav_count(response):
    """The number on the "Messages" link of the navigation, or None."""
    found = re.search(r'class="nav-count" aria-hidden="true">(\d+)<', response.content.decode())
    return int(found.group(1)) if found else None


def test_it_shows_the_conversation_oldest_first(alice_client, alice, therapist, frozen):
    write(alice, alice, "Eerste vraag")
    frozen.shift(60)
    write(therapist, alice, "Antwoord van Marieke")

    response = alice_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Eerste vraag") < html.index("Antwoord van Marieke")
    assert "Marieke" in html
    assert "<time datetime=" in html
    assert 'data-draft="message"' in html


def test_it_sends_a_message_and_redirects(alice_client, alice, therapist):
    response = alice_client.post(URL, {"text": "  Mag ik ook staand oefenen?  "})

    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/messages/#message-{message.pk}"
    assert message.patient == alice
    assert message.sender == alice
    assert message.from_patient
    assert message.text == "Mag ik ook staand oefenen?"
    assert message.read_at is None


def test_it_emails_her_therapist_without_the_text_or_her_name(alice_client, alice, therapist):
    alice_client.post(URL, {"text": "Ik verlies nog steeds urine bij hoesten"})

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [therapist.email]
    assert f"/therapist/patients/{alice.pk}/#conversation" in email.body
    for secret in ("urine", "hoesten", "Alice", alice.email):
        assert secret not in email.body
        assert secret not in email.subject


def test_it_emails_once_until_the_other_side_has_read(alice_client, alice, therapist):
    alice_client.post(URL, {"text": "Een"})
    alice_client.post(URL, {"text": "Twee"})
    assert len(mail.outbox) == 1

    staff = Client()
    staff.force_login(therapist)
    staff.get(f"/therapist/patients/{alice.pk}/")
    alice_client.post(URL, {"text": "Drie"})

    assert len(mail.outbox) == 2


def test_it_refuses_an_empty_message(alice_client):
    response = alice_client.post(URL, {"text": "   "})

    assert response.status_code == 400
    assert response.context["form"].has_error("text", "required")
    assert not Message.objects.exists()


def test_it_refuses_a_message_that_is_too_long_and_keeps_the_text(alice_client):
    text = "a" * (Message.MAX_LENGTH + 1)

    response = alice_client.post(URL, {"text": text})

    assert response.status_code == 400
    assert response.context["form"].has_error("text", "max_length")
    assert text in response.content.decode()
    assert not Message.objects.exists()


def test_it_stops_a_flood_and_keeps_the_text(alice_client, alice):
    for number in range(Message.PATIENT_PER_DAY):
        Message.objects.create(patient=alice, sender=alice, from_patient=True, text=f"{number}")

    response = alice_client.post(URL, {"text": "Nog eentje"})

    assert response.status_code == 400
    assert response.context["form"].has_error("__all__", "limit")
    assert "Nog eentje" in response.content.decode()
    assert Message.objects.count() == Message.PATIENT_PER_DAY


def test_the_limit_counts_the_last_24_hours(alice_client, alice, frozen):
    for number in range(Message.PATIENT_PER_DAY):
        Message.objects.create(patient=alice, sender=alice, from_patient=True, text=f"{number}")
    frozen.shift(24 * 60 * 60 + 1)

    assert alice_client.post(URL, {"text": "Een nieuwe dag"}).status_code == 302


def test_it_shows_the_limit_error_in_english_too(alice, client):
    for number in range(Message.PATIENT_PER_DAY):
        Message.objects.create(patient=alice, sender=alice, from_patient=True, text=f"{number}")
    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    english.force_login(alice)
    english.post("/i18n/setlang/", {"language": "en"})

    response = english.post(URL, {"text": "Nog eentje"})

    assert "20 messages in the last 24 hours" in response.content.decode()


def test_it_sends_a_logged_out_visitor_to_login(client, db):
    for response in (client.get(URL), client.post(URL, {"text": "Hallo"})):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not Message.objects.exists()


def test_it_404s_for_staff(therapist_client):
    assert therapist_client.get(URL).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_it_refuses_other_methods(alice_client, method):
    assert getattr(alice_client, method)(URL).status_code == 405


def test_it_shows_nothing_of_another_patient(alice_client, bob, therapist, lessons):
    write(bob, bob, "Bericht van Bob")
    write(therapist, bob, "Antwoord aan Bob")
    LessonQuestion.objects.create(user=bob, lesson=lessons[0], text="Vraag van Bob")

    html = alice_client.get(URL).content.decode()

    assert "Bob" not in html


def test_it_marks_what_the_therapist_wrote_read(alice_client, alice, therapist):
    own = write(alice, alice, "Van mij")
    answer = write(therapist, alice, "Van Marieke")

    alice_client.get(URL)

    answer.refresh_from_db()
    own.refresh_from_db()
    assert answer.read_at is not None
    assert own.read_at is None  # her therapist has not seen it yet


def test_it_shows_her_lesson_questions_with_their_answers_and_lessons(
    alice_client, alice, therapist, lessons, frozen
):
    question = LessonQuestion.objects.create(
        user=alice, lesson=lessons[0], text="Mag ik dit liggend doen?"
    )
    frozen.shift(60)
    write(alice, alice, "Een los bericht")
    frozen.shift(60)
    question.answer = "Ja, liggend mag ook."
    question.answered_by = therapist
    question.answered_at = timezone.now()
    question.save()

    html = alice_client.get(URL).content.decode()

    asked, loose, answered = (
        html.index("Mag ik dit liggend doen?"),
        html.index("Een los bericht"),
        html.index("Ja, liggend mag ook."),
    )
    assert asked < loose < answered
    assert f'href="{question.get_absolute_url()}"' in html
    assert lessons[0].title in html


def test_the_count_in_the_navigation_shows_at_once(alice_client, alice, therapist, lessons):
    lesson = lessons[0].get_absolute_url()
    for url in ("/today/", lesson):  # looked at twice: kept
        alice_client.get(url)
        assert nav_count(alice_client.get(url)) is None

    write(therapist, alice, "Goed bezig!")
    write(therapist, alice, "Nog iets")

    for url in ("/today/", lesson, "/dashboard/"):
        assert nav_count(alice_client.get(url)) == 2, url
    assert "2 ongelezen" in alice_client.get("/today/").content.decode()

    alice_client.get(URL)

    for url in ("/today/", lesson):
        assert nav_count(alice_client.get(url)) is None, url


def test_the_conversation_page_shows_no_count_once_read(alice_client, alice, therapist):
    write(therapist, alice, "Goed bezig!")

    assert nav_count(alice_client.get(URL)) is None


def test_it_stays_within_its_query_budget(alice_client, alice, therapist, lessons):
    for number in range(30):
        write(alice if number % 2 else therapist, alice, f"Bericht {number}")
        LessonQuestion.objects.create(
            user=alice, lesson=lessons[number % 3], text=f"Vraag {number}"
        )
    alice_client.get(URL)

    with CaptureQueriesContext(connection) as read:
        assert alice_client.get(URL).status_code == 200
    write(therapist, alice, "Nieuw")
    with CaptureQueriesContext(connection) as unread:
        assert alice_client.get(URL).status_code == 200

    assert len(read.captured_queries) <= BUDGET - 1
    assert len(unread.captured_queries) <= BUDGET
