"""Questions on a lesson: POST /courses/<course>/<lesson>/questions/, answers and the FAQ."""

import smtplib
from datetime import timedelta

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction

from courses.models import Enrollment, LessonProgress, LessonQuestion
from tests.factories import NOW

pytestmark = pytest.mark.usefixtures("frozen")

LESSON_1 = "/courses/bekkenbodem/bekkenbodem-les-1/"
ASK = LESSON_1 + "questions/"
QUESTION = "Mag ik de oefening ook staand doen, of moet ik liggen?"
ANSWER = "Staand mag ook. Begin liggend tot je de spieren goed voelt."


@pytest.fixture
def asked(alice, lessons):
    return LessonQuestion.objects.create(user=alice, lesson=lessons[0], text=QUESTION)


def ask_many(user, lesson, count, ago):
    LessonQuestion.objects.bulk_create(
        LessonQuestion(user=user, lesson=lesson, text=f"Vraag {n}", asked_at=NOW - ago)
        for n in range(count)
    )


def message_levels(response):
    return [m.level for m in get_messages(response.wsgi_request)]


# --- Asking ---------------------------------------------------------------------------


def test_it_stores_the_question_and_shows_it(alice_client, alice, lessons):
    response = alice_client.post(ASK, {"text": f"  {QUESTION}  "})

    question = LessonQuestion.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{LESSON_1}#question-{question.pk}"
    assert (question.user, question.lesson, question.text) == (alice, lessons[0], QUESTION)
    assert question.asked_at == NOW
    assert question.answered_at is None
    assert messages.SUCCESS in message_levels(response)

    page = alice_client.get(LESSON_1)
    assert page.context["my_questions"] == [question]
    assert f'id="question-{question.pk}"' in page.content.decode()


@pytest.mark.parametrize("text", ["", "   \n\t  ", "x" * 1001])
def test_it_refuses_an_empty_or_too_long_question_and_keeps_the_text(alice_client, text):
    response = alice_client.post(ASK, {"text": text})

    assert response.status_code == 400
    assert not LessonQuestion.objects.exists()
    form = response.context["ask_form"]
    assert "text" in form.errors
    assert form["text"].value() == text
    if text.strip():
        assert text in response.content.decode()


def test_it_refuses_a_missing_text(alice_client):
    response = alice_client.post(ASK, {})

    assert response.status_code == 400
    assert not LessonQuestion.objects.exists()


def test_it_accepts_exactly_1000_characters(alice_client):
    response = alice_client.post(ASK, {"text": "x" * 1000})

    assert response.status_code == 302
    assert len(LessonQuestion.objects.get().text) == 1000


def test_it_refuses_the_sixth_question_in_a_day(alice_client, alice, lessons):
    ask_many(alice, lessons[0], LessonQuestion.PER_DAY, ago=timedelta(hours=23))

    response = alice_client.post(ASK, {"text": QUESTION})

    # Refused with the reason, and what she typed is still in the form.
    assert response.status_code == 429
    assert response.context["ask_form"].non_field_errors()
    assert QUESTION in response.content.decode()
    assert LessonQuestion.objects.count() == LessonQuestion.PER_DAY
    assert not LessonQuestion.objects.filter(text=QUESTION).exists()


def test_it_allows_new_questions_after_24_hours(alice_client, alice, lessons):
    ask_many(alice, lessons[0], LessonQuestion.PER_DAY, ago=timedelta(hours=24, minutes=1))

    response = alice_client.post(ASK, {"text": QUESTION})

    assert response.status_code == 302
    assert LessonQuestion.objects.filter(text=QUESTION).exists()


def test_it_counts_only_her_own_questions_for_the_limit(alice_client, bob, lessons):
    ask_many(bob, lessons[0], LessonQuestion.PER_DAY, ago=timedelta(hours=1))

    alice_client.post(ASK, {"text": QUESTION})

    assert LessonQuestion.objects.filter(text=QUESTION).exists()


def test_it_404s_a_locked_lesson(alice_client):
    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-3/questions/", {"text": "?"})

    assert response.status_code == 404
    assert not LessonQuestion.objects.exists()


def test_it_404s_an_unpublished_lesson(alice_client, lessons):
    lessons[0].published = False
    lessons[0].save()

    assert alice_client.post(ASK, {"text": QUESTION}).status_code == 404
    assert not LessonQuestion.objects.exists()


def test_it_404s_staff(therapist_client, lessons):
    assert therapist_client.post(ASK, {"text": QUESTION}).status_code == 404
    assert not LessonQuestion.objects.exists()


def test_it_refuses_get(alice_client):
    assert alice_client.get(ASK).status_code == 405


def test_it_sends_a_logged_out_visitor_to_the_login(client, lessons):
    response = client.post(ASK, {"text": QUESTION})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not LessonQuestion.objects.exists()


def test_it_lets_her_ask_on_a_done_lesson(alice_client, alice, lessons):
    LessonProgress.objects.create(user=alice, lesson=lessons[0], completed_at=NOW)

    assert alice_client.post(ASK, {"text": QUESTION}).status_code == 302
    assert LessonQuestion.objects.count() == 1


# --- Who sees what --------------------------------------------------------------------


def test_it_never_shows_alice_s_question_to_bob(client, bob, course, asked):
    Enrollment.objects.create(user=bob, course=course)
    client.force_login(bob)

    page = client.get(LESSON_1)

    assert page.status_code == 200
    assert page.context["my_questions"] == []
    assert page.context["faq"] == []
    assert QUESTION not in page.content.decode()


def test_it_shows_a_published_faq_to_bob_without_her_name(client, bob, course, therapist, asked):
    Enrollment.objects.create(user=bob, course=course)
    asked.answer = ANSWER
    asked.answered_at = NOW
    asked.answered_by = therapist
    asked.published_as_faq = True
    asked.save()
    client.force_login(bob)

    page = client.get(LESSON_1)

    assert page.context["faq"] == [asked]
    html = page.content.decode()
    assert QUESTION in html
    assert ANSWER in html
    assert "Alice" not in html
    assert "alice@example.com" not in html


def test_it_shows_the_rewritten_faq_text_instead_of_hers(client, bob, course, therapist, asked):
    Enrollment.objects.create(user=bob, course=course)
    asked.answer = ANSWER
    asked.answered_at = NOW
    asked.published_as_faq = True
    asked.faq_text = "Kan deze oefening ook staand?"
    asked.save()
    client.force_login(bob)

    html = client.get(LESSON_1).content.decode()

    assert "Kan deze oefening ook staand?" in html
    assert QUESTION not in html


def test_it_does_not_show_her_own_faq_twice(alice_client, asked):
    LessonQuestion.objects.filter(pk=asked.pk).update(
        answer=ANSWER, answered_at=NOW, published_as_faq=True
    )

    page = alice_client.get(LESSON_1)

    assert page.context["my_questions"] == [asked]
    assert page.context["faq"] == []


def test_it_needs_an_answer_before_a_question_is_published(asked):
    asked.published_as_faq = True

    with pytest.raises(IntegrityError), transaction.atomic():
        asked.save()


def test_it_shows_a_question_as_plain_text(alice_client):
    alice_client.post(ASK, {"text": "<script>alert('x')</script> en <b>vet</b>"})

    html = alice_client.get(LESSON_1).content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<b>vet</b>" not in html


# --- The therapist answers ------------------------------------------------------------


def test_it_saves_the_therapist_s_answer_and_emails_her_once(therapist_client, therapist, asked):
    url = f"/therapist/questions/{asked.pk}/"

    response = therapist_client.post(url, {"answer": ANSWER})

    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.answer, asked.answered_at, asked.answered_by) == (ANSWER, NOW, therapist)
    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert f"{LESSON_1}#question-{asked.pk}" in email.body
    for text in (email.subject, email.body):
        assert QUESTION not in text
        assert ANSWER not in text
        assert "staand" not in text.lower()

    therapist_client.post(url, {"answer": ANSWER + " Succes!"})
    asked.refresh_from_db()
    assert asked.answer == ANSWER + " Succes!"
    assert asked.answered_at == NOW
    assert len(mail.outbox) == 1


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def test_it_keeps_the_answer_when_the_email_fails(therapist_client, asked, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"

    response = therapist_client.post(f"/therapist/questions/{asked.pk}/", {"answer": ANSWER})

    assert response.status_code == 302
    assert messages.WARNING in message_levels(response)
    asked.refresh_from_db()
    assert asked.answer == ANSWER
    assert asked.answered_at == NOW


def test_it_refuses_an_empty_answer(therapist_client, asked):
    response = therapist_client.post(f"/therapist/questions/{asked.pk}/", {"answer": "   "})

    assert response.status_code in {200, 400}
    assert "answer" in response.context["form"].errors
    asked.refresh_from_db()
    assert asked.answered_at is None
    assert mail.outbox == []


def test_it_shows_her_the_answer_under_the_lesson(therapist_client, client, alice, asked):
    therapist_client.post(f"/therapist/questions/{asked.pk}/", {"answer": ANSWER})
    client.force_login(alice)

    page = client.get(LESSON_1)

    [mine] = page.context["my_questions"]
    assert mine.answer == ANSWER
    assert ANSWER in page.content.decode()


def test_it_publishes_an_answer_as_faq_from_the_therapist_page(therapist_client, asked):
    therapist_client.post(
        f"/therapist/questions/{asked.pk}/",
        {"answer": ANSWER, "published_as_faq": "on", "faq_text": "Kan het ook staand?"},
    )

    asked.refresh_from_db()
    assert asked.published_as_faq is True
    assert asked.public_text == "Kan het ook staand?"


def test_it_emails_once_when_answered_in_the_admin(therapist_client, therapist, asked):
    url = f"/admin/courses/lessonquestion/{asked.pk}/change/"
    data = {"answer": ANSWER, "faq_text": "", "_save": "Opslaan"}

    response = therapist_client.post(url, data)

    assert response.status_code == 302
    asked.refresh_from_db()
    assert (asked.answer, asked.answered_at, asked.answered_by) == (ANSWER, NOW, therapist)
    [email] = mail.outbox
    assert email.to == ["alice@example.com"]
    assert QUESTION not in email.body
    assert ANSWER not in email.body

    therapist_client.post(url, {**data, "answer": ANSWER + " Succes!"})
    assert len(mail.outbox) == 1


def test_it_refuses_publishing_an_unanswered_question_in_the_admin(therapist_client, asked):
    url = f"/admin/courses/lessonquestion/{asked.pk}/change/"

    response = therapist_client.post(
        url, {"answer": "", "published_as_faq": "on", "faq_text": "", "_save": "Opslaan"}
    )

    assert response.status_code == 200  # the form again, with an error: not a crash
    asked.refresh_from_db()
    assert asked.published_as_faq is False
    assert mail.outbox == []


def test_it_sends_a_question_asked_after_the_session_ended_back_to_its_lesson(client, lessons):
    url = "/courses/bekkenbodem/bekkenbodem-les-1/questions/"

    plain = client.post(url, {"text": "Mag het ook staand?"})
    from_page = client.post(
        url,
        {"text": "Mag het ook staand?"},
        HTTP_REFERER="http://testserver/courses/bekkenbodem/bekkenbodem-les-1/?x=1",
    )
    from_elsewhere = client.post(
        url, {"text": "Mag het ook staand?"}, HTTP_REFERER="https://evil.example/steal/"
    )

    lesson = "/accounts/login/?next=/courses/bekkenbodem/bekkenbodem-les-1/"
    assert plain["Location"] == lesson
    assert from_page["Location"] == lesson + "%3Fx%3D1"
    assert from_elsewhere["Location"] == lesson
    assert not LessonQuestion.objects.exists()
