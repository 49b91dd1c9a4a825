"""A new privacy statement version asks every patient to consent again."""

from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.models import Consent, Profile
from tests.factories import make_user

NEW_VERSION = "2027-02-01"


@pytest.fixture
def new_statement(settings):
    settings.PRIVACY_STATEMENT_VERSION = NEW_VERSION


def consent_next(response):
    """The ?next= of a redirect to the consent page (None for any other redirect)."""
    parts = urlsplit(response["Location"])
    if parts.path != "/accounts/consent/":
        return None
    return parse_qs(parts.query).get("next", [""])[0]


def test_it_lets_her_in_while_her_consent_is_current(alice_client):
    assert alice_client.get("/courses/").status_code == 200


def test_it_asks_for_consent_again_after_a_new_version(alice_client, new_statement):
    response = alice_client.get("/courses/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/consent/?next=%2Fcourses%2F"
    assert consent_next(response) == "/courses/"


def test_it_asks_again_even_after_she_was_let_in_this_session(alice_client, settings):
    assert alice_client.get("/courses/").status_code == 200

    settings.PRIVACY_STATEMENT_VERSION = NEW_VERSION

    assert consent_next(alice_client.get("/courses/bekkenbodem/")) == "/courses/bekkenbodem/"


def test_it_keeps_the_query_string_in_next(alice_client, new_statement):
    response = alice_client.get("/courses/?tab=all")

    assert consent_next(response) == "/courses/?tab=all"


def test_it_tells_her_the_statement_changed(alice_client, new_statement):
    response = alice_client.get("/accounts/consent/?next=/courses/")

    assert response.status_code == 200
    assert response.context["had_consent"] is True
    assert response.context["version"] == NEW_VERSION
    assert '<input type="hidden" name="next" value="/courses/">' in response.content.decode()


def test_it_asks_a_patient_without_any_consent(client, db):
    user = make_user("gerda@example.com", consent=False)
    client.force_login(user)

    response = client.get("/courses/")

    assert consent_next(response) == "/courses/"
    assert client.get(response["Location"]).context["had_consent"] is False


def test_it_keeps_asking_until_she_ticks_the_box(alice_client, alice, new_statement):
    response = alice_client.post("/accounts/consent/", {"next": "/courses/"})

    assert response.status_code == 200
    assert "health_data_consent" in response.context["form"].errors
    assert not Consent.objects.filter(user=alice, version=NEW_VERSION).exists()
    assert consent_next(alice_client.get("/courses/")) == "/courses/"


def test_it_records_the_new_consent_and_keeps_the_old_one(alice_client, alice, settings):
    old_version = settings.PRIVACY_STATEMENT_VERSION
    settings.PRIVACY_STATEMENT_VERSION = NEW_VERSION

    response = alice_client.post(
        "/accounts/consent/", {"health_data_consent": "on", "next": "/courses/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/courses/"
    versions = set(Consent.objects.filter(user=alice).values_list("version", flat=True))
    assert versions == {old_version, NEW_VERSION}
    assert alice_client.get("/courses/").status_code == 200


def test_it_records_a_consent_only_once(alice_client, alice, new_statement):
    for _attempt in range(2):
        alice_client.post("/accounts/consent/", {"health_data_consent": "on"})

    assert Consent.objects.filter(user=alice, version=NEW_VERSION).count() == 1


def test_it_does_not_throw_away_a_form_she_is_submitting(alice_client, alice, new_statement):
    response = alice_client.post(
        "/accounts/profile/",
        {
            "display_name": "Lies",
            "complaints": ["prolapse"],
            "timezone": "Europe/Amsterdam",
            "language": "nl",
        },
    )

    assert consent_next(response) is None
    assert response["Location"] == "/accounts/profile/"
    assert Profile.objects.get(user=alice).complaints == ["prolapse"]


@pytest.mark.parametrize(
    "path",
    ["/accounts/consent/", "/privacy/", "/accounts/export/", "/accounts/delete/"],
)
def test_it_leaves_the_pages_she_needs_to_decide_open(alice_client, new_statement, path):
    response = alice_client.get(path)

    assert response.status_code == 200


def test_it_lets_her_log_out_without_consenting(alice_client, new_statement):
    alice_client.post("/accounts/logout/")

    assert alice_client.session.get("_auth_user_id") is None


def test_it_does_not_ask_staff(therapist_client, new_statement):
    assert therapist_client.get("/courses/").status_code == 200
    assert therapist_client.get("/admin/").status_code == 200


def test_it_does_not_ask_anonymous_visitors(client, new_statement):
    assert client.get("/").status_code == 200
    assert client.get("/courses/")["Location"] == "/accounts/login/?next=/courses/"
