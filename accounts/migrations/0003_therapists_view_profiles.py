"""Therapists may read patients' profiles and intake answers (not change them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Therapists")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["view_profile", "view_consent"]
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Therapists").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="accounts", codename__in=["view_profile", "view_consent"]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_profile_consent_erasure"),
        ("courses", "0002_therapists_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
