from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import EMAIL_MAX_LENGTH
from accounts.models import User
from courses import joining
from courses.models import Course, Feedback, Invitation, PatientDose


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


class InvitationForm(forms.Form):
    """A therapist invites a new patient to a course (courses/joining.py sends it)."""

    email = forms.EmailField(
        label=_("Her email address"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={"invalid": _("Enter an email address like name@example.com.")},
    )
    course = forms.ModelChoiceField(
        queryset=Course.objects.published().order_by("title"),
        label=_("Course"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of the published courses.")},
    )
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "A few words from you, shown above the link. Write nothing about her health or "
            "complaints: email is not a safe place for that."
        ),
    )

    def __init__(self, *args, therapist, **kwargs):
        super().__init__(*args, **kwargs)
        self.therapist = therapist

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "There is already an account with this address, so she does not need an "
                    "invitation. To make her your patient, ask the practice owner."
                ),
                code="has_account",
            )
        if Invitation.objects.open().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "This address already has an open invitation. Resend that one from the "
                    "list below instead."
                ),
                code="already_invited",
            )
        return email

    def clean(self):
        cleaned = super().clean()
        if joining.sends_left_today(self.therapist) == 0:
            raise forms.ValidationError(
                _(
                    "You have sent the most invitations one therapist can send in a day. "
                    "Please send the rest tomorrow."
                ),
                code="daily_limit",
            )
        return cleaned


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
