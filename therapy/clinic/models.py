from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PatientStatus(models.Model):
    """What the patient overview sorts, filters and counts by, kept for each patient.

    Built from her records by therapy/clinic/overview.py and built again when it is out of
    date: her data changed (her `data_version` is not the one it was built from), or it was
    built on an earlier day (the 7-day numbers move with the days). The two signals that
    depend on the hour — no activity, no practice for a week — are worked out from the
    times kept here when the overview is asked for. So the overview costs the same for
    2,000 patients as for 200: the database sorts and counts these rows, and only the
    25 on the page are looked at in full.

    Derived from her health data: it goes when her account goes.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="clinic_status",
        verbose_name=_("patient"),
    )
    data_version = models.PositiveBigIntegerField()
    computed_on = models.DateField()
    name_key = models.CharField(max_length=260)
    has_course = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    # Signals that do not depend on the hour: pain, safety answers, scores.
    steady_flags = models.PositiveSmallIntegerField(default=0)
    last_activity = models.DateTimeField(null=True)
    last_practice = models.DateTimeField(null=True)
    percent_done = models.PositiveSmallIntegerField(default=0)
    sessions_7d = models.PositiveIntegerField(default=0)
    pain_week = models.FloatField(null=True)
    # No "inactive" or "no practice" signal in her first 7 days, nor for 7 days after the
    # therapist marked one as seen (while nothing new happened).
    started_at = models.DateTimeField(null=True)
    inactive_quiet_until = models.DateTimeField(null=True)
    practice_quiet_until = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("patient status")
        verbose_name_plural = _("patient statuses")
        indexes = [
            models.Index(
                fields=["-urgent", "-steady_flags", "name_key"], name="clinic_status_flags"
            ),
            models.Index(fields=["name_key"], name="clinic_status_name"),
        ]

    def __str__(self):
        return str(self.user)


class FlagReview(models.Model):
    """The therapist saw one of a patient's signals and wrote a short note.

    A signal is known by its code and what it is about (`fingerprint`: her latest safety
    answers, the score, the last time she was active…). A seen signal stays out of "needs
    attention" until something new happens, which gives it a new fingerprint — or, for no
    activity and no practice, until another 7 days have passed (therapy/clinic/overview.py).
    """

    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="flag_reviews",
        verbose_name=_("patient"),
    )
    code = models.CharField(_("signal"), max_length=30)
    fingerprint = models.CharField(max_length=100)
    note = models.CharField(_("note"), max_length=200)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("seen by"),
    )
    seen_at = models.DateTimeField(_("seen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("signal seen")
        verbose_name_plural = _("signals seen")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "code", "fingerprint"], name="clinic_flag_seen_once"
            ),
        ]

    def __str__(self):
        return f"{self.patient} – {self.code}"


class DigestState(models.Model):
    """What the daily email told a therapist last time: she is mailed only about new
    signals (manage.py send_attention_digest)."""

    therapist = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # {patient id: [signal code:fingerprint, …]} as of the last email.
    told = models.JSONField(default=dict)
    sent_at = models.DateTimeField(null=True)

    def __str__(self):
        return str(self.therapist)
