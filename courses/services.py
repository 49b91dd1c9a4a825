from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _


def question_notify_answered(*, question, url):
    """Email the patient that her question has an answer; the email holds no health details."""
    patient = question.user
    profile = getattr(patient, "profile", None)
    with translation.override(getattr(profile, "language", None) or settings.LANGUAGE_CODE):
        subject = _("Your therapist has answered your question")
        body = render_to_string(
            "therapy/email/question_answered_message.txt", {"user": patient, "url": url}
        )
    send_mail(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}", body, None, [patient.email])
