"""Practice reminders, "a new step is open" emails and the one-click unsubscribe."""

import io
import smtplib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail, signing
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.test import Client

from accounts.models import Profile
from courses.models import LessonProgress, LessonQuestion
from tests.factories import at, make_user, practise, safety_answers
from therapy.journey.models import DiaryEntry, ReminderLog
from therapy.journey.reminders import send_due_reminders, unsubscribe_token

AMS = ZoneInfo("Europe/Amsterdam")
NYC = ZoneInfo("America/New_York")  # on summer time from 8 March 2026; Amsterdam not yet
TODAY = date(2026, 3, 11)
MORNING = datetime(2026, 3, 11, 8, 0, tzinfo=AMS)


class FailingBackend(BaseEmailBackend):
    """An SMTP server that hangs up."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture(autouse=True)
def _morning(frozen):
    frozen.move_to(MORNING, tick=False)
    return frozen


@pytest.fixture
def clock(_morning, frozen):
    """clock(datetime) moves time there and runs the reminders, as cron would."""

    def run_at(moment):
        frozen.move_to(moment, tick=False)
        return send_due_reminders()

    return run_at


def wants_reminders(user, at=time(19, 0), zone="Europe/Amsterdam", **fields):
    Profile.objects.filter(user=user).update(
        reminders_enabled=True, reminder_time=at, timezone=zone, **fields
    )
    return Profile.objects.get(user=user)


def unsubscribe_path(message):
    url = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(settings.SITE_URL + "/reminders/unsubscribe/")
    return url.removeprefix(settings.SITE_URL)


# --- When a practice reminder goes out -------------------------------------------------


def test_it_sends_nothing_before_her_time(clock, alice):
    wants_reminders(alice)

    assert clock(at(TODAY, 18, 59)) == (0, 0)
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


def test_it_sends_the_reminder_at_her_time(clock, alice):
    wants_reminders(alice)

    assert clock(at(TODAY, 19, 0)) == (1, 0)

    [message] = mail.outbox
    assert message.to == ["alice@example.com"]
    log = ReminderLog.objects.get()
    assert (log.user, log.kind, log.local_date) == (alice, "practice", TODAY)


def test_it_sends_a_late_run_too(clock, alice):
    wants_reminders(alice)

    assert clock(at(TODAY, 22, 45)) == (1, 0)


def test_it_sends_once_however_often_it_runs(clock, alice):
    wants_reminders(alice)

    for minute in (0, 15, 30, 45):
        clock(at(TODAY, 19, minute))
    clock(at(TODAY, 23, 59))

    assert len(mail.outbox) == 1
    assert ReminderLog.objects.count() == 1


def test_it_sends_again_the_next_day(clock, alice):
    wants_reminders(alice)

    clock(at(TODAY, 19, 0))
    clock(at(TODAY + timedelta(days=1), 19, 0))

    assert len(mail.outbox) == 2


def test_it_uses_her_own_time_zone(clock, alice):
    wants_reminders(alice, zone="America/New_York")

    # 19:00 in Amsterdam is 14:00 in New York.
    assert clock(at(TODAY, 19, 0)) == (0, 0)
    assert clock(at(TODAY, 18, 59, NYC)) == (0, 0)
    # 19:00 in New York is already midnight in Amsterdam.
    assert clock(at(TODAY, 19, 0, NYC)) == (1, 0)

    assert ReminderLog.objects.get().local_date == TODAY
    assert clock(at(TODAY, 23, 30, NYC)) == (0, 0)


def test_it_skips_a_patient_who_practised_today(clock, alice):
    wants_reminders(alice)
    practise(alice, at(TODAY, 7, 30))

    assert clock(at(TODAY, 19, 0)) == (0, 0)
    assert mail.outbox == []


def test_it_reminds_a_patient_who_practised_only_yesterday(clock, alice):
    wants_reminders(alice)
    practise(alice, at(TODAY - timedelta(days=1), 23, 30))

    assert clock(at(TODAY, 19, 0)) == (1, 0)


def test_it_counts_practice_by_her_local_day(clock, alice):
    wants_reminders(alice, zone="America/New_York")
    # Her evening of 10 March: already 11 March in Amsterdam, still "yesterday" for her.
    practise(alice, at(TODAY - timedelta(days=1), 21, 0, NYC))

    assert clock(at(TODAY, 19, 0, NYC)) == (1, 0)


def test_it_skips_a_new_york_patient_who_practised_her_morning(clock, alice):
    wants_reminders(alice, zone="America/New_York")
    practise(alice, at(TODAY, 9, 0, NYC))

    assert clock(at(TODAY, 19, 0, NYC)) == (0, 0)


def test_it_skips_a_patient_with_reminders_off(clock, alice):
    wants_reminders(alice)
    Profile.objects.filter(user=alice).update(reminders_enabled=False)

    assert clock(at(TODAY, 19, 0)) == (0, 0)
    assert mail.outbox == []


def test_it_skips_staff(clock, therapist):
    wants_reminders(therapist)

    assert clock(at(TODAY, 19, 0)) == (0, 0)
    assert mail.outbox == []


def test_it_skips_an_inactive_account(clock, alice):
    wants_reminders(alice)
    alice.is_active = False
    alice.save()

    assert clock(at(TODAY, 19, 0)) == (0, 0)


def test_it_reminds_each_patient_at_her_own_time(clock, alice, bob):
    wants_reminders(alice, at=time(19, 0))
    wants_reminders(bob, at=time(8, 30))

    clock(at(TODAY, 9, 0))
    assert [m.to for m in mail.outbox] == [["bob@example.com"]]
    clock(at(TODAY, 19, 0))
    assert [m.to for m in mail.outbox] == [["bob@example.com"], ["alice@example.com"]]


def test_it_runs_as_a_management_command(frozen, alice):
    wants_reminders(alice)
    frozen.move_to(at(TODAY, 19, 5), tick=False)
    out = io.StringIO()

    call_command("send_reminders", stdout=out)

    assert len(mail.outbox) == 1
    assert "1 practice reminder" in out.getvalue()


# --- The email ------------------------------------------------------------------------


def test_it_sends_text_and_html_with_unsubscribe_headers(clock, alice):
    wants_reminders(alice)
    clock(at(TODAY, 19, 0))

    [message] = mail.outbox
    assert message.subject.startswith("Bekkenbodem online: ")
    assert "<html" not in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert "<html" in html
    path = unsubscribe_path(message)
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert path in message.body
    assert path in html


def test_it_writes_in_her_language(clock, alice):
    wants_reminders(alice, language="en")
    clock(at(TODAY, 19, 0))

    assert mail.outbox[0].subject == "Bekkenbodem online: Your daily reminder"


def test_it_puts_no_health_data_in_the_email(clock, alice, lessons):
    wants_reminders(alice, complaints=["urine_loss", "low_back_pain"])
    safety_answers(alice, "blood_in_urine")
    DiaryEntry.objects.create(
        user=alice, date=TODAY, leaks=4, pads=3, urgency=2, back_pain=7, note="GEHEIM-DAGBOEK"
    )
    LessonQuestion.objects.create(user=alice, lesson=lessons[0], text="GEHEIME-VRAAG")
    clock(at(TODAY, 19, 0))

    [message] = mail.outbox
    [(html, _mimetype)] = message.alternatives
    for text in (message.subject, message.body, html):
        for secret in (
            "GEHEIM-DAGBOEK",
            "GEHEIME-VRAAG",
            "Urine loss",
            "Urineverlies",
            "Low back pain",
            "Blood in your urine",
            "Bloed",
        ):
            assert secret not in text


# --- Unsubscribe ----------------------------------------------------------------------


def test_it_unsubscribes_with_one_click_without_logging_in(clock, alice):
    wants_reminders(alice)
    clock(at(TODAY, 19, 0))
    path = unsubscribe_path(mail.outbox[0])
    # Mail apps post without a session or CSRF token (RFC 8058).
    browser = Client(enforce_csrf_checks=True)

    page = browser.get(path)
    assert page.status_code == 200
    assert Profile.objects.get(user=alice).reminders_enabled is True

    done = browser.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert Profile.objects.get(user=alice).reminders_enabled is False

    clock(at(TODAY + timedelta(days=1), 19, 0))
    assert len(mail.outbox) == 1


def test_it_leaves_other_patients_subscribed(alice, bob):
    wants_reminders(alice)
    wants_reminders(bob)

    Client().post(f"/reminders/unsubscribe/{unsubscribe_token(alice)}/")

    assert Profile.objects.get(user=alice).reminders_enabled is False
    assert Profile.objects.get(user=bob).reminders_enabled is True


def _tampered(alice, bob):
    token = unsubscribe_token(alice)
    signature = token.split(":", 1)[1]
    return [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        f"{bob.pk}:{signature}",
        str(alice.pk),
        signing.Signer().sign(str(alice.pk)),  # signed, but not for unsubscribing
        "niets",
    ]


def test_it_404s_a_tampered_token(alice, bob):
    wants_reminders(alice)
    wants_reminders(bob)
    browser = Client()

    for token in _tampered(alice, bob):
        assert browser.get(f"/reminders/unsubscribe/{token}/").status_code == 404, token
        assert browser.post(f"/reminders/unsubscribe/{token}/").status_code == 404, token

    assert Profile.objects.filter(reminders_enabled=True).count() == 2


def test_it_404s_the_token_of_an_erased_account(alice):
    token = unsubscribe_token(alice)
    alice.delete()

    assert Client().post(f"/reminders/unsubscribe/{token}/").status_code == 404


def test_it_says_clearly_that_an_old_link_has_expired_and_changes_nothing(alice, frozen):
    wants_reminders(alice)
    token = unsubscribe_token(alice)
    frozen.move_to(MORNING + timedelta(days=61), tick=False)

    page = Client().get(f"/reminders/unsubscribe/{token}/")
    answer = Client().post(f"/reminders/unsubscribe/{token}/")

    assert page.status_code == answer.status_code == 410
    assert "verlopen" in page.content.decode()
    assert Profile.objects.get(user=alice).reminders_enabled is True


def test_it_still_takes_a_link_from_last_month(alice, frozen):
    wants_reminders(alice)
    token = unsubscribe_token(alice)
    frozen.move_to(MORNING + timedelta(days=59), tick=False)

    assert Client().post(f"/reminders/unsubscribe/{token}/").status_code == 200
    assert Profile.objects.get(user=alice).reminders_enabled is False


def test_it_refuses_put_on_unsubscribe(alice):
    path = f"/reminders/unsubscribe/{unsubscribe_token(alice)}/"

    assert Client().put(path).status_code == 405


# --- "A new step is open" -------------------------------------------------------------


def _finish_step_1(user, lessons):
    for lesson in lessons[:2]:
        LessonProgress.objects.create(
            user=user, lesson=lesson, first_opened_at=MORNING, completed_at=MORNING
        )


def _step_emails():
    return [m for m in mail.outbox if "/courses/bekkenbodem/bekkenbodem-les-3/" in m.body]


def test_it_emails_once_when_a_step_waiting_for_days_opens(clock, alice, lessons):
    wants_reminders(alice)
    step_2 = lessons[2].step
    step_2.unlock_after_days = 2
    step_2.save()
    _finish_step_1(alice, lessons)

    assert clock(at(TODAY, 19, 0))[1] == 0
    assert clock(at(TODAY + timedelta(days=1), 19, 0))[1] == 0
    assert clock(at(TODAY + timedelta(days=2), 19, 0))[1] == 1
    assert clock(at(TODAY + timedelta(days=2), 19, 15))[1] == 0
    assert clock(at(TODAY + timedelta(days=3), 19, 0))[1] == 0

    [message] = _step_emails()
    assert message.to == ["alice@example.com"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert ReminderLog.objects.get(kind="step_unlocked").step == step_2


def test_it_emails_once_when_a_step_waiting_for_sessions_opens(clock, alice, lessons):
    wants_reminders(alice)
    step_2 = lessons[2].step
    step_2.unlock_after_sessions = 3
    step_2.save()
    _finish_step_1(alice, lessons)
    practise(alice, at(TODAY, 9, 0))
    practise(alice, at(TODAY, 12, 0))

    assert clock(at(TODAY, 19, 0))[1] == 0
    practise(alice, at(TODAY, 20, 0))
    assert clock(at(TODAY, 20, 15))[1] == 1
    assert clock(at(TODAY, 20, 30))[1] == 0

    assert len(_step_emails()) == 1


def test_it_does_not_email_about_steps_that_never_waited(clock, alice, lessons):
    wants_reminders(alice)
    _finish_step_1(alice, lessons)

    assert clock(at(TODAY, 19, 0)) == (1, 0)
    assert _step_emails() == []


# --- When sending fails ---------------------------------------------------------------


def test_it_retries_a_reminder_that_could_not_be_sent(clock, alice, settings):
    wants_reminders(alice)
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"

    assert clock(at(TODAY, 19, 0)) == (0, 0)
    assert not ReminderLog.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert clock(at(TODAY, 19, 15)) == (1, 0)
    assert len(mail.outbox) == 1


def test_it_retries_a_step_email_that_could_not_be_sent(clock, alice, lessons, settings):
    wants_reminders(alice)
    practise(alice, MORNING)  # no practice reminder today: only the step email is due
    step_2 = lessons[2].step
    step_2.unlock_after_sessions = 1
    step_2.save()
    _finish_step_1(alice, lessons)
    practise(alice, at(TODAY, 9, 0))
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"

    assert clock(at(TODAY, 19, 0)) == (0, 0)
    assert not ReminderLog.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert clock(at(TODAY, 19, 15)) == (0, 1)
    assert len(_step_emails()) == 1


def test_it_falls_back_to_amsterdam_for_an_unknown_time_zone(clock, alice):
    wants_reminders(alice, zone="Mars/Olympus_Mons")

    assert clock(at(TODAY, 18, 59)) == (0, 0)
    assert clock(at(TODAY, 19, 0)) == (1, 0)


def test_it_needs_no_profile_for_other_users(clock, alice):
    # A user without a profile (e.g. made in the shell) does not break the run.
    make_user("zonder@example.com").profile.delete()
    wants_reminders(alice)

    assert clock(at(TODAY, 19, 0)) == (1, 0)
