"""Profile and intake: complaints, reminders, time zone and language (the safety questions
follow on /safety/: tests/journey/test_safety.py)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from accounts.models import Profile
from tests.factories import make_user

NOW = datetime(2026, 12, 1, 20, 15, tzinfo=ZoneInfo("Europe/Amsterdam"))


@pytest.fixture
def newcomer(db, course):
    """Verified and consented, but has not answered the intake yet."""
    return make_user("dora@example.com", intake=False)


def answers(**overrides):
    data = {
        "display_name": "Alice",
        "complaints": ["urine_loss"],
        "timezone": "Europe/Amsterdam",
        "language": "nl",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_it_sends_a_logged_out_visitor_to_login(client, db):
    assert client.get("/accounts/profile/")["Location"] == (
        "/accounts/login/?next=/accounts/profile/"
    )
    assert client.post("/accounts/profile/", answers())["Location"] == (
        "/accounts/login/?next=/accounts/profile/"
    )


def test_it_shows_her_details(alice_client):
    response = alice_client.get("/accounts/profile/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="complaints"' in html
    assert 'name="red_flags"' not in html  # asked on /safety/
    assert 'value="Alice"' in html


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_it_refuses_other_methods(alice_client, method):
    response = getattr(alice_client, method)("/accounts/profile/")

    assert response.status_code == 405


def test_it_saves_every_answer(alice_client, alice):
    response = alice_client.post(
        "/accounts/profile/",
        answers(
            display_name="  Lies  ",
            complaints=["urine_loss", "low_back_pain"],
            reminders_enabled="on",
            reminder_time="19:30",
            timezone="Europe/London",
            language="en",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    alice.refresh_from_db()
    profile = alice.profile
    assert alice.display_name == "Lies"
    assert profile.complaints == ["urine_loss", "low_back_pain"]
    assert profile.reminders_enabled is True
    assert profile.reminder_time == time(19, 30)
    assert profile.timezone == "Europe/London"
    assert profile.language == "en"


def test_it_clears_answers_she_unticks(alice_client, alice):
    alice_client.post("/accounts/profile/", answers(complaints=["prolapse"]))
    alice_client.post("/accounts/profile/", answers(complaints=[]))

    profile = Profile.objects.get(user=alice)
    assert profile.complaints == []


def test_it_needs_a_time_when_reminders_are_on(alice_client, alice):
    response = alice_client.post(
        "/accounts/profile/",
        answers(display_name="Lies", reminders_enabled="on", complaints=["prolapse"]),
    )

    assert response.status_code == 200
    with translation.override("nl"):  # the default language
        expected = translation.gettext("Choose a time for your reminder, or switch reminders off.")
    assert response.context["form"].errors["reminder_time"] == [expected]
    alice.refresh_from_db()
    assert alice.display_name == "Alice"
    assert alice.profile.reminders_enabled is False
    assert alice.profile.complaints == []


def test_it_refuses_an_unknown_time_zone(alice_client, alice):
    response = alice_client.post("/accounts/profile/", answers(timezone="Mars/Olympus_Mons"))

    assert response.status_code == 200
    assert "timezone" in response.context["form"].errors
    assert Profile.objects.get(user=alice).timezone == "Europe/Amsterdam"


def test_it_refuses_an_unknown_complaint(alice_client, alice):
    response = alice_client.post("/accounts/profile/", answers(complaints=["something_else"]))

    assert response.status_code == 200
    assert "complaints" in response.context["form"].errors
    assert Profile.objects.get(user=alice).complaints == []


def test_it_switches_the_site_to_the_chosen_language(alice_client):
    response = alice_client.post("/accounts/profile/", answers(language="en"))

    assert response.cookies["django_language"].value == "en"
    page = alice_client.get("/courses/")
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html

    alice_client.post("/accounts/profile/", answers(language="nl"))
    html = alice_client.get("/courses/").content.decode()
    assert '<html lang="nl">' in html
    assert "Naar de inhoud" in html


def test_it_completes_the_first_intake_once_and_asks_the_safety_questions_next(
    client, newcomer, time_machine
):
    time_machine.move_to(NOW, tick=False)
    client.force_login(newcomer)
    assert client.get("/accounts/profile/").context["first_intake"] is True

    first = client.post("/accounts/profile/", answers())

    assert first["Location"] == "/safety/"
    assert Profile.objects.get(user=newcomer).intake_completed_at == NOW

    time_machine.shift(timedelta(minutes=40))
    again = client.post("/accounts/profile/", answers(complaints=["prolapse"]))

    assert again["Location"] == "/accounts/profile/"
    profile = Profile.objects.get(user=newcomer)
    assert profile.intake_completed_at == NOW
    assert profile.complaints == ["prolapse"]


def test_it_makes_a_missing_profile_on_first_visit(client, db):
    user = make_user("gerda@example.com")
    Profile.objects.filter(user=user).delete()
    client.force_login(user)

    response = client.get("/accounts/profile/")

    assert response.status_code == 200
    assert Profile.objects.filter(user=user, intake_completed_at=None).exists()
