from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JourneyConfig(AppConfig):
    """The patient's therapy journey. The label stays "therapy": tables, migrations,
    content types and permissions were made under it before the app moved here."""

    name = "therapy.journey"
    label = "therapy"
    verbose_name = _("Therapy")

    def ready(self):
        from accounts.versions import track

        from . import signals  # noqa: F401 (questionnaires are cached course content)
        from .models import DiaryEntry, PracticeSession, QuestionnaireResponse, SafetyCheck

        # Her pages show these: a change makes her kept pages stale (accounts/versions.py).
        # Routine parts and answers are stored with their session or response, in the same
        # transaction.
        for model in (DiaryEntry, PracticeSession, QuestionnaireResponse, SafetyCheck):
            track(model)
