"""Read-only summaries of a patient's practice, diary and questionnaires.

Shared by the patient's dashboard and the therapist's pages; every function costs a fixed
number of queries however many months of entries there are.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import TruncDate, TruncWeek

from accounts.models import Profile
from accounts.timezones import local_date, today_for, zone_for
from courses import programme as programmes
from courses.content import kept_for
from courses.models import Enrollment

from .models import DiaryEntry, PracticeSession, Questionnaire, QuestionnaireResponse

WEEKS_SHOWN = 12
# Back pain this much above her first week's average asks whether she wants to rest today.
PAIN_JUMP = 3


def programme_for(user, today=None, enrollment=None):
    """Her programme in her current course (week, phase, routine), or None."""
    enrollment = enrollment or Enrollment.objects.current_for(user)
    if enrollment is None:
        return None
    outline = enrollment.course.outline_for(user)
    return programmes.build(enrollment, outline, user, today)


def therapy_start(user, enrollment=None):
    """The day her therapy started (her own date): she started her course, else the intake.

    Programme weeks and questionnaire dates count from it. `enrollment`: her current one,
    when the caller has it already.
    """
    enrollment = enrollment or Enrollment.objects.current_for(user)
    if enrollment:
        return local_date(user, enrollment.enrolled_at)
    profile = Profile.objects.filter(user=user).only("intake_completed_at").first()
    if profile and profile.intake_completed_at:
        return local_date(user, profile.intake_completed_at)
    return None


def week_start(day):
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class PracticeSummary:
    this_week: int
    target: int  # routine sessions this week
    streak: int
    today: int
    days_this_week: list  # [(date, count)] Monday..Sunday
    per_day: int | None = None  # the day's target; None in maintenance
    rest_days: set = field(default_factory=set)  # the days this week she chose to rest
    weeks: list = field(default_factory=list)  # [(monday, count)]: the last WEEKS_SHOWN weeks

    @property
    def percent(self):
        return min(100, round(100 * self.this_week / self.target)) if self.target else 0

    @property
    def done_today(self):
        """Today's target reached (in maintenance: this week's)."""
        if self.per_day is None:
            return self.this_week >= self.target
        return self.today >= self.per_day

    @property
    def week_bars(self):
        """[(date, count, tenths)]: each day against the day's target, in tenths, at most 10.

        The dashboard draws the bar with the class bar-<tenths> (progress.css): a strict
        Content-Security-Policy allows no inline style="height: …".
        """
        per_day = self.target / 7
        return [
            (day, count, min(10, round(10 * count / per_day)) if per_day else 0)
            for day, count in self.days_this_week
        ]


def practice_summary(user, programme=None, today=None):
    """Routine sessions this week against the target, today, the day streak, and the
    sessions of each of the last WEEKS_SHOWN weeks (1 query).

    Only routine sessions count (PracticeSession.objects.counted()); the target comes from
    her programme (a day's target, or a week's in maintenance), 3 a day without one.
    """
    today = today or today_for(user)
    monday = week_start(today)
    tz = zone_for(user)
    # Sessions a day over the last year (this week's bars and the streak) and the rest
    # days she chose this week, from one query: rest days come as a count of -1.
    since = datetime.datetime.combine(
        min(monday, today - datetime.timedelta(days=366)), datetime.time.min, tzinfo=tz
    )
    sessions = (
        PracticeSession.objects.counted()
        .filter(user=user, started_at__gte=since)
        .annotate(day=TruncDate("started_at", tzinfo=tz))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
        .order_by()
    )
    rests = (
        DiaryEntry.objects.filter(user=user, rest_day=True, date__gte=monday, date__lte=today)
        .values_list("date", Value(-1))
        .order_by()
    )
    per_day, rest_days = {}, set()
    for day, n in sessions.union(rests, all=True):
        day = _as_date(day)
        if n < 0:
            rest_days.add(day)
        else:
            per_day[day] = n
    days = [
        (monday + datetime.timedelta(i), per_day.get(monday + datetime.timedelta(i), 0))
        for i in range(7)
    ]
    # The streak: consecutive days with practice, ending today (or yesterday, so that a
    # streak does not look broken in the morning before she has practised).
    streak = 0
    day = today if per_day.get(today) else today - datetime.timedelta(days=1)
    while per_day.get(day):
        streak += 1
        day -= datetime.timedelta(days=1)
    weeks = []
    for i in range(WEEKS_SHOWN - 1, -1, -1):
        first = monday - datetime.timedelta(weeks=i)
        week = (first + datetime.timedelta(days=d) for d in range(7))
        weeks.append((first, sum(per_day.get(day, 0) for day in week)))
    return PracticeSummary(
        this_week=sum(n for _d, n in days),
        target=programme.per_week if programme else 3 * 7,
        streak=streak,
        today=per_day.get(today, 0),
        days_this_week=days,
        per_day=programme.per_day if programme else 3,
        rest_days=rest_days,
        weeks=weeks,
    )


@dataclass
class WeekPoint:
    week: datetime.date
    leaks: int | None
    back_pain: float | None
    days: int


def diary_weeks(user, weeks=WEEKS_SHOWN, today=None):
    """Leaks per week and average back pain per week for the last `weeks` weeks (1 query)."""
    today = today or today_for(user)
    first = week_start(today) - datetime.timedelta(weeks=weeks - 1)
    rows = {
        row["week"]: row
        for row in DiaryEntry.objects.filter(user=user, date__gte=first, date__lte=today)
        .annotate(week=TruncWeek("date"))
        .values("week")
        .annotate(leaks=Sum("leaks"), back_pain=Avg("back_pain"), days=Count("id"))
    }
    points = []
    for i in range(weeks):
        monday = first + datetime.timedelta(weeks=i)
        row = rows.get(monday)
        if row is None:
            # Some backends return a datetime for TruncWeek on a date column.
            row = next((r for k, r in rows.items() if _as_date(k) == monday), None)
        points.append(
            WeekPoint(
                week=monday,
                leaks=row["leaks"] if row else None,
                back_pain=round(row["back_pain"], 1)
                if row and row["back_pain"] is not None
                else None,
                days=row["days"] if row else 0,
            )
        )
    return points


def _as_date(value):
    return value.date() if isinstance(value, datetime.datetime) else value


@dataclass
class ScoreHistory:
    questionnaire: Questionnaire
    responses: list

    @property
    def first(self):
        return self.responses[0] if self.responses else None

    @property
    def latest(self):
        return self.responses[-1] if self.responses else None

    @property
    def change(self):
        """ScoreChange of the latest score against the first, or None with one score."""
        if len(self.responses) < 2:
            return None
        return self.questionnaire.judge_change(self.first.total_score, self.latest.total_score)

    @property
    def latest_band(self):
        return self.questionnaire.band_for(self.latest.total_score) if self.latest else None


def published_questionnaires(course=None):
    """The published questionnaires with their score bands; kept with the content of her
    course (courses/content.py) when there is one, so a dashboard does not ask again."""

    def build(_course=None):
        return list(Questionnaire.objects.published().prefetch_related("bands"))

    return kept_for(course, "questionnaires", build) if course else build()


def score_histories(user, questionnaires=None, course=None):
    """Each published questionnaire (or the given ones) with her responses in order."""
    if questionnaires is None:
        questionnaires = published_questionnaires(course)
    questionnaires = list(questionnaires)
    by_questionnaire = {q.pk: [] for q in questionnaires}
    for response in QuestionnaireResponse.objects.filter(
        user=user, questionnaire__in=questionnaires
    ).order_by("submitted_at"):
        by_questionnaire[response.questionnaire_id].append(response)
    return [ScoreHistory(q, by_questionnaire[q.pk]) for q in questionnaires]


def due_questionnaires(user, histories, start_date, today=None):
    """[(questionnaire, due_date)] she has not answered yet for the latest due date."""
    if start_date is None:
        return []
    today = today or today_for(user)
    due = []
    for history in histories:
        dates = history.questionnaire.due_dates(start_date, today)
        if not dates:
            continue
        latest_due = dates[-1]
        answered = {r.due_date for r in history.responses}
        if latest_due not in answered:
            due.append((history.questionnaire, latest_due))
    return due


def current_due_date(user, questionnaire, start_date, today=None):
    dates = questionnaire.due_dates(start_date, today or today_for(user))
    return dates[-1] if dates else None


def first_week_pain(user_ids):
    """{user_id: average back pain over her first 7 diary days}, in one query."""
    first = DiaryEntry.objects.filter(user=OuterRef("user")).order_by("date").values("date")[:1]
    rows = (
        DiaryEntry.objects.filter(user_id__in=user_ids)
        .annotate(first=Subquery(first))
        .filter(date__lt=F("first") + datetime.timedelta(days=7))
        .values("user")
        .annotate(avg=Avg("back_pain"))
        .values_list("user", "avg")
    )
    return dict(rows)


def pain_jumped(user, back_pain):
    """Back pain at least PAIN_JUMP above her first week (which must lie in the past)."""
    first_day = DiaryEntry.objects.filter(user=user).order_by("date").values("date").first()
    if first_day is None or (today_for(user) - first_day["date"]).days < 7:
        return False  # still in her first week: nothing to compare with yet
    average = first_week_pain([user.pk]).get(user.pk)
    return average is not None and back_pain - average >= PAIN_JUMP
