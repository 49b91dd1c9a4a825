"""The "Therapists" group, with just what a therapist needs in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Therapists"
PERMISSIONS = {
    "courses": {
        "course": ("add", "change", "delete", "view"),
        "step": ("add", "change", "delete", "view"),
        "lesson": ("add", "change", "delete", "view"),
        "lessonimage": ("add", "change", "delete", "view"),
        "exercise": ("add", "change", "delete", "view"),
        "enrollment": ("view",),
        "lessonprogress": ("view",),
    },
    "accounts": {"user": ("view",)},
}


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations ran; make them now.
    for app_label in PERMISSIONS:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    )
                )
    group.permissions.add(*wanted)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
