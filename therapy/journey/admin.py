from adminsortable2.admin import SortableAdminBase, SortableTabularInline
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationInlineModelAdmin

from accounts.access_log import AccessLoggedAdmin
from courses.languages import SideBySideLanguages

from .models import (
    AnswerOption,
    DiaryEntry,
    PracticeSession,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    ReminderLog,
    RoutinePart,
    SafetyCheck,
    ScoreBand,
)


class QuestionInline(SideBySideLanguages, TranslationInlineModelAdmin, SortableTabularInline):
    model = Question
    extra = 0
    fields = ("order", "text")
    show_change_link = True


class ScoreBandInline(SideBySideLanguages, TranslationInlineModelAdmin, admin.TabularInline):
    model = ScoreBand
    extra = 0
    fields = ("min_score", "max_score", "label")


@admin.register(Questionnaire)
class QuestionnaireAdmin(SideBySideLanguages, SortableAdminBase, TranslationAdmin):
    list_display = ("title", "published", "repeat_every_weeks", "min_meaningful_change")
    list_filter = ("published",)
    search_fields = ("title_nl", "title_en")
    prepopulated_fields = {"slug": ("title",)}
    inlines = [QuestionInline, ScoreBandInline]
    fieldsets = (
        (None, {"fields": ("title", "slug", "introduction", "published")}),
        (_("Scoring"), {"fields": ("min_meaningful_change", "higher_is_worse")}),
        (
            _("When it is asked"),
            {
                "fields": (
                    "due_at_intake",
                    "repeat_every_weeks",
                    "repeat_until_week",
                    "retest_weeks",
                )
            },
        ),
    )


class AnswerOptionInline(SideBySideLanguages, TranslationInlineModelAdmin, SortableTabularInline):
    model = AnswerOption
    extra = 0
    fields = ("order", "label", "score")


@admin.register(Question)
class QuestionAdmin(SideBySideLanguages, SortableAdminBase, TranslationAdmin):
    list_display = ("text", "questionnaire", "order")
    list_filter = ("questionnaire",)
    list_editable = ("order",)
    fields = ("questionnaire", "text", "order")  # named: the languages side by side
    inlines = [AnswerOptionInline]


class ReadOnlyAdmin(AccessLoggedAdmin, admin.ModelAdmin):
    """Patients' own records: the therapist reads them, she does not change them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RoutinePartInline(admin.TabularInline):
    model = RoutinePart
    extra = 0
    fields = ("order", "exercise_name", "target_repetitions", "repetitions_done", "skipped")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PracticeSession)
class PracticeSessionAdmin(ReadOnlyAdmin):
    inlines = [RoutinePartInline]
    list_display = (
        "user",
        "kind",
        "exercise_name",
        "started_at",
        "repetitions_done",
        "completed",
        "feeling",
    )
    list_filter = ("kind", "completed", "by_hand")
    search_fields = ("user__email", "user__display_name", "exercise_name")
    list_select_related = ("user",)
    date_hierarchy = "started_at"


@admin.register(DiaryEntry)
class DiaryEntryAdmin(ReadOnlyAdmin):
    list_display = ("user", "date", "leaks", "pads", "urgency", "back_pain")
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user",)
    date_hierarchy = "date"


@admin.register(QuestionnaireResponse)
class QuestionnaireResponseAdmin(ReadOnlyAdmin):
    list_display = ("user", "questionnaire", "due_date", "total_score", "submitted_at")
    list_filter = ("questionnaire",)
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user", "questionnaire")


@admin.register(SafetyCheck)
class SafetyCheckAdmin(ReadOnlyAdmin):
    list_display = ("user", "source", "urgency", "answered_at", "help_sought_at")
    list_filter = ("urgency", "source")
    search_fields = ("user__email", "user__display_name")
    list_select_related = ("user",)
    date_hierarchy = "answered_at"
    readonly_fields = ("answers",)
    fields = ("user", "source", "answers", "urgency", "answered_at", "help_sought_at")

    @admin.display(description=_("answered with yes"))
    def answers(self, obj):
        return ", ".join(str(label) for label in obj.labels) or "–"


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "local_date", "sent_at")
    list_filter = ("kind",)
    list_select_related = ("user",)
