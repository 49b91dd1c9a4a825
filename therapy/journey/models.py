import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import safety
from .safety import Urgency

# --- Practice ---------------------------------------------------------------------------


# Limits of one saved run, used by the form, the templates and (json_script) timer.js.
PRACTICE_MAX_SECONDS = 4 * 60 * 60
PRACTICE_MAX_REPETITIONS = 2000
# The server takes runs started at most this long ago: the browser keeps unsent ones.
PRACTICE_LOG_WINDOW_DAYS = 7


class PracticeSessionQuerySet(models.QuerySet):
    def counted(self):
        """What counts as a session for targets, streaks, step waits and reminders: a run of
        the daily routine. A single exercise from a lesson is practice too, but not a session."""
        return self.filter(kind=PracticeSession.Kind.ROUTINE)


class PracticeReplayConflict(Exception):
    """A run sent again with a key already stored, but with other numbers: not the same run."""


# What must be the same when a run is sent again with its key (a later feeling may differ).
_REPLAY_FIELDS = ("kind", "duration_seconds", "repetitions_done", "completed", "by_hand")


class PracticeSessionManager(models.Manager.from_queryset(PracticeSessionQuerySet)):
    def submit(self, *, user, idempotency_key, feeling=None, parts=(), started_at=None, **fields):
        """Store a run once per key: a retry (or two at once) returns the stored one.

        A retry (from the offline queue, days later too) must carry the same run: the same
        numbers, start time (when sent) and parts, or PracticeReplayConflict is raised and
        nothing changes. Only a feeling chosen later is added. `started_at` None is now
        (logged by hand). Returns (session, created).
        """
        with transaction.atomic():
            session, created = self.get_or_create(
                user=user,
                idempotency_key=idempotency_key,
                defaults={
                    **fields,
                    "feeling": feeling,
                    "started_at": started_at or timezone.now(),
                },
            )
            if created and parts:
                RoutinePart.objects.bulk_create(
                    RoutinePart(session=session, order=order, **part)
                    for order, part in enumerate(parts, start=1)
                )
        if not created and not session.is_replay_of(started_at=started_at, parts=parts, **fields):
            raise PracticeReplayConflict
        if not created and feeling and session.feeling != feeling:
            session.feeling = feeling
            session.save(update_fields=["feeling"])
        return session, created


class PracticeSession(models.Model):
    """One run of the daily routine, or of one exercise, with the timer (or logged by hand)."""

    class Kind(models.TextChoices):
        EXERCISE = "exercise", _("One exercise")
        ROUTINE = "routine", _("Daily routine")

    class Feeling(models.IntegerChoices):
        VERY_HARD = 1, pgettext_lazy("how an exercise felt", "1 — very hard")
        HARD = 2, pgettext_lazy("how an exercise felt", "2 — hard")
        OKAY = 3, pgettext_lazy("how an exercise felt", "3 — okay")
        GOOD = 4, pgettext_lazy("how an exercise felt", "4 — good")
        VERY_GOOD = 5, pgettext_lazy("how an exercise felt", "5 — very good")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="practice_sessions",
        verbose_name=_("patient"),
    )
    exercise = models.ForeignKey(
        "courses.Exercise",
        on_delete=models.SET_NULL,
        null=True,
        related_name="practice_sessions",
        verbose_name=_("exercise"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.EXERCISE)
    # Kept so that the log still reads well if the therapist deletes the exercise.
    exercise_name = models.CharField(_("exercise name"), max_length=200)
    idempotency_key = models.UUIDField(
        _("idempotency key"),
        help_text=_("Sent by the browser, so that a retried save is not counted twice."),
    )
    started_at = models.DateTimeField(_("started"))
    duration_seconds = models.PositiveIntegerField(
        _("duration (seconds)"), validators=[MaxValueValidator(PRACTICE_MAX_SECONDS)]
    )
    repetitions_done = models.PositiveSmallIntegerField(
        _("repetitions done"), validators=[MaxValueValidator(PRACTICE_MAX_REPETITIONS)]
    )
    completed = models.BooleanField(_("completed"), default=False)
    feeling = models.PositiveSmallIntegerField(
        _("how did it feel (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    by_hand = models.BooleanField(
        _("logged by hand"), default=False, help_text=_("Logged without the timer.")
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    objects = PracticeSessionManager()

    class Meta:
        verbose_name = _("practice session")
        verbose_name_plural = _("practice sessions")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="therapy_practice_once_per_key"
            ),
            models.CheckConstraint(
                condition=Q(feeling__isnull=True) | Q(feeling__gte=1, feeling__lte=5),
                name="therapy_practice_feeling_range",
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__lte=PRACTICE_MAX_SECONDS),
                name="therapy_practice_duration_range",
            ),
        ]
        indexes = [models.Index(fields=["user", "started_at"], name="therapy_practice_user_time")]

    def __str__(self):
        return f"{self.exercise_name} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def is_routine(self):
        return self.kind == self.Kind.ROUTINE

    def is_replay_of(self, *, started_at=None, parts=(), **fields):
        """Whether these fields (as PracticeSession.objects.submit takes them) are this run."""
        fields.setdefault("kind", self.Kind.EXERCISE)
        if "exercise" in fields and self.exercise_id != getattr(fields["exercise"], "pk", None):
            return False
        for name in _REPLAY_FIELDS:
            if name in fields and getattr(self, name) != fields[name]:
                return False
        if started_at is not None and started_at != self.started_at:
            return False
        if not self.is_routine:
            return True
        stored = [
            (part.exercise_id, part.repetitions_done, part.skipped) for part in self.parts.all()
        ]
        sent = [
            (getattr(part["exercise"], "pk", None), part["repetitions_done"], part["skipped"])
            for part in parts
        ]
        return stored == sent


class RoutinePart(models.Model):
    """One exercise of a routine session: how much of it she did, or that she skipped it."""

    session = models.ForeignKey(
        PracticeSession, on_delete=models.CASCADE, related_name="parts", verbose_name=_("session")
    )
    exercise = models.ForeignKey(
        "courses.Exercise",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("exercise"),
    )
    exercise_name = models.CharField(_("exercise name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"))
    target_repetitions = models.PositiveSmallIntegerField(_("repetitions asked"))
    repetitions_done = models.PositiveSmallIntegerField(_("repetitions done"))
    skipped = models.BooleanField(_("skipped"), default=False)

    class Meta:
        verbose_name = _("part of a routine")
        verbose_name_plural = _("parts of a routine")
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="therapy_part_once"),
            models.CheckConstraint(
                condition=Q(repetitions_done__lte=models.F("target_repetitions")),
                name="therapy_part_not_more_than_asked",
            ),
            models.CheckConstraint(
                condition=Q(skipped=False) | Q(repetitions_done=0),
                name="therapy_part_skipped_means_none",
            ),
        ]

    def __str__(self):
        return self.exercise_name


def count_practice_sessions(user, since):
    """What a step that waits for practice counts (settings.COURSES_PRACTICE_COUNTER)."""
    return PracticeSession.objects.counted().filter(user=user, started_at__gte=since).count()


# --- Symptom diary ----------------------------------------------------------------------

DIARY_EDIT_DAYS = 30


class DiaryEntryManager(models.Manager):
    def submit_day(self, *, user, date, **values):
        """One entry per day: saving a day again (from two tabs at once, too) updates it."""
        entry, _created = self.update_or_create(user=user, date=date, defaults=values)
        return entry


class DiaryEntry(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="diary_entries",
        verbose_name=_("patient"),
    )
    date = models.DateField(_("date"))
    leaks = models.PositiveSmallIntegerField(
        _("leak episodes"),
        validators=[MaxValueValidator(50)],
        help_text=_("How many times did you lose urine today?"),
    )
    pads = models.PositiveSmallIntegerField(
        _("pads used"), validators=[MaxValueValidator(20)], help_text=_("Pads or liners used.")
    )
    urgency = models.PositiveSmallIntegerField(
        _("urgency episodes"),
        validators=[MaxValueValidator(50)],
        help_text=_("How often did you suddenly have to go, urgently?"),
    )
    back_pain = models.PositiveSmallIntegerField(
        _("back pain (0–10)"),
        validators=[MaxValueValidator(10)],
        help_text=_("0 = no pain, 10 = the worst pain you can imagine."),
    )
    note = models.TextField(_("note"), max_length=500, blank=True)
    rest_day = models.BooleanField(
        _("stopped practising for the day"),
        default=False,
        help_text=_("Her back pain was much higher than in her first week and she chose to rest."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DiaryEntryManager()

    class Meta:
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="therapy_diary_one_per_day"),
            models.CheckConstraint(condition=Q(leaks__lte=50), name="therapy_diary_leaks_range"),
            models.CheckConstraint(condition=Q(pads__lte=20), name="therapy_diary_pads_range"),
            models.CheckConstraint(
                condition=Q(urgency__lte=50), name="therapy_diary_urgency_range"
            ),
            models.CheckConstraint(
                condition=Q(back_pain__lte=10), name="therapy_diary_back_pain_range"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.date}"

    def get_absolute_url(self):
        return f"{reverse('therapy:diary')}?date={self.date.isoformat()}"


# --- Questionnaires ---------------------------------------------------------------------


def parse_week_list(value):
    """ "13, 26" → [13, 26]; raises ValueError on anything else."""
    if not value or not value.strip():
        return []
    weeks = [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
    if any(week < 1 or week > 520 for week in weeks):
        raise ValueError(value)
    return sorted(set(weeks))


def validate_week_list(value):
    try:
        parse_week_list(value)
    except ValueError:
        raise ValidationError(
            _("Write whole numbers of weeks separated by commas, e.g. “13, 26”."),
            code="invalid_week_list",
        ) from None


@dataclass(frozen=True)
class ScoreChange:
    """A questionnaire score against her first one, judged by the questionnaire's rules."""

    points: int  # latest minus first
    meaningful: bool  # at least the smallest meaningful change, either way
    higher_is_worse: bool

    @property
    def improved(self):
        """True better, False worse, None when unchanged."""
        if not self.points:
            return None
        return self.points < 0 if self.higher_is_worse else self.points > 0

    @property
    def worse_by(self):
        """How many points worse she is (negative when better)."""
        return self.points if self.higher_is_worse else -self.points

    @property
    def meaningfully_worse(self):
        return self.meaningful and self.improved is False


class QuestionnaireQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)


class Questionnaire(models.Model):
    """An instrument the therapist entered (she must be licensed to use it)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    introduction = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown above the questions.")
    )
    min_meaningful_change = models.PositiveSmallIntegerField(
        _("smallest meaningful change"),
        default=2,
        help_text=_("A change in total score of at least this much counts as a real change."),
    )
    higher_is_worse = models.BooleanField(
        _("higher score is worse"),
        default=True,
        help_text=_("Tick when a higher total means more complaints."),
    )
    due_at_intake = models.BooleanField(
        _("due at the start"), default=True, help_text=_("Ask it right after the intake.")
    )
    repeat_every_weeks = models.PositiveSmallIntegerField(
        _("repeat every … weeks"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("Leave empty to ask it only once."),
    )
    repeat_until_week = models.PositiveSmallIntegerField(
        _("repeat until week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(520)],
        help_text=_("Stop repeating after this week of her programme (empty: keep repeating)."),
    )
    retest_weeks = models.CharField(
        _("re-test in weeks"),
        max_length=100,
        blank=True,
        validators=[validate_week_list],
        help_text=_(
            "Extra weeks after her start when it is due again, separated by commas, e.g. "
            "“13, 26” for about 3 and 6 months."
        ),
    )
    published = models.BooleanField(_("published"), default=False)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("therapy:questionnaire", kwargs={"slug": self.slug})

    @property
    def retest_week_numbers(self):
        return parse_week_list(self.retest_weeks)

    def due_dates(self, start, today):
        """Every date it is due for a patient who started on `start`, up to today.

        At the start (if asked then), every `repeat_every_weeks` weeks (until
        `repeat_until_week`), and at each re-test week.
        """
        if start > today:
            return []
        dates = {start} if self.due_at_intake else set()
        if self.repeat_every_weeks:
            step = datetime.timedelta(weeks=self.repeat_every_weeks)
            # Week N of her programme ends on day 7N - 1 (week 1 is days 0–6).
            last = (
                start + datetime.timedelta(weeks=self.repeat_until_week, days=-1)
                if self.repeat_until_week
                else today
            )
            current = start + step
            while current <= min(today, last):
                dates.add(current)
                current += step
        for week in self.retest_week_numbers:
            day = start + datetime.timedelta(weeks=week)
            if day <= today:
                dates.add(day)
        return sorted(dates)

    def next_due_after(self, start, day):
        """The first date after `day` it is due again, or None."""
        later = self.due_dates(start, day + datetime.timedelta(weeks=530))
        return next((d for d in later if d > day), None)

    def judge_change(self, first_score, latest_score):
        """The one rule for "has her score changed, and does it matter?"."""
        points = latest_score - first_score
        return ScoreChange(
            points=points,
            meaningful=abs(points) >= self.min_meaningful_change,
            higher_is_worse=self.higher_is_worse,
        )

    def band_for(self, score):
        for band in self.bands.all():
            if band.min_score <= score <= band.max_score:
                return band
        return None


class Question(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("questionnaire"),
    )
    text = models.CharField(_("question"), max_length=500)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text


class AnswerOption(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    label = models.CharField(_("answer"), max_length=200)
    score = models.SmallIntegerField(_("score"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.label} ({self.score})"


class ScoreBand(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="bands",
        verbose_name=_("questionnaire"),
    )
    min_score = models.SmallIntegerField(_("from score"))
    max_score = models.SmallIntegerField(_("to score"))
    label = models.CharField(_("label"), max_length=120, help_text=_("E.g. 'mild complaints'."))

    class Meta:
        verbose_name = _("score band")
        verbose_name_plural = _("score bands")
        ordering = ["min_score"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__lte=models.F("max_score")),
                name="therapy_band_min_not_above_max",
            ),
        ]

    def __str__(self):
        return f"{self.min_score}–{self.max_score}: {self.label}"


class QuestionnaireResponse(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="questionnaire_responses",
        verbose_name=_("patient"),
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("questionnaire"),
    )
    due_date = models.DateField(_("due date"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    total_score = models.SmallIntegerField(_("total score"))

    class Meta:
        verbose_name = _("questionnaire response")
        verbose_name_plural = _("questionnaire responses")
        ordering = ["submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "questionnaire", "due_date"],
                name="therapy_response_once_per_due_date",
            ),
        ]

    def __str__(self):
        return f"{self.questionnaire} – {self.due_date}: {self.total_score}"


class Answer(models.Model):
    response = models.ForeignKey(
        QuestionnaireResponse,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("response"),
    )
    question = models.ForeignKey(Question, on_delete=models.CASCADE, verbose_name=_("question"))
    option = models.ForeignKey(AnswerOption, on_delete=models.PROTECT, verbose_name=_("answer"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="therapy_answer_once_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.option}"


# --- Safety questions -------------------------------------------------------------------


class SafetyCheckQuerySet(models.QuerySet):
    def latest_for(self, user):
        return self.filter(user=user).order_by("-answered_at", "-pk").first()


class SafetyCheck(models.Model):
    """Her answers to the safety questions: at the intake, then with every questionnaire."""

    class Source(models.TextChoices):
        INTAKE = "intake", _("Intake")
        CHECK_IN = "check_in", _("With a questionnaire")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="safety_checks",
        verbose_name=_("patient"),
    )
    source = models.CharField(_("asked"), max_length=10, choices=Source, default=Source.INTAKE)
    flags = models.JSONField(
        _("answered with yes"),
        default=list,
        blank=True,
        help_text=_("The safety questions she answered with yes."),
    )
    urgency = models.CharField(
        _("what she must do"),
        max_length=10,
        choices=Urgency,
        blank=True,
        help_text=_("The most urgent of her answers; empty when every answer was no."),
    )
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    help_sought_at = models.DateTimeField(
        _("she sought help"),
        null=True,
        blank=True,
        help_text=_("When she confirmed that she contacted her GP or the out-of-hours service."),
    )
    therapist_told_at = models.DateTimeField(_("therapist told"), null=True, blank=True)

    objects = SafetyCheckQuerySet.as_manager()

    class Meta:
        verbose_name = _("safety answers")
        verbose_name_plural = _("safety answers")
        ordering = ["-answered_at"]
        indexes = [models.Index(fields=["user", "answered_at"], name="therapy_safety_user_time")]

    def __str__(self):
        return f"{self.user} – {self.answered_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        self.urgency = safety.urgency_of(self.flags) or ""
        super().save(*args, **kwargs)

    @property
    def is_urgent(self):
        return self.urgency in safety.URGENT

    @property
    def needs_help_confirmed(self):
        """An urgent answer she has not yet confirmed seeking help for."""
        return self.is_urgent and self.help_sought_at is None

    @property
    def adapts_course(self):
        return any(u == safety.Urgency.ADAPT for u, _labels in self.grouped)

    @property
    def grouped(self):
        return safety.grouped(self.flags)

    @property
    def labels(self):
        return [safety.LABELS[c] for c in self.flags if c in safety.LABELS]


# --- Reminders --------------------------------------------------------------------------


class ReminderLogManager(models.Manager):
    def claim(self, *, user, kind, local_date, step=None):
        """Record a reminder before sending it, so that a parallel run cannot send it too.

        Returns the new log, or None when it was already claimed.
        """
        try:
            with transaction.atomic():
                return self.create(user=user, kind=kind, local_date=local_date, step=step)
        except IntegrityError:
            return None


class ReminderLog(models.Model):
    """What was sent to whom, so that running the command again sends nothing twice."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice reminder")
        STEP_UNLOCKED = "step_unlocked", _("New step unlocked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_logs",
        verbose_name=_("patient"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    local_date = models.DateField(_("date (her time)"))
    step = models.ForeignKey(
        "courses.Step", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("step")
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    objects = ReminderLogManager()

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "local_date"],
                condition=Q(kind="practice"),
                name="therapy_reminder_practice_once_a_day",
            ),
            models.UniqueConstraint(
                fields=["user", "step"],
                condition=Q(kind="step_unlocked"),
                name="therapy_reminder_step_once",
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_kind_display()} – {self.local_date}"


class CalendarFeed(models.Model):
    """Her private calendar link (/calendar/<token>.ics): practice times and questionnaire
    dates, without any health details. Renewing gives a new token; the old link is dead."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("patient"),
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("made"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("therapy:calendar-feed", args=[self.token])

    @classmethod
    def renew(cls, user):
        import secrets

        feed, _created = cls.objects.update_or_create(
            user=user,
            defaults={"token": secrets.token_urlsafe(32), "created_at": timezone.now()},
        )
        return feed
