"""Where backups are kept: files under BACKUP_DIR, each encrypted on its way in.

django-dbbackup writes and reads its files through this Django storage
(STORAGES["dbbackup"]), so nothing it writes, its .metadata files included, ever lands on
disk unencrypted, also when `manage.py dbbackup` is run by hand. On disk each file has
ENCRYPTED_SUFFIX added to its name; to dbbackup the names are the plain ones.
"""

import os
import tempfile

from dbbackup import settings as dbbackup_settings
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join

from therapy.ops.crypto import check_key, decrypt_stream, encrypt_stream, parse_key

ENCRYPTED_SUFFIX = ".enc"


class _SealedFile(File):
    """A finished encrypted file that FileSystemStorage moves into place with one rename,
    so that a backup is never seen half-written under its final name."""

    def temporary_file_path(self):
        return self.name


class EncryptedBackupStorage(FileSystemStorage):
    def __init__(self, location=None, **options):
        # Read when a command runs (not at import, as dbbackup's OPTIONS are), so that
        # BACKUP_DIR can change under tests; only the app's user may read the files.
        options.setdefault("file_permissions_mode", 0o600)
        options.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location or str(settings.BACKUP_DIR), **options)

    def path(self, name):
        return super().path(name + ENCRYPTED_SUFFIX)

    def listdir(self, path):
        folder = safe_join(self.location, path)
        if not os.path.isdir(folder):
            return [], []  # no backup made yet
        with os.scandir(folder) as entries:
            entries = list(entries)
        return (
            [entry.name for entry in entries if entry.is_dir()],
            [
                entry.name.removesuffix(ENCRYPTED_SUFFIX)
                for entry in entries
                if entry.is_file() and entry.name.endswith(ENCRYPTED_SUFFIX)
            ],
        )

    def _save(self, name, content):
        key = parse_key(settings.BACKUP_ENCRYPTION_KEY)
        folder = os.path.dirname(self.path(name))
        os.makedirs(folder, mode=0o700, exist_ok=True)
        content.seek(0)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".incomplete-", delete=False) as sealed:
            try:
                encrypt_stream(content, sealed, key)
            except BaseException:
                sealed.close()
                os.unlink(sealed.name)
                raise
        return super()._save(name, _SealedFile(None, sealed.name))

    def _open(self, name, mode="rb"):
        """The decrypted file, checked to its last byte before it is handed out."""
        key = parse_key(settings.BACKUP_ENCRYPTION_KEY)
        # Handed out open: dbbackup reads it, then closes it (that deletes it).
        plain = tempfile.SpooledTemporaryFile(  # noqa: SIM115
            max_size=dbbackup_settings.TMP_FILE_MAX_SIZE, dir=dbbackup_settings.TMP_DIR
        )
        try:
            with open(self.path(name), "rb") as sealed:
                decrypt_stream(sealed, plain, key)
        except BaseException:
            plain.close()
            raise
        plain.seek(0)
        return File(plain, name)

    def check_key(self, name):
        """Raise unless BACKUP_ENCRYPTION_KEY opens `name` (reads only its header)."""
        key = parse_key(settings.BACKUP_ENCRYPTION_KEY)
        with open(self.path(name), "rb") as sealed:
            check_key(sealed, key)
