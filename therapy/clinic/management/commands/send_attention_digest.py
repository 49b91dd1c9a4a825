"""The daily email to each therapist about new signals (cron, once a day in the morning)."""

from django.core.management.base import BaseCommand

from therapy.clinic.digest import attention_digest_send


class Command(BaseCommand):
    help = "Email each therapist when something new needs her attention (no health details)."

    def handle(self, *args, **options):
        sent = attention_digest_send()
        self.stdout.write(f"Sent {sent} attention digest(s).")
