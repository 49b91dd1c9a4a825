from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    """The therapist's pages (/therapist/); no models of its own."""

    name = "therapy.clinic"
    label = "clinic"
    verbose_name = _("Therapist pages")
