import datetime
import functools
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    FileExtensionValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.care import is_practice_owner
from accounts.versions import data_changed

from . import images
from .doses import Dose
from .outline import CourseOutline
from .rendering import image_tokens, render_markdown, video_embed_url
from .validators import validate_mp4, validate_video_url, validate_webvtt


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        unique=True,
        help_text=_("Part of the page address; filled in from the title. Letters, digits, dashes."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("One or two sentences shown on the patient's course list."),
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published courses are visible to patients."),
    )
    sessions_per_day = models.PositiveSmallIntegerField(
        _("practice sessions per day"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "How often a day she runs her routine during the programme (usually 3). "
            "Her dashboard, reminders and the step waits count routine sessions."
        ),
    )
    programme_weeks = models.PositiveSmallIntegerField(
        _("weeks of daily practice"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_(
            "After this many weeks, and once she has done every lesson, she moves on to "
            "maintenance (usually 12)."
        ),
    )
    maintenance_sessions_per_week = models.PositiveSmallIntegerField(
        _("routine sessions per week in maintenance"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(21)],
        help_text=_("The target once she is in maintenance (usually 2 to 3 a week)."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # New on every change to a course or its steps, lessons, images, exercises and dose
    # steps (courses/signals.py): the key of the content cache (courses/content.py).
    content_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses:course-detail", kwargs={"course_slug": self.slug})

    def published_lessons(self):
        """All published lessons in course order: by step, then by lesson."""
        return (
            Lesson.objects.published()
            .filter(step__course=self)
            .select_related("step__course")
            .order_by("step__order", "step_id", "order", "id")
        )

    def content(self):
        """Its published content, cached per content version (courses/content.py)."""
        from .content import content_of

        return content_of(self)

    def outline_for(self, user):
        """Steps, lessons and their state for one patient: one query for her progress, the
        steps and lessons her therapist opened or hid for her and the feedback she got (the
        lessons come from the content cache), and one more when the next step waits for
        practice sessions."""
        from .content import own_copy

        lessons = [own_copy(lesson) for lesson in self.content().lessons]
        changes = PatientChanges()
        if user is not None and user.is_authenticated:
            changes = PatientChanges.of(user)
        return CourseOutline(self, lessons, changes.progress, changes=changes, user=user)


class PatientChanges:
    """What is hers in the outline: her progress and what her therapist changed for her.

    Read in one UNION query (`of`): her lesson progress, the steps opened for her
    (StepUnlock), the lessons opened and the lessons and steps hidden for her
    (PatientAccess), the steps she had feedback on and her unread feedback (Feedback).
    All of hers, in every course (she follows one or two): no joins to build or run; the
    outline looks only at this course's lessons and steps.
    """

    PROGRESS, UNLOCK, STEP_FEEDBACK, UNREAD, OPEN_LESSON, HIDDEN_LESSON, HIDDEN_STEP = range(7)

    def __init__(self):
        self.progress = {}  # {lesson_id: (first_opened_at, completed_at)}
        self.unlocked_steps = set()
        self.feedback_steps = set()
        self.unread_feedback = []  # ids, newest first
        self.opened_lessons = set()
        self.hidden_lessons = set()
        self.hidden_steps = set()

    @classmethod
    def of(cls, user):
        kind = functools.partial(models.Value, output_field=models.IntegerField())
        access_kind = models.Case(
            models.When(lesson__isnull=True, then=kind(cls.HIDDEN_STEP)),
            models.When(state=PatientAccess.State.OPEN, then=kind(cls.OPEN_LESSON)),
            default=kind(cls.HIDDEN_LESSON),
            output_field=models.IntegerField(),
        )
        feedback = Feedback.objects.filter(user=user).order_by()
        rows = (
            LessonProgress.objects.filter(user=user)
            .order_by()
            .values_list("lesson_id", "first_opened_at", "completed_at", kind(cls.PROGRESS))
            .union(
                StepUnlock.objects.filter(user=user)
                .order_by()
                .values_list("step_id", "unlocked_at", "unlocked_at", kind(cls.UNLOCK)),
                PatientAccess.objects.filter(user=user)
                .order_by()
                .values_list(Coalesce("lesson_id", "step_id"), "set_at", "set_at", access_kind),
                feedback.filter(step__isnull=False).values_list(
                    "step_id", "created_at", "created_at", kind(cls.STEP_FEEDBACK)
                ),
                feedback.filter(read_at__isnull=True).values_list(
                    "id", "created_at", "created_at", kind(cls.UNREAD)
                ),
                all=True,
            )
        )
        changes = cls()
        into = {
            cls.UNLOCK: changes.unlocked_steps,
            cls.STEP_FEEDBACK: changes.feedback_steps,
            cls.OPEN_LESSON: changes.opened_lessons,
            cls.HIDDEN_LESSON: changes.hidden_lessons,
            cls.HIDDEN_STEP: changes.hidden_steps,
        }
        unread = []
        for pk, first, second, row_kind in rows:
            if row_kind == cls.PROGRESS:
                changes.progress[pk] = (first, second)
            elif row_kind == cls.UNREAD:
                unread.append((first, pk))
            else:
                into[row_kind].add(pk)
        changes.unread_feedback = [pk for _at, pk in sorted(unread, reverse=True)]
        return changes

    @classmethod
    def of_many(cls, user_ids):
        """{user_id: PatientChanges} without progress or unread feedback, for many patients
        in one query (the therapist's overview)."""
        if not user_ids:
            return {}
        kind = functools.partial(models.Value, output_field=models.IntegerField())
        hidden_kind = models.Case(
            models.When(lesson__isnull=True, then=kind(cls.HIDDEN_STEP)),
            default=kind(cls.HIDDEN_LESSON),
            output_field=models.IntegerField(),
        )
        rows = (
            StepUnlock.objects.filter(user__in=user_ids)
            .order_by()
            .values_list("user_id", "step_id", kind(cls.UNLOCK))
            .union(
                Feedback.objects.filter(user__in=user_ids, step__isnull=False)
                .order_by()
                .values_list("user_id", "step_id", kind(cls.STEP_FEEDBACK)),
                PatientAccess.objects.filter(user__in=user_ids, state=PatientAccess.State.HIDDEN)
                .order_by()
                .values_list("user_id", Coalesce("lesson_id", "step_id"), hidden_kind),
                all=True,
            )
        )
        found = {user_id: cls() for user_id in user_ids}
        for user_id, pk, row_kind in rows:
            changes = found[user_id]
            {
                cls.UNLOCK: changes.unlocked_steps,
                cls.STEP_FEEDBACK: changes.feedback_steps,
                cls.HIDDEN_LESSON: changes.hidden_lessons,
                cls.HIDDEN_STEP: changes.hidden_steps,
            }[row_kind].add(pk)
        return found


class Step(models.Model):
    """A module of a course, e.g. "Sitting"; holds ordered lessons."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="steps", verbose_name=_("course")
    )
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("A short text shown above this step's lessons."),
    )
    order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first.")
    )
    unlock_after_days = models.PositiveSmallIntegerField(
        _("days of practice before this step"),
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_(
            "The first lesson of this step opens only this many days after the patient "
            "started the previous step. 0 = no waiting."
        ),
    )
    unlock_after_sessions = models.PositiveSmallIntegerField(
        _("practice sessions before this step"),
        default=0,
        validators=[MaxValueValidator(500)],
        help_text=_(
            "The first lesson of this step opens only after this many practice sessions "
            "since the patient started the previous step. 0 = no minimum."
        ),
    )
    waits_for_feedback = models.BooleanField(
        _("waits for my feedback"),
        default=False,
        help_text=_(
            "When she has finished this step's lessons you are told (on your overview and "
            "by email), and the next step opens only once you have written her feedback on "
            "this step on her page, or opened the next step for her."
        ),
    )

    # Who changed what and when, with revert in the admin (content only: no patient data).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["order", "id"]

    def __str__(self):
        return self.title


class StepUnlockManager(models.Manager):
    def unlock(self, *, user, step, by):
        """Open `step` for her; opening it again (or twice at once) changes nothing."""
        unlock, _created = self.get_or_create(user=user, step=step, defaults={"unlocked_by": by})
        return unlock


class StepUnlock(models.Model):
    """The therapist opened a step for one patient, whatever its waiting rules say."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="step_unlocks",
        verbose_name=_("patient"),
    )
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, related_name="unlocks", verbose_name=_("step")
    )
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unlocked by"),
    )
    unlocked_at = models.DateTimeField(_("unlocked at"), default=timezone.now)

    objects = StepUnlockManager()

    class Meta:
        verbose_name = _("step opened for a patient")
        verbose_name_plural = _("steps opened for a patient")
        constraints = [
            models.UniqueConstraint(fields=["user", "step"], name="courses_step_unlock_once"),
        ]

    def __str__(self):
        return f"{self.user} – {self.step}"


class LessonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True, step__course__published=True)


class Lesson(models.Model):
    step = models.ForeignKey(
        Step, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("step")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        unique=True,
        help_text=_("Part of the page address; filled in from the title. Must be unique."),
    )
    summary = models.CharField(
        _("short summary"),
        max_length=300,
        blank=True,
        help_text=_("One sentence shown in the course overview."),
    )
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Write plain text. Empty line = new paragraph; **bold**; *italic*; "
            "a line starting with '- ' is a bullet, with '1. ' a numbered step; "
            "'## ' makes a heading. To place an uploaded image, put the cursor where it "
            "belongs and press its button above the text. The preview shows how patients "
            "will see it."
        ),
    )
    video_url = models.URLField(
        _("video link"),
        blank=True,
        validators=[validate_video_url],
        help_text=_(
            "A YouTube or Vimeo link. It is shown without tracking cookies "
            "(youtube-nocookie / Vimeo 'do not track')."
        ),
    )
    video_file = models.FileField(
        _("video file"),
        upload_to="lessons/videos/",
        blank=True,
        validators=[FileExtensionValidator(["mp4"]), validate_mp4],
        help_text=_("Or upload an MP4 video (at most 500 MB). A link is used when both are set."),
    )
    transcript = models.TextField(
        _("transcript"),
        blank=True,
        help_text=_("What is said in the video, for patients who cannot or prefer not to listen."),
    )
    video_required = models.BooleanField(
        _("video must be watched"),
        default=False,
        help_text=_(
            "Tick to let her mark the lesson as done only after watching at least 90 percent "
            "of the uploaded video. Videos from YouTube or Vimeo are never required."
        ),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("How long the lesson takes, including the exercises."),
    )
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published lessons are visible to patients."),
    )
    order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Lower numbers come first within the step.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LessonQuerySet.as_manager()
    # Who changed what and when, with revert in the admin (content only: no patient data).
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_minutes__gte=1) & Q(estimated_minutes__lte=240),
                name="courses_lesson_minutes_range",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if "_url" in self.__dict__:
            return self._url  # worked out once for the content cache
        return reverse(
            "courses:lesson-detail",
            kwargs={"course_slug": self.step.course.slug, "lesson_slug": self.slug},
        )

    @cached_property
    def body_html(self):
        # The content cache sets this with the images it has loaded (courses/content.py).
        return render_markdown(self.body, self.images.all() if self.placed_images else ())

    @cached_property
    def placed_images(self):
        """The numbers of the images placed in the text (`{{ image 12 }}`), in order."""
        return image_tokens(self.body)

    @property
    def video_embed_url(self):
        return video_embed_url(self.video_url)

    @property
    def has_video(self):
        return bool(self.video_url or self.video_file)

    def is_unlocked_for(self, user):
        """The first lesson is open; every next one opens when the one before is done."""
        return self.step.course.outline_for(user).is_open(self)


class LessonCaption(models.Model):
    """Captions (subtitles) of a lesson's uploaded video in one language: a WebVTT file."""

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="captions", verbose_name=_("lesson")
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    file = models.FileField(
        _("caption file"),
        upload_to="lessons/captions/",
        validators=[FileExtensionValidator(["vtt"]), validate_webvtt],
        help_text=_("A WebVTT file (.vtt), at most 1 MB, for the uploaded MP4 video."),
    )

    class Meta:
        verbose_name = _("captions")
        verbose_name_plural = _("captions")
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["lesson", "language"], name="courses_caption_one_per_language"
            )
        ]

    def __str__(self):
        return f"{self.lesson} ({self.get_language_display()})"


class LessonImage(models.Model):
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="images", verbose_name=_("lesson")
    )
    image = models.ImageField(
        _("image"),
        upload_to="lessons/images/",
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG or WebP, at most 10 MB and 6000 × 6000 pixels."),
    )
    alt_text = models.CharField(
        _("description for screen readers"),
        max_length=250,
        help_text=_("Describe what the image shows, for patients who cannot see it."),
    )
    caption = models.CharField(
        _("caption"), max_length=250, blank=True, help_text=_("Shown under the image.")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    width = models.PositiveIntegerField(_("width"), null=True, editable=False)
    height = models.PositiveIntegerField(_("height"), null=True, editable=False)
    # Names of the resized copies, so that rendering a lesson needs no extra queries.
    renditions = models.JSONField(_("renditions"), default=list, editable=False)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["order", "id"]

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        rebuild = kwargs.pop("rebuild_renditions", None)
        if self.image and not self.image._committed:
            self.image = images.normalise_upload(self.image)
        if rebuild is None:
            rebuild = not self.renditions or self._image_changed()
        super().save(*args, **kwargs)
        if rebuild and self.image:
            self.renditions = images.build_renditions(self.image, self.width)
            super().save(update_fields=["renditions"])

    def _image_changed(self):
        if not self.pk:
            return True
        old = LessonImage.objects.filter(pk=self.pk).values_list("image", flat=True).first()
        return old != self.image.name

    def srcset_items(self):
        if "_srcset_items" in self.__dict__:
            return self._srcset_items  # worked out once for the content cache
        return images.srcset_items(self.image, self.renditions, self.width, self.height)

    @property
    def display(self):
        """The rendition a phone loads by default; the original when it is small."""
        items = self.srcset_items()
        return items[min(1, len(items) - 1)]

    @property
    def srcset(self):
        return ", ".join(f"{url} {width}w" for url, width, _height in self.srcset_items())


# Limits of an exercise's dose: the admin form, the constraints and the timer use these.
EXERCISE_MAX_SECONDS = 120
EXERCISE_MAX_REPETITIONS = 100
EXERCISE_MAX_SETS = 20
EXERCISE_MAX_REST_SECONDS = 600
# Posture and strength exercises hold a position and rest; pelvic-floor exercises contract
# and relax, and their relaxation is at least as long as the hold.
HOLD_AND_REST_KINDS = ["posture", "strength"]
# A pelvic-floor contraction longer than this is not an exercise any more.
PELVIC_FLOOR_MAX_HOLD_SECONDS = 60


class ExerciseQuerySet(models.QuerySet):
    def in_routine(self):
        return self.filter(in_routine=True)


class Exercise(models.Model):
    class Kind(models.TextChoices):
        LONG_HOLD = "long_hold", _("Long hold")
        QUICK_FLICKS = "quick_flicks", _("Quick flicks")
        POSTURE = "posture", _("Posture")
        STRENGTH = "strength", _("Strength")
        BREATHING = "breathing", _("Letting go with the breath")

    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="exercises", verbose_name=_("lesson")
    )
    name = models.CharField(_("name"), max_length=200)
    instructions = models.TextField(
        _("instructions"),
        blank=True,
        help_text=_("Step by step: starting position, what to do, what to feel."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.LONG_HOLD)
    hold_seconds = models.PositiveSmallIntegerField(
        _("hold (seconds)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_SECONDS)],
        help_text=_("How long to contract or hold. For quick flicks: 1 or 2."),
    )
    relax_seconds = models.PositiveSmallIntegerField(
        _("relax (seconds)"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_SECONDS)],
        help_text=_("How long to relax after each hold; usually at least as long as the hold."),
    )
    repetitions = models.PositiveSmallIntegerField(
        _("repetitions"),
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_REPETITIONS)],
        help_text=_("Repetitions per set."),
    )
    sets = models.PositiveSmallIntegerField(
        _("sets"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_SETS)],
    )
    allow_short_relax = models.BooleanField(
        _("relax may be shorter than the hold"),
        default=False,
        help_text=_(
            "For pelvic-floor holds the relaxation is at least as long as the hold. Tick only "
            "if you deliberately want a shorter relaxation."
        ),
    )
    rest_between_sets_seconds = models.PositiveSmallIntegerField(
        _("rest between sets (seconds)"),
        default=60,
        validators=[MaxValueValidator(EXERCISE_MAX_REST_SECONDS)],
    )
    in_routine = models.BooleanField(
        _("part of the daily routine"),
        default=False,
        help_text=_(
            "From this step on, the exercise is in the routine she runs every day on the "
            "“Today” page, at the dose of her week."
        ),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("takes the place of"),
        help_text=_(
            "In the routine, this exercise takes the place of an earlier one (for example "
            "holds sitting instead of lying) once she reaches this step."
        ),
    )
    starting_position = models.CharField(
        _("starting position"),
        max_length=200,
        blank=True,
        help_text=_(
            "Said before the exercise in the routine, e.g. “Lie on your back, knees bent”."
        ),
    )
    lying_on_back = models.BooleanField(
        _("done lying on the back"),
        default=False,
        help_text=_(
            "Tick for exercises on the back: after about 20 weeks of pregnancy she is told to "
            "do them sitting or lying on her side."
        ),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = ExerciseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exercise")
        verbose_name_plural = _("exercises")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hold_seconds__gte=1) & Q(hold_seconds__lte=EXERCISE_MAX_SECONDS),
                name="courses_exercise_hold_range",
            ),
            models.CheckConstraint(
                condition=Q(relax_seconds__gte=1) & Q(relax_seconds__lte=EXERCISE_MAX_SECONDS),
                name="courses_exercise_relax_range",
            ),
            models.CheckConstraint(
                condition=Q(repetitions__gte=1) & Q(repetitions__lte=EXERCISE_MAX_REPETITIONS),
                name="courses_exercise_repetitions_range",
            ),
            models.CheckConstraint(
                condition=Q(sets__gte=1) & Q(sets__lte=EXERCISE_MAX_SETS),
                name="courses_exercise_sets_range",
            ),
            models.CheckConstraint(
                condition=Q(rest_between_sets_seconds__lte=EXERCISE_MAX_REST_SECONDS),
                name="courses_exercise_rest_range",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=HOLD_AND_REST_KINDS)
                | Q(allow_short_relax=True)
                | Q(relax_seconds__gte=models.F("hold_seconds")),
                name="courses_exercise_relax_at_least_hold",
                violation_error_message=_(
                    "Relaxation must be at least as long as the hold, unless you tick "
                    "“relax may be shorter than the hold”."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def uses_hold_and_rest(self):
        """Hold a position and rest (posture, strength), not contract and relax."""
        return self.kind in HOLD_AND_REST_KINDS

    @property
    def max_hold_seconds(self):
        """The longest hold a dose of this exercise may ask for."""
        if self.uses_hold_and_rest:
            return EXERCISE_MAX_SECONDS
        return PELVIC_FLOOR_MAX_HOLD_SECONDS

    @property
    def base_dose(self):
        return Dose(
            hold=self.hold_seconds,
            relax=self.relax_seconds,
            repetitions=self.repetitions,
            sets=self.sets,
            rest=self.rest_between_sets_seconds,
        )

    def dose_for_week(self, week):
        """The dose of week `week` of her programme: the last dose step that has begun."""
        steps = [s for s in self.dose_steps.all() if s.from_week <= week]
        return max(steps, key=lambda s: s.from_week).dose if steps else self.base_dose

    def dose_for(self, week, personal=None):
        """Her dose: the therapist's own dose for her if there is one, else her week's."""
        if personal is not None:
            return personal.dose_of(self)
        return self.dose_for_week(week)

    @property
    def total_seconds(self):
        return self.base_dose.total_seconds

    def check_dose(self, hold, relax, repetitions, sets, allow_short_relax=None):
        """{field: message} for a dose of this exercise that breaks a rule (empty when fine).

        The one home of the dose rules, for the admin's dose steps and a patient's own dose.
        """
        errors = {}
        if hold is not None and hold > self.max_hold_seconds:
            errors["hold_seconds"] = _("A hold can be at most %(max)s seconds.") % {
                "max": self.max_hold_seconds
            }
        if repetitions is not None and repetitions < 1:
            errors["repetitions"] = _("Give at least 1 repetition.")
        if sets is not None and sets < 1:
            errors["sets"] = _("Give at least 1 set.")
        short_ok = self.allow_short_relax if allow_short_relax is None else allow_short_relax
        if (
            not self.uses_hold_and_rest
            and not short_ok
            and hold is not None
            and relax is not None
            and relax < hold
        ):
            errors["relax_seconds"] = _(
                "Relaxation must be at least as long as the hold, unless you tick "
                "“relax may be shorter than the hold”."
            )
        return errors


class ExerciseDose(models.Model):
    """How the dose of a routine exercise grows: from week N of her programme on, this."""

    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="dose_steps", verbose_name=_("exercise")
    )
    from_week = models.PositiveSmallIntegerField(
        _("from week"),
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("Week of her programme from which this dose applies (week 1 = her start)."),
    )
    hold_seconds = models.PositiveSmallIntegerField(
        _("hold (seconds)"),
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_SECONDS)],
    )
    relax_seconds = models.PositiveSmallIntegerField(
        _("relax (seconds)"),
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_SECONDS)],
    )
    repetitions = models.PositiveSmallIntegerField(
        _("repetitions"),
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_REPETITIONS)],
    )
    sets = models.PositiveSmallIntegerField(
        _("sets"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_SETS)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dose from a week on")
        verbose_name_plural = _("doses as the weeks go by")
        ordering = ["from_week"]
        constraints = [
            models.UniqueConstraint(
                fields=["exercise", "from_week"], name="courses_dose_once_per_week"
            ),
            models.CheckConstraint(
                condition=Q(
                    hold_seconds__gte=1, relax_seconds__gte=1, repetitions__gte=1, sets__gte=1
                ),
                name="courses_dose_positive",
            ),
        ]

    def __str__(self):
        return str(_("from week %(week)s") % {"week": self.from_week})

    @property
    def dose(self):
        return Dose(
            hold=self.hold_seconds,
            relax=self.relax_seconds,
            repetitions=self.repetitions,
            sets=self.sets,
            rest=self.exercise.rest_between_sets_seconds if self.sets > 1 else 0,
        )

    def clean(self):
        if self.exercise_id is None:
            return
        errors = self.exercise.check_dose(
            self.hold_seconds, self.relax_seconds, self.repetitions, self.sets
        )
        if errors:
            raise ValidationError(errors)


class PatientDoseQuerySet(models.QuerySet):
    def for_user(self, user):
        """{exercise_id: PatientDose} of one patient."""
        return {dose.exercise_id: dose for dose in self.filter(user=user)}


class PatientDose(models.Model):
    """The therapist set one patient's dose of an exercise, or holds her at a level."""

    class Mode(models.TextChoices):
        OWN = "own", _("Her own dose")
        LEVEL = "level", _("Keep her at the dose of a week")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="own_doses",
        verbose_name=_("patient"),
    )
    exercise = models.ForeignKey(
        Exercise, on_delete=models.CASCADE, related_name="own_doses", verbose_name=_("exercise")
    )
    mode = models.CharField(_("what"), max_length=10, choices=Mode, default=Mode.OWN)
    level_week = models.PositiveSmallIntegerField(
        _("the dose of week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("She keeps the dose of this week of the programme until you change it."),
    )
    hold_seconds = models.PositiveSmallIntegerField(
        _("hold (seconds)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_SECONDS)],
    )
    relax_seconds = models.PositiveSmallIntegerField(
        _("relax (seconds)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_SECONDS)],
    )
    repetitions = models.PositiveSmallIntegerField(
        _("repetitions"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_REPETITIONS)],
    )
    sets = models.PositiveSmallIntegerField(
        _("sets"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(EXERCISE_MAX_SETS)],
    )
    allow_short_relax = models.BooleanField(_("relax may be shorter than the hold"), default=False)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    objects = PatientDoseQuerySet.as_manager()

    class Meta:
        verbose_name = _("dose set for a patient")
        verbose_name_plural = _("doses set for a patient")
        constraints = [
            models.UniqueConstraint(fields=["user", "exercise"], name="courses_own_dose_once"),
            models.CheckConstraint(
                condition=(
                    Q(mode="level", level_week__isnull=False)
                    | Q(
                        mode="own",
                        hold_seconds__isnull=False,
                        relax_seconds__isnull=False,
                        repetitions__gte=1,
                        sets__gte=1,
                    )
                ),
                name="courses_own_dose_complete",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.exercise}"

    def clean(self):
        if self.mode == self.Mode.LEVEL:
            if self.level_week is None:
                raise ValidationError({"level_week": _("Choose the week whose dose she keeps.")})
            self.hold_seconds = self.relax_seconds = self.repetitions = self.sets = None
            return
        missing = {
            name: _("Fill in this part of her dose.")
            for name in ("hold_seconds", "relax_seconds", "repetitions", "sets")
            if getattr(self, name) is None
        }
        if missing:
            raise ValidationError(missing)
        self.level_week = None
        if self.exercise_id:
            errors = self.exercise.check_dose(
                self.hold_seconds,
                self.relax_seconds,
                self.repetitions,
                self.sets,
                allow_short_relax=self.allow_short_relax or self.exercise.allow_short_relax,
            )
            if errors:
                raise ValidationError(errors)

    def dose_of(self, exercise):
        if self.mode == self.Mode.LEVEL:
            dose = exercise.dose_for_week(self.level_week)
            return Dose(**{**dose.__dict__, "adjusted": True, "level_week": self.level_week})
        return Dose(
            hold=self.hold_seconds,
            relax=self.relax_seconds,
            repetitions=self.repetitions,
            sets=self.sets,
            rest=exercise.rest_between_sets_seconds if self.sets > 1 else 0,
            adjusted=True,
        )


class EnrollmentQuerySet(models.QuerySet):
    def active(self):
        """Enrolments in published courses, oldest first: the first is her current course."""
        return self.filter(course__published=True).select_related("course").order_by("enrolled_at")

    def current_for(self, user):
        """The enrolment her progress, targets and reminders follow, or None."""
        return self.active().filter(user=user).first()

    def current_by_user(self, users):
        """{user_id: current enrolment} for many patients in one query."""
        current = {}
        for enrollment in self.active().filter(user__in=users):
            current.setdefault(enrollment.user_id, enrollment)
        return current

    def enrol(self, *, user, course):
        """Enrol her (once, however often she clicks)."""
        enrollment, _created = self.get_or_create(user=user, course=course)
        return enrollment


class Enrollment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("patient"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course")
    )
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="courses_enrollment_one_per_course"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.course}"

    def get_absolute_url(self):
        return self.course.get_absolute_url()


class LessonProgressQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(completed_at__isnull=False)


class LessonProgressManager(models.Manager.from_queryset(LessonProgressQuerySet)):
    def record_visit(self, *, user, lesson):
        """Her first visit to a lesson, stored once.

        The one write a page view (GET) makes, on purpose and only in the lesson view: a
        step that waits N days counts them from her first visit to the step before it.
        """
        progress, _created = self.get_or_create(user=user, lesson=lesson)
        return progress

    def submit_watched(self, *, user, lesson):
        """She watched (90% of) the lesson's video; the first time is kept."""
        progress, _created = self.get_or_create(user=user, lesson=lesson)
        if progress.video_watched_at is None:
            self.filter(pk=progress.pk, video_watched_at__isnull=True).update(
                video_watched_at=timezone.now()
            )
            data_changed(user.pk)  # an update() sends no signal
            progress.refresh_from_db(fields=["video_watched_at"])
        return progress

    def submit_completion(self, *, user, lesson):
        """Mark a lesson done; a double click or a retry keeps the first time it was done."""
        now = timezone.now()
        progress, _created = self.get_or_create(
            user=user, lesson=lesson, defaults={"first_opened_at": now}
        )
        if progress.completed_at is None:
            done_at = max(now, progress.first_opened_at)
            # Conditional, so that two clicks at once cannot both write a time.
            self.filter(pk=progress.pk, completed_at__isnull=True).update(completed_at=done_at)
            data_changed(user.pk)  # an update() sends no signal
            progress.refresh_from_db(fields=["completed_at"])
        return progress


class LessonProgress(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("patient"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    first_opened_at = models.DateTimeField(_("first opened"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    video_watched_at = models.DateTimeField(_("video watched"), null=True, blank=True)

    objects = LessonProgressManager()

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson"], name="courses_progress_one_per_lesson"
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True)
                | Q(completed_at__gte=models.F("first_opened_at")),
                name="courses_progress_completed_after_opened",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.lesson}"


class PatientAccessManager(models.Manager):
    def choose(self, *, user, by, state, step=None, lesson=None):
        """Set how one step or lesson stands for her: `state` "" (as the course plans it),
        "open" or "hidden". A step opened for her is a StepUnlock, as before; everything
        else is a PatientAccess. Setting the same again changes nothing."""
        if step is not None:
            if state != PatientAccess.State.OPEN:
                StepUnlock.objects.filter(user=user, step=step).delete()
            if state != PatientAccess.State.HIDDEN:
                self.filter(user=user, step=step).delete()
            if state == PatientAccess.State.OPEN:
                StepUnlock.objects.unlock(user=user, step=step, by=by)
            elif state == PatientAccess.State.HIDDEN:
                self.update_or_create(
                    user=user,
                    step=step,
                    defaults={"state": state, "set_by": by, "set_at": timezone.now()},
                )
            return
        if not state:
            self.filter(user=user, lesson=lesson).delete()
            return
        self.update_or_create(
            user=user,
            lesson=lesson,
            defaults={"state": state, "set_by": by, "set_at": timezone.now()},
        )


class PatientAccess(models.Model):
    """The therapist opened a lesson for one patient, or hid a lesson or a whole step.

    A hidden lesson or step is gone from her course, her routine and her progress; an
    opened lesson is open whatever comes before it. (Opening a whole step: StepUnlock.)
    """

    class State(models.TextChoices):
        OPEN = "open", _("Open for her")
        HIDDEN = "hidden", _("Hidden for her")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_access",
        verbose_name=_("patient"),
    )
    step = models.ForeignKey(
        Step,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="patient_access",
        verbose_name=_("step"),
    )
    lesson = models.ForeignKey(
        "Lesson",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="patient_access",
        verbose_name=_("lesson"),
    )
    state = models.CharField(_("state"), max_length=10, choices=State)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    objects = PatientAccessManager()

    class Meta:
        verbose_name = _("lesson or step set for a patient")
        verbose_name_plural = _("lessons and steps set for a patient")
        constraints = [
            models.CheckConstraint(
                condition=Q(step__isnull=True, lesson__isnull=False)
                | Q(step__isnull=False, lesson__isnull=True),
                name="courses_access_step_or_lesson",
            ),
            # A step opened for her is a StepUnlock: one home for it.
            models.CheckConstraint(
                condition=Q(lesson__isnull=False) | Q(state="hidden"),
                name="courses_access_step_hidden_only",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "hidden"]), name="courses_access_state_valid"
            ),
            models.UniqueConstraint(
                fields=["user", "step"],
                condition=Q(step__isnull=False),
                name="courses_access_once_per_step",
            ),
            models.UniqueConstraint(
                fields=["user", "lesson"],
                condition=Q(lesson__isnull=False),
                name="courses_access_once_per_lesson",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.lesson or self.step}: {self.get_state_display()}"


class FeedbackQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def unread_for(self, user, outline=None):
        """Her unread feedback, newest first, with who wrote it. With her outline, which
        knows the ids already, no query at all when there is none."""
        if outline is not None and not outline.unread_feedback:
            return []
        return list(
            self.unread()
            .filter(user=user)
            .select_related("written_by", "step")
            .order_by("-created_at")
        )


class FeedbackManager(models.Manager.from_queryset(FeedbackQuerySet)):
    def mark_read(self, *, feedback):
        """She has read it; a double click keeps the first time."""
        if self.filter(pk=feedback.pk, read_at__isnull=True).update(read_at=timezone.now()):
            data_changed(feedback.user_id)  # an update() sends no signal


class Feedback(models.Model):
    """What her therapist wrote to her; shown on her pages until she has read it."""

    MAX_LENGTH = 4000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("patient"),
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    step = models.ForeignKey(
        Step,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("on the step"),
        help_text=_("Feedback on a step that waits for your feedback opens the next step."),
    )
    text = models.TextField(_("feedback"), max_length=MAX_LENGTH)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = FeedbackManager()

    class Meta:
        verbose_name = _("feedback to a patient")
        verbose_name_plural = _("feedback to patients")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="courses_feedback_unread")]

    def __str__(self):
        return self.text[:60]


class LessonQuestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(answered_at__isnull=True)

    def faq(self):
        return self.filter(published_as_faq=True, answered_at__isnull=False)


class LessonQuestion(models.Model):
    """A patient's private question on a lesson; the therapist may publish it anonymously."""

    MAX_LENGTH = 1000
    PER_DAY = 5

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_questions",
        verbose_name=_("patient"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="questions", verbose_name=_("lesson")
    )
    text = models.TextField(_("question"), max_length=MAX_LENGTH)
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    published_as_faq = models.BooleanField(
        _("show as FAQ on the lesson"),
        default=False,
        help_text=_(
            "Shows the question and your answer to every patient of this lesson, without "
            "her name. Check the text for anything that could identify her."
        ),
    )
    faq_text = models.TextField(
        _("question as shown in the FAQ"),
        blank=True,
        max_length=MAX_LENGTH,
        help_text=_("Optional: a rewritten, anonymous version of the question for the FAQ."),
    )

    objects = LessonQuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question on a lesson")
        verbose_name_plural = _("questions on lessons")
        ordering = ["-asked_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published_as_faq=False) | Q(answered_at__isnull=False),
                name="courses_question_faq_needs_answer",
            ),
        ]
        indexes = [models.Index(fields=["lesson", "published_as_faq"], name="courses_q_lesson_faq")]

    def __str__(self):
        return self.text[:60]

    def get_absolute_url(self):
        return self.lesson.get_absolute_url() + f"#question-{self.pk}"

    @property
    def public_text(self):
        return self.faq_text or self.text

    @classmethod
    def asked_today(cls, user):
        since = timezone.now() - datetime.timedelta(days=1)
        return cls.objects.filter(user=user, asked_at__gte=since).count()


# --- Joining: a therapist's invitation, or a course code (courses/joining.py) -----------


def hash_token(token):
    """Only this is stored: a leaked database holds no working invitation link."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def sent_by(self, staff):
        """The invitations a member of staff sees: her own; a practice owner's, all."""
        if is_practice_owner(staff):
            return self
        return self.filter(therapist=staff)

    def open(self):
        return self.filter(
            used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now()
        )

    def stale(self, now=None):
        """Invitations nobody used whose link expired, or that were withdrawn, more than
        INVITATION_KEEP_DAYS ago: the therapist has seen them as expired or withdrawn on
        her list; after that an address the patient never used is not kept."""
        since = (now or timezone.now()) - datetime.timedelta(days=settings.INVITATION_KEEP_DAYS)
        return self.filter(used_at__isnull=True).filter(
            Q(expires_at__lt=since) | Q(withdrawn_at__lt=since)
        )

    def claim(self, invitation, *, token_hash, user):
        """Mark it used by `user` if it is still open; False when someone or something was
        first (used, withdrawn, expired, resent with a new link). One conditional UPDATE,
        so that two sign-ups at the same moment cannot both use one invitation."""
        now = timezone.now()
        claimed = (
            self.open()
            .filter(pk=invitation.pk, token_hash=token_hash)
            .update(used_at=now, used_by=user)
        )
        return claimed == 1


class Invitation(models.Model):
    """A therapist invites one address to one course; the link works once, for a while."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        USED = "used", _("Used")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    email = models.EmailField(_("email address"))
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("course")
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations_sent",
        verbose_name=_("therapist"),
    )
    message = models.TextField(_("personal message"), blank=True, max_length=1000)
    token_hash = models.CharField(_("link (hashed)"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("link works until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # Her account's erasure takes the invitation (and so her address) with it.
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations_used",
        verbose_name=_("used by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(withdrawn_at__isnull=True),
                name="courses_invitation_used_or_withdrawn",
            ),
            models.CheckConstraint(
                condition=Q(used_at__isnull=True) | Q(used_by__isnull=False),
                name="courses_invitation_used_by_someone",
            ),
        ]

    def __str__(self):
        return self.email

    @property
    def status(self):
        if self.used_at:
            return self.Status.USED
        if self.withdrawn_at:
            return self.Status.WITHDRAWN
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.OPEN

    def get_status_display(self):
        return self.Status(self.status).label

    @property
    def can_resend(self):
        return self.status in (self.Status.OPEN, self.Status.EXPIRED)

    @property
    def can_withdraw(self):
        return self.status == self.Status.OPEN

    def new_link(self):
        """A fresh token (returned once, to go into the email) and a fresh expiry."""
        token = secrets.token_urlsafe(32)
        self.token_hash = hash_token(token)
        self.sent_at = timezone.now()
        self.expires_at = self.sent_at + datetime.timedelta(days=settings.INVITATION_DAYS)
        return token


def normalise_code(code):
    return "".join((code or "").split()).upper()


class AccessCodeQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(uses__lt=F("max_uses"), ends_on__gte=timezone.localdate())

    def claim(self, access_code):
        """Count one use if one is left; False when it is used up or ended. A conditional
        UPDATE, so that a code with one use left is never used twice at the same moment."""
        return self.usable().filter(pk=access_code.pk).update(uses=F("uses") + 1) == 1


class AccessCode(models.Model):
    """A code for a group class or a flyer: whoever signs up with it is enrolled."""

    code = models.CharField(
        _("code"),
        max_length=32,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9-]{4,32}$",
                _("Use 4 to 32 letters, digits or hyphens, for example BEKKEN-2027."),
            )
        ],
        help_text=_(
            "What patients type when they sign up, or the end of the link "
            "/accounts/signup/?code=…. Capitals and small letters count the same."
        ),
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="access_codes", verbose_name=_("course")
    )
    therapist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"is_staff": True, "is_active": True},
        verbose_name=_("therapist"),
        help_text=_("Optional: who becomes the therapist of everyone who signs up with it."),
    )
    max_uses = models.PositiveIntegerField(
        _("use limit"),
        validators=[MinValueValidator(1)],
        help_text=_("How many people can sign up with it, e.g. the size of the group."),
    )
    uses = models.PositiveIntegerField(_("used"), default=0, editable=False)
    ends_on = models.DateField(_("works until"), help_text=_("The last day it works."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = AccessCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("course code")
        verbose_name_plural = _("course codes")
        ordering = ["-ends_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(uses__lte=F("max_uses")), name="courses_accesscode_within_limit"
            ),
        ]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        self.code = normalise_code(self.code)
        super().save(*args, **kwargs)

    def clean(self):
        # Before the unique check, so that "bekken" and "BEKKEN" count as one code.
        self.code = normalise_code(self.code)

    @property
    def uses_left(self):
        return max(self.max_uses - self.uses, 0)

    @property
    def has_ended(self):
        return self.ends_on < timezone.localdate()
