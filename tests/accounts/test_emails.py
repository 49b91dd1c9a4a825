"""The emails: a text and an HTML part, in her language, and never a word about her health."""

import logging
import re
import smtplib

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation

from accounts.models import Profile
from tests.factories import PASSWORD, safety_answers

NEW_PASSWORD = "New-calm-floor-99"
MAIL_FAILED = (
    "We could not send you an email just now. Please try again in a few minutes. "
    "If it keeps failing, contact your therapist."
)


class FailingBackend:
    """A mail server that is down."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPException("Connection unexpectedly closed")


class RefusingBackend(FailingBackend):
    """A mail server that refuses the recipient, and says so, address and all."""

    def send_messages(self, messages):
        recipients = [address for message in messages for address in message.to]
        raise smtplib.SMTPRecipientsRefused(
            {r: (550, f"5.1.1 <{r}>: Recipient address rejected".encode()) for r in recipients}
        )


def signup(client, email="eva@example.com"):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "password1": PASSWORD,
            "password2": PASSWORD,
            "health_data_consent": "on",
        },
    )


def reset(client, email="alice@example.com"):
    return client.post("/accounts/password/reset/", {"email": email})


def html_part(message):
    return [content for content, mimetype in message.alternatives if mimetype == "text/html"]


def english_client():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


# --- Text and HTML, language, subject ---


def test_it_sends_the_verification_code_as_text_and_html(client, db):
    signup(client)

    (message,) = mail.outbox
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE).group(1)
    (html,) = html_part(message)
    assert code in html
    assert "<html" in html.lower() or "<p" in html.lower()


def test_it_sends_the_reset_code_as_text_and_html(client, alice):
    reset(client)

    (message,) = mail.outbox
    code = re.search(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.M).group(1)
    (html,) = html_part(message)
    assert code in html
    assert "/reset/key/" not in message.body + html


def test_it_writes_the_verification_email_in_dutch_by_default(client, db):
    signup(client)

    (message,) = mail.outbox
    assert "e-mailadres" in message.subject.lower() + message.body.lower()
    assert "email address" not in message.body.lower()
    assert all("e-mailadres" in html.lower() for html in html_part(message))


def test_it_writes_the_verification_email_in_english_when_asked(db):
    signup(Client(HTTP_ACCEPT_LANGUAGE="en"))

    (message,) = mail.outbox
    assert "email" in message.subject.lower()
    assert "e-mailadres" not in message.subject.lower() + message.body.lower()
    assert all("e-mailadres" not in html.lower() for html in html_part(message))


def test_it_writes_the_reset_email_in_dutch_by_default(client, alice):
    reset(client)

    (message,) = mail.outbox
    assert "wachtwoord" in message.subject.lower() + message.body.lower()
    assert all("wachtwoord" in html.lower() for html in html_part(message))


def test_it_writes_the_reset_email_in_english_with_the_language_cookie(alice):
    reset(english_client())

    (message,) = mail.outbox
    assert "password" in message.subject.lower()
    assert "wachtwoord" not in message.subject.lower() + message.body.lower()
    assert all("wachtwoord" not in html.lower() for html in html_part(message))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_it_starts_every_subject_with_the_prefix(alice, language):
    signup(Client(HTTP_ACCEPT_LANGUAGE=language))
    signup(Client(HTTP_ACCEPT_LANGUAGE=language), email="alice@example.com")
    reset(Client(HTTP_ACCEPT_LANGUAGE=language))
    reset(Client(HTTP_ACCEPT_LANGUAGE=language), email="nobody@example.com")

    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert message.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
        assert message.subject.startswith("Bekkenbodem online: ")


def test_it_never_mentions_her_health_in_an_email(alice, alice_client):
    Profile.objects.filter(user=alice).update(
        complaints=["urine_loss", "prolapse", "low_back_pain"]
    )
    check = safety_answers(alice, "blood_in_urine", "saddle_numbness")
    client = Client()
    client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})
    client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    reset(Client())
    signup(Client(), email="alice@example.com")
    assert len(mail.outbox) >= 3

    profile = Profile.objects.get(user=alice)
    words = [*profile.complaints, *check.flags]
    for language in ("nl", "en"):
        with translation.override(language):
            words += [str(label) for label in profile.get_complaints_display()]
            words += [str(label) for label in check.labels]
    for message in mail.outbox:
        text = " ".join([message.subject, message.body, *html_part(message)]).lower()
        for word in words:
            assert word.lower() not in text


# --- A mail server that is down ---


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_emails.FailingBackend"


def shown_messages(response):
    return [str(m) for m in response.context["messages"]]


def test_it_still_signs_her_up_when_the_mail_server_is_down(mail_server_down, db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = signup(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert MAIL_FAILED in shown_messages(page)


def test_it_answers_a_reset_when_the_mail_server_is_down(mail_server_down, alice):
    client = english_client()

    response = reset(client)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/confirm/"
    assert MAIL_FAILED in shown_messages(client.get(response["Location"]))


def test_it_says_in_dutch_that_the_email_could_not_be_sent(mail_server_down, client, db):
    with translation.override("nl"):
        dutch = translation.gettext(MAIL_FAILED)

    response = signup(client)

    assert dutch != MAIL_FAILED
    assert dutch in shown_messages(client.get(response["Location"]))


def test_it_does_not_also_say_the_email_was_sent(mail_server_down, db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")

    response = signup(client)

    shown = shown_messages(client.get(response["Location"]))
    assert MAIL_FAILED in shown
    assert not [m for m in shown if "sent" in m.lower() and m != MAIL_FAILED]


@pytest.mark.parametrize("backend", ["FailingBackend", "RefusingBackend"])
def test_it_logs_no_address_when_sending_fails(settings, alice, caplog, backend):
    settings.EMAIL_BACKEND = f"tests.accounts.test_emails.{backend}"
    caplog.set_level(logging.DEBUG)

    signup(Client(), email="eva@example.com")
    signup(Client(), email="alice@example.com")
    reset(Client(), email="alice@example.com")
    reset(Client(), email="nobody@example.com")

    assert "Could not send" in caplog.text
    for address in ("eva@example.com", "alice@example.com", "nobody@example.com"):
        assert address not in caplog.text
