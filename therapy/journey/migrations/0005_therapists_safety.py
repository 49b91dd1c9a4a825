"""Therapists read patients' safety answers and the parts of their routine sessions."""

from django.db import migrations

from accounts import groups

PERMISSIONS = {"therapy": {"safetycheck": ("view",), "routinepart": ("view",)}}


class Migration(migrations.Migration):
    dependencies = [("therapy", "0004_intake_safety_answers")]

    operations = [groups.granting(PERMISSIONS)]
