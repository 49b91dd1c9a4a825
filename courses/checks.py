"""System checks of the media storage (run by `manage.py check` and before `migrate`)."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import Warning, register
from django.core.files.storage import default_storage


def _origin(url):
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@register("media")
def check_media_origin(app_configs, **kwargs):
    """MEDIA_ORIGIN must be where media URLs point, or the CSP blocks every lesson image."""
    try:
        url = default_storage.url("lessons/images/check.png")
    except Exception as error:  # e.g. no credentials for signing
        return [
            Warning(
                "Could not make a media URL to compare with MEDIA_ORIGIN "
                f"({type(error).__name__}).",
                id="courses.W002",
            )
        ]
    actual = _origin(url)
    if actual != settings.MEDIA_ORIGIN:
        return [
            Warning(
                f"Media URLs start with {actual or 'this site'!r} but MEDIA_ORIGIN is "
                f"{settings.MEDIA_ORIGIN!r}: the Content-Security-Policy would block them.",
                hint="Set MEDIA_ORIGIN to the scheme and host of the media URLs.",
                id="courses.W001",
            )
        ]
    return []
