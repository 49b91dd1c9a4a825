"""The privacy statement: public, versioned, and pointing at what a patient can do."""

import pytest


def test_it_shows_the_statement_to_anyone(client, db):
    response = client.get("/privacy/")

    assert response.status_code == 200
    assert "accounts/privacy.html" in [t.name for t in response.templates]


def test_it_shows_the_version(client, db, settings):
    settings.PRIVACY_STATEMENT_VERSION = "2027-04-01"

    response = client.get("/privacy/")

    assert "2027-04-01" in response.content.decode()


@pytest.mark.parametrize("link", ["/accounts/export/", "/accounts/delete/", "/accounts/profile/"])
def test_it_links_to_what_she_can_do_with_her_data(client, db, link):
    html = client.get("/privacy/").content.decode()

    assert f'href="{link}"' in html


def test_it_answers_head(client, db):
    assert client.head("/privacy/").status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_it_refuses_other_methods(client, db, method):
    assert getattr(client, method)("/privacy/").status_code == 405


def test_it_is_linked_from_the_consent_box_at_signup(client, db):
    html = client.get("/accounts/signup/").content.decode()

    label_start = html.index('<label for="id_health_data_consent"')
    label = html[label_start : html.index("</label>", label_start)]
    assert 'href="/privacy/"' in label
    assert 'rel="noopener"' in label


def test_it_is_linked_from_the_consent_page(alice_client, settings):
    settings.PRIVACY_STATEMENT_VERSION = "2027-04-01"

    html = alice_client.get("/accounts/consent/").content.decode()

    label_start = html.index('<label for="id_health_data_consent"')
    assert 'href="/privacy/"' in html[label_start : html.index("</label>", label_start)]
