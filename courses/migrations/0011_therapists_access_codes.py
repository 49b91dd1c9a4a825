"""Therapists manage course codes in the admin."""

from django.db import migrations

from accounts import groups

PERMISSIONS = {"courses": {"accesscode": ("add", "change", "delete", "view")}}


class Migration(migrations.Migration):
    dependencies = [("courses", "0010_joining")]

    operations = [groups.granting(PERMISSIONS)]
