import zoneinfo

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Complaint, Consent, Profile, User


def _consent_label():
    return format_html(
        _(
            "I agree that Bekkenbodem online stores and processes my health data (such as "
            "complaints, exercises and diary entries) to guide my therapy, as described in "
            'the <a href="{}" target="_blank" rel="noopener">privacy statement</a>.'
        ),
        reverse_lazy("privacy"),
    )


consent_label = lazy(_consent_label, str)


class ConsentField(forms.BooleanField):
    def __init__(self, **kwargs):
        super().__init__(
            required=True,
            label=consent_label(),
            error_messages={
                "required": _(
                    "We can only create your account when you agree to the processing of "
                    "your health data. Without it we cannot guide your therapy."
                )
            },
            **kwargs,
        )


# What the database column and the email standard allow (RFC 5321 paths, Django's field).
EMAIL_MAX_LENGTH = User._meta.get_field("email").max_length


class SignupForm(AllauthSignupForm):
    """allauth's signup plus a separate, unticked consent for processing health data."""

    health_data_consent = ConsentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].max_length = EMAIL_MAX_LENGTH
        self.fields["email"].widget.attrs["maxlength"] = EMAIL_MAX_LENGTH

    def clean_email(self):
        raw = self.data.get(self.add_prefix("email"), "")
        if len(raw.strip()) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _("An email address can be at most %(max)s characters long."),
                code="email_too_long",
                params={"max": EMAIL_MAX_LENGTH},
            )
        return super().clean_email()

    def try_save(self, request):
        if self.account_already_exists:
            # A new address costs a password hash; an existing one must cost the same, or the
            # time of the answer tells a stranger who has an account here.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)

    def save(self, request):
        with transaction.atomic():
            user = super().save(request)
            Consent.record(user)
            Profile.objects.get_or_create(user=user)
        return user


class ConsentForm(forms.Form):
    health_data_consent = ConsentField()


class ProfileForm(forms.ModelForm):
    display_name = forms.CharField(
        label=_("What may we call you?"),
        max_length=80,
        required=False,
        help_text=_("For example your first name. Leave empty to use your email address."),
    )
    complaints = forms.MultipleChoiceField(
        label=_("What are your complaints?"),
        help_text=_("Tick everything that applies."),
        choices=Complaint.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reminder_time = forms.TimeField(
        label=_("At what time would you like to practise?"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    timezone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=[],
        help_text=_("Reminders follow this time zone."),
    )

    class Meta:
        model = Profile
        fields = [
            "complaints",
            "reminders_enabled",
            "reminder_time",
            "timezone",
            "language",
        ]
        labels = {
            "reminders_enabled": _("Send me a reminder to practise"),
            "language": _("Language"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["display_name"].initial = user.display_name
        self.fields["timezone"].choices = [
            (name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())
        ]
        self.order_fields(["display_name", *self.Meta.fields])

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reminders_enabled") and not cleaned.get("reminder_time"):
            self.add_error(
                "reminder_time", _("Choose a time for your reminder, or switch reminders off.")
            )
        return cleaned

    def save(self, commit=True):
        profile = super().save(commit=False)
        self.user.display_name = self.cleaned_data["display_name"].strip()
        if commit:
            with transaction.atomic():
                self.user.save(update_fields=["display_name"])
                profile.save()
        return profile


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, delete my account and all my data for good."),
        error_messages={"required": _("Tick the box to confirm that you want this.")},
    )
