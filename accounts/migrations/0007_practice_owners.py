"""The Practice owners group (every patient, and moving her to another therapist); existing
patients go to the practice's therapist when there is exactly one."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from accounts.groups import PRACTICE_OWNERS, THERAPISTS


def forwards(apps, schema_editor):
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    owners, _created = Group.objects.get_or_create(name=PRACTICE_OWNERS)
    owners.permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="see_all_patients")
    )
    User = apps.get_model("accounts", "User")
    therapists = list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=THERAPISTS).distinct()
    )
    if len(therapists) == 1:
        Profile = apps.get_model("accounts", "Profile")
        Profile.objects.filter(therapist__isnull=True, user__is_staff=False).update(
            therapist=therapists[0]
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=PRACTICE_OWNERS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_therapist"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, backwards)]
