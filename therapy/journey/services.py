"""Workflows of the journey that touch several models or send email."""

from django.utils import timezone

from accounts.versions import data_changed

from .alerts import therapists_notify
from .models import DiaryEntry, SafetyCheck


def safety_check_submit(*, user, flags, source):
    """Store her answers. An urgent one (now, today) tells her therapist at once."""
    check = SafetyCheck.objects.create(user=user, flags=list(flags), source=source)
    if check.is_urgent and therapists_notify(patient=user):
        check.therapist_told_at = timezone.now()
        check.save(update_fields=["therapist_told_at"])
    return check


def safety_help_confirm(*, check):
    """She confirms that she sought help; the warning on every page goes away."""
    if check.help_sought_at is None:
        check.help_sought_at = timezone.now()
        check.save(update_fields=["help_sought_at"])
    return check


def rest_day_choose(*, entry, tell_therapist):
    """She stops practising for the day (her back pain rose a lot); maybe tells her therapist."""
    DiaryEntry.objects.filter(pk=entry.pk).update(rest_day=True)
    data_changed(entry.user_id)  # an update() sends no signal
    entry.rest_day = True
    return therapists_notify(patient=entry.user) if tell_therapist else 0
