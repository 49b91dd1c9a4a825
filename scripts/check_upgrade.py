"""Show that a database made by an older commit upgrades to this one and keeps every row.

    python scripts/check_upgrade.py [COMMIT]

Checks out COMMIT (default: the last commit before the apps moved into therapy/journey and
therapy/clinic) into a temporary folder, lets *that* code migrate a new SQLite database,
seed the demo and add a few practice sessions and diary days, and counts the rows of every
table. Then *this* code runs `migrate` on the same file. It fails when the plan holds a
migration the old commit already had (a renamed app or migration would do that), or when a
table has fewer rows than before. Exits 0 and prints the row counts when all is well.
"""

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The last commit with the journey and therapist pages inside the project package.
BEFORE_LAYOUT = "e85df7c"

ADD_RECORDS = """
import datetime, uuid
from django.utils import timezone
from accounts.models import User
from courses.models import Exercise
from {models} import DiaryEntry, PracticeSession
patient = User.objects.get(email="patient@example.com")
exercise = Exercise.objects.order_by("pk").first()
today = timezone.localdate()
for day in range(5):
    DiaryEntry.objects.get_or_create(
        user=patient, date=today - datetime.timedelta(days=day),
        defaults=dict(leaks=day, pads=1, urgency=0, back_pain=3),
    )
    PracticeSession.objects.create(
        user=patient, exercise=exercise, exercise_name=exercise.name,
        idempotency_key=uuid.uuid4(), started_at=timezone.now() - datetime.timedelta(days=day),
        duration_seconds=120, repetitions_done=8, completed=True,
    )
"""


def run(args, cwd, env, capture=False):
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        text=True,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"`manage.py {' '.join(args)}` failed in {cwd}")
    return result.stdout if capture else None


def row_counts(path):
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        # Table names come from sqlite_master itself, not from outside.
        count = 'SELECT COUNT(*) FROM "{}"'
        return {table: db.execute(count.format(table)).fetchone()[0] for table in tables}


def applied(path):
    with sqlite3.connect(path) as db:
        return set(db.execute("SELECT app, name FROM django_migrations"))


def main(commit=BEFORE_LAYOUT):
    with tempfile.TemporaryDirectory(prefix="upgrade-") as tmp:
        tmp = Path(tmp)
        old = tmp / "old"
        old.mkdir()
        archive = subprocess.run(  # noqa: S603
            ["git", "archive", commit],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)  # noqa: S603, S607
        database = tmp / "db.sqlite3"
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{database}",
            "MEDIA_ROOT": str(tmp / "media"),
            "PYTHONPATH": "",
        }
        for name in ("REDIS_URL",):
            env.pop(name, None)
        run(["migrate", "--noinput", "-v", "0"], old, env)
        run(["seed_demo"], old, env, capture=True)
        models = (
            "therapy.models"
            if (old / "therapy" / "models.py").exists()
            else "therapy.journey.models"
        )
        run(["shell", "-c", ADD_RECORDS.format(models=models)], old, env)
        before = row_counts(database)
        old_migrations = applied(database)

        # Every migration the old code applied must be known, as applied, to this code: a
        # renamed app label or migration would leave it out and start the app from scratch.
        known = {
            tuple(line.split("]", 1)[1].strip().split(".", 1))
            for line in run(["showmigrations", "--plan"], ROOT, env, capture=True).splitlines()
            if line.startswith("[X]")
        }
        unknown = sorted(f"{app}.{name}" for app, name in old_migrations - known)
        plan = run(["migrate", "--plan"], ROOT, env, capture=True)
        # The plan lists each migration as an unindented "app.name", its operations below.
        planned = [
            tuple(line.split(".", 1))
            for line in plan.splitlines()
            if line and not line.startswith((" ", "Planned")) and "." in line
        ]
        again = [f"{app}.{name}" for app, name in planned if (app, name) in old_migrations]
        run(["migrate", "--noinput", "-v", "0"], ROOT, env)
        after = row_counts(database)

    lost = {t: (n, after.get(t, 0)) for t, n in before.items() if after.get(t, 0) < n}
    report = {
        "from": commit,
        "tables": len(before),
        "rows_before": sum(before.values()),
        "rows_after": sum(after[t] for t in before if t in after),
        "old_migrations": len(old_migrations),
        "old_migrations_unknown_here": unknown,
        "migrations_applied_again": again,
        "tables_with_fewer_rows": lost,
        "new_migrations": [f"{app}.{name}" for app, name in planned],
    }
    print(json.dumps(report, indent=2))
    if unknown or again or lost:
        raise SystemExit("The upgrade would apply an old migration again or lose rows.")
    return report


if __name__ == "__main__":
    main(*sys.argv[1:2])
