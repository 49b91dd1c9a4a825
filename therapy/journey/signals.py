"""A change to a questionnaire is a change of course content: the dashboards of the
courses' patients keep their questionnaires in the content cache (courses/content.py)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from courses.signals import content_changed

from .models import AnswerOption, Question, Questionnaire, ScoreBand

QUESTIONNAIRE_MODELS = (Questionnaire, Question, AnswerOption, ScoreBand)


@receiver(post_save)
@receiver(post_delete)
def _questionnaire_changed(sender, raw=False, **kwargs):
    if sender in QUESTIONNAIRE_MODELS and not raw:
        content_changed()
