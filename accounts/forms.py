import zoneinfo

from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django import forms
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import signup
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


GRANT_REQUIRED = _(
    "Enter your course code. Without a code or an invitation from your therapist you cannot "
    "sign up here yet: ask your therapist."
)


class SignupForm(AllauthSignupForm):
    """allauth's signup plus a separate, unticked consent for processing health data, and
    what she signs up with (accounts/signup.py): the invitation whose link she opened, or
    a course code (required when SIGNUP_MODE is `invite`)."""

    code = forms.CharField(
        label=_("Course code"),
        max_length=40,
        required=False,
        help_text=_("From your flyer or your therapist. No code? Leave this empty."),
    )
    health_data_consent = ConsentField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].max_length = EMAIL_MAX_LENGTH
        self.fields["email"].widget.attrs["maxlength"] = EMAIL_MAX_LENGTH
        self.request = context.request
        self.grants = signup.grants()
        self.invitation = self.grants.pending_invitation(self.request)
        self.access_code = None
        if self.invitation is not None:
            # The link said who she is: the address is filled in, the code not needed.
            del self.fields["code"]
            self.fields["email"].initial = self.invitation.email
        else:
            if signup.needs_grant():
                self.fields["code"].required = True
                self.fields["code"].error_messages["required"] = GRANT_REQUIRED
                self.fields["code"].help_text = _(
                    "You can only sign up with an invitation from your therapist or a "
                    "course code. The code is on your flyer or in your therapist's email."
                )
            code = self.request.GET.get("code") if self.request is not None else None
            if code and not self.is_bound:
                self.fields["code"].initial = code[:40]

    def clean_email(self):
        raw = self.data.get(self.add_prefix("email"), "")
        if len(raw.strip()) > EMAIL_MAX_LENGTH:
            raise forms.ValidationError(
                _("An email address can be at most %(max)s characters long."),
                code="email_too_long",
                params={"max": EMAIL_MAX_LENGTH},
            )
        email = super().clean_email()
        if self.invitation is not None and email.lower() != self.invitation.email.lower():
            raise forms.ValidationError(
                _(
                    "Your invitation was sent to another email address. Sign up with that "
                    "address, or ask your therapist to invite this one."
                ),
                code="not_invited",
            )
        return email

    def clean_code(self):
        code = self.cleaned_data.get("code", "").strip()
        if not code:
            return ""
        self.access_code = self.grants.check_code(code)
        return code

    def try_save(self, request):
        if self.account_already_exists:
            # A new address costs a password hash; an existing one must cost the same, or the
            # time of the answer tells a stranger who has an account here.
            make_password(self.cleaned_data.get("password1") or "")
        try:
            return super().try_save(request)
        except signup.GrantGone as gone:
            # Someone else took the last place between the check and the save: no account.
            self.add_error(gone.field if gone.field in self.fields else None, gone.message)
            ctx = {"form": self, "login_url": reverse_lazy("account_login")}
            return None, TemplateResponse(request, "account/signup.html", ctx, status=409)

    def save(self, request):
        with transaction.atomic():
            user = super().save(request)
            Consent.record(user)
            Profile.objects.get_or_create(user=user)
            self.grants.redeem(
                request, user, invitation=self.invitation, access_code=self.access_code
            )
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
