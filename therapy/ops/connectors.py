"""SQLite through its online backup API, both ways.

dbbackup's SqliteBackupConnector makes its copy with `sqlite3.Connection.backup` too, but
restores by writing the file over the live database, which a connection that is still
open or a leftover `-wal` file (WAL mode, settings.py) would then mix with the old pages.
Here the restore goes through the backup API as well, into the open connection, after the
copy has passed `PRAGMA integrity_check`; and the copy is spooled to disk past dbbackup's
TMP_FILE_MAX_SIZE instead of being held in memory whole.
"""

import os
import shutil
import sqlite3
import tempfile
from contextlib import closing

from dbbackup import settings as dbbackup_settings
from dbbackup import utils
from dbbackup.db.base import BaseDBConnector
from dbbackup.db.exceptions import DumpError, RestoreError


class SqliteOnlineBackupConnector(BaseDBConnector):
    extension = "sqlite3"

    def create_dump(self):
        self.connection.ensure_connection()
        dump = utils.create_spooled_temporary_file()
        # A private folder (0700): the copy is unencrypted until the storage seals it.
        with tempfile.TemporaryDirectory(dir=dbbackup_settings.TMP_DIR) as folder:
            path = os.path.join(folder, "snapshot.sqlite3")
            with closing(sqlite3.connect(path)) as target:
                # One step (pages=-1) is one read transaction: a consistent snapshot, and
                # in WAL mode the site's writers are not held up while it is taken.
                self.connection.connection.backup(target, pages=-1)
                if target.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                    raise DumpError("The copy of the database failed PRAGMA integrity_check.")
            with open(path, "rb") as snapshot:
                shutil.copyfileobj(snapshot, dump)
        dump.seek(0)
        return dump

    def restore_dump(self, dump):
        with tempfile.TemporaryDirectory(dir=dbbackup_settings.TMP_DIR) as folder:
            path = os.path.join(folder, "restore.sqlite3")
            with open(path, "wb") as copy:
                shutil.copyfileobj(dump, copy)
            with closing(sqlite3.connect(path)) as source:
                if source.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
                    raise RestoreError("The backup failed PRAGMA integrity_check: not restored.")
                self.connection.ensure_connection()
                source.backup(self.connection.connection, pages=-1)
        self.connection.close()
