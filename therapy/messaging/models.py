import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MessageQuerySet(models.QuerySet):
    def unread_by_patient(self):
        """What her therapist wrote that she has not seen yet."""
        return self.filter(from_patient=False, read_at__isnull=True)

    def unread_by_therapist(self):
        """What patients wrote that no therapist has seen yet."""
        return self.filter(from_patient=True, read_at__isnull=True)


class Message(models.Model):
    """One message in the conversation between a patient and her therapist. Plain text.

    A conversation belongs to the patient: every message has her as `patient`, whoever
    wrote it. `from_patient` says which side wrote it, also once a therapist's account is
    gone (`sender` is then empty).
    """

    MAX_LENGTH = 2000
    # A flood guard, not a quota: more than anyone writes in a day of therapy.
    PATIENT_PER_DAY = 20
    THERAPIST_PER_DAY = 200

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conversation",
        verbose_name=_("patient"),
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    from_patient = models.BooleanField(_("written by the patient"))
    text = models.TextField(_("message"), max_length=MAX_LENGTH)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    read_at = models.DateTimeField(
        _("read"),
        null=True,
        blank=True,
        help_text=_("When the other side first saw it."),
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="messaging_message_not_empty"),
        ]
        indexes = [
            models.Index(fields=["patient", "sent_at"], name="messaging_conversation"),
            models.Index(
                fields=["from_patient", "patient"],
                condition=Q(read_at__isnull=True),
                name="messaging_unread",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return reverse("messaging:conversation") + f"#message-{self.pk}"

    @classmethod
    def sent_today(cls, sender):
        """How many messages `sender` wrote in the last 24 hours (the flood guard)."""
        since = timezone.now() - datetime.timedelta(days=1)
        return cls.objects.filter(sender=sender, sent_at__gte=since).count()

    @classmethod
    def daily_limit(cls, sender):
        return cls.THERAPIST_PER_DAY if sender.is_staff else cls.PATIENT_PER_DAY
