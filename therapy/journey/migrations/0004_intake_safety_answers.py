"""The intake's safety answers move from the profile to their own records (SafetyCheck).

Every patient who did the intake gets one intake check with her answers as they were
(an empty list: every answer was no). One answer was split in two: "fever with pain in
the belly, back or side" is now "fever with pain in the side or back".
"""

from django.db import migrations

# The urgencies as they were when this ran (therapy/journey/safety.py may change later).
URGENCY = {
    "saddle_numbness": "now",
    "fever_with_flank_pain": "today",
    "blood_in_urine": "soon",
    "trouble_emptying": "soon",
    "recent_surgery_or_pregnancy": "adapt",
}
ORDER = ["now", "today", "soon", "adapt"]
RENAMED = {"fever_with_pain": "fever_with_flank_pain"}


def copy_answers(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    SafetyCheck = apps.get_model("therapy", "SafetyCheck")
    checks = []
    for profile in Profile.objects.exclude(intake_completed_at=None).iterator():
        flags = [RENAMED.get(code, code) for code in profile.red_flags or []]
        found = {URGENCY[code] for code in flags if code in URGENCY}
        checks.append(
            SafetyCheck(
                user_id=profile.user_id,
                source="intake",
                flags=flags,
                urgency=next((u for u in ORDER if u in found), ""),
                answered_at=profile.intake_completed_at,
            )
        )
    SafetyCheck.objects.bulk_create(checks)


def copy_back(apps, schema_editor):
    Profile = apps.get_model("accounts", "Profile")
    SafetyCheck = apps.get_model("therapy", "SafetyCheck")
    back = {new: old for old, new in RENAMED.items()}
    for check in SafetyCheck.objects.filter(source="intake").order_by("answered_at"):
        Profile.objects.filter(user_id=check.user_id).update(
            red_flags=[back.get(code, code) for code in check.flags]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("therapy", "0003_programme"),
        ("accounts", "0003_therapists_view_profiles"),
    ]

    operations = [migrations.RunPython(copy_answers, copy_back)]
