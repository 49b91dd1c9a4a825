import os
import shutil
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from courses.content import forget_all
from courses.models import Enrollment
from tests.factories import (
    NOW,
    make_course,
    make_therapist,
    make_user,
    practice_owners_group,
)

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls
# from that thread are still synchronous and safe, so allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache (Redis in production), and the course content,
    page fragments and timer words in each process: no test inherits any."""
    cache.clear()
    _forget_kept()
    yield
    cache.clear()
    _forget_kept()


def _forget_kept():
    from courses import pagecache
    from courses.templatetags import fragments
    from therapy.journey.templatetags import practice

    forget_all()
    pagecache.forget_all()
    fragments.forget_all()
    practice._timer_strings.cache_clear()


@pytest.fixture(autouse=True)
def _dutch_to_begin_with():
    """Every test starts in Dutch, as a new request does. A request a test makes switches
    its thread's language (LocaleMiddleware) and nothing switches it back; with course texts
    per language, a factory's `title=` would otherwise write whichever language a test
    before it left on."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


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


@pytest.fixture
def frozen():
    """The clock stopped at factories.NOW (a Wednesday morning); move it with .move_to()."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def course(db):
    return make_course()


@pytest.fixture
def lessons(course):
    return list(course.published_lessons())


@pytest.fixture
def alice(db, course, therapist):
    """An enrolled patient of the therapist."""
    user = make_user("alice@example.com", display_name="Alice", therapist=therapist)
    Enrollment.objects.create(user=user, course=course)
    return user


@pytest.fixture
def bob(db, therapist):
    """Another patient of the therapist."""
    return make_user("bob@example.com", display_name="Bob", therapist=therapist)


@pytest.fixture
def therapist(db):
    """Marieke, a therapist (not a practice owner: she sees her own patients)."""
    return make_therapist("therapist@example.com", display_name="Marieke")


@pytest.fixture
def other_therapist(db):
    """Another therapist of the practice, with patients of her own."""
    return make_therapist("tweede@example.com", display_name="Sanne")


@pytest.fixture
def owner(db):
    """The practice owner: a therapist who sees every patient."""
    user = make_therapist("eigenaar@example.com", display_name="Ingrid")
    user.groups.add(practice_owners_group())
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
