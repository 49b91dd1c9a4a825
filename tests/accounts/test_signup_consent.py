"""Signing up needs a separate, unticked consent for processing health data."""

from datetime import datetime
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import translation

from accounts.models import Consent, Profile, User
from tests.factories import PASSWORD

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
CONSENT_ERROR = (
    "We can only create your account when you agree to the processing of your health data. "
    "Without it we cannot guide your therapy."
)


def signup(client, email="eva@example.com", **extra):
    data = {"email": email, "password1": PASSWORD, "password2": PASSWORD, **extra}
    return client.post("/accounts/signup/", data)


def test_it_shows_the_consent_box_unticked(client, db):
    response = client.get("/accounts/signup/")

    html = response.content.decode()
    assert 'name="health_data_consent"' in html
    box = html[html.index('name="health_data_consent"') :].split(">", 1)[0]
    assert "checked" not in box


def test_it_refuses_a_signup_without_consent_and_creates_nothing(client, db):
    response = signup(client)

    assert response.status_code == 200
    assert "health_data_consent" in response.context["form"].errors
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not Consent.objects.exists()
    assert not Profile.objects.exists()
    assert mail.outbox == []


def test_it_explains_in_english_why_consent_is_needed(client, db):
    data = {"email": "eva@example.com", "password1": PASSWORD, "password2": PASSWORD}
    response = client.post("/accounts/signup/", data, HTTP_ACCEPT_LANGUAGE="en")

    assert CONSENT_ERROR in response.content.decode()


def test_it_explains_in_dutch_why_consent_is_needed(client, db):
    with translation.override("nl"):
        dutch = translation.gettext(CONSENT_ERROR)

    response = signup(client)

    # A missing translation would show Dutch patients the English sentence.
    assert dutch != CONSENT_ERROR
    assert dutch in response.content.decode()


def test_it_stores_the_consent_with_the_current_version_and_time(
    client, db, settings, time_machine
):
    time_machine.move_to(NOW, tick=False)

    response = signup(client, health_data_consent="on")

    assert response.status_code == 302
    user = User.objects.get(email="eva@example.com")
    consent = Consent.objects.get(user=user)
    assert consent.kind == Consent.Kind.HEALTH_DATA
    assert consent.version == settings.PRIVACY_STATEMENT_VERSION
    assert consent.given_at == NOW
    assert Profile.objects.filter(user=user, intake_completed_at=None).exists()


def test_it_stores_the_version_in_force_at_signup(client, db, settings):
    settings.PRIVACY_STATEMENT_VERSION = "2027-03-01"

    signup(client, health_data_consent="on")

    consent = Consent.objects.get(user__email="eva@example.com")
    assert consent.version == "2027-03-01"


# --- Bad input that once slipped through ------------------------------------------------


def long_address(length):
    domain = "@example.com"
    return "a" * (length - len(domain)) + domain


def test_it_refuses_an_address_over_254_characters_with_a_form_error(client, db):

    first = signup(client, email=long_address(260), health_data_consent="on")
    second = signup(Client(), email=long_address(300), health_data_consent="on")

    for response in (first, second):
        assert response.status_code == 200
        assert "email" in response.context["form"].errors
    assert not User.objects.exists()


def test_it_takes_an_address_of_exactly_254_characters(client, db):

    response = signup(client, email=long_address(254), health_data_consent="on")

    assert response.status_code == 302
    assert User.objects.get().email == long_address(254)


def test_it_hashes_a_password_for_an_existing_address_as_for_a_new_one(alice, monkeypatch):
    """The same work on both paths, so the answer's time does not tell who has an account."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    calls = []
    encode = MD5PasswordHasher.encode
    monkeypatch.setattr(
        MD5PasswordHasher, "encode", lambda self, *a, **k: calls.append(1) or encode(self, *a, **k)
    )

    signup(Client(), email="nieuw@example.com", health_data_consent="on")
    new = len(calls)
    signup(Client(), email="alice@example.com", health_data_consent="on")

    assert new >= 1
    assert len(calls) - new == new
