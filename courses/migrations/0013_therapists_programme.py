"""Therapists open or hide lessons and steps for a patient and write her feedback."""

from django.db import migrations

from accounts import groups

PERMISSIONS = {
    "courses": {
        "patientaccess": ("add", "change", "delete", "view"),
        "feedback": ("change", "view"),
    }
}


class Migration(migrations.Migration):
    dependencies = [("courses", "0012_patient_access_feedback")]

    operations = [groups.granting(PERMISSIONS)]
