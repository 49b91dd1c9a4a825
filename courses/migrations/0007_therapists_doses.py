"""Therapists write the dose steps of exercises and set a patient's own dose."""

from django.db import migrations

from accounts import groups

PERMISSIONS = {
    "courses": {
        "exercisedose": ("add", "change", "delete", "view"),
        "patientdose": ("add", "change", "delete", "view"),
    }
}


class Migration(migrations.Migration):
    dependencies = [("courses", "0006_programme")]

    operations = [groups.granting(PERMISSIONS)]
