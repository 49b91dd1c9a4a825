"""The therapist's view of all patients: one row each, with flags that say whom to call.

Everything is fetched in a fixed number of queries (about eight) whatever the number of
patients: per-patient numbers come from subqueries, the rest from one query per kind of
record for all patients at once.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth import get_user_model
from django.db.models import Avg, Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.timezones import local_date, today_for
from courses import programme as programmes
from courses.models import Enrollment, LessonProgress, LessonQuestion, PatientAccess
from courses.outline import steps_awaiting_feedback
from therapy.journey import progress
from therapy.journey.models import (
    DiaryEntry,
    PracticeSession,
    QuestionnaireResponse,
    SafetyCheck,
)

INACTIVE_DAYS = 7
HIGH_PAIN = 7
HIGH_PAIN_DAYS = 2
PAIN_RISE = 2


# How long a seen "no activity" or "no practice" signal stays quiet, and how long a new
# patient has before either can be raised at all.
QUIET_DAYS = 7
GRACE_DAYS = 7


@dataclass
class Flag:
    code: str
    reason: str
    # What the signal is about: a seen one comes back when this changes (something new).
    fingerprint: str = ""
    review: object = None  # the FlagReview when the therapist marked it as seen

    @property
    def seen(self):
        return self.review is not None

    @property
    def key(self):
        return f"{self.code}:{self.fingerprint}"


@dataclass
class PatientRow:
    user: object
    course: object = None
    current_step: object = None
    percent_done: int = 0
    last_activity: datetime.datetime | None = None
    sessions_7d: int = 0
    target_7d: int = 21
    pain_week: float | None = None
    pain_first_week: float | None = None
    latest_score: object = None  # QuestionnaireResponse
    score_change: int | None = None
    open_questions: int = 0
    phase: str = ""  # courses.programme.Phase, empty without a course
    week: int | None = None  # her week of the programme
    safety: object = None  # her latest SafetyCheck
    flags: list = field(default_factory=list)

    @property
    def urgent(self):
        """An urgent safety answer not yet handled — she has not confirmed seeking help and
        her therapist has not marked it as seen: at the top."""
        if not (self.safety and self.safety.needs_help_confirmed):
            return False
        return not any(f.code == "red_flag" and f.seen for f in self.flags)

    @property
    def name(self):
        return str(self.user)

    @property
    def pain_change(self):
        if self.pain_week is None or self.pain_first_week is None:
            return None
        return round(self.pain_week - self.pain_first_week, 1)

    @property
    def needs_attention(self):
        """A signal the therapist has not marked as seen (or something new since)."""
        return any(not flag.seen for flag in self.flags)

    @property
    def unseen_flags(self):
        return [flag for flag in self.flags if not flag.seen]


def _count(qs):
    return Coalesce(
        Subquery(
            qs.order_by().values("user").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _latest(qs, field_name):
    return Subquery(qs.order_by(f"-{field_name}").values(field_name)[:1])


def patients_queryset(today=None):
    """Active patients annotated with their activity and diary numbers (one query)."""
    now = timezone.now()
    today = today or timezone.localdate()
    week_ago = now - datetime.timedelta(days=7)
    week_ago_date = today - datetime.timedelta(days=6)
    user = OuterRef("pk")
    practice = PracticeSession.objects.filter(user=user)
    diary = DiaryEntry.objects.filter(user=user)
    progress = LessonProgress.objects.filter(user=user)
    recent_diary = diary.filter(date__gte=week_ago_date, date__lte=today)
    return (
        get_user_model()
        .objects.filter(is_staff=False, is_superuser=False, is_active=True)
        .select_related("profile")
        .annotate(
            last_practice=_latest(practice, "started_at"),
            last_diary=_latest(diary, "updated_at"),
            last_opened=_latest(progress, "first_opened_at"),
            last_completed=_latest(progress.completed(), "completed_at"),
            sessions_7d=_count(
                PracticeSession.objects.counted().filter(user=user, started_at__gte=week_ago)
            ),
            high_pain_days=_count(recent_diary.filter(back_pain__gte=HIGH_PAIN)),
            last_high_pain=_latest(recent_diary.filter(back_pain__gte=HIGH_PAIN), "date"),
            pain_week=Subquery(
                recent_diary.order_by().values("user").annotate(avg=Avg("back_pain")).values("avg")
            ),
            open_questions=_count(LessonQuestion.objects.open().filter(user=user)),
        )
    )


@dataclass
class _Position:
    course: object
    percent_done: int
    next_lesson: object
    enrolled_at: datetime.datetime
    finished: bool
    lessons: list = field(default_factory=list)  # her course's published lessons, in order
    done: set = field(default_factory=set)  # ids of the lessons she has done


_DONE, _HIDDEN_LESSON, _HIDDEN_STEP = range(3)


def _positions(users):
    """{user_id: where she is in her first course}, in three queries for all patients.

    Only "done" matters here (the overview shows where she is, not what a step is
    waiting for), so this skips CourseOutline and its per-lesson objects. Lessons and steps
    her therapist hid for her are not hers to do: they count neither for her percentage nor
    as her next lesson (read in the same query as what she did).
    """
    enrollments = Enrollment.objects.current_by_user(users)
    courses = {user_id: enrollment.course for user_id, enrollment in enrollments.items()}
    lessons = {
        c.pk: list(c.published_lessons()) for c in {c.pk: c for c in courses.values()}.values()
    }
    kind = partial(Value, output_field=IntegerField())
    hidden_kind = Case(
        When(lesson__isnull=True, then=kind(_HIDDEN_STEP)),
        default=kind(_HIDDEN_LESSON),
        output_field=IntegerField(),
    )
    rows = (
        LessonProgress.objects.completed()
        .filter(user__in=users)
        .order_by()
        .values_list("user_id", "lesson_id", kind(_DONE))
        .union(
            PatientAccess.objects.filter(user__in=users, state=PatientAccess.State.HIDDEN)
            .order_by()
            .values_list("user_id", Coalesce("lesson_id", "step_id"), hidden_kind),
            all=True,
        )
    )
    done = defaultdict(set)
    hidden = defaultdict(lambda: (set(), set()))  # (lesson ids, step ids)
    for user_id, pk, row_kind in rows:
        if row_kind == _DONE:
            done[user_id].add(pk)
        else:
            hidden[user_id][row_kind == _HIDDEN_STEP].add(pk)
    result = {}
    for user_id, course in courses.items():
        course_lessons = lessons[course.pk]
        if user_id in hidden:
            hidden_lessons, hidden_steps = hidden[user_id]
            course_lessons = [
                lesson
                for lesson in course_lessons
                if lesson.pk not in hidden_lessons and lesson.step_id not in hidden_steps
            ]
        finished = sum(1 for lesson in course_lessons if lesson.pk in done[user_id])
        result[user_id] = _Position(
            course=course,
            percent_done=round(100 * finished / len(course_lessons)) if course_lessons else 0,
            next_lesson=next((le for le in course_lessons if le.pk not in done[user_id]), None),
            enrolled_at=enrollments[user_id].enrolled_at,
            finished=bool(course_lessons) and finished == len(course_lessons),
            lessons=course_lessons,
            done=done[user_id],
        )
    return result


def _scores(users):
    """{user_id: (latest response, its ScoreChange, [(questionnaire, ScoreChange)])}.

    Each change is against her first response to the same questionnaire.
    """
    by_user = defaultdict(list)
    for response in (
        QuestionnaireResponse.objects.filter(user__in=users)
        .select_related("questionnaire")
        .order_by("submitted_at")
    ):
        by_user[response.user_id].append(response)
    result = {}
    for user_id, responses in by_user.items():
        first, last = {}, {}
        for response in responses:
            first.setdefault(response.questionnaire_id, response)
            last[response.questionnaire_id] = response
        changes = {
            questionnaire_id: latest.questionnaire.judge_change(
                first[questionnaire_id].total_score, latest.total_score
            )
            for questionnaire_id, latest in last.items()
            if latest is not first[questionnaire_id]
        }
        latest = responses[-1]
        result[user_id] = (
            latest,
            changes.get(latest.questionnaire_id),
            [(last[qid].questionnaire, change, last[qid].pk) for qid, change in changes.items()],
        )
    return result


def _latest_safety(users):
    """{user_id: her latest SafetyCheck}, in one query."""
    latest = {}
    for check in SafetyCheck.objects.filter(user__in=users).order_by("-answered_at", "-pk"):
        latest.setdefault(check.user_id, check)
    return latest


def _phase(position, user):
    """(phase, week) as courses.programme judges them, from what the overview has."""
    week = programmes.programme_week(user, position.enrolled_at)
    if position.finished and week > position.course.programme_weeks:
        return programmes.Phase.MAINTENANCE, week
    return programmes.Phase.PROGRAMME, week


def _new_patient(user, now):
    """Her first days: no signal about being away or not practising yet."""
    return user.date_joined > now - datetime.timedelta(days=GRACE_DAYS)


def _flags(row, profile, high_pain_days, score_changes):
    flags = []
    now = timezone.now()
    user = row.user
    new = _new_patient(user, now)
    inactive = row.last_activity is None or row.last_activity < now - datetime.timedelta(
        INACTIVE_DAYS
    )
    if inactive and not new:
        days = (
            (today_for(user, now) - local_date(user, row.last_activity)).days
            if row.last_activity
            else None
        )
        flags.append(
            Flag(
                "inactive",
                _("No activity for %(days)s days") % {"days": days}
                if days is not None
                else _("No activity yet"),
                fingerprint=_stamp(row.last_activity),
            )
        )
    # Active otherwise (diary, lessons) but not practising: the exercises are the therapy.
    if row.course is not None and not inactive and not new:
        last_practice = user.last_practice
        if last_practice is None or last_practice < now - datetime.timedelta(INACTIVE_DAYS):
            flags.append(
                Flag(
                    "practice_stopped",
                    _("No practice for %(days)s days") % {"days": INACTIVE_DAYS}
                    if last_practice is not None
                    else _("Has not practised yet"),
                    fingerprint=_stamp(last_practice),
                )
            )
    if high_pain_days >= HIGH_PAIN_DAYS:
        flags.append(
            Flag(
                "pain_high",
                _("Back pain %(level)s or more on %(days)s days this week")
                % {"level": HIGH_PAIN, "days": high_pain_days},
                fingerprint=str(user.last_high_pain),
            )
        )
    if row.pain_change is not None and row.pain_change >= PAIN_RISE:
        flags.append(
            Flag(
                "pain_rising",
                _("Back pain up %(change)s points against her first week")
                % {"change": number_format(row.pain_change, 1)},
                # Seen at a rise of 2.4: back when it reaches 3 or more.
                fingerprint=str(int(row.pain_change)),
            )
        )
    if row.safety is not None and row.safety.flags:
        answers = ", ".join(str(label) for label in row.safety.labels)
        if row.safety.needs_help_confirmed:
            reason = _("Urgent safety answer, not yet confirmed she sought help: %(answers)s")
        else:
            reason = _("Safety answer: %(answers)s")
        flags.append(
            Flag(
                "red_flag",
                reason % {"answers": answers},
                # Her answers: a new check-in with yes answers is something new; confirming
                # that she sought help is not.
                fingerprint=str(row.safety.pk),
            )
        )
    for questionnaire, change, response_id in score_changes:
        if change.meaningfully_worse:
            flags.append(
                Flag(
                    "score_worse",
                    _("%(questionnaire)s worse by %(points)s points since the start")
                    % {"questionnaire": questionnaire.title, "points": change.worse_by},
                    fingerprint=f"{questionnaire.pk}:{response_id}",
                )
            )
    return flags


def _feedback_flags(positions):
    """{user_id: [Flag]} "waits for your feedback": she finished a step that waits for the
    therapist's feedback (courses.outline.steps_awaiting_feedback). One query, and none
    when no course of these patients has such a step."""
    from courses.models import PatientChanges

    ids = [
        user_id
        for user_id, position in positions.items()
        if any(lesson.step.waits_for_feedback for lesson in position.lessons)
    ]
    flags = {}
    for user_id, changes in PatientChanges.of_many(ids).items():
        position = positions[user_id]
        lessons = [
            lesson
            for lesson in position.lessons
            if lesson.pk not in changes.hidden_lessons
            and lesson.step_id not in changes.hidden_steps
        ]
        awaiting = steps_awaiting_feedback(
            lessons, position.done, changes.feedback_steps, changes.unlocked_steps
        )
        flags[user_id] = [
            Flag(
                "awaits_feedback",
                _("Finished “%(step)s”: waits for your feedback") % {"step": step.title},
                fingerprint=str(step.pk),
            )
            for step in awaiting
        ]
    return flags


def _stamp(moment):
    return moment.isoformat() if moment else "never"


def _reviews(ids, now):
    """{(patient id, code, fingerprint): FlagReview} still in force (1 query)."""
    from .models import FlagReview

    quiet_since = now - datetime.timedelta(days=QUIET_DAYS)
    found = {}
    for review in FlagReview.objects.filter(patient__in=ids).select_related("seen_by"):
        if review.code in CLOCK_FLAGS and review.seen_at < quiet_since:
            continue  # 7 more days without activity or practice: raised again
        found[(review.patient_id, review.code, review.fingerprint)] = review
    return found


def patient_rows(users=None, today=None):
    """PatientRow for every patient (or for the given annotated users)."""
    today = today or timezone.localdate()
    users = list(users if users is not None else patients_queryset(today))
    ids = [u.pk for u in users]
    positions = _positions(ids)
    first_week = progress.first_week_pain(ids)
    scores = _scores(ids)
    checks = _latest_safety(ids)
    reviews = _reviews(ids, timezone.now())
    awaiting = _feedback_flags(positions)
    rows = []
    for user in users:
        profile = getattr(user, "profile", None)
        outline = positions.get(user.pk)
        activity = [
            t
            for t in (user.last_practice, user.last_diary, user.last_opened, user.last_completed)
            if t is not None
        ]
        latest, change, score_changes = scores.get(user.pk, (None, None, []))
        next_lesson = outline.next_lesson if outline else None
        row = PatientRow(
            user=user,
            course=outline.course if outline else None,
            current_step=(next_lesson.step if next_lesson else None),
            percent_done=outline.percent_done if outline else 0,
            last_activity=max(activity) if activity else None,
            sessions_7d=user.sessions_7d,
            target_7d=(outline.course.sessions_per_day * 7) if outline else 21,
            pain_week=round(user.pain_week, 1) if user.pain_week is not None else None,
            pain_first_week=round(first_week[user.pk], 1) if user.pk in first_week else None,
            latest_score=latest,
            score_change=change.points if change else None,
            open_questions=user.open_questions,
            safety=checks.get(user.pk),
        )
        if outline:
            row.phase, row.week = _phase(outline, user)
            if row.phase == programmes.Phase.MAINTENANCE:
                row.target_7d = outline.course.maintenance_sessions_per_week
        row.flags = _flags(row, profile, user.high_pain_days, score_changes)
        row.flags += awaiting.get(user.pk, [])
        for flag in row.flags:
            flag.review = reviews.get((user.pk, flag.code, flag.fingerprint))
        rows.append(row)
    return rows


_EPOCH = datetime.datetime.min.replace(tzinfo=datetime.UTC)
SORTS = {
    "name": lambda r: r.name.lower(),
    "activity": lambda r: r.last_activity or _EPOCH,
    "done": lambda r: r.percent_done,
    "practice": lambda r: r.sessions_7d,
    "pain": lambda r: r.pain_week if r.pain_week is not None else -1,
    # Urgent safety answers first, whatever else: then by number of flags.
    "flags": lambda r: (r.urgent, len(r.unseen_flags)),
}


def sort_rows(rows, key):
    """`key` is a SORTS name, "-" first for descending; most flags first by default.

    Equal values always stay in name order, whichever way the column is sorted.
    """
    descending = key.startswith("-")
    name = key.lstrip("-")
    if name not in SORTS:
        name, descending = "flags", True
    by_name = sorted(rows, key=SORTS["name"])
    ordered = sorted(by_name, key=SORTS[name], reverse=descending)  # stable sort
    return ordered, ("-" if descending else "") + name


# --- The overview page: sorted, filtered and counted in the database --------------------

# The signals that depend on the hour; the others are counted into PatientStatus.
CLOCK_FLAGS = {"inactive", "practice_stopped"}
_NEVER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _patients():
    return get_user_model().objects.filter(is_staff=False, is_superuser=False, is_active=True)


def statuses_refresh(today=None):
    """Build again the PatientStatus of every patient whose one is missing or out of date
    (her data changed since, or it is from an earlier day). Returns how many."""
    from .models import PatientStatus

    today = today or timezone.localdate()
    stale = list(
        _patients()
        .filter(
            Q(clinic_status__isnull=True)
            | Q(clinic_status__computed_on__lt=today)
            | ~Q(clinic_status__data_version=F("data_version"))
        )
        .values_list("pk", flat=True)
    )
    if not stale:
        return 0
    statuses = []
    for start in range(0, len(stale), 500):  # a few hundred at a time: bounded IN lists
        ids = stale[start : start + 500]
        reviews = _clock_reviews(ids)
        for row in patient_rows(patients_queryset(today).filter(pk__in=ids), today):
            statuses.append(
                PatientStatus(
                    user_id=row.user.pk,
                    data_version=row.user.data_version,
                    computed_on=today,
                    name_key=SORTS["name"](row),
                    has_course=row.course is not None,
                    urgent=row.urgent,
                    steady_flags=sum(1 for f in row.unseen_flags if f.code not in CLOCK_FLAGS),
                    started_at=row.user.date_joined,
                    inactive_quiet_until=_quiet_until(reviews, row, "inactive"),
                    practice_quiet_until=_quiet_until(reviews, row, "practice_stopped"),
                    last_activity=row.last_activity,
                    last_practice=row.user.last_practice,
                    percent_done=row.percent_done,
                    sessions_7d=row.sessions_7d,
                    pain_week=row.pain_week,
                )
            )
    fields = [f.name for f in PatientStatus._meta.concrete_fields if not f.primary_key]
    PatientStatus.objects.bulk_create(
        statuses, update_conflicts=True, unique_fields=["user"], update_fields=fields
    )
    return len(statuses)


def _clock_reviews(ids):
    """{(patient id, code): [(fingerprint, seen_at)]} of seen inactivity signals (1 query)."""
    from .models import FlagReview

    found = defaultdict(list)
    for patient_id, code, fingerprint, seen_at in FlagReview.objects.filter(
        patient__in=ids, code__in=CLOCK_FLAGS
    ).values_list("patient_id", "code", "fingerprint", "seen_at"):
        found[(patient_id, code)].append((fingerprint, seen_at))
    return found


def _quiet_until(reviews, row, code):
    """Until when a seen clock signal stays quiet: 7 days after it was seen, as long as she
    was not active (or did not practise) since — then its fingerprint is new."""
    current = _stamp(row.last_activity if code == "inactive" else row.user.last_practice)
    moments = [
        seen for fingerprint, seen in reviews.get((row.user.pk, code), []) if fingerprint == current
    ]
    return max(moments) + datetime.timedelta(days=QUIET_DAYS) if moments else None


def _statuses(now, patients):
    """These patients' statuses with their number of signals now (`flag_count`)."""
    from .models import PatientStatus

    week_ago = now - datetime.timedelta(days=INACTIVE_DAYS)
    settled = Q(started_at__lte=now - datetime.timedelta(days=GRACE_DAYS))
    away = Q(last_activity__isnull=True) | Q(last_activity__lt=week_ago)
    inactive = (
        settled & away & (Q(inactive_quiet_until__isnull=True) | Q(inactive_quiet_until__lte=now))
    )
    stopped = (
        settled
        & Q(has_course=True)
        & ~away
        & (Q(last_practice__isnull=True) | Q(last_practice__lt=week_ago))
        & (Q(practice_quiet_until__isnull=True) | Q(practice_quiet_until__lte=now))
    )
    return PatientStatus.objects.filter(user__in=patients.filter(is_active=True)).annotate(
        flag_count=F("steady_flags")
        + Case(When(inactive, then=1), default=0)
        + Case(When(stopped, then=1), default=0)
    )


# The database's order for each SORTS key; equal values stay in name order.
_ORDER = {
    "name": ["name_key"],
    "activity": [Coalesce("last_activity", Value(_NEVER))],
    "done": ["percent_done"],
    "practice": ["sessions_7d"],
    "pain": [Coalesce("pain_week", Value(-1.0))],
    "flags": ["urgent", "flag_count"],
}


def _ordered(statuses, key):
    descending = key.startswith("-")
    name = key.lstrip("-")
    if name not in _ORDER:
        name, descending = "flags", True
    order = []
    for expression in _ORDER[name]:
        expression = F(expression) if isinstance(expression, str) else expression
        order.append(expression.desc() if descending else expression.asc())
    if name != "name":
        order.append(F("name_key").asc())
    order.append(F("user_id").asc())
    return statuses.order_by(*order), ("-" if descending else "") + name


def overview_page(*, patients, sort="-flags", attention=False, page=None, per_page=25, now=None):
    """The overview's page of rows, its order and its counts, in a fixed number of queries
    whatever the number of patients: only the rows on the page are built in full."""
    from django.core.paginator import Paginator

    now = now or timezone.now()
    today = timezone.localdate(now)
    statuses_refresh(today)
    statuses = _statuses(now, patients)
    needing = statuses.filter(flag_count__gt=0)
    chosen, sort = _ordered(needing if attention else statuses, sort)
    paginator = Paginator(chosen.values_list("user_id", flat=True), per_page)
    current = paginator.get_page(page)
    ids = list(current.object_list)
    built = {row.user.pk: row for row in patient_rows(patients_queryset(today).filter(pk__in=ids))}
    current.object_list = [built[pk] for pk in ids if pk in built]
    return {
        "page": current,
        "sort": sort,
        "total": paginator.count,
        "patient_count": paginator.count if not attention else statuses.count(),
        "attention_count": paginator.count if attention else needing.count(),
    }
