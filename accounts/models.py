from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A patient or a therapist; the email address is the login."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How the app greets this person, e.g. a first name."),
    )

    # New whenever anything her own pages show changes (accounts/versions.py): part of the
    # key of her kept pages (courses/pagecache.py). Loaded with the user on every request.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # The plain unique index is case-sensitive; addresses are not.
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def save(self, *args, **kwargs):
        from .versions import new_version, note_changed

        self.data_version = new_version()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "data_version"}
        super().save(*args, **kwargs)
        note_changed(self.pk)

    @property
    def greeting_name(self):
        return self.display_name or self.email.split("@")[0]


class Complaint(models.TextChoices):
    URINE_LOSS = "urine_loss", _("Urine loss")
    PROLAPSE = "prolapse", _("Bladder or uterine prolapse")
    LOW_BACK_PAIN = "low_back_pain", _("Low back pain")


class Profile(models.Model):
    """A patient's settings and intake answers (health data: see the privacy statement)."""

    class Language(models.TextChoices):
        DUTCH = "nl", _("Dutch")
        ENGLISH = "en", _("English")

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    complaints = models.JSONField(
        _("complaints"), default=list, blank=True, help_text=_("What the patient came for.")
    )
    reminders_enabled = models.BooleanField(_("practice reminders"), default=False)
    reminder_time = models.TimeField(_("reminder time"), null=True, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Amsterdam")
    language = models.CharField(
        _("language"), max_length=5, choices=Language, default=Language.DUTCH
    )
    intake_completed_at = models.DateTimeField(_("intake completed"), null=True, blank=True)
    # Her therapist: set by the invitation she signed up with, or by the practice owner
    # (accounts/care.py). Only her therapist and practice owners see her records.
    therapist = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="patient_profiles",
        limit_choices_to={"is_staff": True, "is_active": True},
        verbose_name=_("therapist"),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile and intake")
        verbose_name_plural = _("profiles and intakes")
        permissions = [
            ("see_all_patients", _("Can see every patient and give her another therapist")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reminders_enabled=False) | models.Q(reminder_time__isnull=False),
                name="accounts_profile_reminder_needs_time",
            ),
        ]

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("accounts:profile")

    @property
    def zone(self):
        """Her time zone (the site's when the name is unknown)."""
        from .timezones import parse_zone

        return parse_zone(self.timezone)

    def get_complaints_display(self):
        labels = dict(Complaint.choices)
        return [labels[c] for c in self.complaints if c in labels]


class Consent(models.Model):
    """One row per privacy-statement version a patient agreed to; never updated."""

    class Kind(models.TextChoices):
        HEALTH_DATA = "health_data", _("Processing of health data")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind, default=Kind.HEALTH_DATA)
    version = models.CharField(_("privacy statement version"), max_length=32)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "version"], name="accounts_consent_once_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.version}"

    @classmethod
    def is_current(cls, user):
        return cls.objects.filter(
            user=user, kind=cls.Kind.HEALTH_DATA, version=settings.PRIVACY_STATEMENT_VERSION
        ).exists()

    @classmethod
    def record(cls, user):
        consent, _created = cls.objects.get_or_create(
            user=user, kind=cls.Kind.HEALTH_DATA, version=settings.PRIVACY_STATEMENT_VERSION
        )
        return consent


class ErasureRecord(models.Model):
    """That an account was erased, and when; deliberately nothing about whose."""

    erased_on = models.DateField(_("erased on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("erased account")
        verbose_name_plural = _("erased accounts")
        ordering = ["-erased_on"]

    def __str__(self):
        return str(self.erased_on)
