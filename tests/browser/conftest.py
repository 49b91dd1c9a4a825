import importlib

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.test import Client

# Each browser test runs against the live server, so pytest-django uses a transactional
# database and flushes it afterwards. The flush also drops the "Therapists" group that a
# data migration made; rebuilt from that migration's own list, so the two cannot drift.
_therapists_migration = importlib.import_module("courses.migrations.0002_therapists_group")


@pytest.fixture
def _therapists_group(transactional_db):
    group, _created = Group.objects.get_or_create(name=_therapists_migration.GROUP)
    for app_label, models in _therapists_migration.PERMISSIONS.items():
        for model, actions in models.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
            )
    return group


@pytest.fixture
def therapist(_therapists_group, therapist):
    return therapist


@pytest.fixture
def log_in(live_server):
    """Puts a logged-in session into a browser context, for tests that are not about logging in."""

    def log_in(context, user):
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": session.key, "value": session.value, "url": live_server.url}])

    return log_in


@pytest.fixture
def console_errors():
    """Collects console errors and uncaught exceptions of every page it is attached to."""
    errors = []

    def watch(page, *, ignore=None):
        def on_console(message):
            source = message.location.get("url", "")
            if message.type == "error" and not (ignore and ignore.search(source)):
                errors.append(f"{page.url}: {message.text} ({source})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    watch.errors = errors
    return watch
