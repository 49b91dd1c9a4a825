"""Build the therapist overview's patient statuses for the new day (cron, after midnight).

The overview builds any status that is out of date itself, but after midnight that is
every patient's: run this first, so that the first therapist of the day does not wait.
"""

import time

from django.core.management.base import BaseCommand

from therapy.clinic.overview import statuses_refresh


class Command(BaseCommand):
    help = "Build the patient statuses of the therapist overview that are out of date."

    def handle(self, *args, **options):
        started = time.monotonic()
        count = statuses_refresh()
        self.stdout.write(
            f"Built {count} patient status(es) in {time.monotonic() - started:.1f} s."
        )
