"""The therapist's pages (/therapist/…).

Kept apart from views.py, which holds the patient's pages: every view here is for staff
in the Therapists group only, and a patient gets a 404 for each of them.
"""

import csv
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access_log import record_access
from accounts.care import is_practice_owner, patients_of, user_filter
from accounts.groups import is_therapist
from accounts.models import Profile
from accounts.twofactor import needs_two_factor_setup, redirect_to_two_factor_setup
from courses import joining
from courses import programme as programmes
from courses.forms import AnswerQuestionForm
from courses.models import (
    AccessCode,
    Enrollment,
    Feedback,
    Invitation,
    LessonProgress,
    LessonQuestion,
    PatientAccess,
    PatientDose,
    StepUnlock,
)
from courses.services import question_answer
from therapy.journey import charts, progress
from therapy.journey import summary as summaries
from therapy.journey.models import DiaryEntry, PracticeSession, QuestionnaireResponse
from therapy.messaging.conversation import timeline
from therapy.messaging.forms import MessageForm
from therapy.messaging.services import conversation_mark_read, message_send, unread_from

from . import overview
from .forms import (
    FeedbackForm,
    FlagSeenForm,
    InvitationForm,
    PatientDoseForm,
    ProgrammeAccessForm,
    TherapistForm,
)
from .models import FlagReview, PatientStatus

PAGE_SIZE = 25


def therapist_required(view):
    """Staff in the Therapists group only; anyone else gets a 404 that reveals nothing."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_therapist(request.user):
            raise Http404
        if needs_two_factor_setup(request.user):
            return redirect_to_two_factor_setup(request)
        return view(request, *args, **kwargs)

    return wrapper


def _get_patient(request, pk):
    """One of her own patients (a practice owner: any patient), else a 404."""
    return get_object_or_404(patients_of(request.user).select_related("profile"), pk=pk)


@therapist_required
@require_safe
def patient_list(request):
    found = overview.overview_page(
        patients=patients_of(request.user),
        sort=request.GET.get("sort", "-flags"),
        attention=request.GET.get("filter") == "attention",
        page=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    open_questions = LessonQuestion.objects.open().filter(**user_filter(request.user))
    ctx = {
        **found,
        "open_question_count": open_questions.count(),
        "attention": request.GET.get("filter") == "attention",
        "open_questions": list(
            open_questions.select_related("user", "lesson__step__course").order_by("asked_at")[:50]
        ),
    }
    unread = unread_from(row.user.pk for row in found["page"].object_list)
    for row in found["page"].object_list:
        row.unread_messages = unread.get(row.user.pk, 0)
    return render(request, "clinic/patient_list.html", ctx)


@therapist_required
@require_safe
def patient_detail(request, pk):
    patient = _get_patient(request, pk)
    record_access(request, patient, "patient page")
    return _patient_page(request, patient)


def _patient_page(request, patient, *, seen_form=None, feedback_form=None, status=200):
    """Her page; `seen_form`, `feedback_form`: a form that did not validate, with its errors."""
    enrollment = Enrollment.objects.current_for(patient)
    outline = enrollment.course.outline_for(patient) if enrollment else None
    prog = programmes.build(enrollment, outline, patient) if enrollment else None
    weeks = progress.diary_weeks(patient)
    histories = progress.score_histories(patient)
    row = overview.patient_rows(overview.patients_queryset().filter(pk=patient.pk))
    ctx = {
        "patient": patient,
        "profile": getattr(patient, "profile", None),
        "row": row[0] if row else None,
        "safety": row[0].safety if row else None,
        "outline": outline,
        "programme": prog,
        "next_locked_step": outline.next_locked_step if outline else None,
        "sessions": list(
            PracticeSession.objects.filter(user=patient)
            .prefetch_related("parts")
            .order_by("-started_at")[:50]
        ),
        "diary": list(DiaryEntry.objects.filter(user=patient).order_by("-date")[:30]),
        "weeks": weeks,
        **charts.diary_charts(weeks),
        "score_charts": charts.score_charts(histories),
        "questions": list(
            LessonQuestion.objects.filter(user=patient).select_related("lesson__step__course")
        ),
        "move_form": TherapistForm(
            initial={"therapist": getattr(getattr(patient, "profile", None), "therapist", None)}
        )
        if is_practice_owner(request.user)
        else None,
        **_programme_context(patient, enrollment, outline, feedback_form),
        "seen_form": seen_form,
        "note_max": FlagReview._meta.get_field("note").max_length,
        **_conversation(request, patient),
    }
    return render(request, "clinic/patient_detail.html", ctx, status=status)


def _programme_context(patient, enrollment, outline, feedback_form=None):
    """Her programme as she has it (steps and lessons opened or hidden for her) and the
    feedback written to her: templates/clinic/_programme.html and _feedback.html."""
    feedback = {
        "feedback_list": list(
            Feedback.objects.filter(user=patient).select_related("written_by", "step")[:20]
        ),
    }
    if enrollment is None:
        return {"programme_rows": [], "feedback_form": feedback_form or FeedbackForm(), **feedback}
    changes = outline.changes
    rows = []
    for lesson in enrollment.course.content().lessons:
        if not rows or rows[-1][0].pk != lesson.step_id:
            step = lesson.step
            step_state = (
                "open"
                if step.pk in changes.unlocked_steps
                else "hidden"
                if step.pk in changes.hidden_steps
                else ""
            )
            rows.append((step, step_state, []))
        lesson_state = (
            "open"
            if lesson.pk in changes.opened_lessons
            else "hidden"
            if lesson.pk in changes.hidden_lessons
            else ""
        )
        rows[-1][2].append((lesson, lesson_state, outline.state_of(lesson)))
    awaiting = outline.awaiting_feedback
    return {
        "programme_rows": rows,
        "programme_states": ProgrammeAccessForm.STATES,
        "awaiting_feedback": awaiting,
        "feedback_form": feedback_form or FeedbackForm(course=enrollment.course, awaiting=awaiting),
        **feedback,
    }


@therapist_required
@require_POST
def flag_seen(request, pk):
    """She saw a signal of this patient and notes what she did: it leaves "needs attention"
    until something new happens (therapy/clinic/overview.py)."""
    patient = _get_patient(request, pk)
    record_access(request, patient, "signal seen")
    rows = overview.patient_rows(overview.patients_queryset().filter(pk=patient.pk))
    form = FlagSeenForm(request.POST, flags=rows[0].flags if rows else [])
    if not form.is_valid():
        return _patient_page(request, patient, seen_form=form, status=400)
    flag = form.cleaned_data["flag"]
    FlagReview.objects.get_or_create(
        patient=patient,
        code=flag.code,
        fingerprint=flag.fingerprint,
        defaults={"note": form.cleaned_data["note"], "seen_by": request.user},
    )
    # Her overview row is built again on the next visit, now with the signal seen.
    PatientStatus.objects.filter(user=patient).delete()
    messages.success(request, _("Marked as seen. It comes back when something new happens."))
    return redirect(reverse("clinic:patient-detail", args=[patient.pk]) + "#signals")


@therapist_required
@require_safe
def patient_summary(request, pk):
    """Her summary for the GP, as she sees it at /dashboard/summary/."""
    patient = _get_patient(request, pk)
    record_access(request, patient, "summary")
    ctx = {
        **summaries.summary_context(patient),
        "pdf_url": reverse("clinic:patient-summary-pdf", args=[patient.pk]),
        "back_url": reverse("clinic:patient-detail", args=[patient.pk]),
        "back_label": str(patient),
    }
    return render(request, "therapy/summary.html", ctx)


@therapist_required
@require_safe
def patient_summary_pdf(request, pk):
    patient = _get_patient(request, pk)
    reason = summaries.pdf_unavailable()
    if reason:
        return summaries.unavailable_response(reason)
    record_access(request, patient, "summary as PDF")
    ctx = summaries.summary_context(patient)
    filename = f"summary-patient-{patient.pk}-{ctx['made_on']:%Y-%m-%d}.pdf"
    return summaries.pdf_response(request, ctx, filename)


def _conversation(request, patient, form=None):
    """Her conversation for the patient page, with the reply form; what she wrote is read
    now (the count in the navigation goes down at once)."""
    entries = timeline(patient)
    # The navigation's count is worked out when the page is rendered, after this.
    conversation_mark_read(patient=patient, reader=request.user)
    return {
        "conversation": entries,
        "message_form": form or MessageForm(sender=request.user),
    }


@therapist_required
@require_POST
def patient_message(request, pk):
    """The therapist writes to her patient; the patient is emailed that a message waits."""
    patient = _get_patient(request, pk)
    record_access(request, patient, "messages")
    form = MessageForm(request.POST, sender=request.user)
    if form.is_valid():
        message, emailed = message_send(
            patient=patient,
            sender=request.user,
            text=form.cleaned_data["text"],
            link=request.build_absolute_uri(reverse("messaging:conversation")),
        )
        if not emailed:
            messages.warning(
                request, _("The message is sent, but the email to the patient failed.")
            )
        messages.success(request, _("Your message has been sent."), extra_tags="draft-saved")
        return redirect(
            reverse("clinic:patient-detail", args=[patient.pk]) + f"#message-{message.pk}"
        )
    ctx = {"patient": patient, **_conversation(request, patient, form)}
    return render(request, "clinic/message_form.html", ctx, status=400)


@therapist_required
@require_POST
def patient_therapist(request, pk):
    """A practice owner gives a patient another therapist (anyone else: 404)."""
    if not is_practice_owner(request.user):
        raise Http404
    patient = _get_patient(request, pk)
    form = TherapistForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("therapist", []):
            messages.error(request, error)
        return redirect("clinic:patient-detail", pk=patient.pk)
    therapist = form.cleaned_data["therapist"]
    Profile.objects.update_or_create(user=patient, defaults={"therapist": therapist})
    messages.success(
        request,
        _("%(patient)s now has %(therapist)s as her therapist.")
        % {"patient": patient, "therapist": therapist},
    )
    return redirect("clinic:patient-detail", pk=patient.pk)


def _get_routine_item(patient, exercise_id):
    """One exercise of her routine as it stands (with her dose), or a 404."""
    enrollment = Enrollment.objects.current_for(patient)
    if enrollment is None:
        raise Http404
    prog = programmes.build(enrollment, enrollment.course.outline_for(patient), patient)
    item = next((i for i in prog.routine if i.exercise.pk == exercise_id), None)
    if item is None:
        raise Http404
    return prog, item


@therapist_required
@require_http_methods(["GET", "POST"])
def patient_dose(request, pk, exercise_id):
    """Set one patient's own dose of a routine exercise, hold her at a level, or go back."""
    patient = _get_patient(request, pk)
    prog, item = _get_routine_item(patient, exercise_id)
    record_access(request, patient, "routine and dose")
    current = PatientDose.objects.filter(user=patient, exercise=item.exercise).first()
    if request.method == "POST" and request.POST.get("action") == "reset":
        if current:
            current.delete()
        messages.success(request, _("She follows the programme's dose again."))
        return redirect("clinic:patient-detail", pk=patient.pk)
    form = PatientDoseForm(
        request.POST or None,
        instance=current,
        user=patient,
        exercise=item.exercise,
        initial=None
        if current
        else {
            "hold_seconds": item.dose.hold,
            "relax_seconds": item.dose.relax,
            "repetitions": item.dose.repetitions,
            "sets": item.dose.sets,
            "level_week": prog.week,
        },
    )
    if request.method == "POST" and form.is_valid():
        dose = form.save(commit=False)
        dose.set_by = request.user
        dose.set_at = timezone.now()
        dose.save()
        messages.success(
            request,
            _("Her dose of “%(exercise)s” is saved; she sees that you adjusted it.")
            % {"exercise": item.exercise.name},
        )
        return redirect("clinic:patient-detail", pk=patient.pk)
    ctx = {"patient": patient, "item": item, "programme": prog, "form": form, "current": current}
    return render(request, "clinic/patient_dose.html", ctx, status=400 if form.errors else 200)


@therapist_required
@require_POST
def unlock_next_step(request, pk):
    patient = _get_patient(request, pk)
    enrollment = Enrollment.objects.current_for(patient)
    step = enrollment.course.outline_for(patient).next_locked_step if enrollment else None
    if step is None:
        messages.info(request, _("There is no locked step to open."))
    else:
        StepUnlock.objects.unlock(user=patient, step=step, by=request.user)
        messages.success(
            request,
            _("“%(step)s” is now open for %(name)s.") % {"step": step.title, "name": patient},
        )
    return redirect("clinic:patient-detail", pk=patient.pk)


@therapist_required
@require_POST
def patient_programme(request, pk):
    """Open or hide one step or lesson of her course for her, or back to the plan."""
    patient = _get_patient(request, pk)
    enrollment = Enrollment.objects.current_for(patient)
    if enrollment is None:
        raise Http404
    record_access(request, patient, "programme")
    form = ProgrammeAccessForm(request.POST, course=enrollment.course)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(reverse("clinic:patient-detail", args=[patient.pk]) + "#programme")
    data = form.cleaned_data
    PatientAccess.objects.choose(
        user=patient, by=request.user, state=data["state"], step=data["step"], lesson=data["lesson"]
    )
    item = data["step"] or data["lesson"]
    if data["state"] == "open":
        text = _("“%(item)s” is now open for her.")
    elif data["state"] == "hidden":
        text = _("“%(item)s” is now hidden for her.")
    else:
        text = _("“%(item)s” follows the course's plan again.")
    messages.success(request, text % {"item": item.title})
    return redirect(reverse("clinic:patient-detail", args=[patient.pk]) + "#programme")


@therapist_required
@require_POST
def patient_feedback(request, pk):
    """Write her feedback: she sees it on her next visit until she has read it."""
    patient = _get_patient(request, pk)
    record_access(request, patient, "feedback")
    enrollment = Enrollment.objects.current_for(patient)
    form = FeedbackForm(request.POST, course=enrollment.course if enrollment else None)
    if not form.is_valid():
        return _patient_page(request, patient, feedback_form=form, status=400)
    feedback = form.save(commit=False)
    feedback.user = patient
    feedback.written_by = request.user
    feedback.save()
    messages.success(request, _("Your feedback is saved; she sees it on her next visit."))
    return redirect(reverse("clinic:patient-detail", args=[patient.pk]) + "#feedback")


class _SafeCsvWriter:
    """csv.writer that defuses cells a spreadsheet would run as a formula (=, +, -, @)."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        self._writer.writerow([_defuse(cell) for cell in row])


def _defuse(cell):
    if isinstance(cell, str) and cell[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + cell
    return cell


@therapist_required
@require_safe
def patient_csv(request, pk):
    """All of one patient's records as CSV, one row per record, for the therapist's file."""
    patient = _get_patient(request, pk)
    record_access(request, patient, "records as CSV")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="patient-{patient.pk}-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # so that Excel opens it as UTF-8
    writer = _SafeCsvWriter(response)
    writer.writerow(["record", "date", "item", "value", "detail"])
    for s in PracticeSession.objects.filter(user=patient).order_by("started_at"):
        writer.writerow(
            [
                "practice",
                timezone.localtime(s.started_at).isoformat(timespec="minutes"),
                s.exercise_name,
                s.repetitions_done,
                f"{s.duration_seconds}s; completed={s.completed}; feeling={s.feeling or ''}",
            ]
        )
    for e in DiaryEntry.objects.filter(user=patient).order_by("date"):
        writer.writerow(
            [
                "diary",
                e.date.isoformat(),
                "leaks/pads/urgency/back_pain",
                f"{e.leaks}/{e.pads}/{e.urgency}/{e.back_pain}",
                e.note,
            ]
        )
    for r in (
        QuestionnaireResponse.objects.filter(user=patient)
        .select_related("questionnaire")
        .order_by("submitted_at")
    ):
        writer.writerow(
            [
                "questionnaire",
                timezone.localtime(r.submitted_at).date().isoformat(),
                r.questionnaire.title,
                r.total_score,
                f"due {r.due_date.isoformat()}",
            ]
        )
    for p in (
        LessonProgress.objects.filter(user=patient)
        .select_related("lesson")
        .order_by("first_opened_at")
    ):
        writer.writerow(
            [
                "lesson",
                timezone.localtime(p.first_opened_at).date().isoformat(),
                p.lesson.title,
                "done" if p.completed_at else "opened",
                timezone.localtime(p.completed_at).isoformat(timespec="minutes")
                if p.completed_at
                else "",
            ]
        )
    return response


@therapist_required
@require_http_methods(["GET", "POST"])
def answer_question(request, pk):
    question = get_object_or_404(
        LessonQuestion.objects.filter(**user_filter(request.user)).select_related(
            "user", "lesson__step__course"
        ),
        pk=pk,
    )
    record_access(request, question.user, "question on a lesson")
    form = AnswerQuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        emailed = question_answer(
            question=question,
            by=request.user,
            **form.cleaned_data,
            link=request.build_absolute_uri(question.get_absolute_url()),
        )
        if not emailed:
            messages.warning(
                request, _("The answer is saved, but the email to the patient failed.")
            )
        messages.success(request, _("Your answer has been saved."))
        return redirect(reverse("clinic:patient-list") + "#questions")
    ctx = {"question": question, "form": form}
    status = 400 if form.errors else 200
    return render(request, "clinic/answer_question.html", ctx, status=status)


# --- Invitations (courses/joining.py does the work) -------------------------------------


def _get_invitation(request, pk):
    """One of her own invitations (a practice owner: any), else a 404."""
    return get_object_or_404(Invitation.objects.sent_by(request.user), pk=pk)


@therapist_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitations(request):
    form = InvitationForm(request.POST or None, therapist=request.user)
    if request.method == "POST" and form.is_valid():
        invitation, sent = joining.invitation_send(request=request, **form.cleaned_data)
        if sent:
            messages.success(
                request, _("The invitation to %(email)s is sent.") % {"email": invitation.email}
            )
        else:
            messages.warning(
                request,
                _(
                    "The invitation to %(email)s is saved, but the email could not be sent "
                    "just now. Resend it in a few minutes."
                )
                % {"email": invitation.email},
            )
        return redirect("clinic:invitations")
    ctx = {
        "form": form,
        # The newest 200 (the table's "used" rows pile up; older ones are in the admin).
        "invitations": list(
            Invitation.objects.sent_by(request.user).select_related("course", "therapist")[:200]
        ),
        "access_codes": list(AccessCode.objects.select_related("course", "therapist")),
        "show_therapist": is_practice_owner(request.user),
        "sends_left": joining.sends_left_today(request.user),
        "days": settings.INVITATION_DAYS,
        "signup_mode": settings.SIGNUP_MODE,
    }
    return render(request, "clinic/invitations.html", ctx, status=400 if form.errors else 200)


@therapist_required
@require_POST
def invitation_resend(request, pk):
    invitation = _get_invitation(request, pk)
    if not invitation.can_resend:
        messages.error(
            request,
            _("This invitation was used or withdrawn, so it cannot be sent again."),
        )
    elif joining.sends_left_today(request.user) == 0:
        messages.error(
            request,
            _(
                "You have sent the most invitations one therapist can send in a day. "
                "Please send the rest tomorrow."
            ),
        )
    elif joining.invitation_resend(request=request, invitation=invitation):
        messages.success(
            request,
            _("A new link is sent to %(email)s; the old link no longer works.")
            % {"email": invitation.email},
        )
    else:
        messages.warning(
            request,
            _("The email to %(email)s could not be sent just now. Try again in a few minutes.")
            % {"email": invitation.email},
        )
    return redirect("clinic:invitations")


@therapist_required
@require_POST
def invitation_withdraw(request, pk):
    invitation = _get_invitation(request, pk)
    if joining.invitation_withdraw(invitation=invitation):
        messages.success(
            request,
            _("The invitation to %(email)s is withdrawn; its link no longer works.")
            % {"email": invitation.email},
        )
    else:
        messages.error(request, _("This invitation was already used, withdrawn or expired."))
    return redirect("clinic:invitations")
