"""Encryption of backup files: AES-256-GCM in chunks, with a key from the environment.

Backups hold health data, so a file without the key must be unreadable and a changed,
cut-off or wrongly keyed file must be refused before anything is restored from it.

A file is a header, then the data in chunks of CHUNK_SIZE bytes, each sealed on its own
(this is the STREAM construction that Tink's and age's streaming encryption use), so that a
backup of any size is encrypted and checked without holding it in memory:

    header  = MAGIC (8) | version (1) | salt (16) | key check (16)
    chunk i = AES-256-GCM(file key, nonce = i as 11 bytes | 1 if last else 0, data, header)

The file key and the key check come from BACKUP_ENCRYPTION_KEY and the file's random salt
through HKDF-SHA256, so every file has its own key (counter nonces never repeat under one
key) and a wrong key is told apart from a damaged file. The chunk number and the "last"
mark in the nonce make a reordered, dropped or cut-off chunk fail its tag.
"""

import base64
import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"BKBACKUP"
VERSION = 1
SALT_SIZE = 16
CHECK_SIZE = 16
HEADER_SIZE = len(MAGIC) + 1 + SALT_SIZE + CHECK_SIZE
TAG_SIZE = 16
CHUNK_SIZE = 1024 * 1024
KEY_VARIABLE = "BACKUP_ENCRYPTION_KEY"


class BackupKeyError(Exception):
    """The key is missing or malformed, or is not the key this backup was made with."""


class BackupDamagedError(Exception):
    """The file is not a backup of this app, or was changed or cut off after it was made."""


def generate_key():
    """A new random key, in the form BACKUP_ENCRYPTION_KEY takes."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def parse_key(value):
    """The 32 bytes of a key as generate_key() writes it; BackupKeyError for anything else."""
    if not value:
        raise BackupKeyError(
            f"Set {KEY_VARIABLE}: backups hold health data and are never written or read "
            "unencrypted. Make a key with `manage.py backup --generate-key` and keep a copy "
            "outside this server (a password manager): without it no backup can be restored."
        )
    try:
        key = base64.urlsafe_b64decode(value.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        key = b""
    if len(key) != 32:
        raise BackupKeyError(
            f"{KEY_VARIABLE} must be 32 random bytes in URL-safe base64 (44 characters), as "
            "`manage.py backup --generate-key` prints it."
        )
    return key


def _derive(key, salt):
    material = HKDF(
        algorithm=hashes.SHA256(), length=32 + CHECK_SIZE, salt=salt, info=b"bekkenbodem backup v1"
    ).derive(key)
    return AESGCM(material[:32]), material[32:]


def _nonce(index, last):
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _read_full(stream, size):
    """Exactly `size` bytes, or fewer only at the end of the stream."""
    parts = []
    while size:
        part = stream.read(size)
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return b"".join(parts)


def encrypt_stream(source, target, key, *, chunk_size=CHUNK_SIZE):
    """Encrypt the readable binary `source` into the writable `target`."""
    salt = os.urandom(SALT_SIZE)
    aead, check = _derive(key, salt)
    header = MAGIC + bytes([VERSION]) + salt + check
    target.write(header)
    index = 0
    chunk = _read_full(source, chunk_size)
    while True:
        following = _read_full(source, chunk_size)
        last = not following
        target.write(aead.encrypt(_nonce(index, last), chunk, header))
        if last:
            return
        chunk = following
        index += 1


def _open_header(source, key):
    """The cipher and header of the file `source` is at the start of; raises when the file
    is not one of ours or `key` is not the key it was made with."""
    header = _read_full(source, HEADER_SIZE)
    if len(header) < HEADER_SIZE or not header.startswith(MAGIC):
        raise BackupDamagedError(
            "This is not an encrypted backup of this app (its header is missing or damaged)."
        )
    if header[len(MAGIC)] != VERSION:
        raise BackupDamagedError(f"This backup has format version {header[len(MAGIC)]}, not 1.")
    salt = header[len(MAGIC) + 1 : len(MAGIC) + 1 + SALT_SIZE]
    aead, check = _derive(key, salt)
    if not hmac.compare_digest(check, header[-CHECK_SIZE:]):
        raise BackupKeyError(
            f"This backup was made with another {KEY_VARIABLE}: set the key that was in use "
            "when it was made. Nothing was restored."
        )
    return aead, header


def check_key(source, key):
    """Raise unless `key` is the key the file `source` was encrypted with (reads its header)."""
    _open_header(source, key)


def decrypt_stream(source, target, key, *, chunk_size=CHUNK_SIZE):
    """Decrypt `source` into `target`; raises before returning if any byte is wrong.

    Chunks are written to `target` as they are checked: a caller must use the target only
    after this returns (it is a temporary file until then).
    """
    aead, header = _open_header(source, key)
    index = 0
    sealed = _read_full(source, chunk_size + TAG_SIZE)
    while True:
        following = _read_full(source, chunk_size + TAG_SIZE)
        last = not following
        try:
            target.write(aead.decrypt(_nonce(index, last), sealed, header))
        except InvalidTag:
            raise BackupDamagedError(
                f"This backup is damaged or cut off (part {index + 1} does not check out). "
                "Nothing was restored from it: use another backup."
            ) from None
        if last:
            return
        sealed = following
        index += 1
