"""The demo practice that seed_demo makes in development: two therapists, a dozen patients."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.care import is_practice_owner, patients_of
from accounts.models import User
from courses.models import LessonProgress
from therapy.clinic import overview
from therapy.demo.practice import load_practice, practice_emails
from therapy.journey.models import DiaryEntry, PracticeSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    return {
        "marieke": User.objects.get(email="therapeut@example.com"),
        "sanne": User.objects.get(email="sanne@example.com"),
    }


def rows(therapist):
    return overview.overview_page(patients=patients_of(therapist), per_page=50)


def test_it_makes_a_practice_of_two_therapists_and_a_dozen_patients(seeded):
    marieke, sanne = seeded["marieke"], seeded["sanne"]
    assert is_practice_owner(marieke) and not is_practice_owner(sanne)
    patients = User.objects.filter(email__in=practice_emails())
    assert patients.count() == len(load_practice()["patients"]) == 12
    theirs = {p.profile.therapist for p in patients.select_related("profile__therapist")}
    assert theirs == {marieke, sanne}
    # Sanne sees her own four, the owner everyone (and the demo patient Anna).
    assert rows(sanne)["patient_count"] == 4
    assert rows(marieke)["patient_count"] == 13


def test_it_gives_them_weeks_of_believable_history(seeded):
    for email in practice_emails():
        user = User.objects.get(email=email)
        assert not user.has_usable_password()  # records to look at, not accounts
        assert PracticeSession.objects.filter(user=user).count() >= 14
        assert DiaryEntry.objects.filter(user=user).count() >= 10


def test_it_shows_the_situations_a_practice_meets(seeded):
    found = {row.name: row for row in rows(seeded["marieke"])["page"].object_list}
    first = rows(seeded["marieke"])["page"].object_list[0]
    assert first.urgent  # the urgent red flag on top
    codes = {code for row in found.values() for code in (f.code for f in row.flags)}
    assert {"red_flag", "inactive", "pain_high", "score_worse"} <= codes
    assert any(row.phase == "maintenance" for row in found.values())
    # Most are doing fine: not everyone needs attention.
    assert rows(seeded["marieke"])["attention_count"] <= 6
    # The newest patients (2–3 weeks) are past their first week but nobody is flagged for it.
    assert not found["Lies Bos"].flags


def test_it_makes_the_practice_again_without_doubling_it(settings, seeded):
    before = {
        "users": User.objects.count(),
        "sessions": PracticeSession.objects.count(),
        "diary": DiaryEntry.objects.count(),
    }
    call_command("seed_demo", stdout=io.StringIO())
    assert before == {
        "users": User.objects.count(),
        "sessions": PracticeSession.objects.count(),
        "diary": DiaryEntry.objects.count(),
    }


@pytest.mark.parametrize("hour", [7, 13, 23])
def test_it_puts_nothing_in_the_future_whatever_the_time_of_day(settings, hour):
    """Seeded at 07:00 her evening's diary and sessions have not happened yet: no "2 hours
    from now" on the therapist's overview."""
    settings.DEBUG = True
    moment = datetime.datetime(2026, 3, 4, hour, 30, tzinfo=ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(moment, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        now = timezone.now()
    assert not PracticeSession.objects.filter(started_at__gt=now).exists()
    assert not DiaryEntry.objects.filter(created_at__gt=now).exists()
    assert not DiaryEntry.objects.filter(date__gt=moment.date()).exists()
    assert not LessonProgress.objects.filter(completed_at__gt=now).exists()
    assert not LessonProgress.objects.filter(first_opened_at__gt=now).exists()
