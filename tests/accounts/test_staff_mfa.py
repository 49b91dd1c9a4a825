"""Staff see health data: the admin needs two-factor authentication."""

import pytest
from django.test import Client

from tests.factories import PASSWORD, make_user, totp_code


@pytest.fixture
def staff_without_totp(db):
    return make_user("stagiair@example.com", display_name="Stagiair", is_staff=True)


def test_it_sends_staff_without_totp_to_set_it_up(client, staff_without_totp):
    client.force_login(staff_without_totp)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_it_keeps_staff_without_totp_out_of_every_admin_page(client, staff_without_totp):
    client.force_login(staff_without_totp)

    response = client.get("/admin/accounts/profile/")

    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_it_shows_staff_without_totp_the_setup_page_after_the_password(client, staff_without_totp):
    client.post("/accounts/login/", {"login": "stagiair@example.com", "password": PASSWORD})

    # allauth asks for the password again before anyone may add a second factor.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == (
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F"
    )
    response = client.post(
        "/accounts/reauthenticate/",
        {"password": PASSWORD, "next": "/accounts/2fa/totp/activate/"},
        follow=True,
    )

    assert response.status_code == 200
    assert "mfa/totp/activate_form.html" in [t.name for t in response.templates]


def test_it_opens_the_admin_for_staff_with_totp(therapist_client):
    response = therapist_client.get("/admin/")

    assert response.status_code == 200


def test_it_sends_anonymous_visitors_to_allauths_login(client, db):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0] == "/accounts/login/?next=%2Fadmin%2F"
    templates = [t.name for t in response.templates]
    assert "account/login.html" in templates
    assert "admin/login.html" not in templates


def test_it_sends_the_admin_login_form_to_allauth(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"


def test_it_does_not_log_in_with_a_post_to_the_admin_login_form(client, therapist):
    client.post("/admin/login/", {"username": "therapist@example.com", "password": PASSWORD})

    assert client.session.get("_auth_user_id") is None


def test_it_refuses_the_admin_to_a_patient(alice_client):
    response = alice_client.get("/admin/", follow=True)

    assert response.status_code == 403


def test_it_asks_staff_with_totp_for_the_code_at_login(client, therapist):
    response = client.post(
        "/accounts/login/?next=%2Fadmin%2F",
        {"login": "therapist@example.com", "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.session.get("_auth_user_id") is None
    assert client.get("/admin/").status_code == 302


def test_it_completes_the_staff_login_with_the_right_code(client, therapist):
    client.post(
        "/accounts/login/?next=%2Fadmin%2F",
        {"login": "therapist@example.com", "password": PASSWORD},
    )

    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session.get("_auth_user_id") == str(therapist.pk)
    assert client.get("/admin/").status_code == 200


def test_it_refuses_a_wrong_code(therapist):
    client = Client()
    client.post("/accounts/login/", {"login": "therapist@example.com", "password": PASSWORD})
    wrong = "000000" if totp_code() != "000000" else "111111"

    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.session.get("_auth_user_id") is None
