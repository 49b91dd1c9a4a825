"""Send the emails that could not go out at once (a slow or dead mail server). For cron.

Every email is sent at once through django-post-office; one that failed is stored. This
puts failed ones back in the queue (a few times, for two days) and sends the queue. Mail
is not an archive: emails older than KEEP (sent or given up on) are deleted.
"""

import datetime

from django.core.management.base import BaseCommand
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from post_office import mail
from post_office.models import STATUS, Email
from post_office.settings import get_max_retries

GIVE_UP_AFTER = datetime.timedelta(days=2)
KEEP = datetime.timedelta(days=30)


class Command(BaseCommand):
    help = "Send queued emails and try failed ones again (run every few minutes from cron)."

    def handle(self, *args, **options):
        retries = Coalesce(F("number_of_retries"), 0)
        requeued = (
            Email.objects.filter(status=STATUS.failed, created__gte=timezone.now() - GIVE_UP_AFTER)
            .annotate(retries=retries)
            .filter(retries__lt=get_max_retries())
            .update(status=STATUS.requeued, number_of_retries=retries + 1)
        )
        sent, failed, again = mail.send_queued()
        deleted, _ = (
            Email.objects.filter(created__lt=timezone.now() - KEEP)
            .exclude(status__in=[STATUS.queued, STATUS.requeued])
            .delete()
        )
        self.stdout.write(
            f"Requeued {requeued} failed email(s); sent {sent}, failed {failed}, "
            f"to try again {again}; deleted {deleted} older than {KEEP.days} days."
        )
