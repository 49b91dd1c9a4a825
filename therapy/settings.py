"""Settings for Bekkenbodem online.

Everything that differs between a laptop and production comes from environment
variables. With nothing set the app runs in development mode on SQLite; with
DEBUG off it refuses to start until the production essentials are given.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"Set the {name} environment variable.")
        return default
    return value


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_choice(name, default, choices):
    value = env_str(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated) when DEBUG is off.")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 characters long and random (what check --deploy asks)."
        )

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Where emails sent outside a request (reminders) link to.
SITE_URL = env_str(
    "SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}"
).rstrip("/")

INSTALLED_APPS = [
    # Course content in Dutch and English: title_nl/title_en columns on the same rows
    # (courses/translation.py, therapy/journey/translation.py). Before the admin, as its
    # documentation asks.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "easy_thumbnails",
    "adminsortable2",
    "csp",
    "post_office",
    "auditlog",
    # Who changed a lesson, exercise, dose or step, with revert (courses/admin.py).
    "simple_history",
    # Dependencies run one way: accounts ← courses ← journey ← messaging ← clinic ← demo.
    "accounts",
    "courses",
    "therapy.journey",
    "therapy.messaging",
    "therapy.clinic",
    "therapy.demo",
    # Backups: django-dbbackup, driven by the ops app's `manage.py backup` and `restore`.
    "dbbackup",
    "therapy.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Puts the editor on each historical record of content she changes in the admin.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "accounts.middleware.ConsentMiddleware",
    "accounts.middleware.PatientTimezoneMiddleware",
    "accounts.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "therapy.urls"
WSGI_APPLICATION = "therapy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "therapy.journey.context_processors.safety_warning",
                "therapy.messaging.context_processors.unread_messages",
                "courses.pagecache.csrf_slot",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default; DATABASE_URL=postgres://… for several servers.
_SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait
    # (busy_timeout) instead of failing with "database is locked".
    "transaction_mode": "IMMEDIATE",
    "init_command": (
        "PRAGMA journal_mode=WAL;"
        "PRAGMA synchronous=NORMAL;"
        "PRAGMA busy_timeout=5000;"
        "PRAGMA foreign_keys=ON;"
    ),
}
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(_SQLITE_OPTIONS)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache: local memory on one server, Redis (REDIS_URL) when several servers share state.
# When Redis is down the site keeps working (accounts/cache.py): the cache falls back to
# local memory per process, sessions come from the database (cached_db), rate limits keep
# counting per process, and /healthz?full=1 reports the degraded cache.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "accounts.cache.FallbackRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # Fail fast: a dead Redis must not hold a page for long.
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # gunicorn's workers are separate processes: rate-limit counters must be shared even
    # on one server, so without Redis they live in files on this host.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIR", str(BASE_DIR / ".cache")),
        }
    }

# django-allauth 65: email is the only login identifier.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# A short code is easier to type on a phone than a link is to open in the right browser.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 15 * 60
# A code, not a link: the reset key never appears in a URL (and so never in an access log).
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_CHANGE_EMAIL = True
# Resending a code or changing the address on the code page stay off: in allauth 65.21
# that page then differs for a new and an already registered address, which tells a
# stranger who has an account. Logging in again sends a new code.
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = False
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = False
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_GET = False
# The session that changed the password stays; every other session ends, because
# Django checks the password hash stored in each session.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
# Subjects show on lock screens: a practice may prefer a more neutral prefix.
ACCOUNT_EMAIL_SUBJECT_PREFIX = env_str("EMAIL_SUBJECT_PREFIX", "Bekkenbodem online: ")
# allauth's defaults, written out because tests and the privacy statement rely on them:
# the 6th failed login for one address within 5 minutes gets a 429.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/10s/key",
}
# Behind nginx every request comes from the proxy's address: trust X-Forwarded-For from this
# many proxies of our own, so that the per-address login limit counts each patient apart.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
LOGIN_REDIRECT_URL = "/courses/"
# Who may create an account (accounts/signup.py): `open` — anyone, as in development;
# `invite` — only with a therapist's invitation or a course code (the production default);
# `closed` — nobody, not even with an invitation.
SIGNUP_MODE = env_choice("SIGNUP_MODE", "open" if DEBUG else "invite", ("open", "invite", "closed"))
# The invitations and course codes live with the courses (they enrol); accounts' signup
# form asks this module of the courses app about them (the one-way imports).
ACCOUNTS_SIGNUP_GRANTS = "courses.joining"
# An invitation link works this many days; a therapist sends at most this many a day.
INVITATION_DAYS = 14
# An unused invitation is deleted this many days after it expired or was withdrawn
# (`manage.py forget_invitations`, nightly in deploy/cron): no address kept without reason.
INVITATION_KEEP_DAYS = 30
INVITATIONS_PER_DAY = env_int("INVITATIONS_PER_DAY", 40)
# After her first intake (accounts) she answers the safety questions (the journey).
INTAKE_NEXT_URL = "therapy:safety"
# How much faster than real time the guided timer runs: only browser tests change it, so
# that a routine runs in seconds instead of minutes. Not read from the environment.
TIMER_SPEED = 1

# The out-of-hours GP service (huisartsenpost) of the practice's region, shown with the
# advice for an urgent answer and on /help/ next to 112. Empty: patients are told to call
# the number on their own GP's website.
OUT_OF_HOURS_PHONE = env_str("OUT_OF_HOURS_PHONE", "")
# Where an alert to the therapist links to: the patient's page (the clinic app).
THERAPIST_PATIENT_PAGE = "clinic:patient-detail"
LOGIN_URL = "/accounts/login/"

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Bekkenbodem online"
# Sessions are recorded at login (device, time); tracking every request would cost
# three queries per page for a "last seen" time nobody needs.
USERSESSIONS_TRACK_ACTIVITY = False

# Sessions for health data: end after 2 hours without activity and at the latest
# 12 hours after logging in (accounts.middleware.SessionLifetimeMiddleware). The idle
# clock is refreshed at most every few minutes, so a page view does not write.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 2 * 60 * 60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_REFRESH_SECONDS = 5 * 60
# In the database, read through the cache (Redis, or the files or memory of one server):
# a page view reads no session row. While Redis is down, accounts.cache reads them from
# the database only, so that a logout on one server counts on every other.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The version of the privacy statement a patient consents to. Change it whenever the
# statement changes in substance: every patient is then asked to consent again.
PRIVACY_STATEMENT_VERSION = "2026-11-26"

# Internationalisation: Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# Course content: Dutch is written first; a text without its English version is shown in
# Dutch (with a note on the lesson page, courses/templatetags/languages.py).
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_LANGUAGES = ("nl", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)
# A new lesson's address comes from its Dutch title.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "nl"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files are served by whitenoise; media by the reverse proxy in production.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Files that browsers ask for at the site's root whatever a page links (/favicon.ico,
# /apple-touch-icon.png): whitenoise serves them there, and collectstatic also copies them
# to /static/root/ (for nginx and the hashed links in base.html).
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Backups (therapy/ops/, README "Backups", docs/restore.md): `manage.py backup` writes the
# database and MEDIA_ROOT to BACKUP_DIR through django-dbbackup, each file encrypted with
# BACKUP_ENCRYPTION_KEY (AES-256-GCM, therapy/ops/crypto.py), and keeps the latest
# BACKUP_KEEP. The site starts without them; only the commands refuse to run without a key.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "backups")))
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
BACKUP_ENCRYPTION_KEY = env_str("BACKUP_ENCRYPTION_KEY")
STORAGES["dbbackup"] = {"BACKEND": "therapy.ops.storage.EncryptedBackupStorage"}
DBBACKUP_CONNECTOR_MAPPING = {
    # The SQLite online backup API both ways (dbbackup's own restores by a file copy).
    "django.db.backends.sqlite3": "therapy.ops.connectors.SqliteOnlineBackupConnector",
    # pg_dump --format=custom, restored by pg_restore in one transaction.
    "django.db.backends.postgresql": "dbbackup.db.postgresql.PgDumpBinaryConnector",
}
# The restoring user owns what it restores: a backup also goes into a server where the
# original owner or the roles in its grants do not exist (a restore test, a new server).
DBBACKUP_CONNECTORS = {"default": {"PG_OPTIONS": "--no-owner --no-privileges"}}
# UTC, so that names sort in time order through the autumn's double hour.
DBBACKUP_DATE_FORMAT = "%Y-%m-%dT%H%M%SZ"
# A failed backup exits non-zero with the reason: cron mails that (MAILTO); no ADMINS here.
DBBACKUP_SEND_EMAIL = False

# Kept pages (courses/pagecache.py): on, except when the benchmark measures pages built
# afresh (scripts/bench.py --fresh), as most views in real use are (each process keeps its own).
KEEP_PAGES = env_bool("KEEP_PAGES", True)
# The benchmark's bare page (therapy/bench.py, /bench/bare/): the same middleware and
# session as a lesson page, a body of BENCH_BARE_BYTES and no work; what scripts/bench.py
# compares the real pages with. Never in production: with DEBUG off it is refused unless
# the database is the benchmark's own throw-away file, in a folder the script marked.
BENCH_BARE_VIEW = env_bool("BENCH_BARE_VIEW", False)
BENCH_BARE_BYTES = env_int("BENCH_BARE_BYTES", 16_000)
BENCH_MARKER = ".bekkenbodem-bench"


def bench_database(database):
    """Whether `database` (a DATABASES entry) is scripts/bench.py's own throw-away file."""
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return False
    name = Path(str(database.get("NAME") or ""))
    return name.is_absolute() and (name.parent / BENCH_MARKER).is_file()


if BENCH_BARE_VIEW and not DEBUG and not bench_database(DATABASES["default"]):
    raise ImproperlyConfigured(
        "BENCH_BARE_VIEW is for the benchmark (scripts/bench.py) on its own throw-away "
        "database only: never set it in production."
    )

# Steps can wait for practice sessions; the journey app counts them (courses/outline.py).
COURSES_PRACTICE_COUNTER = "therapy.journey.models.count_practice_sessions"
# A patient finished a step that waits for the therapist's feedback: the journey app tells
# her therapist (`notify(patient=…)`, an email without health details; courses/services.py).
COURSES_FEEDBACK_AWAITED_NOTIFY = "therapy.journey.alerts.therapists_notify"

# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# easy-thumbnails makes the resized renditions of lesson images (sizes: courses/images.py).
THUMBNAIL_PRESERVE_EXTENSIONS = ("png",)
THUMBNAIL_SUBDIR = "renditions"

# Email: console in development; SMTP from EMAIL_URL or EMAIL_HOST in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bekkenbodem online <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
_email_url = env_str("EMAIL_URL")
if _email_url:
    _parsed = urlparse(_email_url)
    if _parsed.scheme not in {"smtp", "smtps", "submission"}:
        raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtps:// or submission://.")
    _query = parse_qs(_parsed.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _parsed.hostname
    EMAIL_PORT = _parsed.port or {"smtps": 465, "submission": 587}.get(_parsed.scheme, 25)
    EMAIL_HOST_USER = unquote(_parsed.username or "")
    EMAIL_HOST_PASSWORD = unquote(_parsed.password or "")
    EMAIL_USE_SSL = _parsed.scheme == "smtps"
    EMAIL_USE_TLS = _parsed.scheme == "submission" or _query.get("tls", ["0"])[0] in _TRUE
elif env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    raise ImproperlyConfigured(
        "Set EMAIL_URL (smtp://user:password@host:587?tls=1) or EMAIL_HOST when DEBUG is off: "
        "patients must receive their verification codes."
    )
# A slow or dead mail server holds a request for at most this long.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 5)
# Every email goes out at once through the backend above; one that fails is kept and sent
# again by `manage.py send_queued_mail` (cron), so nothing a patient or therapist sent is
# lost. The queue holds no health data (no email does) and is cleaned after 30 days.
if EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    POST_OFFICE = {
        "BACKENDS": {"default": EMAIL_BACKEND},
        "DEFAULT_PRIORITY": "now",
        "MAX_RETRIES": 8,
        "RETRY_INTERVAL": datetime.timedelta(minutes=15),
        "MESSAGE_ID_ENABLED": True,
        "LOG_LEVEL": 1,  # log failures only
        "CELERY_ENABLED": False,
    }
    EMAIL_BACKEND = "post_office.EmailBackend"

# Security headers; the HTTPS ones only where a proxy terminates TLS in front of us.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp): nothing inline, nothing from elsewhere but the
# privacy-enhanced video players. Media may come from object storage: MEDIA_ORIGIN is
# added to img-src and media-src below, where the storage settings are.
_SELF, _NONE = "'self'", "'none'"
_MEDIA = [_SELF]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": _MEDIA,
        "media-src": _MEDIA,
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "worker-src": [_SELF],
        "manifest-src": [_SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "frame-ancestors": [_NONE],
        "object-src": [_NONE],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "report-uri": "/csp-report/",
    }
}
# Permissions-Policy: only what the app uses. The timer keeps the screen on while she
# practises; the video players may go full screen or picture-in-picture.
_PLAYERS = ["self", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "camera": [],
    "display-capture": [],
    "encrypted-media": [],
    "fullscreen": _PLAYERS,
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "picture-in-picture": _PLAYERS,
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": ["self"],
    "usb": [],
    "xr-spatial-tracking": [],
}
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host-: sent only over HTTPS, only to this host, for the whole site.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    # Only when every subdomain is served over HTTPS too: a deployment decision.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # `check --deploy` warns about these two; leaving them off is a deliberate default
    # (every subdomain must be HTTPS first, and preloading is hard to undo).
    SILENCED_SYSTEM_CHECKS = [
        *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
        *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
    ]
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs can carry form data in error reports; keep them at WARNING.
        "django.request": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # WeasyPrint (the summary PDF) reports every layout step at INFO, and warns about
        # every browser-only rule of base.css (media queries, ::-webkit-…) on each PDF.
        "weasyprint": {"level": "ERROR"},
    },
}

# --- Static files and media storage (deployment) ---------------------------------------
# Where collectstatic writes (the proxy serves it at /static/; deploy/nginx.conf).
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(STATIC_ROOT)))
# Uploads (lesson images, their renditions, videos) live on the local disk by default, in
# MEDIA_ROOT, served by the reverse proxy at /media/ (a shared disk for several servers).
# MEDIA_STORAGE=s3 keeps them in a bucket of S3-compatible object storage instead
# (django-storages). The bucket stays private: pages link to signed URLs that expire.
# easy-thumbnails saves the renditions in the same storage, because no "easy_thumbnails"
# storage alias is defined and it then falls back to the default storage.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "local").strip().lower()
# The scheme and host of media URLs, for the Content-Security-Policy's img-src and
# media-src; empty when media come from this site itself. courses.checks compares it with
# the URLs the storage really makes.
MEDIA_ORIGIN = ""
if MEDIA_STORAGE == "s3":
    _bucket = env_str("AWS_STORAGE_BUCKET_NAME")
    if not _bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    _region = env_str("AWS_S3_REGION_NAME")
    _endpoint = env_str("AWS_S3_ENDPOINT_URL")
    if not _endpoint and not _region:
        raise ImproperlyConfigured(
            "MEDIA_STORAGE=s3 needs AWS_S3_ENDPOINT_URL, or AWS_S3_REGION_NAME for Amazon S3."
        )
    # Amazon's regional endpoint written out, so that the URLs' host is known in advance.
    _endpoint = (_endpoint or f"https://s3.{_region}.amazonaws.com").rstrip("/")
    _endpoint_parts = urlparse(_endpoint)
    if _endpoint_parts.scheme not in {"http", "https"} or not _endpoint_parts.netloc:
        raise ImproperlyConfigured(
            f"AWS_S3_ENDPOINT_URL must be an http(s):// address, not {_endpoint!r}."
        )
    _addressing = env_str(
        "AWS_S3_ADDRESSING_STYLE", "virtual" if _endpoint.endswith(".amazonaws.com") else "path"
    )
    if _addressing not in {"path", "virtual"}:
        raise ImproperlyConfigured("AWS_S3_ADDRESSING_STYLE must be path or virtual.")
    _custom_domain = env_str("AWS_S3_CUSTOM_DOMAIN")
    _signed = env_bool("AWS_QUERYSTRING_AUTH", True)
    if _custom_domain and _signed:
        # django-storages signs custom-domain URLs only with a CloudFront key: they would
        # be plain links to private objects, and every image would fail to load.
        raise ImproperlyConfigured(
            "AWS_S3_CUSTOM_DOMAIN serves unsigned URLs: also set AWS_QUERYSTRING_AUTH=0 "
            "(only if the course media may be public), or leave the custom domain out."
        )
    _s3_options = {
        "bucket_name": _bucket,
        "endpoint_url": _endpoint,
        "region_name": _region,
        "addressing_style": _addressing,
        "signature_version": "s3v4",
        "querystring_auth": _signed,
        # A lesson page may stay open as long as a session lasts and still play its video.
        "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", SESSION_ABSOLUTE_SECONDS),
        "custom_domain": _custom_domain,
        # The bucket's own access rules (private), not a per-object ACL.
        "default_acl": None,
        # Like the disk: a second "oefening.png" gets a name of its own instead of
        # replacing the picture that another lesson shows.
        "file_overwrite": False,
    }
    for _option, _variable in [
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
    ]:
        if env_str(_variable):  # otherwise boto3 finds credentials itself (e.g. a role)
            _s3_options[_option] = env_str(_variable)
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
    if _custom_domain:
        MEDIA_ORIGIN = f"https://{_custom_domain}"
    elif _addressing == "virtual":
        MEDIA_ORIGIN = f"{_endpoint_parts.scheme}://{_bucket}.{_endpoint_parts.netloc}"
    else:
        MEDIA_ORIGIN = f"{_endpoint_parts.scheme}://{_endpoint_parts.netloc}"
elif MEDIA_STORAGE != "local":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")
# For a provider whose URLs the rules above do not foresee (courses.checks says so).
MEDIA_ORIGIN = env_str("MEDIA_ORIGIN", MEDIA_ORIGIN).rstrip("/")
if MEDIA_ORIGIN:
    _MEDIA.append(MEDIA_ORIGIN)  # the list the CSP's img-src and media-src share
