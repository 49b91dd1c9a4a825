"""What the Therapists group may do with the therapy journey and step unlocks."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = {
    "therapy": {
        "questionnaire": ("add", "change", "delete", "view"),
        "question": ("add", "change", "delete", "view"),
        "answeroption": ("add", "change", "delete", "view"),
        "scoreband": ("add", "change", "delete", "view"),
        "practicesession": ("view",),
        "diaryentry": ("view",),
        "questionnaireresponse": ("view",),
        "reminderlog": ("view",),
    },
    "courses": {"stepunlock": ("add", "view", "delete")},
}


def _permissions(apps):
    for app_label in PERMISSIONS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app, codename=f"{action}_{model}")
        for app, models in PERMISSIONS.items()
        for model, actions in models.items()
        for action in actions
    ]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group, _ = Group.objects.get_or_create(name="Therapists")
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name="Therapists").first()
    if group:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("therapy", "0001_initial"),
        ("courses", "0003_practice_gates"),
        ("accounts", "0003_therapists_view_profiles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
