import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import Consent, Profile
from .navigation import back_after_login
from .timezones import parse_zone, remember_zone
from .twofactor import needs_two_factor_setup, redirect_to_two_factor_setup

_STARTED = "_session_started_at"
_SEEN = "_session_seen_at"
_CONSENT_OK = "_consent_version_ok"

# Pages a patient may reach before she has consented to the current privacy statement.
_CONSENT_EXEMPT = (
    "/accounts/consent/",
    "/accounts/logout/",
    "/accounts/export/",
    "/accounts/delete/",
    "/accounts/reauthenticate/",
    "/privacy/",
    "/i18n/",
    "/static/",
    "/media/",
    "/healthz",
    "/admin/",
)


class SessionLifetimeMiddleware:
    """Ends a session after SESSION_COOKIE_AGE idle or SESSION_ABSOLUTE_SECONDS in all.

    Instead of saving the session on every request (a write per page view), the idle
    clock is moved on only when it is more than SESSION_REFRESH_SECONDS old.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(_STARTED, now)
            seen = session.get(_SEEN, now)
            if (
                now - started > settings.SESSION_ABSOLUTE_SECONDS
                or now - seen > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                messages.info(
                    request, _("For your privacy you were logged out. Please log in again.")
                )
                # A form sent now comes back to its page after login (never to a POST-only
                # address); what she typed waits in the browser (static/js/drafts.js).
                target = back_after_login(request)
                return redirect(f"{settings.LOGIN_URL}?{urlencode({'next': target})}")
            if _SEEN not in session or now - seen > settings.SESSION_REFRESH_SECONDS:
                session[_SEEN] = now  # saving also renews the cookie's idle expiry
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff see patients' health data: the admin opens only after setting up 2FA.

    The therapist pages (/therapist/) check the same in their own decorator, after
    deciding that the user may see them at all (anyone else gets a 404 there).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith("/admin/")
            and user.is_authenticated
            and user.is_staff
            and needs_two_factor_setup(user)
        ):
            return redirect_to_two_factor_setup(request)
        return self.get_response(request)


class ConsentMiddleware:
    """A patient who has not agreed to the current privacy statement is asked first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        version = settings.PRIVACY_STATEMENT_VERSION
        # Only page views are redirected: a form she is submitting is never thrown away.
        if (
            request.method in {"GET", "HEAD"}
            and user.is_authenticated
            and not user.is_staff
            and request.session.get(_CONSENT_OK) != version
            and not request.path.startswith(_CONSENT_EXEMPT)
        ):
            if Consent.is_current(user):
                request.session[_CONSENT_OK] = version
            else:
                url = reverse("accounts:consent")
                return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


_ZONE = "_patient_timezone"


class PatientTimezoneMiddleware:
    """Dates (today, this week, the diary's last 30 days) follow the patient's time zone.

    The zone's name is read from her profile once per session (saving the profile updates
    it) and remembered on request.user, so `accounts.timezones.zone_for` costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_staff:
            name = request.session.get(_ZONE)
            if name is None:
                profile = Profile.objects.filter(user=user).only("timezone").first()
                name = remember_timezone(request, profile.timezone if profile else "")
            timezone.activate(remember_zone(user, parse_zone(name)))
        else:
            timezone.deactivate()
        return self.get_response(request)


def remember_timezone(request, name):
    """Store her zone's name in the session (after login, or when she changes it)."""
    name = name or settings.TIME_ZONE
    request.session[_ZONE] = name
    remember_zone(request.user, parse_zone(name))
    return name


class PrivateCacheMiddleware:
    """Pages for a logged-in person hold personal (often health) data: never keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
