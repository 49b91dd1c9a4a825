"""Course codes: whoever signs up with one is enrolled; a use limit and a last day."""

import datetime
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.utils import timezone, translation

from accounts.models import User
from courses.models import AccessCode, Enrollment
from tests.factories import PASSWORD, make_course

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


def make_code(course, **fields):
    defaults = {
        "code": "GROEP-2026",
        "max_uses": 10,
        "ends_on": timezone.localdate() + datetime.timedelta(days=30),
    }
    return AccessCode.objects.create(course=course, **{**defaults, **fields})


def test_it_enrols_whoever_signs_up_with_a_code(client, course):
    code = make_code(course)

    response = sign_up(client, code="GROEP-2026")

    assert response.status_code == 302
    assert Enrollment.objects.filter(user__email=EMAIL, course=course).exists()
    code.refresh_from_db()
    assert code.uses == 1
    assert User.objects.get(email=EMAIL).profile.therapist is None  # the code had none


def test_it_fills_in_the_code_from_the_link(client, course):
    make_code(course)

    html = client.get("/accounts/signup/?code=GROEP-2026").content.decode()

    box = html[html.index('name="code"') :].split(">", 1)[0]
    assert 'value="GROEP-2026"' in box


def test_it_accepts_small_letters_and_spaces(client, course):
    make_code(course)

    sign_up(client, code=" groep-2026 ")

    assert Enrollment.objects.filter(user__email=EMAIL).exists()


@pytest.mark.parametrize(
    ("code", "fields", "error"),
    [
        ("ONBEKEND", {}, "We do not know this course code"),
        ("GROEP-2026", {"max_uses": 2, "uses": 2}, "This course code can no longer be used"),
        (
            "GROEP-2026",
            {"ends_on": datetime.date(2020, 1, 1)},
            "This course code can no longer be used",
        ),
    ],
    ids=["unknown", "used-up", "ended"],
)
def test_it_refuses_a_bad_code_and_creates_nothing(client, course, code, fields, error):
    make_code(course, **fields)

    response = sign_up(client, code=code)

    assert response.status_code == 200
    assert error in str(response.context["form"].errors["code"])
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Enrollment.objects.exists()


def test_it_still_works_on_its_last_day(client, frozen, course):
    make_code(course, ends_on=timezone.localdate())

    sign_up(client, code="GROEP-2026")

    assert Enrollment.objects.filter(user__email=EMAIL).exists()


def test_it_counts_uses_in_one_conditional_update(course):
    code = make_code(course, max_uses=1)
    stale = AccessCode.objects.get(pk=code.pk)  # read before the first use, as a racer would

    assert AccessCode.objects.claim(code) is True
    assert AccessCode.objects.claim(stale) is False
    code.refresh_from_db()
    assert code.uses == 1


def test_it_undoes_the_account_when_the_last_place_went_at_the_same_moment(client, course):
    make_code(course, max_uses=1)
    original = AccessCode.objects.claim

    def taken_elsewhere(access_code):
        AccessCode.objects.filter(pk=access_code.pk).update(uses=1)
        return original(access_code)

    AccessCode.objects.claim = taken_elsewhere
    try:
        response = sign_up(client, code="GROEP-2026")
    finally:
        del AccessCode.objects.claim

    assert response.status_code == 409
    assert "This course code was just used up" in response.content.decode()
    assert not User.objects.filter(email=EMAIL).exists()
    assert not Enrollment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_never_gives_more_places_than_the_limit_to_concurrent_sign_ups():
    code = make_code(make_course(), max_uses=3)
    results = []
    start = threading.Barrier(8)

    def claim():
        try:
            start.wait()
            for _attempt in range(20):
                try:
                    results.append(AccessCode.objects.claim(AccessCode.objects.get(pk=code.pk)))
                    return
                except OperationalError:  # SQLite under load: "database is locked"; retry
                    time.sleep(0.05)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == [False] * 5 + [True] * 3
    code.refresh_from_db()
    assert code.uses == 3


def test_it_keeps_codes_unique_whatever_the_capitals(course):
    make_code(course, code="GROEP-2026")
    duplicate = AccessCode(
        code="groep-2026", course=course, max_uses=1, ends_on=datetime.date(2030, 1, 1)
    )

    with pytest.raises(Exception, match="already exists|code"):
        duplicate.full_clean()
