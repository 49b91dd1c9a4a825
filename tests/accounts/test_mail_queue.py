"""A dead mail server loses nothing: the email is kept and sent by `send_mail_queue`."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from post_office.models import STATUS, Email

from accounts.services import user_erase
from therapy.journey.alerts import therapists_notify


class DeadServer(BaseEmailBackend):
    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


@pytest.fixture
def queued_mail(settings):
    settings.EMAIL_BACKEND = "post_office.EmailBackend"
    settings.POST_OFFICE = {
        "BACKENDS": {"default": f"{__name__}.DeadServer"},
        "DEFAULT_PRIORITY": "now",
        "MAX_RETRIES": 3,
        "CELERY_ENABLED": False,
        "LOG_LEVEL": 0,
    }
    return settings


def test_it_keeps_an_alert_the_mail_server_refused_and_sends_it_later(
    queued_mail, therapist, alice
):
    therapists_notify(patient=alice)  # no exception for the patient's request

    (kept,) = Email.objects.all()
    assert kept.status == STATUS.failed
    assert kept.to == [therapist.email]

    queued_mail.POST_OFFICE = {
        **queued_mail.POST_OFFICE,
        "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
    }
    call_command("send_mail_queue")

    kept.refresh_from_db()
    assert kept.status == STATUS.sent
    assert [m.to for m in mail.outbox] == [[therapist.email]]


def test_it_gives_up_after_the_retries(queued_mail, therapist, alice, frozen):
    from datetime import timedelta

    therapists_notify(patient=alice)
    for _attempt in range(6):
        frozen.shift(timedelta(minutes=20))  # cron, every few minutes; retries 15 min apart
        call_command("send_mail_queue")

    kept = Email.objects.get()
    assert kept.status == STATUS.failed
    assert kept.number_of_retries == 3


def test_it_removes_her_queued_mail_when_she_erases_her_account(queued_mail, alice):
    from django.core.mail import send_mail

    send_mail("Je code", "1234", None, [alice.email])
    assert Email.objects.filter(to__icontains=alice.email).exists()

    user_erase(user=alice)

    assert not Email.objects.exists()


def test_it_deletes_mail_older_than_thirty_days_and_keeps_newer(queued_mail, alice, frozen):
    from datetime import timedelta

    from django.core.mail import send_mail

    send_mail("Oud", "tekst", None, [alice.email])  # fails: the server is dead
    frozen.shift(timedelta(days=31))
    send_mail("Nieuw", "tekst", None, [alice.email])

    call_command("send_mail_queue")

    assert list(Email.objects.values_list("subject", flat=True)) == ["Nieuw"]
