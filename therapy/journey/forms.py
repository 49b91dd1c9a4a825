import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import safety
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


class _RunForm(forms.Form):
    """What every saved run has: its key, when it started, how long, how it felt."""

    idempotency_key = forms.UUIDField()
    started_at = forms.DateTimeField(required=False)
    duration_seconds = forms.IntegerField(min_value=0, max_value=PRACTICE_MAX_SECONDS)
    completed = forms.BooleanField(required=False)
    feeling = forms.TypedChoiceField(
        choices=[("", ""), *PracticeSession.Feeling.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    by_hand = forms.BooleanField(required=False)

    def clean_started_at(self):
        """None when not sent (logged by hand: now). A run from the offline queue may come
        days late, but not from before the window: the server would count it in a week
        that is long over."""
        started = self.cleaned_data.get("started_at")
        if started is None:
            return None
        now = timezone.now()
        if started > now + datetime.timedelta(minutes=5):
            raise forms.ValidationError(_("The start time is in the future."))
        if started < now - datetime.timedelta(days=PRACTICE_LOG_WINDOW_DAYS):
            raise forms.ValidationError(
                _(
                    "This practice started more than %(days)s days ago, so it can no longer "
                    "be saved."
                ),
                params={"days": PRACTICE_LOG_WINDOW_DAYS},
            )
        return started


class PracticeLogForm(_RunForm):
    """A finished or stopped timer run of one exercise, or one logged by hand."""

    exercise = forms.IntegerField(min_value=1)
    repetitions_done = forms.IntegerField(min_value=0, max_value=PRACTICE_MAX_REPETITIONS)


class RoutinePartForm(forms.Form):
    exercise = forms.IntegerField(min_value=1)
    repetitions_done = forms.IntegerField(
        min_value=0,
        max_value=PRACTICE_MAX_REPETITIONS,
        error_messages={
            "min_value": _("The number of repetitions cannot be below 0."),
            "max_value": _("That is more repetitions than the routine asks."),
        },
    )
    skipped = forms.BooleanField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("skipped") and cleaned.get("repetitions_done"):
            raise forms.ValidationError(_("A skipped exercise has no repetitions."))
        return cleaned


RoutinePartFormSet = forms.formset_factory(
    RoutinePartForm, extra=0, min_num=1, validate_min=True, max_num=50, validate_max=True
)


class RoutineLogForm(_RunForm):
    """A run of today's routine: the session and one part per exercise (prefix "part").

    The parts must be exactly the exercises of her routine, each at most as many
    repetitions as her dose asks; anything else is refused whole.
    """

    def __init__(self, data=None, *, routine, **kwargs):
        super().__init__(data, **kwargs)
        self.routine = {item.exercise.pk: item for item in routine}
        self.parts = RoutinePartFormSet(data, prefix="part")

    def is_valid(self):
        # Both, so that every error shows at once.
        return all([super().is_valid(), self.parts.is_valid()]) and self._check_parts()

    def _check_parts(self):
        forms_ = [f.cleaned_data for f in self.parts.forms]
        ids = [part["exercise"] for part in forms_]
        if len(set(ids)) != len(ids) or set(ids) != set(self.routine):
            self.add_error(
                None,
                _(
                    "This practice does not match today's routine (it may have changed). "
                    "Please open “Today” again and start once more."
                ),
            )
            return False
        for part in forms_:
            dose = self.routine[part["exercise"]].dose
            if part["repetitions_done"] > dose.total_repetitions:
                self.add_error(
                    None,
                    _("%(name)s: more repetitions than your routine asks (%(max)s).")
                    % {
                        "name": self.routine[part["exercise"]].exercise.name,
                        "max": dose.total_repetitions,
                    },
                )
                return False
        return True

    def part_records(self):
        """The RoutinePart fields of each part, in the order she did them."""
        records = []
        for form in self.parts.forms:
            item = self.routine[form.cleaned_data["exercise"]]
            records.append(
                {
                    "exercise": item.exercise,
                    "exercise_name": item.exercise.name,
                    "target_repetitions": item.dose.total_repetitions,
                    "repetitions_done": form.cleaned_data["repetitions_done"],
                    "skipped": form.cleaned_data["skipped"],
                }
            )
        return records

    @property
    def all_errors(self):
        """Every message, for a JSON answer."""
        errors = {field: [str(e) for e in errs] for field, errs in self.errors.items()}
        for index, form in enumerate(self.parts.forms):
            for field, errs in form.errors.items():
                errors[f"part-{index}-{field}"] = [str(e) for e in errs]
        if self.parts.non_form_errors():
            errors["parts"] = [str(e) for e in self.parts.non_form_errors()]
        return errors


class SafetyForm(forms.Form):
    """The safety questions, one group per thing she must do (therapy/journey/safety.py)."""

    def __init__(self, *args, initial_flags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        for urgency, questions in safety.questions_by_urgency():
            name = f"flags_{urgency}"
            self.fields[name] = forms.MultipleChoiceField(
                label=SAFETY_GROUP_LABELS[urgency],
                choices=questions,
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=[code for code, _label in questions if code in initial_flags],
            )
            self.groups.append((urgency, self[name]))

    def flags(self):
        return [code for name in self.fields for code in self.cleaned_data.get(name, [])]


SAFETY_GROUP_LABELS = {
    safety.Urgency.NOW: _("Do you have any of these now?"),
    safety.Urgency.TODAY: _("Or any of these?"),
    safety.Urgency.SOON: _("Or any of these?"),
    safety.Urgency.ADAPT: _("And does one of these apply to you?"),
}


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
