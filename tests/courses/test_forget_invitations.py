"""`manage.py forget_invitations`: an address nobody used is not kept for ever."""

import io
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from courses.models import Invitation
from tests.factories import make_user


def invite(therapist, course, email, *, sent_days_ago=0, **fields):
    invitation = Invitation(email=email, course=course, therapist=therapist, **fields)
    invitation.new_link()
    invitation.sent_at = invitation.created_at = timezone.now() - timedelta(days=sent_days_ago)
    invitation.expires_at = invitation.sent_at + timedelta(days=14)
    invitation.save()
    return invitation


def test_it_deletes_unused_invitations_a_month_after_they_ended_and_keeps_the_rest(
    therapist, course, settings
):
    assert settings.INVITATION_KEEP_DAYS == 30
    now = timezone.now()
    old_expired = invite(therapist, course, "a@example.com", sent_days_ago=14 + 31)
    recently_expired = invite(therapist, course, "b@example.com", sent_days_ago=14 + 29)
    old_withdrawn = invite(
        therapist, course, "c@example.com", withdrawn_at=now - timedelta(days=31)
    )
    recently_withdrawn = invite(
        therapist, course, "d@example.com", withdrawn_at=now - timedelta(days=2)
    )
    patient = make_user("e@example.com")
    used_long_ago = invite(
        therapist,
        course,
        "e@example.com",
        sent_days_ago=400,
        used_at=now - timedelta(days=399),
        used_by=patient,
    )
    still_open = invite(therapist, course, "f@example.com")
    out = io.StringIO()

    call_command("forget_invitations", stdout=out)

    kept = set(Invitation.objects.values_list("pk", flat=True))
    assert kept == {recently_expired.pk, recently_withdrawn.pk, used_long_ago.pk, still_open.pk}
    assert old_expired.pk not in kept and old_withdrawn.pk not in kept
    assert out.getvalue().strip() == "Deleted 2 unused invitation(s)."

    call_command("forget_invitations", stdout=out)  # again: nothing more
    assert Invitation.objects.count() == 4
