"""A patient downloads everything stored about her, and nothing about anyone else."""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.test import Client
from django.utils import timezone, translation

from accounts import export
from accounts.models import Consent, Profile
from courses.models import Enrollment, Lesson, LessonProgress
from tests.factories import PASSWORD, TOTP_SECRET, safety_answers, totp_code

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
BOB_SECRET = "KRUGS4ZANFZSAYJAONSWG4TFOQQGE33C"


def log_in(email, *, ip, agent, secret=TOTP_SECRET):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    if response["Location"] == "/accounts/2fa/authenticate/":
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert client.session.get("_auth_user_id")
    return client


@pytest.fixture
def alice_data(alice, lessons):
    Profile.objects.filter(user=alice).update(complaints=["urine_loss", "prolapse"])
    safety_answers(alice, "blood_in_urine")
    Consent.objects.create(user=alice, version="2025-01-01")
    opened = timezone.now()
    LessonProgress.objects.create(
        user=alice, lesson=lessons[0], first_opened_at=opened, completed_at=opened
    )
    LessonProgress.objects.create(user=alice, lesson=lessons[1])
    alice.first_name, alice.last_name = "Alida", "Zwanenburg"
    alice.save()
    return alice


@pytest.fixture
def bob_data(bob, course, lessons):
    Profile.objects.filter(user=bob).update(complaints=["low_back_pain"], timezone="Asia/Tokyo")
    safety_answers(bob, "saddle_numbness")
    Enrollment.objects.create(user=bob, course=course)
    LessonProgress.objects.create(user=bob, lesson=lessons[3])
    TOTP.activate(bob, BOB_SECRET)
    log_in("bob@example.com", ip="10.0.0.66", agent="BobPhone/1.0", secret=BOB_SECRET)
    return bob


@pytest.fixture
def alice_export_client(alice_data, bob_data):
    return log_in("alice@example.com", ip="10.0.0.55", agent="AliceBrowser/2.0")


def reauthenticate(client):
    response = client.post(
        "/accounts/reauthenticate/", {"password": PASSWORD, "next": "/accounts/export/"}
    )
    assert response["Location"] == "/accounts/export/"


def download(client):
    reauthenticate(client)
    response = client.post("/accounts/export/")
    assert response.status_code == 200
    return response, response.content.decode()


def test_it_asks_for_her_password_again_before_the_download(client, alice):
    client.force_login(alice)  # logged in long enough ago that it is not "recent"

    response = client.post("/accounts/export/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert "accessed_by" not in response.content.decode()


def test_it_lists_who_looked_at_her_records(alice_export_client, alice, therapist, client):
    from django.test import Client as FreshClient

    staff = FreshClient()
    staff.force_login(therapist)
    staff.get(f"/therapist/patients/{alice.pk}/")

    _response, text = download(alice_export_client)
    entries = json.loads(text)["accessed_by"]["records"]

    assert [(e["who"], e["what"]) for e in entries] == [
        ("you", "data export"),
        (str(therapist), "patient page"),
    ]


def records(data, label):
    return data[label]["records"]


def test_it_sends_a_logged_out_visitor_to_login(client, db):
    assert client.get("/accounts/export/")["Location"] == "/accounts/login/?next=/accounts/export/"
    assert client.post("/accounts/export/")["Location"] == (
        "/accounts/login/?next=/accounts/export/"
    )


def test_it_explains_the_download_first(alice_client):
    response = alice_client.get("/accounts/export/")

    assert response.status_code == 200
    assert "accounts/export.html" in [t.name for t in response.templates]
    assert '<form method="post">' in response.content.decode()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_it_refuses_other_methods(alice_client, method):
    assert getattr(alice_client, method)("/accounts/export/").status_code == 405


def test_it_downloads_a_json_attachment_that_is_not_cached(client, alice, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(alice)

    response, text = download(client)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="bekkenbodem-online-2026-12-01.json"'
    )
    assert "no-store" in response["Cache-Control"]
    json.loads(text)


def test_it_contains_all_of_her_data(alice_export_client, alice):
    _response, text = download(alice_export_client)
    data = json.loads(text)

    assert data["account"]["email"] == "alice@example.com"
    assert data["account"]["display_name"] == "Alice"
    (profile,) = records(data, "accounts.Profile")
    assert profile["complaints"] == ["urine_loss", "prolapse"]
    (check,) = records(data, "therapy.SafetyCheck")
    assert check["flags"] == ["blood_in_urine"]
    assert check["urgency"] == "soon"
    assert profile["timezone"] == "Europe/Amsterdam"
    assert {c["version"] for c in records(data, "accounts.Consent")} == {
        "2025-01-01",
        settings.PRIVACY_STATEMENT_VERSION,
    }
    assert [e["email"] for e in records(data, "account.EmailAddress")] == ["alice@example.com"]
    assert [e["course__title"] for e in records(data, "courses.Enrollment")] == ["Bekkenbodem"]
    progress = records(data, "courses.LessonProgress")
    assert [(p["lesson__title"], p["completed_at"] is not None) for p in progress] == [
        ("Les 1", True),
        ("Les 2", False),
    ]
    (session,) = records(data, "usersessions.UserSession")
    assert (session["ip"], session["user_agent"]) == ("10.0.0.55", "AliceBrowser/2.0")


def test_it_contains_her_name(alice_export_client):
    _response, text = download(alice_export_client)

    # first_name and last_name are on her account (editable in the admin) too.
    assert "Alida" in text
    assert "Zwanenburg" in text


def test_it_contains_nothing_of_another_patient(alice_export_client, bob):
    _response, text = download(alice_export_client)
    data = json.loads(text)
    bob_session_key = UserSession.objects.get(user=bob).session_key

    for secret in [
        "bob@example.com",
        '"Bob"',
        "low_back_pain",
        "saddle_numbness",
        "Asia/Tokyo",
        "Les 4",
        "10.0.0.66",
        "BobPhone/1.0",
        BOB_SECRET,
        bob_session_key,
    ]:
        assert secret not in text
    for item in export.REGISTRY:
        for row in records(data, item.model):
            assert "user_id" not in row
            assert bob.pk not in {row.get("id"), row.get("user")}


def test_it_leaves_out_passwords_and_mfa_secrets(alice_data, bob_data):
    TOTP.activate(alice_data, TOTP_SECRET)
    recovery = RecoveryCodes.activate(alice_data)
    client = log_in("alice@example.com", ip="10.0.0.55", agent="AliceBrowser/2.0")

    _response, text = download(client)

    totp = Authenticator.objects.get(user=alice_data, type=Authenticator.Type.TOTP)
    assert TOTP_SECRET not in text
    assert totp.data["secret"] not in text
    assert recovery.instance.data["seed"] not in text
    for code in recovery.get_unused_codes():
        assert code not in text
    assert alice_data.password not in text
    # A session key is as good as a password while the session lasts.
    assert client.session.session_key not in text
    types = {a["type"] for a in records(json.loads(text), "mfa.Authenticator")}
    assert types == {"totp", "recovery_codes"}


def user_foreign_keys():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.remote_field.model is user_model
            ):
                yield model, field


def test_it_registers_every_model_that_points_at_a_user():
    registered = {item.model for item in export.REGISTRY}
    missing = sorted(
        {
            model._meta.label
            for model, _field in user_foreign_keys()
            if model._meta.label not in registered and model._meta.label not in export.NOT_EXPORTED
        }
    )

    assert missing == []


def test_it_registers_only_models_that_lead_to_the_user():
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for item in export.REGISTRY:
        model = item.get_model()
        for part in item.user_field.split("__"):
            model = model._meta.get_field(part).related_model
        assert model is user_model, item.model


def test_it_names_the_lessons_in_her_language_with_dutch_where_there_is_no_english(alice_data):
    """`lesson__title` is the title she reads: English where it is written, else Dutch — never
    whichever language the lesson was last saved in."""
    alice = alice_data
    first = LessonProgress.objects.filter(user=alice).order_by("pk")[0].lesson
    Lesson.objects.filter(pk=first.pk).update(title_en="Lesson 1")
    with connection.cursor() as cursor:  # as if last saved from an English admin
        cursor.execute("UPDATE courses_lesson SET title = 'Lesson 1' WHERE id = %s", [first.pk])

    with translation.override("en"):
        english = export.build_export(alice)
    with translation.override("nl"):
        dutch = export.build_export(alice)

    def titles(data):
        return [p["lesson__title"] for p in records(data, "courses.LessonProgress")]

    assert titles(english) == ["Lesson 1", "Les 2"]
    assert titles(dutch) == ["Les 1", "Les 2"]
