"""Settings from the environment: dev defaults that work, production that refuses to guess.

Each case starts a fresh Python, because settings are read once, at import time.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from therapy.envvars import settings_variables

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Everything therapy/settings.py reads, so that the caller's environment cannot leak in.
SETTINGS_VARIABLES = settings_variables()
GOOD_KEY = "k" * 21 + "-production-secret-0123456789"  # 50 characters
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "bekkenbodem.example,www.bekkenbodem.example",
    "EMAIL_URL": "smtp://mailer:geheim%21@mail.example.com:587?tls=1",
}
SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST"),
    "PORT": db.get("PORT"),
    "USER": db.get("USER"),
    "OPTIONS": db.get("OPTIONS", {}),
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "LANGUAGES": [code for code, _name in settings.LANGUAGES],
    "TIME_ZONE": settings.TIME_ZONE,
    "USE_TZ": settings.USE_TZ,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "SENDS_WITH": getattr(settings, "POST_OFFICE", {}).get("BACKENDS", {}).get("default"),
    "EMAIL_HOST": getattr(settings, "EMAIL_HOST", None),
    "EMAIL_PORT": getattr(settings, "EMAIL_PORT", None),
    "EMAIL_HOST_USER": getattr(settings, "EMAIL_HOST_USER", None),
    "EMAIL_HOST_PASSWORD": getattr(settings, "EMAIL_HOST_PASSWORD", None),
    "EMAIL_USE_TLS": getattr(settings, "EMAIL_USE_TLS", None),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "BENCH_BARE_VIEW": settings.BENCH_BARE_VIEW,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "AUTH_USER_MODEL": settings.AUTH_USER_MODEL,
}))
"""


def start(**variables):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(variables)
    env["DJANGO_SETTINGS_MODULE"] = "therapy.settings"
    return subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def started(**variables):
    result = start(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def refused(**variables):
    result = start(**variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def without(name):
    return {key: value for key, value in PRODUCTION.items() if key != name}


def test_it_refuses_production_without_a_secret_key():
    stderr = refused(**without("SECRET_KEY"))

    assert "SECRET_KEY" in stderr


def test_it_refuses_production_without_allowed_hosts():
    stderr = refused(**without("ALLOWED_HOSTS"))

    assert "ALLOWED_HOSTS" in stderr


def test_it_refuses_production_with_empty_allowed_hosts():
    stderr = refused(**{**PRODUCTION, "ALLOWED_HOSTS": " , "})

    assert "ALLOWED_HOSTS" in stderr


def test_it_refuses_a_short_secret_key_in_production():
    stderr = refused(**{**PRODUCTION, "SECRET_KEY": "x" * 31})

    assert "SECRET_KEY" in stderr


def test_it_refuses_production_without_a_way_to_send_email():
    stderr = refused(**without("EMAIL_URL"))

    assert "EMAIL" in stderr


def test_it_refuses_an_email_url_that_is_not_smtp():
    stderr = refused(**{**PRODUCTION, "EMAIL_URL": "https://mail.example.com"})

    assert "EMAIL_URL" in stderr


def test_it_refuses_a_debug_value_that_is_not_a_boolean():
    stderr = refused(DEBUG="maybe")

    assert "DEBUG" in stderr
    assert "maybe" in stderr


def test_it_starts_in_production_with_the_essentials():
    settings = started(**PRODUCTION)

    assert settings["DEBUG"] is False
    assert settings["ALLOWED_HOSTS"] == ["bekkenbodem.example", "www.bekkenbodem.example"]
    # Through the queue (django-post-office), which sends at once over SMTP and keeps a
    # message that failed for `send_queued_mail` to try again.
    assert settings["EMAIL_BACKEND"] == "post_office.EmailBackend"
    assert settings["SENDS_WITH"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"]) == ("mail.example.com", 587)
    assert (settings["EMAIL_HOST_USER"], settings["EMAIL_HOST_PASSWORD"]) == ("mailer", "geheim!")
    assert settings["EMAIL_USE_TLS"] is True
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True


def test_it_refuses_the_benchmark_bare_view_in_production():
    stderr = refused(**PRODUCTION, BENCH_BARE_VIEW="1")

    assert "BENCH_BARE_VIEW" in stderr


def test_it_refuses_the_bare_view_on_a_database_the_benchmark_did_not_mark(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"

    stderr = refused(**PRODUCTION, BENCH_BARE_VIEW="1", DATABASE_URL=url)

    assert "BENCH_BARE_VIEW" in stderr


def test_it_allows_the_bare_view_on_the_benchmark_database(tmp_path):
    (tmp_path / ".bekkenbodem-bench").write_text("scripts/bench.py")
    url = f"sqlite:///{tmp_path / 'bench.sqlite3'}"

    settings = started(**PRODUCTION, BENCH_BARE_VIEW="1", DATABASE_URL=url)

    assert settings["BENCH_BARE_VIEW"] is True


def test_it_leaves_the_bare_view_off_by_default():
    assert started(**PRODUCTION)["BENCH_BARE_VIEW"] is False


def test_it_runs_on_sqlite_in_wal_mode_when_nothing_is_set():
    settings = started()

    assert settings["DEBUG"] is True
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(settings["NAME"]) == PROJECT_ROOT / "db.sqlite3"
    assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    init_command = settings["OPTIONS"]["init_command"].replace(" ", "").lower()
    assert "pragmajournal_mode=wal" in init_command
    assert "pragmabusy_timeout=" in init_command
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert settings["AUTH_USER_MODEL"] == "accounts.User"


def test_it_speaks_dutch_in_amsterdam_time():
    settings = started()

    assert settings["LANGUAGE_CODE"] == "nl"
    assert settings["LANGUAGES"] == ["nl", "en"]
    assert settings["TIME_ZONE"] == "Europe/Amsterdam"
    assert settings["USE_TZ"] is True


def test_it_uses_postgresql_from_database_url():
    settings = started(DATABASE_URL="postgres://u@h:5432/x")

    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["NAME"], settings["USER"], settings["HOST"], settings["PORT"]) == (
        "x",
        "u",
        "h",
        5432,
    )
    # SQLite's pragmas would make PostgreSQL refuse the connection.
    assert "init_command" not in settings["OPTIONS"]
    assert "transaction_mode" not in settings["OPTIONS"]


def test_it_passes_the_deployment_checks_with_the_documented_production_environment():
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(PRODUCTION)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by tests/conftest.py for Playwright only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr


def test_it_finds_every_variable_the_settings_read():
    # Some of each kind of read, from the real settings.
    assert {
        "SECRET_KEY",  # env_str
        "DEBUG",  # env_bool
        "DB_CONN_MAX_AGE",  # env_int
        "SIGNUP_MODE",  # env_choice
        "ALLOWED_HOSTS",  # env_list
        "AWS_STORAGE_BUCKET_NAME",
        "TRUSTED_PROXY_COUNT",
        "DATABASE_URL",  # dj_database_url
    } <= SETTINGS_VARIABLES
    # And every way of reading one.
    source = """
A = env_int("ONE", 1)
B = env_bool( "TWO", False)
C = os.environ.get("THREE")
D = os.environ["FOUR"]
E = other("NOT_A_SETTING")
"""
    assert settings_variables(source) == {"ONE", "TWO", "THREE", "FOUR", "DATABASE_URL"}
