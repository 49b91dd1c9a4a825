import time

from dbbackup import utils
from dbbackup.db.exceptions import ConnectorError
from dbbackup.storage import get_storage
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from therapy.ops.backups import backup_sets, files_under
from therapy.ops.crypto import BackupDamagedError, BackupKeyError, parse_key


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` (the database and the media files) into "
        "an empty database and MEDIA_ROOT. Stop the site first."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("name", nargs="?", help="a backup's time, e.g. 2026-12-01T031500Z")
        which.add_argument("--latest", action="store_true", help="the latest backup")
        which.add_argument(
            "--list", action="store_true", dest="show_list", help="list the backups and stop"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite a database that has tables and media files that exist",
        )

    def handle(self, *args, name=None, show_list=False, force=False, **options):
        storage = get_storage()
        sets = backup_sets(storage)
        if show_list:
            for backup in sets:
                self.stdout.write(f"{backup.stamp}  {backup.database}  {backup.media}")
            return
        try:
            parse_key(settings.BACKUP_ENCRYPTION_KEY)
        except BackupKeyError as error:
            raise CommandError(str(error)) from None
        backup = self._choose(sets, name, storage.storage.location)

        tables = connection.introspection.table_names()
        media_files = files_under(settings.MEDIA_ROOT)
        if (tables or media_files) and not force:
            raise CommandError(
                f"Not restored: the database has {len(tables)} tables and MEDIA_ROOT has "
                f"{len(media_files)} files. Restore into an empty database and an empty "
                "MEDIA_ROOT, or add --force to overwrite them."
            )

        started = time.monotonic()
        quiet = options["verbosity"] < 2
        restored = None
        try:
            # A wrong key for either file stops the restore before anything is changed;
            # each file is decrypted and checked whole before it is restored.
            storage.storage.check_key(backup.database)
            storage.storage.check_key(backup.media)
            call_command(
                "dbrestore",
                database="default",
                input_filename=backup.database,
                uncompress=True,
                interactive=False,
                quiet=quiet,
                verbosity=options["verbosity"],
            )
            restored = backup.database
            call_command(
                "mediarestore",
                input_filename=backup.media,
                replace=force,
                interactive=False,
                quiet=quiet,
                verbosity=options["verbosity"],
            )
        except (BackupKeyError, BackupDamagedError, ConnectorError) as error:
            done = (
                f" The database was restored from {restored}, the media files were not."
                if restored
                else ""
            )
            raise CommandError(f"{error}{done}") from error
        seconds = time.monotonic() - started

        tables, rows, check = self._check()
        self.stdout.write(
            f"Restored backup {backup.stamp} (made {backup.made_at:%Y-%m-%d %H:%M} UTC) in "
            f"{seconds:.2f} s: {len(tables)} tables with {rows} rows into "
            f"{connection.vendor} database {connection.settings_dict['NAME']} ({check}), "
            f"{len(files_under(settings.MEDIA_ROOT))} media files into {settings.MEDIA_ROOT}."
        )

    def _choose(self, sets, name, location):
        if not sets:
            raise CommandError(f"There is no backup in {location}.")
        if name is None:
            return sets[0]
        stamp = utils.filename_to_datestring(name) or name
        for backup in sets:
            if backup.stamp == stamp:
                return backup
        raise CommandError(f"There is no backup {name} in {location}: see `restore --list`.")

    def _check(self):
        """Every table's row count, and SQLite's own check of the restored file."""
        tables = connection.introspection.table_names()
        with connection.cursor() as cursor:
            rows = 0
            for table in tables:
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a name from the schema)
                rows += cursor.fetchone()[0]
            if connection.vendor != "sqlite":
                return tables, rows, "pg_restore in one transaction"
            cursor.execute("PRAGMA integrity_check")
            result = ", ".join(str(row[0]) for row in cursor.fetchall())
        if result != "ok":
            raise CommandError(f"The restored database failed PRAGMA integrity_check: {result}")
        return tables, rows, "PRAGMA integrity_check ok"
