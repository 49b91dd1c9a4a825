from django.core.management.base import BaseCommand

from therapy.journey.reminders import send_due_reminders


class Command(BaseCommand):
    help = (
        "Email practice reminders at each patient's chosen time (if she has not practised "
        "today) and tell her when a new step has opened. Safe to run every 15 minutes."
    )

    def handle(self, *args, **options):
        practice, steps = send_due_reminders()
        self.stdout.write(f"Sent {practice} practice reminder(s) and {steps} new-step email(s).")
