from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import Feedback, PatientDose


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


class ProgrammeAccessForm(forms.Form):
    """How one step or lesson of her course stands for her: as planned, open or hidden."""

    STATES = [
        ("", _("As the course plans it")),
        ("open", _("Open for her")),
        ("hidden", _("Hidden for her")),
    ]

    state = forms.ChoiceField(
        label=_("For her"),
        choices=STATES,
        required=False,
        error_messages={"invalid_choice": _("Choose: as planned, open or hidden.")},
    )
    step = forms.IntegerField(required=False, widget=forms.HiddenInput)
    lesson = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this course's published lessons and their steps (the content cache).
        lessons = course.content().lessons
        self._lessons = {lesson.pk: lesson for lesson in lessons}
        self._steps = {lesson.step_id: lesson.step for lesson in lessons}

    def clean(self):
        data = super().clean()
        step, lesson = data.get("step"), data.get("lesson")
        if (step is None) == (lesson is None):
            raise forms.ValidationError(_("Choose one step or one lesson of her course."))
        if step is not None:
            if step not in self._steps:
                raise forms.ValidationError(_("That step is not part of her course."))
            data["step"] = self._steps[step]
        else:
            if lesson not in self._lessons:
                raise forms.ValidationError(_("That lesson is not part of her course."))
            data["lesson"] = self._lessons[lesson]
        return data


class FeedbackForm(forms.ModelForm):
    """Feedback she sees on her next visit; on a step that waits for it, it opens the next."""

    class Meta:
        model = Feedback
        fields = ["text", "step"]
        labels = {"text": _("Your feedback to her"), "step": _("About the step (optional)")}
        help_texts = {
            "text": _(
                "She sees it on her Today page and her overview until she has read it. Plain text."
            ),
            "step": _("Feedback on a step that waits for your feedback opens the next step."),
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        error_messages = {
            "text": {"required": _("Write your feedback first.")},
            "step": {"invalid_choice": _("That step is not part of her course.")},
        }

    def __init__(self, *args, course=None, awaiting=(), **kwargs):
        super().__init__(*args, **kwargs)
        steps = {}
        for lesson in course.content().lessons if course else []:
            steps.setdefault(lesson.step_id, lesson.step)
        self.fields["step"].queryset = self.fields["step"].queryset.filter(pk__in=steps)
        self.fields["step"].empty_label = _("No particular step")
        self.fields["text"].widget.attrs["maxlength"] = self.instance.MAX_LENGTH
        if awaiting and not self.is_bound:
            self.initial["step"] = awaiting[0].pk
