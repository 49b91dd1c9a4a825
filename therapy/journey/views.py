import datetime
import json
import logging
import uuid

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache, caches
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, JSONField, OuterRef, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.cache import redis_is_up
from accounts.models import Profile
from accounts.navigation import login_required, safe_next
from accounts.timezones import today_for
from courses.models import Course, Enrollment, Exercise, Feedback
from courses.pagecache import kept_page

from . import calendar, charts, progress, reminders, safety, services
from . import summary as summaries
from .context_processors import remember_safety
from .forms import (
    DiaryEntryForm,
    PracticeLogForm,
    QuestionnaireForm,
    RoutineLogForm,
    RoutinePartFormSet,
    SafetyForm,
)
from .models import (
    DIARY_EDIT_DAYS,
    Answer,
    CalendarFeed,
    DiaryEntry,
    PracticeReplayConflict,
    PracticeSession,
    Questionnaire,
    QuestionnaireResponse,
    SafetyCheck,
)


@require_safe
def home(request):
    return render(request, "therapy/home.html")


@never_cache
@require_safe
def healthz(request):
    """For load balancers. Plain: the process answers and the database is reachable (cheap,
    for liveness). `?full=1`: the shared cache too (for readiness: 503 when degraded)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    if request.GET.get("full") == "1" and not _cache_works():
        return HttpResponse("cache unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def _cache_works():
    """The shared cache answers (not its local stand-in) and gives back what it was given."""
    key, value = "healthz:probe", uuid.uuid4().hex
    try:
        cache.set(key, value, 10)
        return cache.get(key) == value and redis_is_up(caches["default"])
    except Exception:
        return False


csp_logger = logging.getLogger("therapy.csp")


@csrf_exempt  # browsers send reports without a token
@require_POST
def csp_report(request):
    """Content-Security-Policy violations go to the log: the directive and the blocked source,
    never the page's query string (it could hold personal data)."""
    try:
        report = json.loads(request.body[:10_000] or b"{}").get("csp-report", {})
    except (ValueError, AttributeError):
        return HttpResponse(status=400)
    page = str(report.get("document-uri", "")).split("?", 1)[0][:200]
    csp_logger.warning(
        "CSP violation: %s blocked %s on %s",
        str(report.get("violated-directive", "?"))[:100],
        str(report.get("blocked-uri", "?")).split("?", 1)[0][:200],
        page,
    )
    return HttpResponse(status=204)


@require_safe
def help_page(request):
    """When to seek help (public): every red flag by what to do, and whom to call."""
    ctx = {
        "groups": safety.questions_by_urgency(),
        "out_of_hours_phone": settings.OUT_OF_HOURS_PHONE,
    }
    return render(request, "therapy/help.html", ctx)


# --- Today's routine --------------------------------------------------------------------


@login_required
@require_safe
@kept_page
def today(request):
    user = request.user
    day = today_for(user)
    # Her enrollment and what her latest safety answers say, in one query.
    latest_check = SafetyCheck.objects.filter(user=OuterRef("user")).order_by("-answered_at", "-pk")
    enrollment = (
        Enrollment.objects.active()
        .filter(user=user)
        .annotate(
            safety_answered=Exists(latest_check),
            safety_flags=Subquery(latest_check.values("flags")[:1], output_field=JSONField()),
        )
        .first()
    )
    programme = progress.programme_for(user, day, enrollment)
    if programme is None:
        messages.info(request, _("Start your course first; then your routine appears here."))
        return redirect("courses:course-list")
    practice = progress.practice_summary(user, programme, day)
    check = enrollment.safety_answered
    rest_day = day in practice.rest_days
    pregnant = check and safety.RedFlag.PREGNANT in (enrollment.safety_flags or [])
    # Built only when the routine's kept page part has to be rendered afresh.
    hand_log = SimpleLazyObject(lambda: _hand_log_formset(programme))
    ctx = {
        "programme": programme,
        "feedback": Feedback.objects.unread_for(user, programme.outline),
        "practice": practice,
        "next_lesson": programme.outline.next_lesson,
        "safety_check": check,
        "rest_day": rest_day,
        "pregnant": pregnant,
        "hand_log": hand_log,
        "hand_log_rows": SimpleLazyObject(
            lambda: list(zip(hand_log.forms, programme.routine, strict=True))
        ),
    }
    return render(request, "therapy/today.html", ctx)


def _hand_log_formset(programme, data=None):
    """The form for logging today's routine without the timer: one row per exercise."""
    initial = [
        {"exercise": item.exercise.pk, "repetitions_done": item.dose.total_repetitions}
        for item in programme.routine
    ]
    return RoutinePartFormSet(data, initial=initial, prefix="part")


@login_required(form_page=lambda request: reverse("therapy:today"))
@require_POST
def routine_log(request):
    """Save a run of today's routine (timer or by hand), once per key.

    The browser retries with the same key; the parts must be exactly her routine's
    exercises, each within her dose, or nothing is stored.
    """
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    programme = progress.programme_for(request.user)
    if programme is None or not programme.routine:
        if wants_json:
            return JsonResponse({"ok": False, "errors": {"": [_("You have no routine yet.")]}}, 404)
        raise Http404
    form = RoutineLogForm(request.POST, routine=programme.routine)
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"ok": False, "errors": form.all_errors}, status=400)
        for errors in form.all_errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("therapy:today")
    data = form.cleaned_data
    parts = form.part_records()
    try:
        session, created = PracticeSession.objects.submit(
            user=request.user,
            idempotency_key=data["idempotency_key"],
            feeling=data["feeling"],
            parts=parts,
            kind=PracticeSession.Kind.ROUTINE,
            exercise=None,
            exercise_name=_("Daily routine"),
            started_at=data["started_at"],
            duration_seconds=data["duration_seconds"],
            repetitions_done=sum(part["repetitions_done"] for part in parts),
            completed=data["completed"],
            by_hand=data["by_hand"],
        )
    except PracticeReplayConflict:
        return _refused(request, wants_json, REPLAY_CONFLICT, 409, reverse("therapy:today"))
    if wants_json:
        return JsonResponse({"ok": True, "id": session.pk, "created": created})
    messages.success(request, _("Well done! Your routine has been saved."))
    return redirect("therapy:today")


# --- Safety questions -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def safety_questions(request):
    """Her answers to the safety questions, what they mean she must do, and changing them."""
    check = SafetyCheck.objects.latest_for(request.user)
    data = request.POST if request.method == "POST" else None  # "all no" may post nothing
    form = SafetyForm(data, initial_flags=check.flags if check else ())
    if request.method == "POST" and form.is_valid():
        check = services.safety_check_submit(
            user=request.user, flags=form.flags(), source=SafetyCheck.Source.INTAKE
        )
        remember_safety(request, check)
        if check.urgency:
            return redirect("therapy:safety")  # the advice, plainly, on this page
        messages.success(request, _("Thank you. Nothing in your answers stands in the way."))
        return redirect(safe_next(request) or "courses:course-list")
    ctx = {
        "form": form,
        "check": check,
        "answered": check is not None,
        "out_of_hours_phone": settings.OUT_OF_HOURS_PHONE,
        "next": safe_next(request, ""),
    }
    return render(request, "therapy/safety.html", ctx, status=400 if form.errors else 200)


@login_required(form_page=lambda request: reverse("therapy:safety"))
@require_POST
def safety_help_sought(request):
    """She confirms she contacted her GP or the out-of-hours service."""
    check = SafetyCheck.objects.latest_for(request.user)
    if check is None or not check.is_urgent:
        raise Http404
    services.safety_help_confirm(check=check)
    remember_safety(request, check)
    messages.success(request, _("Thank you for letting us know. Take good care of yourself."))
    return redirect(safe_next(request) or "therapy:today")


# --- Dashboard --------------------------------------------------------------------------


@login_required
@require_safe
@kept_page
def dashboard(request):
    user = request.user
    programme = progress.programme_for(user)
    if programme:
        course, outline = programme.course, programme.outline
    else:
        course = Course.objects.published().first()
        outline = course.outline_for(user) if course else None
    practice = progress.practice_summary(user, programme)
    weeks = progress.diary_weeks(user)
    histories = progress.score_histories(user, course=course)
    start = progress.therapy_start(user, programme.enrollment if programme else None)
    due = progress.due_questionnaires(user, histories, start)
    ctx = {
        "course": course,
        "outline": outline,
        "feedback": Feedback.objects.unread_for(user, outline),
        "programme": programme,
        "practice": practice,
        "weeks": weeks,
        **charts.diary_charts(weeks),
        "histories": histories,
        "score_charts": charts.score_charts(histories),
        "due": due,
    }
    return render(request, "therapy/dashboard.html", ctx)


# --- Her summary for the GP -------------------------------------------------------------


@login_required
@require_safe
def summary(request):
    """One printable A4 page about her therapy so far (therapy/journey/summary.py)."""
    ctx = {
        **summaries.summary_context(request.user),
        "pdf_url": reverse("therapy:summary-pdf"),
        "back_url": reverse("therapy:dashboard"),
        "back_label": _("My progress"),
    }
    return render(request, "therapy/summary.html", ctx)


@login_required
@require_safe
def summary_pdf(request):
    """The same page as a PDF (503 with the reason on a machine without WeasyPrint)."""
    reason = summaries.pdf_unavailable()
    if reason:
        return summaries.unavailable_response(reason)
    ctx = summaries.summary_context(request.user)
    # No health data in the name: it shows in her downloads and in a mail to her GP.
    name = pgettext("file name", "summary")
    filename = f"{name}-{ctx['made_on']:%Y-%m-%d}.pdf"
    return summaries.pdf_response(request, ctx, filename)


@login_required(form_page=lambda request, **_kw: safe_next(request) or reverse("therapy:today"))
@require_POST
def feedback_read(request, pk):
    """She has read her therapist's feedback: it leaves her pages."""
    feedback = get_object_or_404(Feedback, pk=pk, user=request.user)
    Feedback.objects.mark_read(feedback=feedback)
    return redirect(safe_next(request) or "therapy:today")


# --- Practice log -----------------------------------------------------------------------


# Why a saved run is refused, in the answer the timer (and its offline queue) shows her.
NOT_HER_EXERCISE = gettext_lazy(
    "This exercise is not part of your course, or it has not opened for you yet."
)
REPLAY_CONFLICT = gettext_lazy(
    "This practice was already saved with other numbers, so this copy was not saved again."
)


def _refused(request, wants_json, reason, status, page):
    """A refused run: the reason as JSON (the timer shows it), or a message on the page."""
    if wants_json:
        body = {"ok": False, "reason": str(reason), "errors": {"": [str(reason)]}}
        return JsonResponse(body, status=status)
    if status == 404:
        raise Http404
    messages.error(request, reason)
    return redirect(safe_next(request) or page)


def _get_exercise_for_user(request, exercise_id):
    """An exercise of a published lesson that is open for her, in a course she follows;
    None for anything else (another patient's course, a lesson still locked for her)."""
    exercise = (
        Exercise.objects.select_related("lesson__step__course")
        .filter(
            pk=exercise_id,
            lesson__published=True,
            lesson__step__course__published=True,
            lesson__step__course__enrollments__user=request.user,
        )
        .first()
    )
    if exercise is None or not exercise.lesson.is_unlocked_for(request.user):
        return None
    return exercise


@login_required(form_page=lambda request: safe_next(request) or reverse("therapy:today"))
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
    if exercise is None:
        # A 404 whether the exercise exists or not: it says nothing about other courses.
        return _refused(request, wants_json, NOT_HER_EXERCISE, 404, reverse("therapy:dashboard"))
    try:
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
    except PracticeReplayConflict:
        return _refused(
            request, wants_json, REPLAY_CONFLICT, 409, exercise.lesson.get_absolute_url()
        )
    if wants_json:
        return JsonResponse({"ok": True, "id": session.pk, "created": created})
    messages.success(request, _("Well done! Your practice has been saved."))
    return redirect(safe_next(request) or exercise.lesson)


# --- Diary ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@kept_page
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
                extra_tags="draft-saved",
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
    entry = next((e for e in recent if e.date == day), None)
    ctx = {
        "form": form,
        "day": day,
        "editing": editing,
        # Back pain far above her first week: offer to stop for today and tell her therapist.
        "pain_jump": (
            entry
            if entry
            and entry.date == today
            and not entry.rest_day
            and progress.pain_jumped(request.user, entry.back_pain)
            else None
        ),
        "recent": recent,
        "today": today,
        "earliest": earliest,
        "weeks": weeks,
        **charts.diary_charts(weeks),
    }
    return render(request, "therapy/diary.html", ctx)


@login_required(form_page=lambda request: reverse("therapy:diary"))
@require_POST
def diary_rest_day(request):
    """After a big rise in back pain: she stops for today, and may tell her therapist."""
    today = today_for(request.user)
    entry = get_object_or_404(DiaryEntry, user=request.user, date=today)
    tell = request.POST.get("tell_therapist") == "1"
    services.rest_day_choose(entry=entry, tell_therapist=tell)
    if tell:
        messages.success(
            request,
            _("Rest well today. Your therapist has been told that you need her attention."),
        )
    else:
        messages.success(request, _("Rest well today. Tomorrow is a new day."))
    return redirect("therapy:today")


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
    # The safety questions come again with every questionnaire that is due.
    last_check = SafetyCheck.objects.latest_for(request.user)
    safety_form = SafetyForm(
        request.POST or None,
        prefix="safety",
        initial_flags=last_check.flags if last_check else (),
    )
    if request.method == "POST":
        if due_date is None or already:
            messages.info(request, _("You have already filled in this questionnaire for now."))
            return redirect(questionnaire)
        if all([form.is_valid(), safety_form.is_valid()]):
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
            check = services.safety_check_submit(
                user=request.user,
                flags=safety_form.flags(),
                source=SafetyCheck.Source.CHECK_IN,
            )
            remember_safety(request, check)
            messages.success(request, _("Thank you. Your answers have been saved."))
            return redirect("therapy:safety" if check.urgency else questionnaire.get_absolute_url())
    ctx = {
        "questionnaire": questionnaire,
        "form": form,
        "history": history,
        "due_date": due_date,
        "next_due_date": questionnaire.next_due_after(start, due_date) if due_date else None,
        "can_answer": due_date is not None and not already,
        "safety_form": safety_form,
        "chart": next((chart for _h, chart in charts.score_charts([history])), None),
    }
    return render(request, "therapy/questionnaire.html", ctx)


# --- Reminders --------------------------------------------------------------------------


@csrf_exempt  # the signed token is the credential; mail apps post here without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click from the email turns reminders off, without logging in."""
    try:
        user_id = reminders.user_id_from_token(token)
    except reminders.LinkExpired:
        ctx = {"expired": True, "days": reminders.UNSUBSCRIBE_LINK_DAYS}
        return render(request, "therapy/unsubscribe.html", ctx, status=410)
    profile = Profile.objects.filter(user_id=user_id).first() if user_id else None
    if profile is None:
        return render(request, "therapy/unsubscribe.html", {"invalid": True}, status=404)
    if request.method == "POST":
        profile.reminders_enabled = False
        profile.save(update_fields=["reminders_enabled", "updated_at"])
        return render(request, "therapy/unsubscribe.html", {"done": True})
    return render(request, "therapy/unsubscribe.html", {"token": token})


# --- Her practice calendar ---------------------------------------------------------------


@login_required
@require_safe
def calendar_page(request):
    """Her private calendar link, how to subscribe, and renewing it."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(feed.get_absolute_url()) if feed else None
    ctx = {
        "feed": feed,
        "feed_url": url,
        # Calendar apps subscribe to webcal: links (the same address, fetched over HTTPS).
        "webcal_url": "webcal://" + url.split("://", 1)[1] if url else None,
    }
    return render(request, "therapy/calendar.html", ctx)


@login_required
@require_POST
def calendar_renew(request):
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    CalendarFeed.renew(request.user)
    if had_one:
        messages.success(request, _("You have a new calendar link; the old one no longer works."))
    else:
        messages.success(request, _("Your calendar link is ready."))
    return redirect("therapy:calendar")


@require_safe
def calendar_feed(request, token):
    """The feed itself, for calendar apps (they have no session): the token is the key."""
    feed = get_object_or_404(
        CalendarFeed.objects.select_related("user__profile"), token=token, user__is_active=True
    )
    user = feed.user
    # A calendar app sends no session and no useful language: hers, from her details.
    language = getattr(getattr(user, "profile", None), "language", None)
    with translation.override(language or settings.LANGUAGE_CODE):
        body = calendar.feed_ics(user, progress.programme_for(user), now=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bekkenbodem.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
