import os
import shutil
import time
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone

from accounts.groups import THERAPISTS
from accounts.models import Consent, Profile, User
from courses.models import Course, Enrollment, Exercise, Lesson, Step

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls
# from that thread are still synchronous and safe, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

PASSWORD = "a-calm-Pelvic-floor-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret=TOTP_SECRET):
    """The code an authenticator app would show now."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time()) // 30
    return format_hotp_value(hotp_value(secret, counter))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache (Redis in production): no test inherits any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The real hasher takes ~0.2 s per user; only tests about hashing would need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploads of a test land in its own folder, never in the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(email, *, password=PASSWORD, verified=True, consent=True, intake=True, **extra):
    """A user with a verified address who (by default) consented and did the intake."""
    user = User.objects.create_user(email=email, password=password, **extra)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if consent:
        Consent.record(user)
    Profile.objects.create(user=user, intake_completed_at=timezone.now() if intake else None)
    return user


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


@pytest.fixture
def course(db):
    return make_course()


@pytest.fixture
def lessons(course):
    return list(course.published_lessons())


@pytest.fixture
def alice(db, course):
    """An enrolled patient."""
    user = make_user("alice@example.com", display_name="Alice")
    Enrollment.objects.create(user=user, course=course)
    return user


@pytest.fixture
def bob(db):
    """Another patient."""
    return make_user("bob@example.com", display_name="Bob")


@pytest.fixture
def therapist(db):
    user = make_user("therapist@example.com", display_name="Marieke", is_staff=True)
    user.groups.add(Group.objects.get(name=THERAPISTS))
    TOTP.activate(user, TOTP_SECRET)  # staff cannot use the admin without 2FA
    return user


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


# --- Browser tests (Playwright driving the system's Chromium) ---


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.skip("Browser tests need Chromium: apt-get install -y chromium chromium-driver")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def artifacts_dir():
    """Screenshots land here (git-ignored), to be looked at after a run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
