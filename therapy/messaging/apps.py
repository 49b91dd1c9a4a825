from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    """The private conversation between a patient and her therapist (/messages/)."""

    name = "therapy.messaging"
    label = "messaging"
    verbose_name = _("Messages")

    def ready(self):
        from accounts.versions import track

        from .models import Message

        # Her pages show the unread count in the header: a new message (or one she read)
        # makes her kept pages stale (accounts/versions.py).
        track(Message, "patient_id")
