"""Therapists read and answer patients' questions on lessons."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_lessonquestion", "change_lessonquestion"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("courses")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Therapists")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="courses", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Therapists").first()
    if group:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="courses", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_lesson_questions")]

    operations = [migrations.RunPython(grant, revoke)]
