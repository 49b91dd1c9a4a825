"""What the Therapists group may do with the therapy journey and step unlocks."""

from django.db import migrations

from accounts import groups

PERMISSIONS = {
    "therapy": {
        "questionnaire": ("add", "change", "delete", "view"),
        "question": ("add", "change", "delete", "view"),
        "answeroption": ("add", "change", "delete", "view"),
        "scoreband": ("add", "change", "delete", "view"),
        "practicesession": ("view",),
        "diaryentry": ("view",),
        "questionnaireresponse": ("view",),
        "reminderlog": ("view",),
    },
    "courses": {"stepunlock": ("add", "view", "delete")},
}


class Migration(migrations.Migration):
    dependencies = [
        ("therapy", "0001_initial"),
        ("courses", "0003_practice_gates"),
        ("accounts", "0003_therapists_view_profiles"),
    ]

    operations = [groups.granting(PERMISSIONS)]
