"""A new or unverified patient reaches the course only after typing the emailed code."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import Profile, User
from tests.factories import PASSWORD, make_user

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def emailed_code(message):
    """The verification code on a line of its own, e.g. ABCD-EFGH."""
    match = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.MULTILINE)
    assert match, message.body
    return match.group(1)


def signup(client, email="eva@example.com"):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "health_data_consent": "on",
    }
    return client.post("/accounts/signup/", data)


def login(client, email):
    return client.post("/accounts/login/", {"login": email, "password": PASSWORD})


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_it_does_not_log_in_after_signup_but_asks_for_the_code(client, db):
    response = signup(client)

    assert response["Location"] == "/accounts/confirm-email/"
    assert logged_in_user_id(client) is None
    page = client.get("/accounts/confirm-email/")
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    courses = client.get("/courses/")
    assert courses.status_code == 302
    assert courses["Location"] == "/accounts/login/?next=/courses/"


def test_it_sends_an_unverified_user_who_logs_in_to_the_code_page(client, db):
    make_user("dora@example.com", verified=False, intake=False)

    response = login(client, "dora@example.com")

    assert response["Location"] == "/accounts/confirm-email/"
    assert logged_in_user_id(client) is None
    assert client.get("/courses/")["Location"] == "/accounts/login/?next=/courses/"
    assert client.get("/accounts/profile/")["Location"] == (
        "/accounts/login/?next=/accounts/profile/"
    )


def test_it_refuses_a_wrong_code(client, db):
    signup(client)

    response = client.post("/accounts/confirm-email/", {"code": "AAAA-AAAA"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert logged_in_user_id(client) is None
    assert not EmailAddress.objects.get(email="eva@example.com").verified


def test_it_verifies_with_the_emailed_code_then_asks_the_intake_once(client, db):
    signup(client)
    code = emailed_code(mail.outbox[-1])

    response = client.post("/accounts/confirm-email/", {"code": code})

    user = User.objects.get(email="eva@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"
    assert logged_in_user_id(client) == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified

    intake = client.get("/accounts/profile/")
    assert intake.status_code == 200
    assert intake.context["first_intake"] is True
    answered = client.post(
        "/accounts/profile/",
        {"complaints": ["urine_loss"], "timezone": "Europe/Amsterdam", "language": "nl"},
    )
    assert answered["Location"] == "/safety/"
    assert Profile.objects.get(user=user).intake_completed_at is not None

    client.post("/accounts/logout/")
    again = login(client, "eva@example.com")
    assert again["Location"] == "/courses/"
    assert client.get("/courses/").status_code == 200


def test_it_asks_the_intake_again_at_login_until_it_is_answered(client, db):
    make_user("dora@example.com", intake=False)

    response = login(client, "dora@example.com")

    assert response["Location"] == "/accounts/profile/"


def test_it_refuses_a_code_older_than_fifteen_minutes(client, db, time_machine):
    time_machine.move_to(NOW, tick=False)
    signup(client)
    code = emailed_code(mail.outbox[-1])

    time_machine.shift(timedelta(minutes=15, seconds=1))
    response = client.post("/accounts/confirm-email/", {"code": code})

    assert logged_in_user_id(client) is None
    assert not EmailAddress.objects.get(email="eva@example.com").verified
    assert response.status_code in {200, 302}
