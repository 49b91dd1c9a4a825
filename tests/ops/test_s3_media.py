"""Media on S3-compatible object storage, against moto's S3 server on a loopback port.

The storage settings come from therapy/settings.py itself (a fresh Python with
MEDIA_STORAGE=s3), so that what is tested is what production would configure.
"""

import io
import json
import logging
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer
from PIL import Image

from courses.checks import check_media_origin
from courses.models import LessonImage
from tests.html import tags
from tests.project.test_settings import PROJECT_ROOT, SETTINGS_VARIABLES

REGION = "eu-central-1"
KEYS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret"}
STORAGE_SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
print(json.dumps({
    "default": settings.STORAGES["default"],
    "origin": settings.MEDIA_ORIGIN,
    "img-src": directives["img-src"],
    "media-src": directives["media-src"],
}))
"""
MEDIA_VARIABLES = {
    "MEDIA_STORAGE",
    "MEDIA_ORIGIN",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME",
    "AWS_S3_ADDRESSING_STYLE",
    "AWS_S3_CUSTOM_DOMAIN",
    "AWS_QUERYSTRING_AUTH",
    "AWS_QUERYSTRING_EXPIRE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
}


def start(**variables):
    """Settings read by a fresh Python (they are read once, at import time)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in SETTINGS_VARIABLES | MEDIA_VARIABLES
    }
    env.update(variables, DJANGO_SETTINGS_MODULE="therapy.settings")
    return subprocess.run(
        [sys.executable, "-c", STORAGE_SCRIPT],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def configured(**variables):
    result = start(**variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def refused(**variables):
    result = start(**variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr


def png_bytes(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def s3_endpoint():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A fresh private bucket, made the default storage with the app's own S3 settings."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **_boto_keys())
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    storage = configured(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=name,
        AWS_S3_ENDPOINT_URL=s3_endpoint,
        AWS_S3_REGION_NAME=REGION,
        **KEYS,
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage["default"]}
    settings.MEDIA_ORIGIN = storage["origin"]
    return client, name


def _boto_keys():
    return {
        "aws_access_key_id": KEYS["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": KEYS["AWS_SECRET_ACCESS_KEY"],
    }


def keys_in(client, name):
    listing = client.list_objects_v2(Bucket=name)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_it_stores_the_original_and_its_renditions_in_the_bucket(bucket, lessons, s3_endpoint):
    client, name = bucket

    image = LessonImage.objects.create(
        lesson=lessons[0],
        image=ContentFile(png_bytes(2000, 1000), name="houding.png"),
        alt_text="Rechtop zitten",
    )

    assert default_storage.__class__.__name__ == "S3Storage"
    assert [r["width"] for r in image.renditions] == [480, 800, 1200]
    assert keys_in(client, name) == sorted(
        [image.image.name, *(r["name"] for r in image.renditions)]
    )
    assert image.image.name == "lessons/images/houding.png"
    head = client.head_object(Bucket=name, Key=image.renditions[0]["name"])
    assert head["ContentType"] == "image/png"


def test_it_links_signed_urls_of_the_endpoint_in_the_srcset(
    bucket, alice_client, lessons, s3_endpoint, settings
):
    _client, name = bucket
    LessonImage.objects.create(
        lesson=lessons[0],
        image=ContentFile(png_bytes(2000, 1000), name="houding.png"),
        alt_text="Rechtop zitten",
    )

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    (img,) = [attrs for attrs in tags(response, "img") if "houding" in attrs.get("src", "")]
    candidates = [part.split()[0] for part in img["srcset"].split(", ")]
    assert len(candidates) == 4
    # Path-style addressing on a custom endpoint: the origin is the endpoint's.
    origin = settings.MEDIA_ORIGIN
    assert origin == s3_endpoint
    for url in candidates:
        assert url.startswith(f"{s3_endpoint}/{name}/")
        assert "X-Amz-Signature=" in url
    with urllib.request.urlopen(candidates[0], timeout=10) as fetched:
        assert fetched.headers["Content-Type"] == "image/png"
        assert Image.open(io.BytesIO(fetched.read())).width == 480
    unsigned = candidates[0].split("?")[0]
    with pytest.raises(urllib.error.HTTPError) as refused_error:
        urllib.request.urlopen(unsigned, timeout=10)
    assert refused_error.value.code == 403


def test_it_gives_a_second_upload_of_the_same_name_its_own_object(bucket, lessons):
    client, name = bucket
    first = LessonImage.objects.create(
        lesson=lessons[0], image=ContentFile(png_bytes(300, 200), name="oefening.png"), alt_text="a"
    )
    second = LessonImage.objects.create(
        lesson=lessons[1], image=ContentFile(png_bytes(400, 200), name="oefening.png"), alt_text="b"
    )

    assert first.image.name == "lessons/images/oefening.png"
    assert re.fullmatch(r"lessons/images/oefening_\w+\.png", second.image.name)
    assert keys_in(client, name) == sorted([first.image.name, second.image.name])


def test_it_deletes_the_original_and_the_renditions(bucket, lessons):
    client, name = bucket
    image = LessonImage.objects.create(
        lesson=lessons[0],
        image=ContentFile(png_bytes(1000, 500), name="houding.png"),
        alt_text="Rechtop zitten",
    )
    assert len(keys_in(client, name)) == 3

    for rendition in image.renditions:
        default_storage.delete(rendition["name"])
    image.image.delete(save=False)

    assert keys_in(client, name) == []
    assert not default_storage.exists("lessons/images/houding.png")


def test_it_refuses_to_start_with_s3_but_no_bucket():
    stderr = refused(MEDIA_STORAGE="s3", AWS_S3_ENDPOINT_URL="http://127.0.0.1:9", **KEYS)

    assert "AWS_STORAGE_BUCKET_NAME" in stderr


def test_it_refuses_to_start_with_s3_but_no_endpoint_or_region():
    stderr = refused(MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="media", **KEYS)

    assert "AWS_S3_ENDPOINT_URL" in stderr


def test_it_refuses_a_custom_domain_with_signed_urls():
    stderr = refused(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="media",
        AWS_S3_REGION_NAME=REGION,
        AWS_S3_CUSTOM_DOMAIN="media.bekkenbodem.example",
    )

    assert "AWS_QUERYSTRING_AUTH" in stderr


def test_it_refuses_an_unknown_media_storage():
    stderr = refused(MEDIA_STORAGE="ftp")

    assert "MEDIA_STORAGE" in stderr


@pytest.mark.parametrize(
    ("variables", "origin"),
    [
        ({}, ""),
        (
            {"AWS_S3_REGION_NAME": REGION},
            f"https://bekkenbodem-media.s3.{REGION}.amazonaws.com",
        ),
        ({"AWS_S3_ENDPOINT_URL": "https://s3.example.net/"}, "https://s3.example.net"),
        (
            {"AWS_S3_ENDPOINT_URL": "https://s3.example.net", "AWS_S3_ADDRESSING_STYLE": "virtual"},
            "https://bekkenbodem-media.s3.example.net",
        ),
        (
            {
                "AWS_S3_REGION_NAME": REGION,
                "AWS_S3_CUSTOM_DOMAIN": "media.bekkenbodem.example",
                "AWS_QUERYSTRING_AUTH": "0",
            },
            "https://media.bekkenbodem.example",
        ),
    ],
)
def test_it_names_the_media_origin_for_the_csp(variables, origin):
    if variables:
        variables = {
            "MEDIA_STORAGE": "s3",
            "AWS_STORAGE_BUCKET_NAME": "bekkenbodem-media",
            **variables,
        }
    found = configured(**variables, **KEYS)
    assert found["origin"] == origin
    allowed = ["'self'", *([origin] if origin else [])]
    assert found["img-src"] == found["media-src"] == allowed


def test_it_warns_when_media_origin_is_not_where_media_urls_point(bucket, settings):
    assert check_media_origin(None) == []

    settings.MEDIA_ORIGIN = "https://media.elsewhere.example"

    assert [warning.id for warning in check_media_origin(None)] == ["courses.W001"]
