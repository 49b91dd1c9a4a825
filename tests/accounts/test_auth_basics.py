"""Logging in with an email address, logging out, signing up and resetting a password."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, connection, transaction

from accounts.models import User
from tests.factories import PASSWORD, make_user


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_it_logs_in_a_verified_user_with_her_email(client, alice):
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/courses/"
    assert logged_in_user_id(client) == str(alice.pk)


def test_it_logs_in_whatever_the_case_of_the_email(client, alice):
    response = client.post("/accounts/login/", {"login": "Alice@Example.COM", "password": PASSWORD})

    assert response.status_code == 302
    assert logged_in_user_id(client) == str(alice.pk)


def test_it_refuses_a_wrong_password(client, alice):
    response = client.post("/accounts/login/", {"login": "alice@example.com", "password": "fout"})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert logged_in_user_id(client) is None


def test_it_asks_an_unverified_user_to_verify_first(client, db):
    make_user("dora@example.com", verified=False)

    response = client.post("/accounts/login/", {"login": "dora@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] != "/courses/"
    assert logged_in_user_id(client) is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["dora@example.com"]


def test_it_shows_the_login_page(client, db):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="login"' in html
    assert 'name="password"' in html
    assert 'type="email"' in html


def test_it_does_not_log_out_on_get(alice_client, alice):
    response = alice_client.get("/accounts/logout/")

    assert response.status_code == 200
    assert logged_in_user_id(alice_client) == str(alice.pk)


def test_it_logs_out_on_post(alice_client):
    response = alice_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert logged_in_user_id(alice_client) is None
    assert alice_client.get("/courses/").status_code == 302


def test_it_shows_the_signup_form(client, db):
    response = client.get("/accounts/signup/")

    assert response.status_code == 200
    html = response.content.decode()
    for field in ("email", "password1", "password2"):
        assert f'name="{field}"' in html
    assert 'name="username"' not in html


def test_it_signs_up_with_email_and_sends_a_verification_code(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "eva@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "health_data_consent": "on",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="eva@example.com")
    assert not user.is_staff
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["eva@example.com"]
    assert mail.outbox[0].subject.startswith("Bekkenbodem online: ")


def test_it_makes_no_second_account_for_an_address_in_another_case(client, alice):
    client.post(
        "/accounts/signup/",
        {"email": "ALICE@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def test_it_shows_the_password_reset_page(client, db):
    response = client.get("/accounts/password/reset/")

    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_it_emails_a_reset_code_to_a_known_address(client, alice):
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/confirm/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject.startswith("Bekkenbodem online: ")
    assert "/accounts/password/reset/key/" not in message.body  # a code, no key in a URL


def reset_code(message):
    return re.search(r"^\s+([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.M).group(1)


def test_it_resets_the_password_by_code_without_a_key_in_any_url(client, alice):
    visited = []
    response = client.post("/accounts/password/reset/", {"email": "alice@example.com"})
    visited.append(response["Location"])
    code = reset_code(mail.outbox[0])

    response = client.post(visited[-1], {"code": code})
    assert response.status_code == 302
    visited.append(response["Location"])
    new = "A-new-calm-Pelvic-floor-43"
    response = client.post(visited[-1], {"password1": new, "password2": new})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)
    assert all(code not in url and "key" not in url for url in visited), visited


def test_it_uses_email_as_the_login_name():
    assert get_user_model() is User
    assert User.USERNAME_FIELD == "email"
    assert User.REQUIRED_FIELDS == []
    assert User.username is None


def test_it_needs_an_email_address(db):
    with pytest.raises(ValueError):
        User.objects.create_user(email="", password=PASSWORD)


def test_it_makes_superusers_staff(db):
    admin = User.objects.create_superuser(email="beheer@example.com", password=PASSWORD)

    assert admin.is_staff and admin.is_superuser


def test_it_keeps_emails_unique_whatever_their_case(alice):
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, User._meta.db_table)
    assert "accounts_user_email_ci_unique" in names

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="ALICE@example.com", password=PASSWORD)
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def test_it_greets_by_display_name_or_the_start_of_the_email(db):
    named = make_user("fenna@example.com", display_name="Fenna")
    unnamed = make_user("gerda.jansen@example.com")

    assert (named.greeting_name, str(named)) == ("Fenna", "Fenna")
    assert (unnamed.greeting_name, str(unnamed)) == ("gerda.jansen", "gerda.jansen@example.com")
