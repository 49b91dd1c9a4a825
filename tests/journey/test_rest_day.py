"""Back pain far above her first week: POST /diary/rest/ stops practice for the day."""

from datetime import timedelta

import pytest
from django.core import mail

from tests.factories import NOW, TODAY
from therapy.journey.models import DiaryEntry

pytestmark = pytest.mark.usefixtures("frozen")

URL = "/diary/rest/"


def diary(user, day, back_pain):
    return DiaryEntry.objects.create(
        user=user, date=day, leaks=0, pads=0, urgency=0, back_pain=back_pain
    )


@pytest.fixture
def first_week(alice):
    for days in range(14, 7, -1):
        diary(alice, TODAY - timedelta(days=days), back_pain=2)


def save_today(client, back_pain):
    return client.post(
        "/diary/",
        {"date": TODAY.isoformat(), "leaks": 0, "pads": 0, "urgency": 0, "back_pain": back_pain},
        follow=True,
    )


def test_it_offers_to_rest_after_a_jump_of_three(alice_client, first_week):
    response = save_today(alice_client, 5)

    assert response.context["pain_jump"] is not None
    assert 'action="/diary/rest/"' in response.content.decode()


def test_it_does_not_offer_it_below_three(alice_client, first_week):
    assert save_today(alice_client, 4).context["pain_jump"] is None


def test_it_does_not_offer_it_in_her_first_week(alice_client, alice):
    diary(alice, TODAY - timedelta(days=2), back_pain=1)

    assert save_today(alice_client, 9).context["pain_jump"] is None


def test_it_rests_today_and_tells_the_therapist_without_health_data(
    alice_client, alice, first_week, therapist
):
    save_today(alice_client, 8)

    response = alice_client.post(URL, {"tell_therapist": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/today/"
    assert DiaryEntry.objects.get(user=alice, date=TODAY).rest_day is True
    [email] = mail.outbox
    assert email.to == [therapist.email]
    assert "8" not in email.subject and "pijn" not in email.body.lower()


def test_it_rests_today_without_telling_anyone(alice_client, alice, first_week, therapist):
    save_today(alice_client, 8)

    alice_client.post(URL, {"tell_therapist": "0"})

    assert DiaryEntry.objects.get(user=alice, date=TODAY).rest_day is True
    assert mail.outbox == []


def test_it_answers_404_without_an_entry_for_today(alice_client, alice, bob):
    diary(bob, TODAY, back_pain=9)

    assert alice_client.post(URL, {"tell_therapist": "1"}).status_code == 404
    assert DiaryEntry.objects.get(user=bob).rest_day is False


def test_it_asks_to_log_in_and_refuses_a_get(alice_client, alice):
    from django.test import Client

    assert Client().post(URL)["Location"].startswith("/accounts/login/")
    assert alice_client.get(URL).status_code == 405


def test_it_skips_the_reminder_on_a_rest_day(alice, first_week):
    from datetime import time

    from accounts.models import Profile
    from therapy.journey.reminders import send_due_reminders

    DiaryEntry.objects.create(
        user=alice, date=TODAY, leaks=0, pads=0, urgency=0, back_pain=8, rest_day=True
    )
    Profile.objects.filter(user=alice).update(reminders_enabled=True, reminder_time=time(9))

    assert send_due_reminders(NOW) == (0, 0)
