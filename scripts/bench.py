"""Benchmark the patient pages: median time and SQL queries per request.

Runs against a throw-away SQLite database, so it never touches db.sqlite3:
    make bench            # or: .venv/bin/python scripts/bench.py --lessons 200
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lessons", type=int, default=50, help="lessons in the course")
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--patients", type=int, default=200, help="patients for /therapist/")
    parser.add_argument("--days", type=int, default=730, help="days of diary and practice")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{tmp}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "therapy.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from tests.conftest import make_course, make_user

    per_step = 10
    steps = [per_step] * (args.lessons // per_step) + [args.lessons % per_step]
    course = make_course(lessons_per_step=tuple(s for s in steps if s))
    lessons = list(course.published_lessons())
    user = make_user("bench@example.com")
    client = Client()
    client.force_login(user)
    for lesson in lessons[: len(lessons) // 2]:
        client.post(f"/courses/{course.slug}/{lesson.slug}/complete/")
    middle = lessons[len(lessons) // 2]
    _history(user, lessons, args.days)
    therapist = _therapist_with_patients(course, args.patients)
    staff = Client()
    staff.force_login(therapist)
    pages = {
        "course list": ("/courses/", client),
        "course overview": (f"/courses/{course.slug}/", client),
        "lesson page": (f"/courses/{course.slug}/{middle.slug}/", client),
        "dashboard": ("/dashboard/", client),
        "diary": ("/diary/", client),
        "therapist overview": ("/therapist/", staff),
        "home (anonymous)": ("/", Client()),
    }
    print(
        f"{len(lessons)} lessons, {args.days} days of diary and practice, "
        f"{args.patients} patients; {args.requests} requests per page (Django test client)"
    )
    print(f"{'page':<20} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, (url, browser) in pages.items():
        browser.get(url)  # warm caches and templates
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = browser.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(args.requests):
            start = time.perf_counter()
            browser.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"{name:<20} {statistics.median(timings):>10.2f} {p95:>8.2f} {len(queries):>8}")


def _history(user, lessons, days):
    """Daily diary entries and three practice sessions a day for `days` days."""
    import datetime
    import uuid

    from django.utils import timezone

    from therapy.journey.models import DiaryEntry, PracticeSession

    today = timezone.localdate()
    exercise = lessons[0].exercises.first()
    now = timezone.now()
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            user=user,
            date=today - datetime.timedelta(days=i),
            leaks=i % 5,
            pads=i % 3,
            urgency=i % 4,
            back_pain=i % 11,
        )
        for i in range(days)
    )
    PracticeSession.objects.bulk_create(
        PracticeSession(
            user=user,
            exercise=exercise,
            exercise_name=exercise.name,
            idempotency_key=uuid.uuid4(),
            started_at=now - datetime.timedelta(days=i, hours=h * 4),
            duration_seconds=400,
            repetitions_done=24,
            completed=True,
        )
        for i in range(days)
        for h in range(3)
    )


def _therapist_with_patients(course, count):
    from django.contrib.auth.models import Group

    from accounts.groups import THERAPISTS
    from courses.models import Enrollment
    from tests.conftest import TOTP_SECRET, make_user

    therapist = make_user("therapist-bench@example.com", is_staff=True)
    therapist.groups.add(Group.objects.get(name=THERAPISTS))
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(therapist, TOTP_SECRET)
    for i in range(count):
        patient = make_user(f"patient{i}@example.com")
        Enrollment.objects.create(user=patient, course=course)
    return therapist


if __name__ == "__main__":
    main()
