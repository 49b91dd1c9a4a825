"""The benchmark's dataset (scripts/bench.py), written with bulk_create into its own database.

On top of the demo course (seed_demo): the course reshaped to 60 lessons in 6 steps (the
demo's lessons, text, pictures and exercises, copied round), 2,000 patients who started
any time in the last year and a half and got as far as her days and practice allow (some
stopped early), and for 200 of them a year of diary, routine sessions and questionnaires.
Two therapists share the patients (one has 200), and the practice owner sees all 2,000.
"""

import copy
import datetime
import random
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import Consent, Profile, User
from accounts.versions import data_changed
from courses.models import Course, Enrollment, Exercise, Lesson, LessonImage, LessonProgress
from courses.signals import content_changed
from tests.factories import PASSWORD, TOTP_SECRET, make_therapist, practice_owners_group
from therapy.clinic import overview
from therapy.journey.models import (
    Answer,
    DiaryEntry,
    PracticeSession,
    Questionnaire,
    QuestionnaireResponse,
    SafetyCheck,
)

STEPS, PER_STEP = 6, 10
WITH_DATA = 200
SMALL_CASELOAD = 200


def seed(*, patients=2000, seed_value=11, timed=None):
    """Write the dataset; returns what the benchmark needs to know of it. `timed(what,
    function)` runs each part (and may time it)."""
    timed = timed or (lambda _what, function: function())
    rng = random.Random(seed_value)  # noqa: S311 - the same dataset every run, not a secret
    now = timezone.now()
    with transaction.atomic():
        course = timed("  course: 60 lessons in 6 steps", _reshape_course)
        lessons = list(course.published_lessons().select_related("step"))
        therapist = make_therapist("therapeut@bench.example", display_name="Marieke")
        colleague = make_therapist("collega@bench.example", display_name="Sanne")
        owner = make_therapist("eigenaar@bench.example", display_name="Ingrid")
        owner.groups.add(practice_owners_group())
        users = timed("  patients", lambda: _patients(rng, now, patients))
        # Her 200: half of them with a year of data, like the practice's other caseloads.
        rich = users[:WITH_DATA]
        small = {u.pk for u in rich[: WITH_DATA // 2] + users[WITH_DATA : WITH_DATA + 100]}
        Profile.objects.bulk_create(
            Profile(
                user=u,
                intake_completed_at=u.date_joined,
                therapist=therapist if u.pk in small else colleague,
            )
            for u in users
        )
        Enrollment.objects.bulk_create(
            Enrollment(user=u, course=course, enrolled_at=u.date_joined) for u in users
        )
        SafetyCheck.objects.bulk_create(
            SafetyCheck(user=u, flags=[], urgency="", answered_at=u.date_joined) for u in users
        )
        sessions = timed("  practice", lambda: _practice(rng, now, users, rich))
        timed("  lessons done", lambda: _progress(rng, now, users, lessons, sessions))
        timed("  diary", lambda: _diary(rng, now, rich))
        timed("  questionnaires", lambda: _questionnaires(rng, now, rich))
        patient = rich[0]
        _the_patient(patient, lessons, now)
        data_changed(*(u.pk for u in users))
    timed("  overview statuses", overview.statuses_refresh)  # as overview_refresh does
    lesson = lessons[STEPS * PER_STEP // 2]
    return {
        "course_url": f"/courses/{course.slug}/",
        "lesson_url": f"/courses/{course.slug}/{lesson.slug}/",
        "patient_page_url": f"/therapist/patients/{patient.pk}/",
        "password": PASSWORD,
        "totp_secret": TOTP_SECRET,
        "users": {"patient": patient, "therapist": therapist, "owner": owner},
        "emails": {"patient": patient.email, "therapist": therapist.email, "owner": owner.email},
        "lessons": len(lessons),
        "patients": len(users),
    }


def _insert(model, rows):
    """Rows (dicts of column attnames) into model's table in one executemany: bulk_create's
    work per object costs about 40 s for the 250,000 practice sessions, this a few."""
    if not rows:
        return
    fields = {f.attname: f for f in model._meta.concrete_fields}
    names = list(rows[0])
    columns = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
    holes = ", ".join(["%s"] * len(names))
    # Only dates, times and UUIDs need converting; numbers, text and booleans go as they are.
    converted = (models.DateField, models.DateTimeField, models.UUIDField)
    prep = [fields[n].get_db_prep_save if isinstance(fields[n], converted) else None for n in names]
    values = [
        [
            row[n] if convert is None else convert(row[n], connection)
            for convert, n in zip(prep, names, strict=True)
        ]
        for row in rows
    ]
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({holes})",  # noqa: S608 - our own names
            values,
        )


def _reshape_course():
    """The demo course with its steps 7+ folded into step 6, filled up to 10 lessons each."""
    course = Course.objects.get()
    steps = list(course.steps.order_by("order"))
    for extra in steps[STEPS:]:
        Lesson.objects.filter(step=extra).update(step=steps[STEPS - 1])
        extra.delete()
    steps = steps[:STEPS]
    originals = list(
        Lesson.objects.filter(step__course=course).prefetch_related("exercises", "images")
    )
    source = iter(originals * (STEPS * PER_STEP))
    number = 0
    for step in steps:
        have = list(step.lessons.order_by("order"))
        for order, lesson in enumerate(have):
            if order >= PER_STEP:  # a folded step with more than 10: the rest moves on
                lesson.delete()
        for order in range(len(have), PER_STEP):
            original = next(source)
            number += 1
            clone = copy.copy(original)
            clone.pk = clone.id = None
            clone._state = copy.copy(original._state)
            clone._state.adding = True
            clone.step = step
            clone.order = order
            clone.slug = f"{original.slug}-{number}"[:80]
            for column in ("title_nl", "title_en"):  # each language's title, numbered
                if getattr(original, column):
                    setattr(clone, column, f"{getattr(original, column)} ({number})")
            clone.video_file = ""  # the demo has none; a copy must not share an upload
            Lesson.objects.bulk_create([clone])
            exercises = []
            for exercise in original.exercises.all():
                twin = copy.copy(exercise)
                twin.pk = twin.id = None
                twin._state = copy.copy(exercise._state)
                twin._state.adding = True
                twin.lesson = clone
                twin.in_routine = False  # the routine stays the demo's
                twin.replaces = None
                exercises.append(twin)
            Exercise.objects.bulk_create(exercises)
            LessonImage.objects.bulk_create(
                LessonImage(
                    lesson=clone,
                    image=image.image.name,
                    alt_text_nl=image.alt_text_nl,
                    alt_text_en=image.alt_text_en,
                    caption_nl=image.caption_nl,
                    caption_en=image.caption_en,
                    order=image.order,
                    width=image.width,
                    height=image.height,
                    renditions=image.renditions,
                )
                for image in original.images.all()
            )
    content_changed()
    return course


def _patients(rng, now, count):
    password = make_password(PASSWORD)  # hashed once: 2,000 hashes would take minutes
    users = []
    for number in range(count):
        # The first WITH_DATA have been at it for a year or more; the others started any
        # time in the last 18 months, a few this week.
        days = rng.randint(366, 420) if number < WITH_DATA else rng.randint(0, 540)
        users.append(
            User(
                email=f"patient{number:05d}@bench.example",
                display_name=f"Patiënt {number}",
                password=password,
                date_joined=now - datetime.timedelta(days=days, hours=rng.randint(0, 23)),
            )
        )
    users = User.objects.bulk_create(users)
    EmailAddress.objects.bulk_create(
        EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users
    )
    Consent.objects.bulk_create(
        Consent(user=u, version=settings.PRIVACY_STATEMENT_VERSION, given_at=u.date_joined)
        for u in users
    )
    return users


def _routine_session(user, moment, rng, now):
    return {
        "user_id": user.pk,
        "exercise_id": None,
        "kind": PracticeSession.Kind.ROUTINE,
        "exercise_name": "Dagelijkse routine",
        "idempotency_key": uuid.uuid4(),
        "started_at": moment,
        "duration_seconds": rng.randint(240, 420),
        "repetitions_done": rng.randint(18, 30),
        "completed": rng.random() < 0.9,
        "feeling": rng.randint(1, 5),
        "by_hand": False,
        "created_at": now,
    }


def _practice(rng, now, users, rich):
    """Routine sessions: 1–3 on most days of the last year for `rich`, a few for the others.
    Returns {user pk: [session moments]}."""
    rich_ids = {u.pk for u in rich}
    rows, moments = [], {}
    for user in users:
        days = (now - user.date_joined).days
        if user.pk in rich_ids:
            when = [
                now - datetime.timedelta(days=day, hours=rng.choice((2, 7, 12)) + n * 3)
                for day in range(365)
                if rng.random() < 0.8
                for n in range(rng.randint(1, 3))
            ]
        else:
            # Keen, middling or stopped early: a realistic long tail.
            keen = rng.choice((0.05, 0.3, 1.0, 2.0))
            span = rng.randint(0, days) if rng.random() < 0.3 else days  # some stopped
            when = [
                user.date_joined + datetime.timedelta(days=rng.uniform(0, span))
                for _ in range(min(40, int(span * keen)))
            ]
        moments[user.pk] = sorted(when)
        rows += [_routine_session(user, moment, rng, now) for moment in when]
    _insert(PracticeSession, rows)
    return moments


def _progress(rng, now, users, lessons, sessions):
    """Lessons done in order, as far as her days and sessions opened the steps."""
    by_step = {}
    for lesson in lessons:
        by_step.setdefault(lesson.step_id, []).append(lesson)
    steps = sorted({lesson.step for lesson in lessons}, key=lambda step: step.order)
    rows = []
    for user in users:
        days = (now - user.date_joined).days
        done_sessions = len(sessions[user.pk])
        open_lessons = []
        waited_days = waited_sessions = 0
        for step in steps:
            waited_days += step.unlock_after_days
            waited_sessions += step.unlock_after_sessions
            if waited_days > days or waited_sessions > done_sessions:
                break
            open_lessons += by_step[step.pk]
        keen = rng.random()
        done = open_lessons[: round(len(open_lessons) * min(1.0, 0.2 + keen))]
        for index, lesson in enumerate(done):
            moment = user.date_joined + datetime.timedelta(days=min(days, index), hours=1)
            rows.append(
                LessonProgress(
                    user=user, lesson=lesson, first_opened_at=moment, completed_at=moment
                )
            )
    LessonProgress.objects.bulk_create(rows, batch_size=5000)


def _diary(rng, now, rich):
    today = timezone.localdate()
    _insert(
        DiaryEntry,
        [
            {
                "user_id": user.pk,
                "date": today - datetime.timedelta(days=day),
                "leaks": max(0, 4 - day // 90 + rng.randint(-1, 1)),
                "pads": rng.randint(0, 2),
                "urgency": rng.randint(0, 3),
                "back_pain": rng.randint(0, 6),
                "note": "Rustige dag." if rng.random() < 0.1 else "",
                "rest_day": False,
                "created_at": now,
                "updated_at": now,
            }
            for user in rich
            for day in range(365)
            if rng.random() < 0.75
        ],
    )


def _questionnaires(rng, now, rich):
    """Each published questionnaire every six weeks for a year, every question answered."""
    questionnaires = list(
        Questionnaire.objects.filter(published=True).prefetch_related("questions__options")
    )
    responses, answers = [], []
    for user in rich:
        for questionnaire in questionnaires:
            for week in range(0, 53, 6):
                due = (now - datetime.timedelta(weeks=week)).date()
                chosen = [
                    (q, rng.choice(list(q.options.all()))) for q in questionnaire.questions.all()
                ]
                response = QuestionnaireResponse(
                    user=user,
                    questionnaire=questionnaire,
                    due_date=due,
                    submitted_at=now - datetime.timedelta(weeks=week),
                    total_score=sum(option.score for _q, option in chosen),
                )
                responses.append(response)
                answers.append((response, chosen))
    QuestionnaireResponse.objects.bulk_create(responses, batch_size=5000)
    Answer.objects.bulk_create(
        (
            Answer(response=response, question=question, option=option)
            for response, chosen in answers
            for question, option in chosen
        ),
        batch_size=5000,
    )


def _the_patient(patient, lessons, now):
    """The patient the benchmark logs in as: half-way, the lesson she reads opened before."""
    LessonProgress.objects.filter(user=patient).delete()
    half = len(lessons) // 2
    LessonProgress.objects.bulk_create(
        LessonProgress(
            user=patient,
            lesson=lesson,
            first_opened_at=now - datetime.timedelta(days=300 - index * 5),
            completed_at=None if index == half else now - datetime.timedelta(days=300 - index * 5),
        )
        for index, lesson in enumerate(lessons[: half + 1])
    )
