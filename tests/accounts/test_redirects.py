"""A ?next= from a link in a phishing mail never sends a patient to another site."""

from urllib.parse import quote, urlsplit

import pytest

from tests.factories import PASSWORD

EVIL = ["https://evil.example", "//evil.example", "/\\evil.example", "/\\/evil.example"]


def assert_local(location):
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc, location
    assert location.startswith("/"), location
    assert not location.startswith(("//", "/\\")), location
    assert "evil" not in location, location


@pytest.mark.parametrize("target", EVIL)
def test_it_stays_on_site_after_login_with_next_in_the_address(client, alice, target):
    response = client.post(
        f"/accounts/login/?next={quote(target, safe='')}",
        {"login": "alice@example.com", "password": PASSWORD},
    )

    assert response.status_code == 302
    assert_local(response["Location"])
    assert response["Location"] == "/courses/"


@pytest.mark.parametrize("target", EVIL)
def test_it_stays_on_site_after_login_with_next_in_the_form(client, alice, target):
    response = client.post(
        "/accounts/login/", {"login": "alice@example.com", "password": PASSWORD, "next": target}
    )

    assert response.status_code == 302
    assert response["Location"] == "/courses/"


def test_it_follows_a_local_next_after_login(client, alice):
    response = client.post(
        "/accounts/login/?next=/courses/bekkenbodem/",
        {"login": "alice@example.com", "password": PASSWORD},
    )

    assert response["Location"] == "/courses/bekkenbodem/"


@pytest.mark.parametrize("target", EVIL)
def test_it_stays_on_site_after_consenting(alice_client, settings, target):
    settings.PRIVACY_STATEMENT_VERSION = "2027-01-01"

    response = alice_client.post(
        "/accounts/consent/", {"health_data_consent": "on", "next": target}
    )

    assert response.status_code == 302
    assert_local(response["Location"])
    assert response["Location"] == "/courses/"


@pytest.mark.parametrize("target", EVIL)
def test_it_does_not_put_a_foreign_next_in_the_consent_form(alice_client, settings, target):
    settings.PRIVACY_STATEMENT_VERSION = "2027-01-01"

    response = alice_client.get(f"/accounts/consent/?next={quote(target, safe='')}")

    assert response.status_code == 200
    assert response.context["next"] == ""
    assert '<input type="hidden" name="next" value="">' in response.content.decode()


def test_it_follows_a_local_next_after_consenting(alice_client, settings):
    settings.PRIVACY_STATEMENT_VERSION = "2027-01-01"

    response = alice_client.post(
        "/accounts/consent/", {"health_data_consent": "on", "next": "/courses/bekkenbodem/"}
    )

    assert response["Location"] == "/courses/bekkenbodem/"
