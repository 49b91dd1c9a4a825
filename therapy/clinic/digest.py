"""The daily email to each therapist, sent only when something new needs her attention.

"New" means a signal (code and fingerprint, therapy/clinic/overview.py) that is unseen
now and was not in the last email; a signal she marked as seen, or one that went away,
is not mailed again. Like the instant alerts (therapy/journey/alerts.py) the email never
names a patient or a reason: how many, and a link to the overview.
"""

import hashlib
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.care import patients_of
from accounts.groups import therapists

from . import overview
from .models import DigestState

logger = logging.getLogger(__name__)


def attention_now(therapist, now=None):
    """{patient id: digests of her unseen signal keys} of her patients who need attention now."""
    now = now or timezone.now()
    overview.statuses_refresh(timezone.localdate(now))
    patients = patients_of(therapist)
    ids = list(
        overview._statuses(now, patients).filter(flag_count__gt=0).values_list("user_id", flat=True)
    )
    found = {}
    for start in range(0, len(ids), 500):
        chunk = overview.patients_queryset().filter(pk__in=ids[start : start + 500])
        for row in overview.patient_rows(chunk):
            # Only a digest of each signal is kept: the state holds no health data.
            keys = sorted(_digest(flag.key) for flag in row.unseen_flags)
            if keys:
                found[str(row.user.pk)] = keys
    return found


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def attention_digest_send(*, now=None):
    """Mail every therapist with something new; returns how many emails went out."""
    now = now or timezone.now()
    sent = 0
    for therapist in therapists().select_related("profile"):
        current = attention_now(therapist, now)
        state, _created = DigestState.objects.get_or_create(therapist=therapist)
        told = state.told or {}
        new_patients = [pk for pk, keys in current.items() if set(keys) - set(told.get(pk, []))]
        if new_patients and _send(therapist, waiting=len(current), new=len(new_patients)):
            sent += 1
            state.sent_at = now
        elif new_patients:
            continue  # not sent: try again tomorrow with the same news
        state.told = current
        state.save()
    return sent


def _send(therapist, *, waiting, new):
    link = settings.SITE_URL + reverse("clinic:patient-list") + "?filter=attention"
    language = getattr(getattr(therapist, "profile", None), "language", None)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"therapist": therapist, "link": link, "waiting": waiting, "new": new}
        subject = render_to_string("clinic/email/attention_digest_subject.txt", context)
        text = render_to_string("clinic/email/attention_digest_message.txt", context)
        html = render_to_string("clinic/email/attention_digest_message.html", context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject.strip()}",
        body=text,
        to=[therapist.email],
    )
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except OSError as error:
        logger.error("Could not send the attention digest (%s)", type(error).__name__)
        return False
    return True
