"""Who saw which patient's records, what, and when (NEN 7513 asks this of care software).

Every time a therapist opens a patient's page, her CSV, a record of hers in the admin, or
the patient downloads her own data, one entry is written with django-auditlog's LogEntry
(action "access"): the one who looked (actor), the patient (the entry's object), what was
seen (`additional_data["what"]`), when, and from which address.

The patient's export lists these entries. When she erases her account the entries stay,
pseudonymised: her name and address are removed from them, her internal number stays, so
that the practice can still answer "who looked at the record of patient 123" as the law asks
(retention: five years, then `manage.py auditlogflush`). Entries of her own downloads go.
"""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from .models import User

ERASED = "(erased patient)"


def record_access(request, patient, what):
    """One entry: request.user looked at `what` of `patient` (a short description, no data)."""
    actor = request.user if request.user.is_authenticated else None
    return LogEntry.objects.log_create(
        patient,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        remote_addr=_client_address(request),
        additional_data={"what": str(what)},
        changes=None,
    )


def _client_address(request):
    from allauth.core.internal.httpkit import get_client_ip

    try:
        return get_client_ip(request)
    except Exception:  # a malformed X-Forwarded-For must not stop the page
        return request.META.get("REMOTE_ADDR")


def accesses_of(patient):
    """Her record's access log, newest first."""
    return (
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(User),
            object_pk=str(patient.pk),
            action=LogEntry.Action.ACCESS,
        )
        .select_related("actor")
        .order_by("-timestamp")
    )


def for_export(patient):
    """What her data export says about who looked at her records."""
    return [
        {
            "when": entry.timestamp,
            "who": _who(entry, patient),
            "what": (entry.additional_data or {}).get("what", ""),
        }
        for entry in accesses_of(patient)
    ]


def _who(entry, patient):
    if entry.actor_id == patient.pk:
        return "you"
    if entry.actor is not None:
        return str(entry.actor)
    return entry.actor_email or "?"


def pseudonymise(patient):
    """On erasure: keep who looked at her record, forget her name and address."""
    accesses_of(patient).update(object_repr=ERASED, serialized_data=None)
    LogEntry.objects.filter(actor=patient).delete()  # her own downloads


class AccessLoggedAdmin:
    """For the admin of a model with a patient's data: a therapist sees only her own
    patients' records (accounts/care.py), and opening one record is logged.

    `patient_field` names the path to the patient ("user", "session__user"…).
    """

    patient_field = "user"

    def get_queryset(self, request):
        from .care import user_filter

        records = super().get_queryset(request)
        return records.filter(**user_filter(request.user, self.patient_field))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and getattr(response, "status_code", 0) == 200:
            obj = self.get_object(request, object_id)
            patient = obj
            for part in self.patient_field.split("__") if self.patient_field else ():
                patient = getattr(patient, part, None)
            if isinstance(patient, User):
                # Stored in one language (English), whatever the reader's: it is a record.
                with translation.override("en"):
                    what = f"admin: {self.model._meta.verbose_name}"
                record_access(request, patient, what)
        return response
