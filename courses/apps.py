from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from . import (
            checks,  # noqa: F401 (registers the media storage check)
            signals,  # noqa: F401 (content versions for the content cache)
        )
