from adminsortable2.admin import SortableAdminBase, SortableStackedInline, SortableTabularInline
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from modeltranslation.admin import TranslationAdmin, TranslationInlineModelAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from accounts.access_log import AccessLoggedAdmin

from . import languages
from .editor import LessonAdminForm, LessonBodyWidget, body_columns, unknown_images_message
from .forms import AnswerQuestionForm, LessonImageForm, MarkdownPreviewForm
from .languages import SideBySideLanguages
from .models import (
    AccessCode,
    Course,
    Enrollment,
    Exercise,
    ExerciseDose,
    Feedback,
    Lesson,
    LessonCaption,
    LessonImage,
    LessonProgress,
    LessonQuestion,
    PatientAccess,
    PatientDose,
    Step,
    StepUnlock,
)
from .rendering import render_markdown, unknown_image_tokens
from .services import question_answer
from .signals import content_changed
from .views import lesson_preview


class HistoryAdmin(SimpleHistoryAdmin):
    """Who changed what and when (django-simple-history), and a revert to an earlier version.

    A revert is a save through the model's form: the signals give the courses a new content
    version, so patients see the version brought back at once.
    """

    history_list_display = ()

    def history_view_title(self, request, obj):
        return _("History of “%(object)s”") % {"object": obj}

    def history_form_view_title(self, request, obj):
        return _("Bring back this version of “%(object)s”") % {"object": obj}


def _set_published(queryset, value, user):
    """Publish or unpublish; for content that keeps a history, with a record of who did."""
    if not hasattr(queryset.model, "history"):
        return queryset.update(published=value)
    rows = list(queryset)
    for row in rows:
        row.published = value
    bulk_update_with_history(rows, queryset.model, ["published"], default_user=user)
    return len(rows)


class PublishActionsMixin:
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected items"), permissions=["change"])
    def publish(self, request, queryset):
        count = _set_published(queryset, True, request.user)
        content_changed()
        self.message_user(
            request,
            ngettext("%(count)d item published.", "%(count)d items published.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unpublish the selected items"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = _set_published(queryset, False, request.user)
        content_changed()
        self.message_user(
            request,
            ngettext("%(count)d item unpublished.", "%(count)d items unpublished.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class StepInline(SideBySideLanguages, TranslationInlineModelAdmin, SortableTabularInline):
    model = Step
    extra = 0
    fields = (
        "order",
        "title",
        "introduction",
        "unlock_after_days",
        "unlock_after_sessions",
        "waits_for_feedback",
    )
    show_change_link = True


@admin.register(Course)
class CourseAdmin(SideBySideLanguages, SortableAdminBase, PublishActionsMixin, TranslationAdmin):
    list_display = ("title", "published", "step_count", "updated_at")
    list_filter = ("published",)
    search_fields = ("title_nl", "title_en", "summary_nl", "summary_en")
    prepopulated_fields = {"slug": ("title",)}
    fields = (
        "title",
        "slug",
        "summary",
        ("sessions_per_day", "programme_weeks", "maintenance_sessions_per_week"),
        "published",
    )
    inlines = [StepInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_step_count=Count("steps"))

    @admin.display(description=_("steps"), ordering="_step_count")
    def step_count(self, obj):
        return obj._step_count


class LessonInline(SortableTabularInline):
    model = Lesson
    extra = 0
    fields = ("order", "title", "published")
    readonly_fields = ("title",)
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # New lessons need a slug and text: add them on the lesson page itself.
        return False


@admin.register(Step)
class StepAdmin(SideBySideLanguages, SortableAdminBase, TranslationAdmin, HistoryAdmin):
    list_display = ("title", "course", "order", "lesson_count")
    list_editable = ("order",)
    list_filter = ("course",)
    search_fields = ("title_nl", "title_en")
    # Named, so that each text's languages come side by side (SideBySideLanguages).
    fields = (
        "course",
        "title",
        "introduction",
        "order",
        ("unlock_after_days", "unlock_after_sessions"),
        "waits_for_feedback",
    )
    inlines = [LessonInline]
    list_select_related = ("course",)

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_lesson_count=Count("lessons"))

    @admin.display(description=_("lessons"), ordering="_lesson_count")
    def lesson_count(self, obj):
        return obj._lesson_count


EXERCISE_FIELDS = (
    ("name", "kind", "order"),
    "instructions",
    ("hold_seconds", "relax_seconds", "repetitions", "sets", "rest_between_sets_seconds"),
    "allow_short_relax",
    ("in_routine", "replaces"),
    ("starting_position", "lying_on_back"),
)


class ExerciseInline(SideBySideLanguages, TranslationInlineModelAdmin, SortableStackedInline):
    model = Exercise
    extra = 0
    fields = EXERCISE_FIELDS
    # The doses over the weeks are edited on the exercise's own page (inlines do not nest).
    show_change_link = True

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "replaces":
            kwargs["queryset"] = Exercise.objects.in_routine().select_related("lesson")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ExerciseDoseInline(admin.TabularInline):
    model = ExerciseDose
    extra = 0
    fields = ("from_week", "hold_seconds", "relax_seconds", "repetitions", "sets")
    verbose_name_plural = _("how the dose grows (her week 1 is the dose above)")


@admin.register(Exercise)
class ExerciseAdmin(SideBySideLanguages, TranslationAdmin, HistoryAdmin):
    """An exercise with its dose steps; added and ordered on its lesson's page."""

    object_history_template = "admin/courses/exercise/object_history.html"

    list_display = ("name", "lesson", "kind", "in_routine")
    list_filter = ("in_routine", "kind", "lesson__step__course")
    search_fields = ("name_nl", "name_en", "lesson__title_nl", "lesson__title_en")
    list_select_related = ("lesson",)
    fields = ("lesson", *EXERCISE_FIELDS)
    inlines = [ExerciseDoseInline]
    raw_id_fields = ("lesson",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "replaces":
            kwargs["queryset"] = Exercise.objects.in_routine().select_related("lesson")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def history_view(self, request, object_id, extra_context=None):
        # The history of its doses too: they are edited on this page.
        doses = (
            ExerciseDose.history.filter(exercise_id=object_id)
            .select_related("history_user")
            .order_by("-history_date")[:100]
            if str(object_id).isdigit()
            else []
        )
        return super().history_view(
            request, object_id, extra_context={**(extra_context or {}), "dose_history": doses}
        )


@admin.register(ExerciseDose)
class ExerciseDoseAdmin(HistoryAdmin):
    """Only for the history and revert of one dose step (linked from its exercise's history);
    doses are edited on their exercise's page."""

    fields = ("exercise", "from_week", "hold_seconds", "relax_seconds", "repetitions", "sets")
    raw_id_fields = ("exercise",)

    def has_module_permission(self, request):
        return False  # not in the admin's index: edited on the exercise's page


@admin.register(PatientDose)
class PatientDoseAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    """A patient's own dose of an exercise (also set on the therapist's patient page)."""

    list_display = ("user", "exercise", "mode", "level_week", "set_by", "set_at")
    list_select_related = ("user", "exercise", "set_by")
    search_fields = ("user__email", "user__display_name", "exercise__name_nl", "exercise__name_en")
    raw_id_fields = ("user",)
    fields = (
        "user",
        "exercise",
        "mode",
        "level_week",
        ("hold_seconds", "relax_seconds", "repetitions", "sets"),
        "allow_short_relax",
    )

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        obj.set_at = timezone.now()
        super().save_model(request, obj, form, change)


class LessonImageInline(SideBySideLanguages, TranslationInlineModelAdmin, SortableTabularInline):
    model = LessonImage
    form = LessonImageForm
    extra = 0
    fields = ("preview", "image", "alt_text", "caption", "order")
    readonly_fields = ("preview",)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk or not obj.image:
            return "–"
        url, width, height = obj.srcset_items()[0]
        scale = 120 / width if width else 1
        return format_html(
            '<img src="{}" alt="" width="{}" height="{}" class="lesson-image-preview">',
            url,
            120,
            round((height or 0) * scale),
        )


class LessonCaptionInline(admin.TabularInline):
    """Captions of the uploaded video, one WebVTT file per language."""

    model = LessonCaption
    extra = 0
    fields = ("language", "file")
    verbose_name = _("captions of the uploaded video")
    verbose_name_plural = _("captions of the uploaded video (WebVTT, one file per language)")


class MoveLessonActionForm(ActionForm):
    step = forms.ModelChoiceField(
        queryset=Step.objects.select_related("course"),
        required=False,
        label=_("Step"),
        help_text=_("Only for “move to step”."),
    )


def lesson_duplicate(lesson):
    """A draft copy of a lesson with its exercises (images stay with the original)."""
    with transaction.atomic():
        exercises = list(lesson.exercises.all())
        copy = Lesson.objects.get(pk=lesson.pk)
        copy.pk = None
        for language in languages.all_languages():  # "Kopie van …", "Copy of …"
            column = languages.column("title", language)
            title = getattr(lesson, column)
            if title:
                with translation.override(language):
                    setattr(copy, column, _("Copy of %(title)s") % {"title": title})
        base = f"{lesson.slug[:70]}-copy"
        slug, n = base, 1
        while Lesson.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        copy.slug = slug
        copy.published = False
        copy.order = lesson.order + 1
        copy.save()
        for exercise in exercises:
            exercise.pk = None
            exercise.lesson = copy
        bulk_create_with_history(exercises, Exercise)
        content_changed()
    return copy


@admin.register(Lesson)
class LessonAdmin(
    SideBySideLanguages, SortableAdminBase, PublishActionsMixin, TranslationAdmin, HistoryAdmin
):
    form = LessonAdminForm
    # Each language's text in its own editor with its preview beside it.
    languages_stacked = ("body",)
    list_display = (
        "title",
        "step",
        "course",
        "order",
        "published",
        "exercise_count",
        "has_video_display",
        "has_images_display",
        "preview_link",
    )
    list_display_links = ("title",)
    list_editable = ("order",)
    list_filter = ("published", "step__course", "step")
    list_select_related = ("step__course",)
    search_fields = ("title_nl", "title_en", "summary_nl", "summary_en", "body_nl", "body_en")
    prepopulated_fields = {"slug": ("title",)}
    # The course by its Dutch title: `step__course` would sort by the `title` column, which
    # holds whichever language was saved last.
    ordering = (
        "step__course__title_nl",
        "step__course_id",
        "step__order",
        "step_id",
        "order",
        "id",
    )
    inlines = [LessonImageInline, LessonCaptionInline, ExerciseInline]
    fieldsets = (
        (None, {"fields": ("step", "title", "slug", "summary", "order", "published")}),
        (_("Text"), {"fields": ("body",), "classes": ("lesson-text",)}),
        (_("Video"), {"fields": ("video_url", "video_file", "transcript", "video_required")}),
        (None, {"fields": ("estimated_minutes",)}),
    )

    action_form = MoveLessonActionForm
    actions = ["publish", "unpublish", "duplicate_as_draft", "move_to_step"]

    @admin.action(description=_("Duplicate as draft (with exercises)"), permissions=["add"])
    def duplicate_as_draft(self, request, queryset):
        copies = [lesson_duplicate(lesson) for lesson in queryset.prefetch_related("exercises")]
        self.message_user(
            request,
            ngettext(
                "%(count)d draft copy made; it is not published yet.",
                "%(count)d draft copies made; they are not published yet.",
                len(copies),
            )
            % {"count": len(copies)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Move to the step chosen above"), permissions=["change"])
    def move_to_step(self, request, queryset):
        step = Step.objects.filter(pk=request.POST.get("step") or None).first()
        if step is None:
            self.message_user(request, _("Choose a step to move the lessons to."), messages.ERROR)
            return
        last = step.lessons.aggregate(m=models.Max("order"))["m"] or 0
        with transaction.atomic():
            for offset, lesson in enumerate(queryset.order_by("step__order", "order"), start=1):
                lesson.step = step
                lesson.order = last + offset
                lesson.save(update_fields=["step", "order", "updated_at"])
        self.message_user(
            request,
            _("Moved to “%(step)s”, after its last lesson.") % {"step": step},
            messages.SUCCESS,
        )

    class Media:
        js = ("js/admin-markdown-preview.js",)
        css = {"all": ("css/admin.css",)}

    def get_queryset(self, request):
        from django.db.models import Count, Exists, OuterRef

        return (
            super()
            .get_queryset(request)
            .annotate(
                _exercise_count=Count("exercises", distinct=True),
                _has_images=Exists(LessonImage.objects.filter(lesson=OuterRef("pk"))),
            )
        )

    @admin.display(description=_("course"), ordering="step__course__title")
    def course(self, obj):
        return obj.step.course

    @admin.display(description=_("exercises"), ordering="_exercise_count")
    def exercise_count(self, obj):
        return obj._exercise_count

    @admin.display(description=_("video"), boolean=True)
    def has_video_display(self, obj):
        return obj.has_video

    @admin.display(description=_("images"), boolean=True)
    def has_images_display(self, obj):
        return obj._has_images

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        return format_html(
            '<a class="lesson-preview-link" href="{}">{}</a>',
            reverse("admin:courses_lesson_preview", args=[obj.pk]),
            _("Preview as a patient"),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "video_url":
            kwargs["assume_scheme"] = "https"  # a link pasted without https:// still works
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The text with its preview, and a button for each of this lesson's saved images.
        images = list(obj.images.all()) if obj is not None and obj.pk else []
        for name in body_columns():
            if name in form.base_fields:
                field = form.base_fields[name]
                field.widget = LessonBodyWidget(
                    attrs=field.widget.attrs, images=images, lesson_pk=obj.pk if obj else None
                )
        return form

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"preview_url": None}
        if str(object_id).isdigit():
            extra["preview_url"] = reverse("admin:courses_lesson_preview", args=[object_id])
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def get_urls(self):
        return [
            path(
                "markdown-preview/",
                self.admin_site.admin_view(self.markdown_preview),
                name="courses_lesson_markdown_preview",
            ),
            path(
                "<int:object_id>/preview/",
                # GET only, never kept by a browser (as admin_view does for admin pages).
                never_cache(require_safe(self.preview_as_patient)),
                name="courses_lesson_preview",
            ),
            *super().get_urls(),
        ]

    def preview_as_patient(self, request, object_id):
        """The lesson page as a patient sees it, at its step: any lesson, published or not,
        whatever its step waits for; nothing is recorded. Staff only; anyone else a 404.

        Not wrapped in admin_view, which would send a patient to the admin's login: she is
        told nothing. Two-factor authentication is required as for all of /admin/
        (accounts.middleware.StaffTwoFactorMiddleware).
        """
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_staff and self.has_view_or_change_permission(request)):
            raise Http404
        lesson = get_object_or_404(Lesson.objects.select_related("step__course"), pk=object_id)
        return lesson_preview(request, lesson)

    def markdown_preview(self, request):
        """Live preview of the lesson text while the therapist types (staff only)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        form = MarkdownPreviewForm(request.POST)
        if not form.is_valid():
            if "lesson" in form.errors:
                return JsonResponse({"error": str(_("This lesson no longer exists."))}, status=400)
            return JsonResponse({"error": str(_("The text is too long."))}, status=400)
        body, lesson = form.cleaned_data["body"], form.cleaned_data["lesson"]
        images = list(lesson.images.all()) if lesson else []
        unknown = unknown_image_tokens(body, images)
        return JsonResponse(
            {
                "html": render_markdown(body, images),
                "warnings": [unknown_images_message(unknown)] if unknown else [],
            }
        )


@admin.register(StepUnlock)
class StepUnlockAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    """Open a step for one patient, whatever its waiting rules say."""

    list_display = ("user", "step", "unlocked_by", "unlocked_at")
    list_filter = ("step__course", "step")
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user", "step", "unlocked_by")
    autocomplete_fields = ("user",)
    fields = ("user", "step")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = db_field.related_model.objects.filter(is_staff=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.unlocked_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PatientAccess)
class PatientAccessAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    """Lessons opened and lessons or steps hidden for one patient (her page sets them)."""

    list_display = ("user", "lesson", "step", "state", "set_by", "set_at")
    list_filter = ("state",)
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user", "lesson", "step", "set_by")
    raw_id_fields = ("user",)
    fields = ("user", "lesson", "step", "state")

    def save_model(self, request, obj, form, change):
        obj.set_by = request.user
        obj.set_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Feedback)
class FeedbackAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    """Feedback is written on the patient's page; here it can be read and corrected."""

    list_display = ("user", "step", "written_by", "created_at", "read_at")
    list_filter = (("read_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__email", "user__display_name", "text")
    list_select_related = ("user", "step", "written_by")
    readonly_fields = ("user", "written_by", "step", "created_at", "read_at")
    fields = readonly_fields + ("text",)

    def has_add_permission(self, request):
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    list_display = ("user", "course", "enrolled_at")
    list_filter = ("course",)
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user", "course")
    raw_id_fields = ("user",)


@admin.register(LessonProgress)
class LessonProgressAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    list_display = ("user", "lesson", "first_opened_at", "completed_at")
    list_filter = ("lesson__step__course", "lesson__step")
    search_fields = ("user__email", "user__display_name", "lesson__title_nl", "lesson__title_en")
    list_select_related = ("user", "lesson")
    raw_id_fields = ("user", "lesson")


@admin.register(LessonQuestion)
class LessonQuestionAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    """Questions can also be answered here; the answer is emailed to the patient."""

    form = AnswerQuestionForm

    list_display = ("short_text", "user", "lesson", "asked_at", "answered_at", "published_as_faq")
    list_filter = (("answered_at", admin.EmptyFieldListFilter), "published_as_faq", "lesson")
    search_fields = ("text", "answer", "user__email")
    list_select_related = ("user", "lesson")
    readonly_fields = ("user", "lesson", "text", "asked_at", "answered_at", "answered_by")
    fields = readonly_fields + ("answer", "published_as_faq", "faq_text")

    @admin.display(description=_("question"))
    def short_text(self, obj):
        return str(obj)

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        emailed = question_answer(
            question=obj,
            by=request.user,
            **form.cleaned_data,
            link=request.build_absolute_uri(obj.get_absolute_url()),
        )
        if not emailed:
            self.message_user(
                request,
                _("The answer is saved, but the email to the patient failed."),
                messages.WARNING,
            )


@admin.register(AccessCode)
class AccessCodeAdmin(admin.ModelAdmin):
    """Course codes for a group class or a flyer: whoever signs up with one is enrolled."""

    list_display = ("code", "course", "therapist", "uses", "max_uses", "ends_on")
    list_filter = ("course",)
    search_fields = ("code",)
    readonly_fields = ("uses", "created_at")
    fields = ("code", "course", "therapist", "max_uses", "ends_on", "uses", "created_at")
