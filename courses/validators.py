from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_VIDEO_BYTES = 500 * 1024 * 1024


def validate_video_url(value):
    from .rendering import parse_video_url

    if value and parse_video_url(value) is None:
        raise ValidationError(
            _("Use a link to a YouTube or Vimeo video, e.g. https://www.youtube.com/watch?v=…"),
            code="unsupported_video_url",
        )


def validate_mp4(file):
    if file.size > MAX_VIDEO_BYTES:
        raise ValidationError(_("The video is larger than 500 MB."), code="video_too_large")
    position = file.tell()
    file.seek(0)
    head = file.read(12)
    file.seek(position)
    # Every MP4 starts with an "ftyp" box right after the 4-byte box size.
    if head[4:8] != b"ftyp":
        raise ValidationError(
            _("This file is not an MP4 video. Export the video as MP4 (H.264) and try again."),
            code="not_mp4",
        )
