"""Practice reminders and "a new step is open" emails, and their unsubscribe token."""

import datetime
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Profile
from accounts.timezones import remember_zone
from courses.models import Enrollment
from courses.outline import LessonState

from .models import PracticeSession, ReminderLog

logger = logging.getLogger(__name__)
SALT = "therapy.reminders.unsubscribe"


def unsubscribe_token(user):
    return signing.Signer(salt=SALT).sign(str(user.pk))


def user_id_from_token(token):
    try:
        return int(signing.Signer(salt=SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def _send(user, language, template, context):
    unsubscribe_url = settings.SITE_URL + reverse(
        "therapy:unsubscribe", kwargs={"token": unsubscribe_token(user)}
    )
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe_url,
        "site_url": settings.SITE_URL,
    }
    with translation.override(language):
        subject = render_to_string(f"therapy/email/{template}_subject.txt", context).strip()
        text = render_to_string(f"therapy/email/{template}_message.txt", context)
        html = render_to_string(f"therapy/email/{template}_message.html", context)
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=text,
        to=[user.email],
        headers={
            # One click in the mail app unsubscribes (RFC 8058), without logging in.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _send_claimed(log, language, template, context):
    try:
        _send(log.user, language, template, context)
    except Exception as error:
        # Not sent: forget the claim so the next run tries again. No traceback: a refused
        # recipient's error text contains the address.
        logger.error("Could not send a %s reminder (%s)", log.kind, type(error).__name__)
        log.delete()
        return False
    return True


def send_due_reminders(now=None):
    """Send what is due now; safe to run every few minutes. Returns (practice, steps) sent."""
    now = now or timezone.now()
    sent_practice = sent_steps = 0
    profiles = Profile.objects.filter(
        reminders_enabled=True,
        reminder_time__isnull=False,
        user__is_active=True,
        user__is_staff=False,
    ).select_related("user")
    for profile in profiles:
        user = profile.user
        tz = remember_zone(user, profile.zone)
        local_now = now.astimezone(tz)
        if local_now.time() < profile.reminder_time:
            continue
        local_date = local_now.date()
        day_start = datetime.datetime.combine(local_date, datetime.time.min, tzinfo=tz)
        practised = PracticeSession.objects.filter(user=user, started_at__gte=day_start).exists()
        if (
            not practised
            and not ReminderLog.objects.filter(
                user=user, kind=ReminderLog.Kind.PRACTICE, local_date=local_date
            ).exists()
        ):
            log = ReminderLog.objects.claim(
                user=user, kind=ReminderLog.Kind.PRACTICE, local_date=local_date
            )
            if log and _send_claimed(log, profile.language, "practice_reminder", {}):
                sent_practice += 1
        sent_steps += _notify_new_steps(user, profile.language, local_date)
    return sent_practice, sent_steps


def _notify_new_steps(user, language, local_date):
    """Tell her once when a step that had to wait (days or sessions) has opened."""
    sent = 0
    announced = set(
        ReminderLog.objects.filter(user=user, kind=ReminderLog.Kind.STEP_UNLOCKED).values_list(
            "step_id", flat=True
        )
    )
    for enrollment in Enrollment.objects.active().filter(user=user):
        outline = enrollment.course.outline_for(user)
        for step, lessons in outline.steps:
            gated = step.unlock_after_days or step.unlock_after_sessions
            first = lessons[0]
            if not gated or step.pk in announced or first.state != LessonState.OPEN:
                continue
            log = ReminderLog.objects.claim(
                user=user, kind=ReminderLog.Kind.STEP_UNLOCKED, local_date=local_date, step=step
            )
            context = {"step": step, "lesson": first, "course": enrollment.course}
            if log and _send_claimed(log, language, "step_unlocked", context):
                sent += 1
    return sent
