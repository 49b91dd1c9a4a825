"""What every page needs to know about the patient: an urgent safety answer to act on."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from courses.pagecache import SAFETY_SESSION_KEY

from .models import SafetyCheck

_SAFETY = SAFETY_SESSION_KEY  # part of the key of kept pages


def remember_safety(request, check):
    """Keep in her session whether an urgent answer still waits for her confirmation."""
    request.session[_SAFETY] = check.pk if check and check.needs_help_confirmed else 0


def safety_warning(request):
    """Her unconfirmed urgent safety answer, for the warning shown on every page.

    Read from the session (one query per session at most), so a page view costs nothing.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff:
        return {}
    if _SAFETY not in request.session:
        remember_safety(request, SafetyCheck.objects.latest_for(user))
    check_id = request.session[_SAFETY]
    if not check_id:
        return {}
    return {
        "out_of_hours_phone": settings.OUT_OF_HOURS_PHONE,
        "safety_warning": SimpleLazyObject(
            lambda: SafetyCheck.objects.filter(user=user, pk=check_id).first()
        ),
    }
