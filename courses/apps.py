from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from accounts.versions import track

        from . import (
            checks,  # noqa: F401 (registers the media storage check)
            signals,  # noqa: F401 (content versions for the content cache)
        )
        from .models import (
            Enrollment,
            Feedback,
            LessonProgress,
            LessonQuestion,
            PatientAccess,
            PatientDose,
            StepUnlock,
        )

        # Her pages show these: a change makes her kept pages stale (accounts/versions.py).
        for model in (
            Enrollment,
            Feedback,
            LessonProgress,
            LessonQuestion,
            PatientAccess,
            PatientDose,
            StepUnlock,
        ):
            track(model)
