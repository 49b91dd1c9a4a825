"""Therapists read and answer patients' questions on lessons."""

from django.db import migrations

from accounts import groups

PERMISSIONS = {"courses": {"lessonquestion": ("view", "change")}}


class Migration(migrations.Migration):
    dependencies = [("courses", "0004_lesson_questions")]

    operations = [groups.granting(PERMISSIONS)]
