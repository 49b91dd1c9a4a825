"""Joining a course: a therapist's invitation, or a course code (accounts/signup.py).

The invitation email links to /accounts/invitation/<token>/ (courses.views.accept_invitation),
which moves the link into her session and sends her on to the plain /accounts/signup/:
the token appears in one request line of the access log, never in later pages, their
Referer headers or the browser's history of the signup form. Only a hash of the token is
stored. The signup form (accounts/forms.py) calls back here through ACCOUNTS_SIGNUP_GRANTS.
"""

import logging
import smtplib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Profile
from accounts.signup import GrantGone

from .models import AccessCode, Enrollment, Invitation, hash_token, normalise_code

logger = logging.getLogger(__name__)

SESSION_KEY = "invitation"


# --- The patient's side: the link, the signup form --------------------------------------


def invitation_for_token(token):
    """The invitation of a link, whatever its state; None for an unknown or altered one."""
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("course", "therapist")
        .filter(token_hash=hash_token(token))
        .first()
    )


def remember_invitation(request, invitation):
    request.session[SESSION_KEY] = {"id": invitation.pk, "hash": invitation.token_hash}


def forget_invitation(request):
    request.session.pop(SESSION_KEY, None)


def pending_invitation(request):
    """The open invitation whose link she opened in this session, or None. A link that was
    resent (new token), withdrawn, used or expired meanwhile no longer counts."""
    if request is None or not hasattr(request, "session"):
        return None
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    invitation = (
        Invitation.objects.open()
        .select_related("course", "therapist")
        .filter(pk=stored.get("id"), token_hash=stored.get("hash"))
        .first()
    )
    if invitation is None:
        forget_invitation(request)
    return invitation


def check_code(code):
    """The usable course code typed on the signup form, else a ValidationError that says
    what to do."""
    access_code = (
        AccessCode.objects.select_related("course").filter(code=normalise_code(code)).first()
    )
    if access_code is None:
        raise ValidationError(
            _(
                "We do not know this course code. Check it on your flyer or invitation "
                "(letters and digits, for example BEKKEN-2027), or ask your therapist."
            ),
            code="unknown_code",
        )
    if access_code.has_ended or access_code.uses_left == 0:
        raise ValidationError(
            _(
                "This course code can no longer be used: it has ended or every place is "
                "taken. Ask your therapist for an invitation or a new code."
            ),
            code="code_used_up",
        )
    return access_code


def redeem(request, user, *, invitation=None, access_code=None):
    """Use up her invitation or code, enrol her, give her the therapist. Runs inside the
    signup's transaction: GrantGone (another sign-up was first) undoes the new account."""
    therapist = None
    course = None
    if invitation is not None:
        if not Invitation.objects.claim(invitation, token_hash=invitation.token_hash, user=user):
            raise GrantGone(
                _(
                    "This invitation was just used, withdrawn or renewed. Ask your "
                    "therapist to send you a new one."
                )
            )
        therapist, course = invitation.therapist, invitation.course
        forget_invitation(request)
    elif access_code is not None:
        if not AccessCode.objects.claim(access_code):
            raise GrantGone(
                _(
                    "This course code was just used up. Ask your therapist for an "
                    "invitation or a new code."
                ),
                field="code",
            )
        therapist, course = access_code.therapist, access_code.course
    if course is None:
        return None
    if therapist is not None:
        profile, _created = Profile.objects.get_or_create(user=user)
        profile.therapist = therapist
        profile.save(update_fields=["therapist", "updated_at"])
    return Enrollment.objects.enrol(user=user, course=course)


# --- The therapist's side: sending, resending, withdrawing ------------------------------


def _sends_key(therapist):
    return f"invitations-sent:{therapist.pk}:{timezone.localdate().isoformat()}"


def sends_left_today(therapist):
    return max(settings.INVITATIONS_PER_DAY - (cache.get(_sends_key(therapist)) or 0), 0)


def _count_send(therapist):
    key = _sends_key(therapist)
    cache.add(key, 0, timeout=2 * 24 * 60 * 60)
    try:
        cache.incr(key)
    except ValueError:  # gone between add and incr (evicted): start again
        cache.set(key, 1, timeout=2 * 24 * 60 * 60)


def _send_email(request, invitation, token):
    """False when the mail server refused it (the invitation stays, to be resent)."""
    link = request.build_absolute_uri(reverse("invitation-accept", args=[token]))
    ctx = {
        "therapist": invitation.therapist,
        "course": invitation.course,
        "message": invitation.message,
        "link": link,
        "days": settings.INVITATION_DAYS,
        "expires_at": invitation.expires_at,
    }
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        subject = _("An invitation from your therapist")
        body = render_to_string("courses/email/invitation_message.txt", ctx)
    try:
        send_mail(
            f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body, None, [invitation.email]
        )
    except (smtplib.SMTPException, OSError) as error:
        # No traceback: a refused recipient's error text contains the address.
        logger.error("Could not send an invitation (%s)", type(error).__name__)
        return False
    return True


def invitation_send(*, request, email, course, message=""):
    """A new invitation from the therapist who is logged in, emailed at once.
    Returns (invitation, whether the email went out)."""
    therapist = request.user
    with transaction.atomic():
        invitation = Invitation(email=email, course=course, therapist=therapist, message=message)
        token = invitation.new_link()
        invitation.save()
    _count_send(therapist)
    return invitation, _send_email(request, invitation, token)


def invitation_resend(*, request, invitation):
    """A new link (the old one stops working) with a new expiry, emailed again.
    Returns whether the email went out."""
    token = invitation.new_link()
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    _count_send(request.user)
    return _send_email(request, invitation, token)


def invitation_withdraw(*, invitation):
    # Only an open one: a conditional UPDATE, so a sign-up at the same moment keeps hers.
    now = timezone.now()
    withdrawn = Invitation.objects.open().filter(pk=invitation.pk).update(withdrawn_at=now)
    return withdrawn == 1
