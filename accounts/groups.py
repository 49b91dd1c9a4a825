"""The Therapists group: its name, who counts as a therapist, and how migrations grant it
permissions. Data migrations of every app import this module (it imports no models), so
the name and the granting code exist once.
"""

from django.contrib.auth.management import create_permissions

THERAPISTS = "Therapists"


def is_therapist(user):
    """Staff in the Therapists group, or a superuser: who may open the therapist pages."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.is_staff and user.groups.filter(name=THERAPISTS).exists()))
    )


def therapists():
    """Everyone who works as a therapist (staff in the Therapists group, active)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=THERAPISTS)
        .distinct()
    )


def _permissions(apps, permissions):
    """Permission rows for {app_label: {model: actions}}, made first if they do not exist.

    Django makes permissions after all migrations ran; a data migration needs them now.
    `actions` are "add", "change", "delete" or "view".
    """
    for app_label in permissions:
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
        for app_label, models in permissions.items()
        for model, actions in models.items()
        for action in actions
    ]


def grant(apps, permissions, group_name=THERAPISTS):
    """For RunPython: give the group these permissions (creating the group if needed)."""
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=group_name)
    group.permissions.add(*_permissions(apps, permissions))


def revoke(apps, permissions, group_name=THERAPISTS):
    """The reverse of `grant`."""
    group = apps.get_model("auth", "Group").objects.filter(name=group_name).first()
    if group:
        group.permissions.remove(*_permissions(apps, permissions))


def granting(permissions, group_name=THERAPISTS):
    """A RunPython operation that grants `permissions` and takes them back on reverse."""
    from django.db import migrations

    return migrations.RunPython(
        lambda apps, schema_editor: grant(apps, permissions, group_name),
        lambda apps, schema_editor: revoke(apps, permissions, group_name),
    )


# Practice owners see every patient and can give a patient another therapist.
PRACTICE_OWNERS = "Practice owners"
SEE_ALL_PATIENTS = "accounts.see_all_patients"
