import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    DIARY_EDIT_DAYS,
    PRACTICE_LOG_WINDOW_DAYS,
    PRACTICE_MAX_REPETITIONS,
    PRACTICE_MAX_SECONDS,
    DiaryEntry,
    PracticeSession,
)


def _number(label, maximum, help_text):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=maximum,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": maximum}),
        error_messages={
            "required": _("Fill in a number (0 if none)."),
            "invalid": _("Fill in a whole number."),
            "min_value": _("The number cannot be below 0."),
            "max_value": _("The number can be at most %(limit_value)s."),
        },
    )


class DiaryEntryForm(forms.ModelForm):
    """One day of the symptom diary; saving a day that exists updates it."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose a date."), "invalid": _("Fill in a valid date.")},
    )
    leaks = _number(_("Leak episodes"), 50, _("How many times did you lose urine?"))
    pads = _number(_("Pads used"), 20, _("Pads or liners you used."))
    urgency = _number(
        _("Urgency episodes"), 50, _("How often did you suddenly and urgently have to go?")
    )
    back_pain = forms.TypedChoiceField(
        label=_("Back pain"),
        help_text=_("0 = no pain, 10 = the worst pain you can imagine."),
        choices=[(i, str(i)) for i in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how much back pain you had (0 if none)."),
            "invalid_choice": _("Choose a whole number from 0 to 10."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
        error_messages={"max_length": _("The note can be at most 500 characters.")},
    )

    class Meta:
        model = DiaryEntry
        fields = ["date", "leaks", "pads", "urgency", "back_pain", "note"]

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today  # in her own time zone

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = self.today
        if day > today:
            raise forms.ValidationError(_("You cannot fill in the diary for a day in the future."))
        if day < today - datetime.timedelta(days=DIARY_EDIT_DAYS):
            raise forms.ValidationError(
                _("You can fill in or change the last %(days)s days only."),
                params={"days": DIARY_EDIT_DAYS},
            )
        return day

    def validate_unique(self):
        # The same day again is an update (DiaryEntry.objects.submit_day), not an error.
        pass


class PracticeLogForm(forms.Form):
    """A finished or stopped timer run, or an exercise logged by hand."""

    idempotency_key = forms.UUIDField()
    exercise = forms.IntegerField(min_value=1)
    started_at = forms.DateTimeField(required=False)
    duration_seconds = forms.IntegerField(min_value=0, max_value=PRACTICE_MAX_SECONDS)
    repetitions_done = forms.IntegerField(min_value=0, max_value=PRACTICE_MAX_REPETITIONS)
    completed = forms.BooleanField(required=False)
    feeling = forms.TypedChoiceField(
        choices=[("", ""), *PracticeSession.Feeling.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    by_hand = forms.BooleanField(required=False)

    def clean_started_at(self):
        started = self.cleaned_data.get("started_at") or timezone.now()
        now = timezone.now()
        if started > now + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("The start time is in the future."))
        if started < now - datetime.timedelta(days=PRACTICE_LOG_WINDOW_DAYS):
            raise forms.ValidationError(_("The start time is too long ago."))
        return started


class QuestionnaireForm(forms.Form):
    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        for question in questionnaire.questions.all():
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(o.pk, o.label) for o in question.options.all()],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer to this question.")},
            )

    def chosen(self):
        """[(question, option)] for the answers given."""
        result = []
        for question in self.questionnaire.questions.all():
            option_id = self.cleaned_data[f"q{question.pk}"]
            option = next(o for o in question.options.all() if o.pk == option_id)
            result.append((question, option))
        return result
