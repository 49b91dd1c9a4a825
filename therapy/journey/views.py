import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Profile
from accounts.navigation import safe_next
from accounts.timezones import today_for
from courses.models import Course, Enrollment, Exercise

from . import charts, progress, reminders
from .forms import DiaryEntryForm, PracticeLogForm, QuestionnaireForm
from .models import (
    DIARY_EDIT_DAYS,
    Answer,
    DiaryEntry,
    PracticeSession,
    Questionnaire,
    QuestionnaireResponse,
)


@require_safe
def home(request):
    return render(request, "therapy/home.html")


@never_cache
@require_safe
def healthz(request):
    """Liveness for load balancers: the process answers and the database is reachable."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


# --- Dashboard --------------------------------------------------------------------------


@login_required
@require_safe
def dashboard(request):
    user = request.user
    enrollment = Enrollment.objects.current_for(user)
    course = enrollment.course if enrollment else Course.objects.published().first()
    outline = course.outline_for(user) if course else None
    target_per_day = course.sessions_per_day if course else 3
    practice = progress.practice_summary(user, target_per_day)
    weeks = progress.diary_weeks(user)
    histories = progress.score_histories(user)
    due = progress.due_questionnaires(user, histories, progress.therapy_start(user))
    ctx = {
        "course": course,
        "outline": outline,
        "practice": practice,
        "weeks": weeks,
        **charts.diary_charts(weeks),
        "histories": histories,
        "score_charts": charts.score_charts(histories),
        "due": due,
    }
    return render(request, "therapy/dashboard.html", ctx)


# --- Practice log -----------------------------------------------------------------------


def _get_exercise_for_user(request, exercise_id):
    """An exercise of a published lesson in a course the patient follows."""
    return get_object_or_404(
        Exercise.objects.select_related("lesson"),
        pk=exercise_id,
        lesson__published=True,
        lesson__step__course__published=True,
        lesson__step__course__enrollments__user=request.user,
    )


@login_required
@require_POST
def practice_log(request):
    """Save a timer run. The browser retries with the same key: it is stored once."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    form = PracticeLogForm(request.POST)
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"ok": False, "errors": form.errors}, status=400)
        messages.error(request, _("Your practice could not be saved: please check the numbers."))
        return redirect(safe_next(request) or "therapy:dashboard")
    data = form.cleaned_data
    exercise = _get_exercise_for_user(request, data["exercise"])
    session, created = PracticeSession.objects.submit(
        user=request.user,
        idempotency_key=data["idempotency_key"],
        feeling=data["feeling"],
        exercise=exercise,
        exercise_name=exercise.name,
        started_at=data["started_at"],
        duration_seconds=data["duration_seconds"],
        repetitions_done=data["repetitions_done"],
        completed=data["completed"],
        by_hand=data["by_hand"],
    )
    if wants_json:
        return JsonResponse({"ok": True, "id": session.pk, "created": created})
    messages.success(request, _("Well done! Your practice has been saved."))
    return redirect(safe_next(request) or exercise.lesson)


# --- Diary ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def diary(request):
    today = today_for(request.user)
    earliest = today - datetime.timedelta(days=DIARY_EDIT_DAYS)
    if request.method == "POST":
        form = DiaryEntryForm(request.POST, today=today)
        if form.is_valid():
            entry = DiaryEntry.objects.submit_day(user=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Saved for %(date)s.") % {"date": _format_day(entry.date)},
            )
            return redirect(f"{request.path}?date={entry.date.isoformat()}")
        day = _chosen_day(request.POST.get("date"), today) or today
        editing = DiaryEntry.objects.filter(user=request.user, date=day).exists()
    else:
        day = _chosen_day(request.GET.get("date"), today) or today
        instance = DiaryEntry.objects.filter(user=request.user, date=day).first()
        form = DiaryEntryForm(
            instance=instance, initial={"date": day} if instance is None else None, today=today
        )
        editing = instance is not None
    recent = list(
        DiaryEntry.objects.filter(user=request.user, date__gte=earliest).order_by("-date")
    )
    weeks = progress.diary_weeks(request.user, today=today)
    ctx = {
        "form": form,
        "day": day,
        "editing": editing,
        "recent": recent,
        "today": today,
        "earliest": earliest,
        "weeks": weeks,
        **charts.diary_charts(weeks),
    }
    return render(request, "therapy/diary.html", ctx)


def _chosen_day(raw, today):
    """A day she may still fill in (the last DIARY_EDIT_DAYS days), or None."""
    try:
        day = datetime.date.fromisoformat(raw or "")
    except ValueError:
        return None
    earliest = today - datetime.timedelta(days=DIARY_EDIT_DAYS)
    return day if earliest <= day <= today else None


def _format_day(day):
    return date_format(day, "l j F")


# --- Questionnaires ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire(request, slug):
    questionnaire = get_object_or_404(
        Questionnaire.objects.published().prefetch_related("questions__options", "bands"),
        slug=slug,
    )
    start = progress.therapy_start(request.user)
    due_date = progress.current_due_date(request.user, questionnaire, start) if start else None
    # The questionnaire already has its bands prefetched: reuse it, fetch only her answers.
    (history,) = progress.score_histories(request.user, [questionnaire])
    already = due_date is not None and any(r.due_date == due_date for r in history.responses)
    form = QuestionnaireForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST":
        if due_date is None or already:
            messages.info(request, _("You have already filled in this questionnaire for now."))
            return redirect(questionnaire)
        if form.is_valid():
            chosen = form.chosen()
            try:
                with transaction.atomic():
                    response = QuestionnaireResponse.objects.create(
                        user=request.user,
                        questionnaire=questionnaire,
                        due_date=due_date,
                        total_score=sum(option.score for _q, option in chosen),
                    )
                    Answer.objects.bulk_create(
                        [Answer(response=response, question=q, option=o) for q, o in chosen]
                    )
            except IntegrityError:
                messages.info(request, _("You have already filled in this questionnaire for now."))
                return redirect(questionnaire)
            messages.success(request, _("Thank you. Your answers have been saved."))
            return redirect(questionnaire)
    ctx = {
        "questionnaire": questionnaire,
        "form": form,
        "history": history,
        "due_date": due_date,
        "next_due_date": (
            due_date + datetime.timedelta(weeks=questionnaire.repeat_every_weeks)
            if due_date and questionnaire.repeat_every_weeks
            else None
        ),
        "can_answer": due_date is not None and not already,
        "chart": next((chart for _h, chart in charts.score_charts([history])), None),
    }
    return render(request, "therapy/questionnaire.html", ctx)


# --- Reminders --------------------------------------------------------------------------


@csrf_exempt  # the signed token is the credential; mail apps post here without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click from the email turns reminders off, without logging in."""
    user_id = reminders.user_id_from_token(token)
    profile = get_object_or_404(Profile, user_id=user_id) if user_id else None
    if profile is None:
        return render(request, "therapy/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        profile.reminders_enabled = False
        profile.save(update_fields=["reminders_enabled", "updated_at"])
        return render(request, "therapy/unsubscribe.html", {"done": True})
    return render(request, "therapy/unsubscribe.html", {"token": token})
