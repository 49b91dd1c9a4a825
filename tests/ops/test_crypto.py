"""The encryption of backup files (therapy/ops/crypto.py), with small chunks to cross their
edges cheaply."""

import io
import os

import pytest

from therapy.ops.crypto import (
    HEADER_SIZE,
    TAG_SIZE,
    BackupDamagedError,
    BackupKeyError,
    decrypt_stream,
    encrypt_stream,
    generate_key,
    parse_key,
)

CHUNK = 64
KEY = parse_key(generate_key())


def sealed(data, key=KEY):
    target = io.BytesIO()
    encrypt_stream(io.BytesIO(data), target, key, chunk_size=CHUNK)
    return target.getvalue()


def opened(data, key=KEY):
    target = io.BytesIO()
    decrypt_stream(io.BytesIO(data), target, key, chunk_size=CHUNK)
    return target.getvalue()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 7])
def test_it_gives_back_what_it_sealed_at_every_chunk_edge(size):
    data = os.urandom(size)

    assert opened(sealed(data)) == data


def test_it_seals_the_same_data_differently_each_time():
    data = b"lekt bij het niezen" * 10

    first, second = sealed(data), sealed(data)

    assert first != second
    assert b"niezen" not in first


def test_it_tells_a_wrong_key_from_a_damaged_file():
    with pytest.raises(BackupKeyError, match="another BACKUP_ENCRYPTION_KEY"):
        opened(sealed(b"data"), key=parse_key(generate_key()))


def swapped(data, first, second):
    """`data` with two of its sealed chunks in each other's place."""
    size = CHUNK + TAG_SIZE
    chunks = [data[at : at + size] for at in range(HEADER_SIZE, len(data), size)]
    chunks[first], chunks[second] = chunks[second], chunks[first]
    return data[:HEADER_SIZE] + b"".join(chunks)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[:-1], id="last byte cut off"),
        pytest.param(lambda b: b[: HEADER_SIZE + 2 * (CHUNK + TAG_SIZE)], id="cut at a chunk edge"),
        pytest.param(lambda b: b + b[-(CHUNK + TAG_SIZE) :], id="a chunk added"),
        pytest.param(lambda b: swapped(b, 0, 1), id="two chunks swapped"),
        pytest.param(lambda b: b[:100] + bytes([b[100] ^ 1]) + b[101:], id="one bit flipped"),
    ],
)
def test_it_refuses_a_changed_file(damage):
    data = os.urandom(4 * CHUNK + 10)

    with pytest.raises(BackupDamagedError, match="damaged or cut off"):
        opened(damage(sealed(data)))


def test_it_refuses_a_file_that_is_not_a_backup():
    with pytest.raises(BackupDamagedError, match="not an encrypted backup"):
        opened(b"SQLite format 3\x00" + bytes(100))


@pytest.mark.parametrize("value", [None, "", "geheim", "a" * 44, generate_key()[:-4]])
def test_it_refuses_a_key_that_is_missing_or_not_32_bytes(value):
    with pytest.raises(BackupKeyError, match="BACKUP_ENCRYPTION_KEY"):
        parse_key(value)
