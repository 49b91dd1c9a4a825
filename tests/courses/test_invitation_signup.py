"""The patient's side of an invitation: the link in the email, then the signup form.

The link moves the invitation into her session and sends her to the plain signup page;
signing up with the invited address makes a verified account (no code email), enrols her
in the course and gives her the therapist who invited her. A bad link or another address
shows what to do and creates nothing.
"""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone, translation

from accounts.models import User
from courses.models import Enrollment, Invitation, hash_token
from tests.factories import PASSWORD

EMAIL = "noor@example.com"


@pytest.fixture(autouse=True)
def _english(client):
    """Messages are compared in English, the source language (Dutch is the default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def invite(therapist, course, email=EMAIL, **fields):
    invitation = Invitation(email=email, course=course, therapist=therapist, **fields)
    token = invitation.new_link()
    invitation.save()
    return invitation, token


def sign_up(client, email=EMAIL, **extra):
    data = {
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "health_data_consent": "on",
        **extra,
    }
    return client.post("/accounts/signup/", data)


@pytest.fixture
def invitation(therapist, course):
    return invite(therapist, course)


def test_it_moves_the_link_into_the_session_and_redirects_to_a_clean_url(client, invitation):
    _invitation, token = invitation

    response = client.get(f"/accounts/invitation/{token}/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/"
    assert token not in response["Location"]
    page = client.get("/accounts/signup/")
    html = page.content.decode()
    assert f'value="{EMAIL}"' in html
    assert 'name="code"' not in html
    assert "Marieke" in html


def test_it_signs_her_up_verified_enrolled_and_assigned_to_her_therapist(
    client, invitation, therapist, course
):
    invitation, token = invitation
    client.get(f"/accounts/invitation/{token}/")

    response = sign_up(client)

    user = User.objects.get(email=EMAIL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"  # logged in, on to the intake
    assert EmailAddress.objects.get(user=user).verified
    assert mail.outbox == []  # the link verified the address: no code email
    assert Enrollment.objects.filter(user=user, course=course).exists()
    assert user.profile.therapist == therapist
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.USED
    assert invitation.used_by == user
    assert "invitation" not in client.session


def test_it_stores_only_a_hash_of_the_token(invitation):
    invitation, token = invitation

    assert invitation.token_hash == hash_token(token)
    assert token not in str(Invitation.objects.values().get())


def test_it_refuses_another_address_than_the_invited_one_and_creates_nothing(client, invitation):
    _invitation, token = invitation
    client.get(f"/accounts/invitation/{token}/")

    response = sign_up(client, email="someone.else@example.com")

    assert response.status_code == 200
    assert "Your invitation was sent to another email address" in str(
        response.context["form"].errors["email"]
    )
    assert (
        not User.objects.filter(is_staff=False)
        .exclude(email__in=["alice@example.com", "bob@example.com"])
        .exists()
    )
    assert not Enrollment.objects.exists()
    assert Invitation.objects.get().used_at is None


def test_it_accepts_the_invited_address_in_other_capitals(client, invitation):
    _invitation, token = invitation
    client.get(f"/accounts/invitation/{token}/")

    sign_up(client, email="Noor@Example.com")

    assert User.objects.filter(email__iexact=EMAIL).exists()


def test_it_explains_a_tampered_link_and_remembers_nothing(client, invitation):
    _invitation, token = invitation

    response = client.get(f"/accounts/invitation/{token[:-2]}xy/")

    assert response.status_code == 404
    assert "This invitation link does not work" in response.content.decode()
    assert "invitation" not in client.session


@pytest.mark.parametrize(
    ("change", "heading"),
    [
        ({"used": True}, "This invitation has been used"),
        ({"withdrawn_at": True}, "This invitation was withdrawn"),
        ({"expired": True}, "This invitation has expired"),
    ],
)
def test_it_explains_a_link_that_no_longer_works(client, therapist, course, alice, change, heading):
    invitation, token = invite(therapist, course)
    if change.get("used"):
        Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now(), used_by=alice)
    if change.get("withdrawn_at"):
        Invitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())
    if change.get("expired"):
        past = timezone.now() - datetime.timedelta(seconds=1)
        Invitation.objects.filter(pk=invitation.pk).update(expires_at=past)

    response = client.get(f"/accounts/invitation/{token}/")

    assert response.status_code == 410
    assert heading in response.content.decode()
    assert "invitation" not in client.session


def test_it_lets_a_link_expire_after_fourteen_days(client, frozen, therapist, course):
    _invitation, token = invite(therapist, course)
    frozen.shift(datetime.timedelta(days=14, seconds=1))

    response = client.get(f"/accounts/invitation/{token}/")

    assert response.status_code == 410
    assert "This invitation has expired" in response.content.decode()


def test_it_still_works_on_day_fourteen(client, frozen, therapist, course):
    _invitation, token = invite(therapist, course)
    frozen.shift(datetime.timedelta(days=13, hours=23))

    assert client.get(f"/accounts/invitation/{token}/").status_code == 302


def test_it_creates_nothing_when_the_invitation_is_withdrawn_after_the_link_was_opened(
    client, settings, invitation
):
    settings.SIGNUP_MODE = "invite"
    invitation, token = invitation
    client.get(f"/accounts/invitation/{token}/")
    Invitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())

    response = sign_up(client)

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert (
        not User.objects.filter(is_staff=False)
        .exclude(email__in=["alice@example.com", "bob@example.com"])
        .exists()
    )
    assert "invitation" not in client.session


def test_it_does_not_count_an_address_as_verified_once_the_invitation_is_gone(client, invitation):
    # Open mode: she may still sign up, but must verify her address with a code as usual.
    invitation, token = invitation
    client.get(f"/accounts/invitation/{token}/")
    Invitation.objects.filter(pk=invitation.pk).update(withdrawn_at=timezone.now())

    sign_up(client)

    assert not EmailAddress.objects.get(email=EMAIL).verified
    assert len(mail.outbox) == 1
    assert not Enrollment.objects.exists()


def test_it_makes_the_old_link_useless_after_a_resend(client, therapist, course):
    invitation, old_token = invite(therapist, course)
    invitation.new_link()
    invitation.save()

    response = client.get(f"/accounts/invitation/{old_token}/")

    assert response.status_code == 404


def test_it_undoes_the_account_when_the_invitation_was_used_at_the_same_moment(
    client, invitation, bob
):
    invitation, token = invitation
    client.get(f"/accounts/invitation/{token}/")
    # Another browser with the same link got there first, after this form's check.
    original = Invitation.objects.claim

    def first_elsewhere(inv, **kwargs):
        Invitation.objects.filter(pk=inv.pk).update(used_at=timezone.now(), used_by=bob)
        return original(inv, **kwargs)

    Invitation.objects.claim = first_elsewhere
    try:
        response = sign_up(client)
    finally:
        del Invitation.objects.claim

    assert response.status_code == 409
    assert "This invitation was just used" in response.content.decode()
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Enrollment.objects.filter(user__email=EMAIL).exists()


def test_it_tells_a_logged_in_patient_to_log_out_first(alice_client, invitation):
    _invitation, token = invitation

    response = alice_client.get(f"/accounts/invitation/{token}/")

    assert response.status_code == 409
    assert "You are already logged in" in response.content.decode()


def test_it_refuses_a_post_to_the_link(client, invitation):
    _invitation, token = invitation

    assert client.post(f"/accounts/invitation/{token}/").status_code == 405


def test_it_keeps_the_link_page_out_of_caches(client, invitation):
    _invitation, token = invitation

    response = client.get(f"/accounts/invitation/{token}/")

    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_it_explains_in_dutch(invitation):
    _invitation, token = invitation
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")

    response = client.get(f"/accounts/invitation/{token[:-2]}xy/")

    assert "This invitation link does not work" not in response.content.decode()


def test_it_erases_her_invitation_with_her_account(client, invitation):
    from accounts.services import user_erase

    invitation, token = invitation
    client.get(f"/accounts/invitation/{token}/")
    sign_up(client)
    user = User.objects.get(email=EMAIL)

    user_erase(user=user)

    assert not Invitation.objects.filter(email=EMAIL).exists()


def test_it_lists_her_invitation_in_her_export(client, invitation):
    from accounts.export import build_export

    invitation, token = invitation
    client.get(f"/accounts/invitation/{token}/")
    sign_up(client)

    data = build_export(User.objects.get(email=EMAIL))

    [record] = data["courses.Invitation"]["records"]
    assert record["email"] == EMAIL
    assert record["course__title"] == "Bekkenbodem"
    assert token not in str(data)
    assert invitation.token_hash not in str(data)
