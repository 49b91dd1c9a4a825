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
from courses import programme as programmes
from courses.models import Enrollment
from courses.outline import LessonState

from .models import DiaryEntry, PracticeSession, ReminderLog

logger = logging.getLogger(__name__)
SALT = "therapy.reminders.unsubscribe"


# Every reminder brings a new link; an old one stops working after this long.
UNSUBSCRIBE_LINK_DAYS = 60


class LinkExpired(Exception):
    pass


def unsubscribe_token(user):
    return signing.TimestampSigner(salt=SALT).sign(str(user.pk))


def user_id_from_token(token):
    """Whose link it is; None for a forged one; LinkExpired for one that is too old."""
    try:
        return int(
            signing.TimestampSigner(salt=SALT).unsign(
                token, max_age=datetime.timedelta(days=UNSUBSCRIBE_LINK_DAYS)
            )
        )
    except signing.SignatureExpired:
        raise LinkExpired from None
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
        if (
            _practice_due(user, tz, local_date)
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


# In maintenance she practises a few times a week: a reminder after this many quiet days.
MAINTENANCE_QUIET_DAYS = 2


def _practice_due(user, tz, local_date):
    """Does her rhythm ask for a routine session today that she has not done yet?

    Daily in the programme; in maintenance only after MAINTENANCE_QUIET_DAYS days without
    one and while the week's target is not met. Never on a day she chose to rest.
    """
    if DiaryEntry.objects.filter(user=user, date=local_date, rest_day=True).exists():
        return False
    day_start = datetime.datetime.combine(local_date, datetime.time.min, tzinfo=tz)
    counted = PracticeSession.objects.counted().filter(user=user)
    if counted.filter(started_at__gte=day_start).exists():
        return False
    enrollment = Enrollment.objects.current_for(user)
    if enrollment is None:
        return True  # no course yet: a reminder leads her to start it
    outline = enrollment.course.outline_for(user)
    week = programmes.programme_week(user, enrollment.enrolled_at, local_date)
    if programmes.phase_of(enrollment.course, outline, week) != programmes.Phase.MAINTENANCE:
        return True
    quiet_since = day_start - datetime.timedelta(days=MAINTENANCE_QUIET_DAYS - 1)
    if counted.filter(started_at__gte=quiet_since).exists():
        return False
    monday = day_start - datetime.timedelta(days=local_date.weekday())
    done = counted.filter(started_at__gte=monday).count()
    return done < enrollment.course.maintenance_sessions_per_week


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
