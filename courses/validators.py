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


MAX_CAPTION_BYTES = 1024 * 1024


def validate_webvtt(file):
    """A caption file: WebVTT (it starts with "WEBVTT"), UTF-8, at most 1 MB."""
    if file.size > MAX_CAPTION_BYTES:
        raise ValidationError(_("The caption file is larger than 1 MB."), code="captions_too_large")
    position = file.tell()
    file.seek(0)
    head = file.read(4096)
    file.seek(position)
    if isinstance(head, str):
        head = head.encode()
    head = head.removeprefix(b"\xef\xbb\xbf")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A cut in the middle of a character at the end of the 4 KB is not an error.
        try:
            head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(
                _("Save the caption file as UTF-8 text and try again."), code="captions_encoding"
            ) from None
    first = head.split(b"\n", 1)[0].rstrip(b"\r")
    if not (first == b"WEBVTT" or first.startswith((b"WEBVTT ", b"WEBVTT\t"))):
        raise ValidationError(
            _(
                "This is not a WebVTT caption file: its first line must be “WEBVTT”. "
                "Export the captions as .vtt (not .srt) and try again."
            ),
            code="not_webvtt",
        )
