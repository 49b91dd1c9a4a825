"""Nobody learns from a page whether an email address has an account."""

import re

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from accounts.models import Consent, User
from tests.factories import PASSWORD


def page_text(response, email):
    """The page with the address and the per-session CSRF token taken out."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email, "EMAIL")


def post_and_follow(path, data, email):
    client = Client()
    response = client.post(path, data)
    page = client.get(response["Location"]) if response.status_code == 302 else response
    return response, page, page_text(page, email)


def signup_data(email):
    return {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "health_data_consent": "on",
    }


def test_it_answers_a_password_reset_alike_for_known_and_unknown_addresses(alice):
    known, known_page, known_text = post_and_follow(
        "/accounts/password/reset/", {"email": "alice@example.com"}, "alice@example.com"
    )
    unknown, unknown_page, unknown_text = post_and_follow(
        "/accounts/password/reset/", {"email": "nobody@example.com"}, "nobody@example.com"
    )

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password/reset/confirm/"
    assert known_page.status_code == unknown_page.status_code == 200
    assert known_text == unknown_text


def test_it_emails_a_reset_code_only_to_a_known_address(alice):
    Client().post("/accounts/password/reset/", {"email": "alice@example.com"})
    Client().post("/accounts/password/reset/", {"email": "nobody@example.com"})

    to_alice, to_nobody = mail.outbox
    assert to_alice.to == ["alice@example.com"]
    assert re.search(r"^\s+[A-Z0-9]{4}-[A-Z0-9]{4}\s*$", to_alice.body, re.M)
    # allauth tells the unknown address that it has no account (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS).
    assert to_nobody.to == ["nobody@example.com"]
    assert not re.search(r"^\s+[A-Z0-9]{4}-[A-Z0-9]{4}\s*$", to_nobody.body, re.M)
    assert to_nobody.subject != to_alice.subject


def test_it_answers_a_signup_alike_for_new_and_existing_addresses(alice):
    new, new_page, new_text = post_and_follow(
        "/accounts/signup/", signup_data("eva@example.com"), "eva@example.com"
    )
    existing, existing_page, existing_text = post_and_follow(
        "/accounts/signup/", signup_data("alice@example.com"), "alice@example.com"
    )

    assert new.status_code == existing.status_code == 302
    assert new["Location"] == existing["Location"] == "/accounts/confirm-email/"
    assert [t.name for t in new_page.templates] == [t.name for t in existing_page.templates]
    assert new_text == existing_text


def test_it_makes_no_second_account_but_tells_the_owner(alice):
    Client().post("/accounts/signup/", signup_data("alice@example.com"))

    assert User.objects.filter(email__iexact="alice@example.com").count() == 1
    assert EmailAddress.objects.filter(email__iexact="alice@example.com").count() == 1
    assert Consent.objects.filter(user=alice).count() == 1
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "/accounts/password/reset/" in message.body
    assert not re.search(r"^\s*[A-Z0-9]{4}-[A-Z0-9]{4}\s*$", message.body, re.MULTILINE)


def test_it_answers_a_wrong_password_alike_for_known_and_unknown_addresses(alice):
    known = Client().post("/accounts/login/", {"login": "alice@example.com", "password": "x"})
    unknown = Client().post("/accounts/login/", {"login": "nobody@example.com", "password": "x"})

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_it_shows_the_same_consent_error_for_new_and_existing_addresses(alice):
    data = {"password1": PASSWORD, "password2": PASSWORD}
    new, _page, new_text = post_and_follow(
        "/accounts/signup/", {**data, "email": "eva@example.com"}, "eva@example.com"
    )
    existing, _page, existing_text = post_and_follow(
        "/accounts/signup/", {**data, "email": "alice@example.com"}, "alice@example.com"
    )

    assert new.status_code == existing.status_code == 200
    assert new.context["form"].errors == existing.context["form"].errors
    assert new_text == existing_text
    assert mail.outbox == []
