from django.contrib import messages
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import signup
from accounts.navigation import login_required

from . import joining, programme
from .content import own_copy
from .forms import AskQuestionForm
from .languages import LessonFallback
from .models import Course, Enrollment, Invitation, Lesson, LessonProgress, LessonQuestion
from .outline import LessonState
from .pagecache import kept_page
from .services import feedback_awaited_notify


def _get_course(request, course_slug):
    """A published course; staff may also open one that is not published yet."""
    courses = Course.objects.all() if request.user.is_staff else Course.objects.published()
    return get_object_or_404(courses, slug=course_slug)


def _is_enrolled(request, course):
    return Enrollment.objects.filter(user=request.user, course=course).exists()


def _enrollment(request, course):
    return Enrollment.objects.filter(user=request.user, course=course).first()


def _get_lesson(request, course, lesson_slug):
    """A published lesson of this course; staff may also open drafts to preview them."""
    lessons = Lesson.objects.filter(step__course=course).select_related("step__course")
    if not request.user.is_staff:
        lessons = lessons.filter(published=True)
    return get_object_or_404(lessons, slug=lesson_slug)


def _get_followed_lesson(request, course_slug, lesson_slug):
    """For a change on a lesson (POST): a lesson of a course she follows, else a 404."""
    course = _get_course(request, course_slug)
    if request.user.is_staff or not _is_enrolled(request, course):
        raise Http404  # staff preview; nobody changes a course she has not started
    return course, _get_lesson(request, course, lesson_slug)


@require_GET
@login_required
@kept_page
def course_list(request):
    published = list(Course.objects.published())
    enrolled = set(Enrollment.objects.filter(user=request.user).values_list("course_id", flat=True))
    # One outline per course (two queries each): patients follow one or two courses.
    ctx = {
        "outlines": [
            (course.outline_for(request.user), course.pk in enrolled) for course in published
        ]
    }
    return render(request, "courses/course_list.html", ctx)


@require_GET
@login_required
@kept_page
def course_detail(request, course_slug):
    course = _get_course(request, course_slug)
    outline = course.outline_for(request.user)
    ctx = {"course": course, "outline": outline, "enrolled": _is_enrolled(request, course)}
    return render(request, "courses/course_detail.html", ctx)


def _lesson_page(request, course_slug, lesson_slug):
    return reverse("courses:lesson-detail", args=[course_slug, lesson_slug])


def _course_page(request, course_slug):
    return reverse("courses:course-detail", args=[course_slug])


@require_POST
@login_required(form_page=_course_page)
def course_enrol(request, course_slug):
    """She starts a course: the explicit step that enrols her (a page view never does)."""
    course = _get_course(request, course_slug)
    if request.user.is_staff:
        raise Http404  # staff look at courses, they do not follow them
    Enrollment.objects.enrol(user=request.user, course=course)
    next_lesson = course.outline_for(request.user).next_lesson
    return redirect(next_lesson or course)


@require_GET
@login_required
@kept_page
def lesson_detail(request, course_slug, lesson_slug):
    if request.user.is_staff:
        course = _get_course(request, course_slug)
        return _render_lesson(request, course, _get_lesson(request, course, lesson_slug))
    enrollment = _followed(request, course_slug)
    if enrollment is None:
        course = _get_course(request, course_slug)  # a 404 unless the course is published
        messages.info(request, _("Start the course first; then its first lesson opens."))
        return redirect(course)
    return _render_lesson(request, enrollment.course, lesson_slug, enrollment=enrollment)


def _followed(request, course_slug):
    """Her enrollment in this published course, with the course (one query), or None."""
    return (
        Enrollment.objects.select_related("course")
        .filter(user=request.user, course__slug=course_slug, course__published=True)
        .first()
    )


def lesson_preview(request, lesson):
    """The lesson page for staff (the admin's "preview as a patient"): any lesson, whatever
    its publish state or its step's gates, and no progress recorded."""
    return _render_lesson(request, lesson.step.course, lesson)


def _render_lesson(request, course, lesson, ask_form=None, status=200, enrollment=None):
    """The lesson page. `lesson`: a Lesson (staff preview, a POST) or the slug of one."""
    outline = course.outline_for(request.user)
    if isinstance(lesson, str):
        lesson = outline.find(lesson)
        if lesson is None:
            raise Http404
    state = outline.state_of(lesson)
    previous, following = outline.neighbours(lesson)
    # Staff see every lesson as a preview: drafts, locked ones, and no progress recorded.
    preview = state is None or request.user.is_staff
    ctx = {"course": course, "lesson": lesson, "outline": outline, "state": state}
    if state == LessonState.LOCKED and not preview:
        ctx["previous"] = previous
        return render(request, "courses/lesson_locked.html", ctx)
    if not preview and not outline.has_visited(lesson):
        LessonProgress.objects.record_visit(user=request.user, lesson=lesson)
    if preview:
        exercises = list(lesson.exercises.prefetch_related("dose_steps"))
        images = list(lesson.images.all())
        captions = list(lesson.captions.all()) if lesson.video_file else []
    else:
        content = course.content()
        exercises = [own_copy(exercise) for exercise in content.exercises_of(lesson)]
        images = content.images_of(lesson)
        captions = content.captions_of(lesson)
    if exercises:
        programme.attach_doses(
            exercises,
            request.user,
            None if preview else enrollment or _enrollment(request, course),
        )
    # Her own questions (answered or not) and the anonymous FAQ of this lesson.
    questions = list(
        LessonQuestion.objects.filter(lesson=lesson)
        .filter(Q(user=request.user) | Q(published_as_faq=True, answered_at__isnull=False))
        .order_by("asked_at")
    )
    ctx.update(
        {
            "preview": preview,
            "previous": previous,
            "next": following,
            "images": images,
            "captions": captions,
            "default_caption": _caption_for(captions, get_language()),
            "video_watched": None if preview else _video_watched(request.user, lesson),
            "exercises": exercises,
            "fallback": LessonFallback(lesson, exercises, images),
            "my_questions": [q for q in questions if q.user_id == request.user.pk],
            "faq": [q for q in questions if q.published_as_faq and q.user_id != request.user.pk],
            "ask_form": ask_form or AskQuestionForm(),
        }
    )
    return render(request, "courses/lesson_detail.html", ctx, status=status)


def _caption_for(captions, language):
    """The captions shown from the start: in her language, else none (she can pick one)."""
    return next((c for c in captions if c.language == language), None)


def _video_watched(user, lesson):
    """When she watched the video — asked only where it decides "done" (one query)."""
    if not (lesson.video_required and lesson.video_file):
        return None
    return (
        LessonProgress.objects.filter(user=user, lesson=lesson)
        .values_list("video_watched_at", flat=True)
        .first()
    )


@require_POST
@login_required
def lesson_watched(request, course_slug, lesson_slug):
    """The player tells that she watched 90% of the lesson's uploaded video."""
    course, lesson = _get_followed_lesson(request, course_slug, lesson_slug)
    state = course.outline_for(request.user).state_of(lesson)
    if state is None or state == LessonState.LOCKED or not lesson.video_file:
        raise Http404
    progress = LessonProgress.objects.submit_watched(user=request.user, lesson=lesson)
    return JsonResponse({"watched": progress.video_watched_at.isoformat()})


@require_POST
@login_required(form_page=_lesson_page)
def lesson_complete(request, course_slug, lesson_slug):
    course, lesson = _get_followed_lesson(request, course_slug, lesson_slug)
    state = course.outline_for(request.user).state_of(lesson)
    if state is None:
        raise Http404  # a draft cannot be completed
    if state == LessonState.LOCKED:
        messages.error(request, _("Finish the previous lesson first."))
        return redirect(lesson)
    needs_video = state != LessonState.DONE and lesson.video_required and lesson.video_file
    if needs_video and not _video_watched(request.user, lesson):
        messages.error(
            request,
            _("Watch the video first (almost to the end); then you can mark the lesson done."),
        )
        return redirect(lesson)
    LessonProgress.objects.submit_completion(user=request.user, lesson=lesson)
    # Look again: the next lesson may start a step that still waits for practice.
    outline = course.outline_for(request.user)
    feedback_awaited_notify(
        patient=request.user, outline=outline, lesson=lesson, was_done=state == LessonState.DONE
    )
    _previous, following = outline.neighbours(lesson)
    if following is None:
        messages.success(request, _("Well done! You have finished every lesson of this course."))
        return redirect(course)
    if following.state == LessonState.LOCKED and following.waiting and following.waiting.feedback:
        messages.success(
            request,
            _(
                "Well done! “%(lesson)s” is done. Your therapist is looking at how it went; "
                "the next step opens after her feedback."
            )
            % {"lesson": lesson},
        )
        return redirect(following)
    if following.state == LessonState.LOCKED:
        messages.success(
            request,
            _(
                "Well done! “%(lesson)s” is done. The next step opens after a little more "
                "practice; the course page shows what is still needed."
            )
            % {"lesson": lesson},
        )
        return redirect(following)
    messages.success(
        request,
        _("Well done! “%(lesson)s” is done; the next lesson is open.") % {"lesson": lesson},
    )
    return redirect(following)


@require_POST
@login_required(form_page=_lesson_page)
def lesson_ask(request, course_slug, lesson_slug):
    """A private question to the therapist about this lesson (plain text, a few a day)."""
    course, lesson = _get_followed_lesson(request, course_slug, lesson_slug)
    if not lesson.is_unlocked_for(request.user):
        raise Http404
    form = AskQuestionForm(request.POST)
    if LessonQuestion.asked_today(request.user) >= LessonQuestion.PER_DAY:
        # Keep what she typed: the form comes back with her text and the reason.
        form.is_valid()
        form.add_error(
            None,
            _("You have asked %(count)s questions today. You can ask more tomorrow.")
            % {"count": LessonQuestion.PER_DAY},
        )
        return _render_lesson(request, course, lesson, ask_form=form, status=429)
    if not form.is_valid():
        return _render_lesson(request, course, lesson, ask_form=form, status=400)
    question = form.save(commit=False)
    question.user = request.user
    question.lesson = lesson
    question.save()
    messages.success(
        request,
        _("Your question has been sent. You will get an email when your therapist answers."),
        extra_tags="draft-saved",
    )
    return redirect(question)


_INVALID_LINK = {
    # reason: (heading, explanation, status)
    "unknown": (
        gettext_lazy("This invitation link does not work"),
        gettext_lazy(
            "The link is not complete or not right. Open it straight from the email, or "
            "copy the whole link into your browser."
        ),
        404,
    ),
    Invitation.Status.USED: (
        gettext_lazy("This invitation has been used"),
        gettext_lazy(
            "An account was already made with this invitation. If that was you, log in with "
            "your email address and password."
        ),
        410,
    ),
    Invitation.Status.WITHDRAWN: (
        gettext_lazy("This invitation was withdrawn"),
        gettext_lazy("Your therapist has withdrawn this invitation, so the link no longer works."),
        410,
    ),
    Invitation.Status.EXPIRED: (
        gettext_lazy("This invitation has expired"),
        gettext_lazy("An invitation link works for two weeks, and this one is older."),
        410,
    ),
    "closed": (
        gettext_lazy("Signing up is closed"),
        gettext_lazy(
            "The practice is not taking new accounts at the moment, not even by invitation."
        ),
        410,
    ),
    "logged_in": (
        gettext_lazy("You are already logged in"),
        gettext_lazy(
            "An invitation is for making a new account. Log out first if you want to use it "
            "for another account."
        ),
        409,
    ),
}


@never_cache
@require_GET
def accept_invitation(request, token):
    """The link in the invitation email: remember it in her session and go on to the plain
    signup page, so the token is in one access-log line and no later URL or Referer."""
    invitation = joining.invitation_for_token(token)
    if invitation is None:
        reason = "unknown"
    elif invitation.status != Invitation.Status.OPEN:
        reason = invitation.status
    elif not signup.is_open():
        reason = "closed"
    elif request.user.is_authenticated:
        reason = "logged_in"
    else:
        joining.remember_invitation(request, invitation)
        return redirect("account_signup")
    heading, explanation, status = _INVALID_LINK[reason]
    ctx = {"heading": heading, "explanation": explanation, "reason": reason}
    return render(request, "courses/invitation_invalid.html", ctx, status=status)
