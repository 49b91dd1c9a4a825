from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import PatientDose


class PatientDoseForm(forms.ModelForm):
    """Her own dose of one routine exercise, or the week whose dose she keeps.

    The rules (hold limit, relaxation at least as long as the hold) are the exercise's:
    PatientDose.clean → Exercise.check_dose.
    """

    class Meta:
        model = PatientDose
        fields = [
            "mode",
            "level_week",
            "hold_seconds",
            "relax_seconds",
            "repetitions",
            "sets",
            "allow_short_relax",
        ]
        widgets = {"mode": forms.RadioSelect}
        help_texts = {
            "allow_short_relax": _(
                "For pelvic-floor holds the relaxation is at least as long as the hold. Tick "
                "only if you deliberately want a shorter relaxation."
            )
        }

    def __init__(self, *args, user, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        # Set here, never from the form: whose dose, of which exercise.
        self.instance.user = user
        self.instance.exercise = exercise
        for name in ("hold_seconds", "relax_seconds", "repetitions", "sets"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 1})
        self.fields["hold_seconds"].widget.attrs["max"] = exercise.max_hold_seconds


class TherapistForm(forms.Form):
    """A practice owner gives a patient another therapist."""

    therapist = forms.ModelChoiceField(
        queryset=None,
        label=_("Therapist"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the practice's therapists.")},
    )

    def __init__(self, *args, **kwargs):
        from accounts.groups import therapists

        super().__init__(*args, **kwargs)
        self.fields["therapist"].queryset = therapists().order_by("display_name", "email")


class FlagSeenForm(forms.Form):
    """The therapist saw one of the patient's signals, as it is now, and notes what she did."""

    code = forms.CharField(widget=forms.HiddenInput)
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(
        label=_("Note"),
        max_length=200,
        help_text=_("What you did or decided, in a few words (for example: called her)."),
        error_messages={
            "required": _("Write a short note: what you did or decided."),
            "max_length": _("Keep the note to %(limit_value)d characters."),
        },
    )

    def __init__(self, *args, flags, **kwargs):
        super().__init__(*args, **kwargs)
        self.flags = flags

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("code")
        fingerprint = cleaned.get("fingerprint") or ""
        flag = next(
            (f for f in self.flags if f.code == code and f.fingerprint == fingerprint), None
        )
        if code is not None and flag is None:
            raise forms.ValidationError(
                _("This signal has changed since you opened the page. Look at it again below."),
                code="changed",
            )
        cleaned["flag"] = flag
        return cleaned
