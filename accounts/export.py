"""Everything stored about one patient, in one place: for the data export and for erasure.

A model that holds a patient's data is registered in ``REGISTRY`` below; the export then
includes it and the erasure page lists it. A test fails when a model with a foreign key to
the user is neither registered here nor listed in ``NOT_EXPORTED`` with a reason.
"""

import json
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from . import access_log


@dataclass(frozen=True)
class Export:
    model: str  # "app_label.ModelName"
    label: str
    user_field: str = "user"
    fields: tuple = ()  # empty: every concrete field except the user link and ids
    exclude: tuple = ()
    related: tuple = field(default=())  # extra values() lookups, e.g. "lesson__title"

    def get_model(self):
        return apps.get_model(self.model)

    def queryset(self, user):
        return self.get_model()._default_manager.filter(**{self.user_field: user})

    def field_names(self):
        if self.fields:
            return list(self.fields)
        skip = {"id", self.user_field, *self.exclude}
        return [
            f.attname if f.is_relation else f.name
            for f in self.get_model()._meta.concrete_fields
            if f.name not in skip and f.attname not in skip
        ]

    def rows(self, user):
        texts = {lookup: _text_columns(self.get_model(), lookup) for lookup in self.related}
        columns = [column for lookup in self.related for column in texts[lookup] or (lookup,)]
        rows = list(self.queryset(user).order_by("pk").values(*self.field_names(), *columns))
        for row in rows:
            for lookup, own_then_source in texts.items():
                if own_then_source:  # the lesson's title in her language, else in Dutch
                    values = [row.pop(column) for column in own_then_source]
                    row[lookup] = next((value for value in values if value), values[-1])
        return rows


def _text_columns(model, lookup):
    """For a lookup that ends in a course text with a column per language (lesson__title):
    its column in the active language and in the language texts are written in first;
    None for any other lookup. (The `title` column itself holds whichever language was
    last saved.)"""
    *path, name = lookup.split("__")
    for step in path:
        model = model._meta.get_field(step).related_model
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return None
    if name not in options.all_fields:
        return None
    source = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    own = (get_language() or source).split("-")[0]
    languages = [own, source] if own in settings.MODELTRANSLATION_LANGUAGES else [source]
    prefix = "__".join(path)
    return tuple(
        f"{prefix}__{build_localized_fieldname(name, language)}"
        for language in dict.fromkeys(languages)
    )


REGISTRY = [
    Export("accounts.Profile", _("Profile and intake")),
    Export("accounts.Consent", _("Consent history")),
    Export("account.EmailAddress", _("Email addresses"), fields=("email", "verified", "primary")),
    Export("courses.Enrollment", _("Courses"), related=("course__title",)),
    Export(
        "courses.LessonProgress",
        _("Lesson progress"),
        related=("lesson__title", "lesson__step__course__title"),
    ),
    Export(
        "courses.StepUnlock",
        _("Steps your therapist opened for you"),
        fields=("unlocked_at",),
        related=("step__title",),
    ),
    Export(
        "courses.PatientAccess",
        _("Lessons and steps your therapist opened or hid for you"),
        fields=("state", "set_at"),
        related=("lesson__title", "step__title"),
    ),
    Export(
        "courses.Feedback",
        _("Feedback from your therapist"),
        fields=("text", "created_at", "read_at"),
        related=("step__title", "written_by__display_name"),
    ),
    Export(
        "courses.PatientDose",
        _("Doses your therapist set for you"),
        fields=(
            "mode",
            "level_week",
            "hold_seconds",
            "relax_seconds",
            "repetitions",
            "sets",
            "set_at",
        ),
        related=("exercise__name",),
    ),
    Export(
        "courses.Invitation",
        _("The invitation you signed up with"),
        user_field="used_by",
        fields=("email", "created_at", "used_at"),
        related=("course__title",),
    ),
    Export(
        "courses.LessonQuestion",
        _("Your questions to the therapist"),
        fields=("text", "asked_at", "answer", "answered_at", "published_as_faq"),
        related=("lesson__title",),
    ),
    Export(
        "messaging.Message",
        _("Messages with your therapist"),
        user_field="patient",
        fields=("from_patient", "text", "sent_at", "read_at"),
        related=("sender__display_name",),
    ),
    Export(
        "therapy.PracticeSession",
        _("Practice sessions"),
        exclude=("idempotency_key",),
    ),
    Export(
        "therapy.RoutinePart",
        _("Exercises of your routine sessions"),
        user_field="session__user",
        fields=("session_id", "exercise_name", "target_repetitions", "repetitions_done", "skipped"),
    ),
    Export("therapy.DiaryEntry", _("Symptom diary")),
    Export(
        "therapy.SafetyCheck",
        _("Your answers to the safety questions"),
        fields=("source", "flags", "urgency", "answered_at", "help_sought_at"),
    ),
    Export(
        "therapy.QuestionnaireResponse",
        _("Questionnaires"),
        related=("questionnaire__title",),
    ),
    Export(
        "therapy.Answer",
        _("Your answers to the questionnaires"),
        user_field="response__user",
        fields=("response_id",),
        related=("question__text", "option__label", "option__score"),
    ),
    Export(
        "clinic.FlagReview",
        _("Signals your therapist marked as seen, with her note"),
        user_field="patient",
        fields=("code", "note", "seen_at"),
    ),
    Export(
        "therapy.CalendarFeed",
        _("Your calendar link"),
        # The token is a key, like a password: the export says only that there is one.
        fields=("created_at",),
    ),
    Export(
        "therapy.ReminderLog",
        _("Reminders sent to you"),
        fields=("kind", "local_date", "sent_at"),
    ),
    Export(
        "usersessions.UserSession",
        _("Sessions (devices you are logged in on)"),
        fields=("created_at", "last_seen_at", "ip", "user_agent"),
    ),
    Export(
        "mfa.Authenticator",
        _("Two-factor authentication"),
        # The secrets stay out of the file: it is for reading, not for logging in.
        fields=("type", "created_at", "last_used_at"),
    ),
]

# Models with a user foreign key that are deliberately not part of a patient's export.
NOT_EXPORTED = {
    # A course's sign-up code for a group or a flyer; its user link is the staff member
    # whose patients the new accounts become. Nothing about any one patient is in it.
    "courses.AccessCode": "a course's sign-up code; its only user link is a therapist",
    # The access log: entries *about* her are in the export as "accessed_by"
    # (accounts/access_log.py); entries where staff are the actor are theirs.
    "auditlog.LogEntry": "who looked at records; hers are exported as accessed_by",
    # Staff actions in the admin; a patient has none. Entries *about* a patient are
    # removed on erasure (accounts.services.user_erase).
    "admin.LogEntry": "records what staff did in the admin",
    # Numbers the therapist's overview sorts by, worked out again from the records above
    # (therapy/clinic/models.py); nothing in it that the export does not already hold.
    "clinic.PatientStatus": "derived from her records, which are exported",
    # A therapist's own bookkeeping of the daily email: digests of signal keys, no names.
    "clinic.DigestState": "the therapist's own record of what her daily email told her",
    # Earlier versions of the course content (django-simple-history); the user is the
    # staff member who changed it. No patient data.
    "courses.HistoricalStep": "who changed the course content",
    "courses.HistoricalLesson": "who changed the course content",
    "courses.HistoricalExercise": "who changed the course content",
    "courses.HistoricalExerciseDose": "who changed the course content",
}

USER_FIELDS = ("email", "display_name", "first_name", "last_name", "date_joined", "last_login")


def build_export(user):
    data = {
        "exported_at": timezone.now(),
        "account": {name: getattr(user, name) for name in USER_FIELDS},
    }
    for item in REGISTRY:
        data[item.model] = {"label": str(item.label), "records": item.rows(user)}
    data["accessed_by"] = {
        "label": str(_("Who looked at your records")),
        "records": access_log.for_export(user),
    }
    return data


def export_json(user):
    return json.dumps(build_export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def summary(user):
    """[(label, count)] of what an erasure would delete, for the confirmation page."""
    return [(item.label, item.queryset(user).count()) for item in REGISTRY]
