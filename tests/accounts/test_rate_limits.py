"""Guessing passwords is slowed down per address and per IP address."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.test import Client

from tests.factories import PASSWORD, make_user

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))


def fail_login(client, email, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"login": email, "password": "wrong-guess"}, REMOTE_ADDR=ip
    )


def error_codes(response):
    return [error.code for error in response.context["form"].errors.as_data()["__all__"]]


def is_blocked(response):
    """allauth's answer to one attempt too many: a 429, or at least its form error."""
    if response.status_code == 429:
        return True
    return response.status_code == 200 and "too_many_login_attempts" in error_codes(response)


def test_it_answers_the_first_five_failed_logins_with_a_form_error(client, alice):
    for _attempt in range(5):
        response = fail_login(client, "alice@example.com")

        assert response.status_code == 200
        assert error_codes(response) == ["email_password_mismatch"]


def test_it_answers_429_to_the_sixth_failed_login_for_one_address(client, alice, time_machine):
    time_machine.move_to(NOW, tick=False)
    for _attempt in range(5):
        assert fail_login(client, "alice@example.com").status_code == 200
        time_machine.shift(timedelta(seconds=55))

    sixth = fail_login(client, "alice@example.com")

    # The comment on ACCOUNT_RATE_LIMITS in therapy/settings.py promises a 429 here.
    assert sixth.status_code == 429


def test_it_blocks_the_sixth_failed_login_for_one_address(client, alice, time_machine):
    time_machine.move_to(NOW, tick=False)
    for _attempt in range(5):
        fail_login(client, "alice@example.com")
        time_machine.shift(timedelta(seconds=55))

    assert is_blocked(fail_login(client, "alice@example.com"))


def test_it_refuses_even_the_right_password_while_blocked(client, alice):
    for _attempt in range(5):
        fail_login(client, "alice@example.com")

    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})

    assert is_blocked(response)
    assert client.session.get("_auth_user_id") is None


def test_it_blocks_an_address_whatever_its_case(client, alice):
    for _attempt in range(5):
        fail_login(client, "alice@example.com")

    assert is_blocked(fail_login(client, "ALICE@Example.com"))


def test_it_does_not_block_another_address_from_the_same_ip(client, alice, bob):
    for _attempt in range(6):
        fail_login(client, "alice@example.com")

    wrong = fail_login(client, "bob@example.com")
    right = client.post("/accounts/login/", {"login": "bob@example.com", "password": PASSWORD})

    assert not is_blocked(wrong)
    assert error_codes(wrong) == ["email_password_mismatch"]
    assert right.status_code == 302
    assert client.session.get("_auth_user_id") == str(bob.pk)


def test_it_lets_her_try_again_after_five_minutes(client, alice, time_machine):
    time_machine.move_to(NOW, tick=False)
    for _attempt in range(6):
        fail_login(client, "alice@example.com")

    time_machine.shift(timedelta(minutes=5, seconds=1))
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(alice.pk)


def test_it_blocks_the_eleventh_failed_login_from_one_ip_within_a_minute(db):
    for number in range(5):
        make_user(f"patient{number}@example.com")
    client = Client()
    for attempt in range(10):
        response = fail_login(client, f"patient{attempt % 5}@example.com", ip="10.9.9.9")
        assert not is_blocked(response)

    assert is_blocked(fail_login(client, "patient0@example.com", ip="10.9.9.9"))
    assert not is_blocked(fail_login(client, "patient0@example.com", ip="10.9.9.8"))


# --- Behind a reverse proxy (TRUSTED_PROXY_COUNT) ---------------------------------------

PROXY = "127.0.0.1"  # every request reaches the app from nginx


def fail_through_proxy(email, client_ip):
    return Client().post(
        "/accounts/login/",
        {"login": email, "password": "wrong-guess"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


def test_it_does_not_lock_out_everyone_when_ten_patients_behind_the_proxy_mistype(
    settings, alice, db
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        make_user(f"patient{n}@example.com")
        fail_through_proxy(f"patient{n}@example.com", f"203.0.113.{n + 1}")

    response = Client().post(
        "/accounts/login/",
        {"login": "alice@example.com", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )

    assert response.status_code == 302  # logged in


def test_it_still_limits_one_client_behind_the_proxy(settings, alice):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        assert not is_blocked(fail_through_proxy(f"nobody{n}@example.com", "203.0.113.7"))

    assert is_blocked(fail_through_proxy("nobody10@example.com", "203.0.113.7"))
    assert not is_blocked(fail_through_proxy("nobody11@example.com", "203.0.113.8"))


def test_it_reads_the_setting_from_the_environment():
    from therapy import settings as project_settings

    assert project_settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # nothing trusted by default
