"""Workflows of the accounts app that touch several models with side effects."""

from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q

from . import access_log, export
from .models import ErasureRecord, User


def _delete_files_of(user):
    """Remove uploaded files stored on any of her records before the rows go."""
    for item in export.REGISTRY:
        model = item.get_model()
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        if not file_fields:
            continue
        for record in item.queryset(user):
            for f in file_fields:
                stored = getattr(record, f.name)
                if stored:
                    stored.delete(save=False)


def _delete_admin_history_about(user):
    """Admin log entries name the record they are about ("Alice – 2026-11-26")."""
    about = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    for item in export.REGISTRY:
        model = item.get_model()
        ids = [str(pk) for pk in item.queryset(user).values_list("pk", flat=True)]
        if ids:
            about |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    LogEntry.objects.filter(about).delete()


def _delete_mail_to(user):
    """The mail queue keeps sent emails for a while; hers go with her account."""
    from post_office.models import Email

    Email.objects.filter(to__icontains=user.email).delete()


def user_erase(*, user):
    """Delete a patient and everything of hers; leave only an anonymous erasure record."""
    with transaction.atomic():
        _delete_files_of(user)
        for session in UserSession.objects.filter(user=user):
            session.end()
        _delete_admin_history_about(user)
        access_log.pseudonymise(user)
        _delete_mail_to(user)
        user.delete()
        ErasureRecord.objects.create()
