"""Backup sets: the database and the media files of one `manage.py backup` run.

Both files carry the run's time (UTC) in their names, e.g. db-2026-12-01T031500Z.sqlite3.gz
and media-2026-12-01T031500Z.tar (on disk each with .enc added), so that a restore takes
the media that belong to the database.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from dbbackup import settings as dbbackup_settings
from dbbackup import utils


@dataclass(frozen=True)
class BackupSet:
    stamp: str
    database: str
    media: str

    @property
    def made_at(self):
        return datetime.strptime(self.stamp, dbbackup_settings.DATE_FORMAT).replace(tzinfo=UTC)


def new_stamp():
    return datetime.now(UTC).strftime(dbbackup_settings.DATE_FORMAT)


def names_for(stamp, extension):
    """The database and media file names of a new set (the database file is gzipped)."""
    return f"db-{stamp}.{extension}.gz", f"media-{stamp}.tar"


def backup_sets(storage):
    """Every complete set in `storage` (a dbbackup Storage), newest first."""
    media = {utils.filename_to_datestring(n): n for n in storage.list_backups(content_type="media")}
    sets = [
        BackupSet(stamp, name, media[stamp])
        for name in storage.list_backups(content_type="db")
        if (stamp := utils.filename_to_datestring(name)) in media
    ]
    return sorted(sets, key=lambda backup: backup.made_at, reverse=True)


def files_under(folder):
    """The files below `folder` (none when it does not exist)."""
    folder = Path(folder)
    return [path for path in folder.rglob("*") if path.is_file()] if folder.is_dir() else []


def size_text(size):
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
