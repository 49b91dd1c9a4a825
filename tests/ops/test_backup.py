"""`manage.py backup` and `manage.py restore`: backups that restore.

Backups are taken in this process, as cron takes them next to the running site; restores
run `manage.py restore` in a fresh Python into an EMPTY place (a new SQLite file, or a new
PostgreSQL database bk_test_…), as an operator would on a new server. The suite runs on
SQLite and, with DATABASE_URL=postgres://…, on PostgreSQL: every test here runs on both.
"""

import gzip
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from dbbackup.storage import get_storage
from django.core.management import CommandError, call_command
from django.db import connection, connections

from tests.factories import NOW, at, make_user, practise
from therapy.journey.models import DiaryEntry, PracticeSession
from therapy.ops.crypto import generate_key

ROOT = Path(__file__).resolve().parents[2]
# What a restore in a fresh Python reads from the environment: only what the test gives.
VARIABLES = {"DEBUG", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "BACKUP_DIR", "BACKUP_KEEP"}
VARIABLES |= {"BACKUP_ENCRYPTION_KEY", "SECRET_KEY", "ALLOWED_HOSTS", "EMAIL_URL", "EMAIL_HOST"}
PG_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
SECRET_NOTE = "Lekte bij het niezen in de supermarkt — kenmerk 7f3a9c"


@pytest.fixture(autouse=True)
def backups(settings, tmp_path):
    """Backups of a test land in its own folder, with a key of its own."""
    settings.BACKUP_DIR = tmp_path / "backups"
    settings.BACKUP_ENCRYPTION_KEY = generate_key()
    settings.BACKUP_KEEP = 14
    return settings.BACKUP_DIR


@pytest.fixture
def live_database(transactional_db, tmp_path):
    """The database as the site has it, for writers in several threads: on SQLite a file in
    WAL mode (the test database lives in memory, where threads lock each other out of
    tables), on PostgreSQL the test database itself. Commits are real either way, so
    pg_dump and the backup API see exactly what was committed."""
    if connection.vendor != "sqlite":
        yield
        return
    in_memory, name = connection.connection, connection.settings_dict["NAME"]
    # Closing an in-memory database destroys it: put it aside and hand it back after.
    connection.connection = None
    # The same dict as connections.settings["default"]: threads open the file too.
    connection.settings_dict["NAME"] = str(tmp_path / "live.sqlite3")
    try:
        call_command("migrate", verbosity=0)
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"], connection.connection = name, in_memory


class EmptyPlace:
    """A new, empty database and MEDIA_ROOT to restore into, and a look at what is there."""

    def __init__(self, tmp_path):
        self.media_root = tmp_path / "restored-media"
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
            return
        source = connection.settings_dict
        self.name = f"bk_test_{uuid.uuid4().hex[:12]}"
        self.params = {
            key: source[setting]
            for key, setting in [("host", "HOST"), ("port", "PORT"), ("user", "USER")]
            if source.get(setting)
        }
        if source.get("PASSWORD"):
            self.params["password"] = source["PASSWORD"]
        login = source["USER"] + (f":{source['PASSWORD']}" if source.get("PASSWORD") else "")
        host = f"{source.get('HOST') or 'localhost'}:{source.get('PORT') or 5432}"
        self.url = f"postgres://{login}@{host}/{self.name}"
        self._admin(f'CREATE DATABASE "{self.name}"')

    def _admin(self, sql):
        import psycopg

        with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as admin:
            admin.execute(sql)

    def drop(self):
        if self.vendor != "sqlite":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def restore(self, *arguments, key=None):
        """`manage.py restore …` in a fresh Python with this place as its database."""
        from django.conf import settings

        env = {name: value for name, value in os.environ.items() if name not in VARIABLES}
        env.update(
            DATABASE_URL=self.url,
            MEDIA_ROOT=str(self.media_root),
            BACKUP_DIR=str(settings.BACKUP_DIR),
            BACKUP_ENCRYPTION_KEY=key or settings.BACKUP_ENCRYPTION_KEY,
        )
        return subprocess.run(
            [sys.executable, "manage.py", "restore", *arguments],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def query(self, sql):
        if self.vendor == "sqlite":
            with sqlite3.connect(self.path) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(dbname=self.name, **self.params) as db:
            return db.execute(sql).fetchall()

    def integrity(self):
        """The database's own check of every table (and, on PostgreSQL, every index), and
        the row count of every table."""
        if self.vendor == "sqlite":
            assert self.query("PRAGMA integrity_check") == [("ok",)]
            assert self.query("PRAGMA foreign_key_check") == []
            tables = [n for (n,) in self.query("SELECT name FROM sqlite_master WHERE type='table'")]
            checked = "PRAGMA integrity_check ok, foreign_key_check empty"
        else:
            import psycopg

            tables = [n for (n,) in self.query(PG_TABLES)]
            with psycopg.connect(dbname=self.name, autocommit=True, **self.params) as db:
                try:
                    db.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
                except psycopg.Error as error:
                    checked = f"pg_restore ok; amcheck unavailable ({error.sqlstate})"
                else:
                    # Each B-tree index is consistent and has an entry for every heap row.
                    indexes = db.execute(
                        "SELECT c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                        "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON "
                        "n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'"
                    ).fetchall()
                    for (oid,) in indexes:
                        db.execute("SELECT bt_index_check(%s, true)", [oid])
                    checked = f"pg_restore ok, amcheck ok on {len(indexes)} indexes"
        counts = {t: self.query(f'SELECT count(*) FROM "{t}"')[0][0] for t in tables}
        return counts, checked


@pytest.fixture
def empty_place(tmp_path):
    place = EmptyPlace(tmp_path)
    yield place
    place.drop()


def backup():
    call_command("backup", verbosity=0)
    return get_storage()


def backed_up_files(folder):
    return sorted(path.name for path in Path(folder).iterdir() if path.is_file())


# --- A backup taken while patients write, restored into an empty place -----------------


class Writers:
    """Threads that keep saving diary days and practice sessions, as patients do, and note
    each row with the moment its commit returned."""

    def __init__(self, patients):
        self.stop = threading.Event()
        self.committed = []  # (monotonic time after the commit, table, identity)
        self.errors = []
        self.threads = [
            threading.Thread(target=self._run, args=(work, patient), daemon=True)
            for patient in patients
            for work in (self._diary_day, self._practice)
        ]

    def _diary_day(self, patient, n):
        day = date(2025, 1, 1) + timedelta(days=n)
        entry = DiaryEntry.objects.submit_day(
            user=patient,
            date=day,
            leaks=n % 5,
            pads=1,
            urgency=2,
            back_pain=n % 11,
            note=f"{patient.email} {day}",
        )
        return "diary", (entry.pk, entry.note)

    def _practice(self, patient, n):
        (session,) = practise(patient, at(NOW.date() - timedelta(days=n % 300), 7 + n % 12))
        return "practice", session.idempotency_key

    def _run(self, work, patient):
        try:
            if connection.vendor == "sqlite":
                # Six threads writing in a tight loop on a busy CI machine can keep one of
                # them waiting for the write lock past the site's 5 s busy timeout (SQLite
                # does not queue waiters fairly). That is contention among the writers, not
                # the backup, which takes no write lock: let them wait longer here.
                connection.cursor().execute("PRAGMA busy_timeout=60000")
            n = 0
            while not self.stop.is_set():
                table, identity = work(patient, n)
                self.committed.append((time.monotonic(), table, identity))
                n += 1
                self.stop.wait(0.001)  # patients pause between saves; others get the lock
        except Exception as error:  # noted, so that the test fails with it
            self.errors.append(error)
        finally:
            connections.close_all()  # this thread's own connection

    def start(self):
        for thread in self.threads:
            thread.start()

    def wait_for(self, rows, timeout=60):
        """Until each table has at least `rows` more rows than now."""
        wanted = {table: len(self.rows(table)) + rows for table in ("diary", "practice")}
        deadline = time.monotonic() + timeout
        while not self.errors and time.monotonic() < deadline:
            if all(len(self.rows(table)) >= n for table, n in wanted.items()):
                return
            time.sleep(0.01)  # waiting on other threads, not on the clock
        assert not self.errors, self.errors
        raise AssertionError("the writers are stuck")

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert not self.errors, self.errors

    def rows(self, table, until=None):
        return {
            identity
            for moment, kind, identity in list(self.committed)
            if kind == table and (until is None or moment < until)
        }


def test_it_restores_every_row_committed_before_a_backup_taken_while_patients_write(
    live_database, empty_place, record_property
):
    patients = [make_user(f"patient{n}@example.com") for n in range(3)]
    writers = Writers(patients)
    writers.start()
    try:
        writers.wait_for(200)
        started = time.monotonic()
        backup()
        finished = time.monotonic()
        writers.wait_for(20)  # and they go on after it
    finally:
        writers.finish()
    written_during = [moment for moment, *_ in writers.committed if started < moment < finished]
    assert written_during, "no row was committed while the backup ran"

    result = empty_place.restore("--latest")

    assert result.returncode == 0, result.stderr
    assert "Restored backup" in result.stdout
    counts, checked = empty_place.integrity()
    diary = set(empty_place.query(f"SELECT id, note FROM {DiaryEntry._meta.db_table}"))
    practice = {
        uuid.UUID(str(key))
        for (key,) in empty_place.query(
            f"SELECT idempotency_key FROM {PracticeSession._meta.db_table}"
        )
    }
    before = {"diary": writers.rows("diary", until=started)}
    before["practice"] = writers.rows("practice", until=started)
    assert before["diary"] <= diary  # every row committed before the backup started
    assert before["practice"] <= practice
    assert diary <= writers.rows("diary")  # and nothing that was never written
    assert practice <= writers.rows("practice")
    patients_back = empty_place.query("SELECT email FROM accounts_user ORDER BY email")
    assert [email for (email,) in patients_back] == sorted(p.email for p in patients)
    summary = (
        f"{connection.vendor}: {len(before['diary'])} diary entries and "
        f"{len(before['practice'])} practice sessions committed before the backup, all back; "
        f"{len(written_during)} rows committed while it ran, "
        f"{len(diary) + len(practice) - len(before['diary']) - len(before['practice'])} "
        f"of the later ones in it; {sum(counts.values())} rows in {len(counts)} tables "
        f"counted; {checked}; backup {finished - started:.2f} s"
    )
    record_property("backup_restore", summary)
    print(summary)


def test_it_brings_media_files_back_byte_identical(transactional_db, settings, empty_place):
    media = Path(settings.MEDIA_ROOT)
    files = {
        "lessons/images/houding.png": os.urandom(300_000),
        "lessons/renditions/houding.png.640x0_q85.png": os.urandom(4_000),
        "lessons/video/ademhaling.mp4": os.urandom(2_500_000),
        "leeg.txt": b"",
    }
    for name, content in files.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(content)
    backup()

    result = empty_place.restore("--latest")

    assert result.returncode == 0, result.stderr
    restored = {
        str(path.relative_to(empty_place.media_root)): path.read_bytes()
        for path in empty_place.media_root.rglob("*")
        if path.is_file()
    }
    assert restored == files
    assert "4 media files" in result.stdout


def test_it_keeps_no_half_backup_when_the_media_cannot_be_read(transactional_db, settings):
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True)
    (media / "verdwenen.png").symlink_to(media / "nergens.png")  # listed, cannot be read

    with pytest.raises(CommandError, match="The backup failed and was not kept"):
        call_command("backup", verbosity=0)

    assert backed_up_files(settings.BACKUP_DIR) == []


# --- Keys --------------------------------------------------------------------------------


def test_it_refuses_to_restore_with_a_wrong_key(transactional_db, settings, empty_place):
    make_user("alice@example.com")
    backup()

    result = empty_place.restore("--latest", key=generate_key())

    assert result.returncode != 0
    assert "made with another BACKUP_ENCRYPTION_KEY" in result.stderr
    assert "Nothing was restored" in result.stderr
    assert not empty_place.media_root.exists()
    if empty_place.vendor == "sqlite":
        assert empty_place.query("SELECT name FROM sqlite_master") == []
    else:
        assert empty_place.query(PG_TABLES) == []


def test_it_refuses_to_restore_without_a_key(transactional_db, settings):
    backup()
    settings.BACKUP_ENCRYPTION_KEY = None

    with pytest.raises(CommandError, match="Set BACKUP_ENCRYPTION_KEY"):
        call_command("restore", "--latest", "--force")


def test_it_refuses_a_key_that_is_not_a_generated_one(transactional_db, settings):
    settings.BACKUP_ENCRYPTION_KEY = "geheim"

    with pytest.raises(CommandError, match="32 random bytes"):
        call_command("backup")


def test_it_refuses_to_back_up_without_a_key_when_debug_is_off(transactional_db, settings):
    settings.DEBUG = False
    settings.BACKUP_ENCRYPTION_KEY = None

    with pytest.raises(CommandError, match="Set BACKUP_ENCRYPTION_KEY"):
        call_command("backup")

    assert not settings.BACKUP_DIR.exists() or backed_up_files(settings.BACKUP_DIR) == []


def test_it_refuses_a_damaged_backup(transactional_db, settings):
    make_user("alice@example.com")
    storage = backup()
    (db_file,) = [p for p in settings.BACKUP_DIR.iterdir() if p.name.endswith(".gz.enc")]
    damaged = bytearray(db_file.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    db_file.write_bytes(bytes(damaged))

    with pytest.raises(CommandError, match="damaged or cut off"):
        call_command("restore", "--latest", "--force")

    assert storage.list_backups(content_type="db")  # nothing was removed or replaced


# --- Retention, refusals, clear text --------------------------------------------------


def test_it_keeps_only_the_latest_backups(transactional_db, settings, frozen):
    settings.BACKUP_KEEP = 3
    for day in range(5):
        frozen.move_to(NOW + timedelta(days=day), tick=False)
        backup()

    files = backed_up_files(settings.BACKUP_DIR)

    stamps = [f"2026-03-{d}T090000Z" for d in (13, 14, 15)]  # 10:00 in Amsterdam is 9:00 UTC
    extension = "sqlite3" if connection.vendor == "sqlite" else "psql.bin"
    assert files == sorted(
        name
        for stamp in stamps
        for name in (
            f"db-{stamp}.{extension}.gz.enc",
            f"db-{stamp}.{extension}.gz.metadata.enc",
            f"media-{stamp}.tar.enc",
        )
    )
    listed = call_command_output("restore", "--list")
    assert [line.split()[0] for line in listed.splitlines()] == stamps[::-1]


def call_command_output(*arguments):
    from io import StringIO

    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


def test_it_refuses_to_overwrite_a_database_that_has_data(transactional_db, settings):
    make_user("alice@example.com")
    backup()
    make_user("bob@example.com")  # after the backup: a restore would lose her

    with pytest.raises(CommandError, match="add --force"):
        call_command("restore", "--latest")

    assert connection.introspection.table_names()
    from accounts.models import User

    assert set(User.objects.values_list("email", flat=True)) == {
        "alice@example.com",
        "bob@example.com",
    }


def test_it_does_not_store_a_diary_note_in_clear_text(transactional_db, settings, tmp_path):
    alice = make_user("alice@example.com")
    DiaryEntry.objects.submit_day(
        user=alice,
        date=date(2026, 3, 10),
        leaks=2,
        pads=1,
        urgency=1,
        back_pain=3,
        note=SECRET_NOTE,
    )
    storage = backup()
    secret = SECRET_NOTE.encode()

    for path in settings.BACKUP_DIR.iterdir():
        stored = path.read_bytes()
        assert secret not in stored, path.name
        assert b"alice@example.com" not in stored, path.name

    # The control: decrypted, the same backup does hold the note, so the search above works.
    (name,) = storage.list_backups(content_type="db")
    plain = gzip.decompress(storage.read_file(name).read())
    if connection.vendor == "sqlite":
        assert secret in plain
    else:
        dump = tmp_path / "plain.dump"
        dump.write_bytes(plain)
        sql = subprocess.run(
            [shutil.which("pg_restore"), "--data-only", "--file=-", str(dump)],
            capture_output=True,
            check=True,
        ).stdout
        assert secret in sql
