from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClinicConfig(AppConfig):
    """The therapist's pages (/therapist/), and what the patient overview sorts by."""

    name = "therapy.clinic"
    label = "clinic"
    verbose_name = _("Therapist pages")
