"""Delete the invitations nobody used, a while after they expired or were withdrawn (cron).

The email address of someone who never signed up is kept only while the therapist may
still want to see the invitation on her list (settings.INVITATION_KEEP_DAYS).
"""

from django.core.management.base import BaseCommand

from courses.models import Invitation


class Command(BaseCommand):
    help = "Delete unused invitations that expired or were withdrawn INVITATION_KEEP_DAYS ago."

    def handle(self, *args, **options):
        count, _ = Invitation.objects.stale().delete()
        self.stdout.write(f"Deleted {count} unused invitation(s).")
