"""A patient's own time zone, and what "today" is for her.

Dates that matter to a patient (today's practice, this week, the diary's last 30 days, a
step that opens after N days, the time of her reminder) follow the zone she chose in her
details, wherever the code runs: in her own request, on a therapist's page or in a cron job.
Everything asks `zone_for(user)` or `today_for(user)`; nothing else reads the setting.
"""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

_CACHE_ATTR = "_patient_zone"


def parse_zone(name):
    """ZoneInfo for `name`, or the site's zone when it is empty or unknown."""
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def remember_zone(user, zone):
    """Keep the zone on this user object, so that asking again costs no query."""
    setattr(user, _CACHE_ATTR, zone)
    return zone


def zone_for(user):
    """Her zone: from her profile (one query unless it was loaded or remembered)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    try:
        zone = user.profile.zone
    except (ObjectDoesNotExist, AttributeError):
        zone = parse_zone("")
    return remember_zone(user, zone)


def today_for(user, now=None):
    """The date it is for her now (or at `now`)."""
    return timezone.localdate(now or timezone.now(), zone_for(user))


def local_date(user, moment):
    """The date of an aware datetime, as she would write it down."""
    return timezone.localtime(moment, zone_for(user)).date()
