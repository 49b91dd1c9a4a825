"""Users, courses and records for tests: one place, so that every test builds them alike.

The named users (alice, bob, therapist) are fixtures in conftest.py, built from these.
"""

import importlib
import time as _time
import uuid
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import groups
from accounts.models import Consent, Profile, User
from accounts.versions import data_changed
from courses.models import Course, Exercise, ExerciseDose, Lesson, LessonProgress, Step
from therapy.journey.models import PracticeSession, SafetyCheck

PASSWORD = "a-calm-Pelvic-floor-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

AMS = ZoneInfo("Europe/Amsterdam")
# The moment the `frozen` fixture stops the clock at: a Wednesday morning.
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=AMS)
TODAY = date(2026, 3, 11)
MONDAY = date(2026, 3, 9)  # of NOW's week


# The data migrations that give the Therapists group its permissions, each with PERMISSIONS.
_GRANTING_MIGRATIONS = [
    "courses.migrations.0002_therapists_group",
    "accounts.migrations.0003_therapists_view_profiles",
    "courses.migrations.0005_therapists_questions",
    "therapy.journey.migrations.0002_therapists_permissions",
    "courses.migrations.0007_therapists_doses",
    "therapy.journey.migrations.0005_therapists_safety",
    "courses.migrations.0011_therapists_access_codes",
    "courses.migrations.0013_therapists_programme",
    "therapy.messaging.migrations.0002_therapists_messages",
]


def therapists_group():
    """The Therapists group as the migrations make it (again, after a transactional flush)."""
    for name in _GRANTING_MIGRATIONS:
        groups.grant(apps, importlib.import_module(name).PERMISSIONS)
    return Group.objects.get(name=groups.THERAPISTS)


def totp_code(secret=TOTP_SECRET):
    """The code an authenticator app would show now."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(_time.time()) // 30
    return format_hotp_value(hotp_value(secret, counter))


def at(day, hour=9, minute=0, zone=AMS):
    """An aware datetime on `day` at hour:minute (Amsterdam unless told)."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def make_user(
    email, *, password=PASSWORD, verified=True, consent=True, intake=True, therapist=None, **extra
):
    """A user with a verified address who (by default) consented and did the intake."""
    user = User.objects.create_user(email=email, password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if consent:
        Consent.record(user)
    Profile.objects.create(
        user=user, intake_completed_at=timezone.now() if intake else None, therapist=therapist
    )
    return user


def make_therapist(email, **extra):
    """A therapist (staff in the Therapists group) with two-factor authentication."""
    from allauth.mfa.totp.internal.auth import TOTP

    user = make_user(email, is_staff=True, **extra)
    user.groups.add(therapists_group())
    TOTP.activate(user, TOTP_SECRET)  # staff cannot use the admin without 2FA
    return user


def practice_owners_group():
    group, _created = Group.objects.get_or_create(name=groups.PRACTICE_OWNERS)
    if not group.permissions.exists():
        from django.contrib.auth.models import Permission

        group.permissions.add(Permission.objects.get(codename="see_all_patients"))
    return group


def make_course(*, lessons_per_step=(2, 2, 1), slug="bekkenbodem", published=True):
    """A published course with steps of published lessons (one exercise each)."""
    course = Course.objects.create(title="Bekkenbodem", slug=slug, published=published)
    number = 0
    for step_index, count in enumerate(lessons_per_step):
        step = Step.objects.create(course=course, title=f"Stap {step_index + 1}", order=step_index)
        for lesson_index in range(count):
            number += 1
            lesson = Lesson.objects.create(
                step=step,
                title=f"Les {number}",
                slug=f"{slug}-les-{number}",
                summary=f"Samenvatting van les {number}",
                body=f"Tekst van **les {number}**.",
                order=lesson_index,
                published=True,
            )
            Exercise.objects.create(
                lesson=lesson, name=f"Oefening {number}", hold_seconds=8, relax_seconds=8
            )
    return course


def make_routine(course):
    """Put exercises of `course` (from make_course) in the routine, with growing doses.

    Step 1: "Oefening 1" (holds: 5 s × 5 in weeks 1–2, 8 s × 8 in weeks 3–4, 10 s × 10 from
    week 5) and "Oefening 2" (quick flicks); step 2: "Oefening 3" takes Oefening 1's place.
    Returns the three exercises.
    """
    first, flicks, third = (
        Exercise.objects.get(lesson__step__course=course, name=f"Oefening {n}") for n in (1, 2, 3)
    )
    for exercise in (first, third):
        exercise.in_routine = True
        exercise.hold_seconds, exercise.relax_seconds, exercise.repetitions, exercise.sets = (
            5,
            5,
            5,
            1,
        )
        exercise.save()
        ExerciseDose.objects.bulk_create(
            ExerciseDose(
                exercise=exercise, from_week=week, hold_seconds=h, relax_seconds=h, repetitions=h
            )
            for week, h in ((3, 8), (5, 10))
        )
    third.replaces = first
    third.save()
    Exercise.objects.filter(pk=flicks.pk).update(
        in_routine=True,
        kind=Exercise.Kind.QUICK_FLICKS,
        hold_seconds=1,
        relax_seconds=2,
        repetitions=10,
        sets=1,
    )
    flicks.refresh_from_db()
    return first, flicks, third


def complete(user, *lessons, when=None):
    """Mark lessons done for her (opened and completed at `when`, default now)."""
    when = when or timezone.now()
    for lesson in lessons:
        LessonProgress.objects.create(
            user=user, lesson=lesson, first_opened_at=when, completed_at=when
        )


def practise(user, *moments, count=1, **fields):
    """`count` routine sessions (what counts as a session) at each moment; returns them."""
    values = {
        "kind": PracticeSession.Kind.ROUTINE,
        "exercise_name": "Dagelijkse routine",
        "duration_seconds": 300,
        "repetitions_done": 24,
        "completed": True,
        **fields,
    }
    sessions = PracticeSession.objects.bulk_create(
        PracticeSession(user=user, idempotency_key=uuid.uuid4(), started_at=moment, **values)
        for moment in moments
        for _ in range(count)
    )
    data_changed(user.pk)  # as the app does after a bulk write: her pages are built afresh
    return sessions


def later(traveller, client, user, when):
    """Move the frozen clock on; a session that old has ended, so log in again."""
    traveller.move_to(when, tick=False)
    client.logout()  # a session this old has ended; a cache would still hold it
    client.force_login(user)


def safety_answers(user, *flags, source=SafetyCheck.Source.INTAKE, when=None):
    """Her answers to the safety questions (the codes she answered yes), stored as such."""
    return SafetyCheck.objects.create(
        user=user, flags=list(flags), source=source, answered_at=when or timezone.now()
    )
