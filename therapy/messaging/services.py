"""Sending and reading messages: the message, its read marks, the email to the other side
and the unread counts in the navigation."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.care import caregivers_of, user_filter
from accounts.versions import data_changed

from .models import Message

# Unread counts are kept in the shared cache under an inbox version: the patient's own (new
# with every message to her and every time she reads them) and one for all therapists (new
# with every message from a patient and every time a therapist reads them). So a count
# costs one query per change, not per page, and not after every change of her data either.
# A new inbox version is set before her data version changes: a page kept under her new data
# version (courses/pagecache.py) always has the new count.
STAFF_INBOX = "messaging:inbox:staff"
COUNT_SECONDS = 60 * 60


def _patient_inbox(patient_id):
    return f"messaging:inbox:{patient_id}"


def _inbox_version(key):
    version = cache.get(key)
    if version is None:
        version = secrets.randbits(62)
        cache.set(key, version, None)
    return version


def _inbox_changed(key):
    cache.set(key, secrets.randbits(62), None)


def _patient_inbox_changed(patient_id):
    _inbox_changed(_patient_inbox(patient_id))
    data_changed(patient_id)  # after the new inbox version: see above


def unread_count(user):
    """How many messages wait for `user`: from her therapist (a patient), or from her
    patients (a therapist; a practice owner: from every patient)."""
    if not user.is_authenticated:
        return 0
    inbox = STAFF_INBOX if user.is_staff else _patient_inbox(user.pk)
    key = f"messaging:unread:{user.pk}:{_inbox_version(inbox)}"
    count = cache.get(key)
    if count is None:
        if user.is_staff:
            waiting = Message.objects.unread_by_therapist().filter(**user_filter(user, "patient"))
        else:
            waiting = Message.objects.unread_by_patient().filter(patient=user)
        count = waiting.count()
        cache.set(key, count, COUNT_SECONDS)
    return count


def message_send(*, patient, sender, text, link):
    """Store a message in her conversation and email the other side that there is one.

    The email says only that there is a new message, with a `link` to the conversation:
    never its text. It goes once until the other side has read what waits for her, so a
    run of messages is one email. Returns (message, emailed): False when that email could
    not be sent (the message is stored all the same).
    """
    from_patient = sender.pk == patient.pk
    with transaction.atomic():
        waiting = Message.objects.filter(
            patient=patient, from_patient=from_patient, read_at__isnull=True
        ).exists()
        message = Message.objects.create(
            patient=patient, sender=sender, from_patient=from_patient, text=text
        )
    if from_patient:
        _inbox_changed(STAFF_INBOX)
    else:
        _patient_inbox_changed(patient.pk)
    if waiting:
        return message, True
    try:
        message_notify(message=message, link=link)
    except OSError:
        return message, False
    return message, True


def message_notify(*, message, link):
    """Email the other side that a message waits; no health details, no text, no name."""
    if message.from_patient:
        recipients = [t for t in caregivers_of(message.patient) if t.email]
        template = "messaging/email/new_message_therapist.txt"
    else:
        recipients = [message.patient]
        template = "messaging/email/new_message_patient.txt"
    for recipient in recipients:
        profile = getattr(recipient, "profile", None)
        language = getattr(profile, "language", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("You have a new message")
            body = render_to_string(template, {"user": recipient, "url": link})
        send_mail(
            f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body, None, [recipient.email]
        )


def conversation_mark_read(*, patient, reader):
    """The other side's messages in her conversation are read now. Returns how many."""
    from_patient = reader.pk != patient.pk
    marked = Message.objects.filter(
        patient=patient, from_patient=from_patient, read_at__isnull=True
    ).update(read_at=timezone.now())
    if marked:
        if from_patient:
            _inbox_changed(STAFF_INBOX)
        else:
            _patient_inbox_changed(patient.pk)  # the count in her header
    return marked


def unread_from(patient_ids):
    """{patient id: how many of her messages no therapist has read}, in one query."""
    from django.db.models import Count

    rows = (
        Message.objects.unread_by_therapist()
        .filter(patient_id__in=list(patient_ids))
        .values("patient_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["patient_id"]: row["count"] for row in rows}
