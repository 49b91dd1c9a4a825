"""SIGNUP_MODE: `open` (anyone), `invite` (an invitation or a course code), `closed`."""

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone, translation

from accounts.models import User
from courses.models import AccessCode, Enrollment, Invitation
from tests.factories import PASSWORD

EMAIL = "eva@example.com"


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are compared in English, the source language (Dutch is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def sign_up(client, email=EMAIL, **extra):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "health_data_consent": "on",
        **extra,
    }
    return client.post("/accounts/signup/", data)


def made_account():
    return User.objects.filter(email=EMAIL).exists()


@pytest.fixture
def access_code(course, therapist):
    return AccessCode.objects.create(
        code="GROEP-2026",
        course=course,
        therapist=therapist,
        max_uses=10,
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def test_it_lets_anyone_sign_up_in_open_mode(client, db, settings):
    settings.SIGNUP_MODE = "open"

    response = sign_up(client)

    assert response.status_code == 302
    assert made_account()
    assert not Enrollment.objects.exists()


def test_it_shows_the_code_as_optional_in_open_mode(client, db, settings):
    settings.SIGNUP_MODE = "open"

    html = client.get("/accounts/signup/").content.decode()

    box = html[html.index('name="code"') :].split(">", 1)[0]
    assert "required" not in box


def test_it_refuses_a_signup_without_invitation_or_code_in_invite_mode(client, db, settings):
    settings.SIGNUP_MODE = "invite"

    response = sign_up(client)

    assert response.status_code == 200
    assert "Enter your course code" in str(response.context["form"].errors["code"])
    assert not made_account()


def test_it_says_on_the_form_that_a_code_or_invitation_is_needed_in_invite_mode(
    client, db, settings
):
    settings.SIGNUP_MODE = "invite"

    html = client.get("/accounts/signup/").content.decode()

    assert "You can only sign up with an invitation from your therapist or a course code" in html


def test_it_signs_up_with_a_code_in_invite_mode(client, settings, access_code, course, therapist):
    settings.SIGNUP_MODE = "invite"

    response = sign_up(client, code="groep-2026")

    assert response.status_code == 302
    user = User.objects.get(email=EMAIL)
    assert Enrollment.objects.filter(user=user, course=course).exists()
    assert user.profile.therapist == therapist


def test_it_signs_up_with_an_invitation_in_invite_mode(client, settings, course, therapist):
    settings.SIGNUP_MODE = "invite"
    invitation = Invitation(email=EMAIL, course=course, therapist=therapist)
    token = invitation.new_link()
    invitation.save()
    client.get(f"/accounts/invitation/{token}/")

    response = sign_up(client)

    assert response.status_code == 302
    assert Enrollment.objects.filter(user__email=EMAIL, course=course).exists()


def test_it_shows_a_closed_page_in_closed_mode(client, db, settings):
    settings.SIGNUP_MODE = "closed"

    response = client.get("/accounts/signup/")

    assert "Signing up is closed" in response.content.decode()
    assert 'name="password1"' not in response.content.decode()


def test_it_creates_no_account_in_closed_mode(client, settings, access_code):
    settings.SIGNUP_MODE = "closed"

    sign_up(client, code="GROEP-2026")

    assert not made_account()
    access_code.refresh_from_db()
    assert access_code.uses == 0


def test_it_refuses_an_invitation_link_in_closed_mode(client, settings, course, therapist):
    settings.SIGNUP_MODE = "closed"
    invitation = Invitation(email=EMAIL, course=course, therapist=therapist)
    token = invitation.new_link()
    invitation.save()

    response = client.get(f"/accounts/invitation/{token}/")

    assert response.status_code == 410
    assert "Signing up is closed" in response.content.decode()
    assert "invitation" not in client.session


@pytest.mark.parametrize(
    ("env", "debug", "expected"),
    [({}, True, "open"), ({}, False, "invite"), ({"SIGNUP_MODE": "Closed"}, True, "closed")],
)
def test_it_reads_the_mode_from_the_environment(monkeypatch, env, debug, expected):
    from therapy import settings as project_settings

    monkeypatch.delenv("SIGNUP_MODE", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    default = "open" if debug else "invite"
    assert project_settings.env_choice("SIGNUP_MODE", default, ("open", "invite", "closed")) == (
        expected
    )


def test_it_refuses_an_unknown_mode(monkeypatch):
    from therapy import settings as project_settings

    monkeypatch.setenv("SIGNUP_MODE", "invitation")
    with pytest.raises(ImproperlyConfigured, match="SIGNUP_MODE must be one of"):
        project_settings.env_choice("SIGNUP_MODE", "open", ("open", "invite", "closed"))
