"""Therapists may read patients' profiles and intake answers (not change them)."""

from django.db import migrations

from accounts import groups

PERMISSIONS = {"accounts": {"profile": ("view",), "consent": ("view",)}}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_profile_consent_erasure"),
        ("courses", "0002_therapists_group"),
    ]

    operations = [groups.granting(PERMISSIONS)]
