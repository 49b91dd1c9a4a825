"""The demo practice: a second therapist and a dozen patients with a history (development only).

The people and the shape of their weeks are data (content/practice.toml); this turns them
into records counted back from today, so the therapist pages look the way a practice sees
them on any day `make run` is started. Each demo patient is made again on every run.
"""

import datetime
import random
import tomllib
import uuid
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from accounts.groups import PRACTICE_OWNERS
from accounts.models import Complaint, Consent, Profile
from accounts.versions import data_changed
from courses.models import Enrollment, LessonProgress, LessonQuestion
from therapy.journey.models import (
    DiaryEntry,
    PracticeSession,
    Questionnaire,
    QuestionnaireResponse,
    SafetyCheck,
)

from .loader import CONTENT_DIR

PRACTICE_FILE = CONTENT_DIR / "practice.toml"
PATIENT_DOMAIN = "demo.example.com"
# The hours she practises on a day with 1, 2 or 3 routine sessions.
HOURS = {1: [19], 2: [8, 19], 3: [8, 13, 20]}
OPEN_QUESTION = "Mag ik de oefeningen ook liggend doen als ik moe ben?"


def load_practice(path=PRACTICE_FILE):
    return tomllib.loads(path.read_text(encoding="utf-8"))


def practice_seed(*, course, therapist, make_staff, now=None):
    """Sanne, the practice owner's rights for the demo therapist, and the demo patients.

    `make_staff(email=…, password=…, display_name=…)` makes a therapist with two-factor
    (seed_demo's own way). Returns (sanne, [patients]).
    """
    now = now or timezone.now()
    data = load_practice()
    sanne = make_staff(**data["therapist"])
    owners, _created = Group.objects.get_or_create(name=PRACTICE_OWNERS)
    therapist.groups.add(owners)
    therapists = {"marieke": therapist, "sanne": sanne}
    patients = [
        _patient(spec, course=course, therapist=therapists[spec["therapist"]], now=now)
        for spec in data["patients"]
    ]
    return sanne, patients


def _patient(spec, *, course, therapist, now):
    email = f"{slugify(spec['name']).replace('-', '.')}@{PATIENT_DOMAIN}"
    user_model = get_user_model()
    user_model.objects.filter(email__iexact=email).delete()  # her history is made afresh
    started = now - datetime.timedelta(weeks=spec["weeks"])
    user = user_model(email=email, display_name=spec["name"], date_joined=started)
    user.set_unusable_password()  # a demo record to look at, not an account to log in to
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Consent.record(user)
    Profile.objects.create(
        user=user,
        therapist=therapist,
        complaints=[Complaint.URINE_LOSS]
        + ([Complaint.LOW_BACK_PAIN] if spec["pain_start"] >= 3 else []),
        intake_completed_at=started,
    )
    Enrollment.objects.create(user=user, course=course, enrolled_at=started)
    SafetyCheck.objects.create(
        user=user, source=SafetyCheck.Source.INTAKE, flags=[], answered_at=started
    )
    rng = random.Random(spec["name"])  # noqa: S311 — the same made-up history on every run
    zone = ZoneInfo("Europe/Amsterdam")
    first_day = timezone.localtime(started, zone).date()
    today = timezone.localtime(now, zone).date()
    last_day = today - datetime.timedelta(days=spec.get("stopped_days_ago", 0))
    days = (today - first_day).days or 1
    sessions, entries = [], []
    day = first_day
    while day <= last_day:
        share = (day - first_day).days / days
        per_day = spec["practice"]
        if spec.get("maintenance") and share > 12 / spec["weeks"]:
            per_day = 1 if day.weekday() in (0, 2, 4) else 0
        for hour in HOURS.get(per_day, [])[: per_day if rng.random() > 0.15 else per_day - 1]:
            moment = datetime.datetime.combine(
                day, datetime.time(hour, rng.randrange(60)), tzinfo=zone
            )
            if moment > now:
                continue
            sessions.append(
                PracticeSession(
                    user=user,
                    kind=PracticeSession.Kind.ROUTINE,
                    exercise_name="Dagelijkse routine",
                    idempotency_key=uuid.uuid4(),
                    started_at=moment,
                    duration_seconds=rng.randrange(420, 660),
                    repetitions_done=rng.randrange(18, 25),
                    completed=True,
                    feeling=rng.choice([3, 4, 4, 5]),
                )
            )
        if rng.random() > 0.2 or day == last_day:  # most days, not all
            entries.append(
                DiaryEntry(
                    user=user,
                    date=day,
                    leaks=_towards(spec["leaks_start"], spec["leaks_now"], share, rng),
                    pads=min(3, _towards(spec["leaks_start"], spec["leaks_now"], share, rng)),
                    urgency=min(
                        5, 1 + _towards(spec["leaks_start"], spec["leaks_now"], share, rng)
                    ),
                    back_pain=min(10, _towards(spec["pain_start"], spec["pain_now"], share, rng)),
                    note=spec.get("note", "") if day == last_day else "",
                )
            )
        day += datetime.timedelta(days=1)
    PracticeSession.objects.bulk_create(sessions)
    DiaryEntry.objects.bulk_create(entries)
    for entry in entries:  # written that evening, not now (auto_now set them to now)
        evening = datetime.datetime.combine(entry.date, datetime.time(21, 0), tzinfo=zone)
        entry.created_at = entry.updated_at = min(evening, now)  # today's: not in the future
    DiaryEntry.objects.bulk_update(entries, ["created_at", "updated_at"], batch_size=200)
    _lessons(user, course, spec, started, now)
    _scores(user, spec, started, now)
    if "red_flag" in spec:
        SafetyCheck.objects.create(
            user=user,
            source=SafetyCheck.Source.CHECK_IN,
            flags=spec["red_flag"]["flags"],
            answered_at=now - datetime.timedelta(days=spec["red_flag"]["days_ago"], hours=1),
        )
    if spec["name"].startswith("Fatima"):
        lesson = course.published_lessons().first()
        LessonQuestion.objects.create(
            user=user, lesson=lesson, text=OPEN_QUESTION, asked_at=now - datetime.timedelta(hours=5)
        )
    data_changed(user.pk)  # bulk writes: her pages and overview row are built afresh
    return user


def _towards(start, end, share, rng):
    """A day's number on the way from `start` to `end`, with a little day-to-day noise."""
    value = start + (end - start) * share + rng.choice([-1, 0, 0, 0, 1])
    return max(0, round(value))


def _lessons(user, course, spec, started, now):
    """The lessons of the weeks she has had (all of them in maintenance), done in order."""
    lessons = list(course.published_lessons())
    weeks = course.programme_weeks or 12
    share = 1 if spec.get("maintenance") else min(1, spec["weeks"] / weeks)
    count = (
        max(1, round(len(lessons) * share))
        if spec.get("stopped_days_ago") is None
        else (max(1, round(len(lessons) * share * 0.6)))
    )
    until = now - datetime.timedelta(days=spec.get("stopped_days_ago", 0))
    span = min(until, started + datetime.timedelta(weeks=weeks)) - started
    LessonProgress.objects.bulk_create(
        LessonProgress(
            user=user,
            lesson=lesson,
            first_opened_at=started + span * (i / max(count, 1)),
            completed_at=min(
                started + span * (i / max(count, 1)) + datetime.timedelta(minutes=12), now
            ),
        )
        for i, lesson in enumerate(lessons[:count])
    )


def _scores(user, spec, started, now):
    questionnaire = Questionnaire.objects.filter(slug="lekcheck").first()
    if questionnaire is None:
        return
    responses = []
    for i, total in enumerate(spec.get("lekcheck", [])):
        moment = started + datetime.timedelta(weeks=6 * i, hours=2)
        if moment > now:
            break
        responses.append(
            QuestionnaireResponse(
                user=user,
                questionnaire=questionnaire,
                due_date=timezone.localtime(moment).date(),
                submitted_at=moment,
                total_score=total,
            )
        )
    QuestionnaireResponse.objects.bulk_create(responses)


def practice_emails():
    """The addresses of the demo patients (for the summary seed_demo prints, and tests)."""
    return [
        f"{slugify(spec['name']).replace('-', '.')}@{PATIENT_DOMAIN}"
        for spec in load_practice()["patients"]
    ]
