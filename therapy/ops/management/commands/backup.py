import time
from pathlib import Path

from dbbackup.db.base import get_connector
from dbbackup.db.exceptions import ConnectorError
from dbbackup.storage import StorageError, get_storage
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from therapy.ops.backups import backup_sets, files_under, names_for, new_stamp, size_text
from therapy.ops.crypto import BackupKeyError, generate_key, parse_key


class Command(BaseCommand):
    help = (
        "Back up the database and the media files to BACKUP_DIR, encrypted with "
        "BACKUP_ENCRYPTION_KEY, and remove all but the latest BACKUP_KEEP backups."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate-key",
            action="store_true",
            dest="new_key",
            help="Print a new random key for BACKUP_ENCRYPTION_KEY, and back up nothing.",
        )

    def handle(self, *args, new_key=False, verbosity=1, **options):
        if new_key:
            self.stdout.write(generate_key())
            return
        try:
            parse_key(settings.BACKUP_ENCRYPTION_KEY)
        except BackupKeyError as error:
            raise CommandError(str(error)) from None
        if settings.BACKUP_KEEP < 1:
            raise CommandError("BACKUP_KEEP must be at least 1.")

        storage = get_storage()
        stamp = new_stamp()
        database, media = names_for(stamp, get_connector("default").extension)
        if storage.storage.exists(database):
            raise CommandError(f"A backup named {stamp} exists already: try again in a second.")
        # dbbackup lists MEDIA_ROOT through the default storage, which needs the folder.
        Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
        quiet = verbosity < 2
        started = time.monotonic()
        try:
            # The database first: a file uploaded while the media are packed is then in
            # the set (unused) rather than missing from it.
            call_command(
                "dbbackup",
                database="default",
                compress=True,
                output_filename=database,
                quiet=quiet,
                verbosity=verbosity,
            )
            call_command("mediabackup", output_filename=media, quiet=quiet, verbosity=verbosity)
        except (ConnectorError, StorageError, OSError) as error:
            self._remove(storage, database, media)
            raise CommandError(f"The backup failed and was not kept: {error}") from error
        except BaseException:
            self._remove(storage, database, media)  # a set is kept whole or not at all
            raise
        seconds = time.monotonic() - started

        before = len(backup_sets(storage))
        for content_type in ("db", "media"):
            storage.clean_old_backups(content_type=content_type, keep_number=settings.BACKUP_KEEP)
        kept = len(backup_sets(storage))
        media_files = files_under(settings.MEDIA_ROOT)
        self.stdout.write(
            f"Backed up the database ({size_text(storage.storage.size(database))}) and "
            f"{len(media_files)} media files ({size_text(storage.storage.size(media))}) as "
            f"{stamp} to {storage.storage.location} in {seconds:.2f} s, encrypted. "
            f"Backups kept: {kept} (at most {settings.BACKUP_KEEP}); removed: {before - kept}."
        )

    @staticmethod
    def _remove(storage, *names):
        for name in (*names, f"{names[0]}.metadata"):
            if storage.storage.exists(name):
                storage.delete_file(name)
