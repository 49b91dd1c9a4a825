from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import import_string
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


def question_answer(*, question, by, answer, published_as_faq=False, faq_text="", link):
    """Save a therapist's answer to a lesson question, from the therapist pages or the admin.

    `answered_by` is whoever wrote the answer as it stands; `answered_at` is the first time.
    The first answer emails the patient (no health details, a `link` to the question).
    Returns False when that email could not be sent: the answer is saved all the same.
    """
    first_answer = question.answered_at is None
    question.answer = answer
    question.published_as_faq = published_as_faq
    question.faq_text = faq_text
    question.answered_by = by
    if first_answer:
        question.answered_at = timezone.now()
    question.save()
    if first_answer:
        try:
            question_notify_answered(question=question, url=link)
        except OSError:
            return False
    return True


def feedback_awaited_notify(*, patient, outline, lesson, was_done):
    """She just did the last lesson of a step that waits for the therapist's feedback:
    tell her therapist through the project's alert (settings.COURSES_FEEDBACK_AWAITED_NOTIFY).
    `outline`: hers after the completion; `was_done`: the lesson was done before (a retry
    or double click tells nobody twice). Returns whether anyone was told."""
    path = getattr(settings, "COURSES_FEEDBACK_AWAITED_NOTIFY", "")
    if was_done or not path or not lesson.step.waits_for_feedback:
        return False
    if lesson.step_id not in {step.pk for step in outline.awaiting_feedback}:
        return False
    return bool(import_string(path)(patient=patient))
