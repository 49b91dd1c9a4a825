"""Telling the therapist at once that a patient needs her: an email with a link, nothing more.

The email never says who or why (health data stays in the app): "a patient needs your
attention" and a link to the patient's page, where she sees the reason after logging in.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.care import caregivers_of

logger = logging.getLogger(__name__)


def therapists_notify(*, patient):
    """Email her therapist (accounts.care.caregivers_of); returns how many emails went out."""
    link = settings.SITE_URL + reverse(settings.THERAPIST_PATIENT_PAGE, args=[patient.pk])
    sent = 0
    for therapist in caregivers_of(patient):
        language = getattr(getattr(therapist, "profile", None), "language", None)
        with translation.override(language or settings.LANGUAGE_CODE):
            context = {"therapist": therapist, "link": link}
            subject = render_to_string("therapy/email/patient_attention_subject.txt", context)
            text = render_to_string("therapy/email/patient_attention_message.txt", context)
            html = render_to_string("therapy/email/patient_attention_message.html", context)
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject.strip()}",
            body=text,
            to=[therapist.email],
        )
        message.attach_alternative(html, "text/html")
        try:
            message.send()
        except OSError as error:
            # No address in the log: a refused recipient's error text contains it.
            logger.error("Could not send a patient alert (%s)", type(error).__name__)
            continue
        sent += 1
    return sent
