"""The "Therapists" group, with just what a therapist needs in the admin."""

from django.db import migrations

from accounts import groups

GROUP = groups.THERAPISTS
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
    groups.grant(apps, PERMISSIONS, GROUP)


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
