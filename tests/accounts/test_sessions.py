"""Her sessions: listed, ended elsewhere on request or after a password change, and timed out."""

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import translation

from tests.factories import PASSWORD

NOW = datetime(2026, 12, 1, 8, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
NEW_PASSWORD = "another-Calm-pelvic-floor-77"
with translation.override("nl"):  # the default language
    LOGGED_OUT = translation.gettext("For your privacy you were logged out. Please log in again.")


def log_in(agent, email="alice@example.com", ip="127.0.0.1"):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def login_next(response):
    parts = urlsplit(response["Location"])
    assert parts.path == "/accounts/login/"
    return parse_qs(parts.query)["next"][0]


def logged_in(client):
    return client.session.get("_auth_user_id") is not None and (
        client.get("/courses/").status_code == 200
    )


@pytest.fixture
def phone(alice):
    return log_in("AlicePhone/1.0", ip="10.1.1.1")


@pytest.fixture
def laptop(alice):
    return log_in("AliceLaptop/1.0", ip="10.2.2.2")


def test_it_sends_a_logged_out_visitor_to_login(client, db):
    response = client.get("/accounts/sessions/")

    assert response["Location"] == "/accounts/login/?next=/accounts/sessions/"


def test_it_lists_her_sessions(phone, laptop, bob):
    log_in("BobPhone/1.0", email="bob@example.com", ip="10.3.3.3")

    response = phone.get("/accounts/sessions/")

    assert response.status_code == 200
    agents = {s.user_agent for s in response.context["sessions"]}
    assert agents == {"AlicePhone/1.0", "AliceLaptop/1.0"}
    html = response.content.decode()
    assert "10.1.1.1" in html
    assert "10.2.2.2" in html
    assert "10.3.3.3" not in html


def test_it_signs_out_her_other_sessions(phone, laptop, alice, bob):
    bob_client = log_in("BobPhone/1.0", email="bob@example.com")

    response = phone.post("/accounts/sessions/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/sessions/"
    assert logged_in(phone)
    assert not logged_in(laptop)
    assert [s.user_agent for s in UserSession.objects.filter(user=alice)] == ["AlicePhone/1.0"]
    assert logged_in(bob_client)


def test_it_ends_her_other_sessions_when_she_changes_her_password(phone, laptop, alice):
    response = phone.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert logged_in(phone)
    assert not logged_in(laptop)
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_it_keeps_an_active_session_going_for_hours(client, alice, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(alice)

    for _visit in range(5):
        assert client.get("/courses/").status_code == 200
        time_machine.shift(timedelta(hours=1, minutes=55))

    assert client.get("/courses/").status_code == 200


def test_it_logs_out_after_two_hours_idle(client, alice, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(alice)
    assert client.get("/courses/").status_code == 200
    session_key = client.session.session_key

    time_machine.shift(timedelta(hours=2, seconds=1))
    response = client.get("/courses/bekkenbodem/")

    # Django's own session expiry (SESSION_COOKIE_AGE) may get there first; either is fine.
    assert response.status_code == 302
    assert login_next(response) == "/courses/bekkenbodem/"
    assert client.session.get("_auth_user_id") is None
    assert not Session.objects.filter(
        session_key=session_key, expire_date__gt=datetime.now(tz=ZoneInfo("UTC"))
    ).exists()


def test_it_logs_out_twelve_hours_after_login_however_active(client, alice, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(alice)

    for _half_hour in range(24):
        assert client.get("/courses/").status_code == 200
        time_machine.shift(timedelta(minutes=30))
    assert client.get("/courses/").status_code == 200  # exactly 12 hours

    time_machine.shift(timedelta(minutes=1))
    response = client.get("/courses/")

    assert response["Location"] == "/accounts/login/?next=%2Fcourses%2F"
    assert client.session.get("_auth_user_id") is None
    page = client.get(response["Location"])
    assert LOGGED_OUT in [str(m) for m in page.context["messages"]]
