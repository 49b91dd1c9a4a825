"""Therapists read their patients' messages in the admin (they write on the patient page)."""

from django.db import migrations

from accounts import groups

PERMISSIONS = {"messaging": {"message": ("view",)}}


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_conversation"), ("accounts", "0003_therapists_view_profiles")]

    operations = [groups.granting(PERMISSIONS)]
