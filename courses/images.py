"""Lesson images: uploads made upright and metadata-free, and their resized renditions."""

import io
from pathlib import Path

from django.core.files.base import ContentFile
from easy_thumbnails.files import get_thumbnailer
from PIL import Image, ImageOps

# The widths a phone, a tablet and a desktop load (the srcset); never larger than the original.
RENDITION_WIDTHS = (480, 800, 1200)
RENDITION_QUALITY = 82


def normalise_upload(field_file):
    """The upload turned upright and without metadata (EXIF may hold GPS data).

    Browsers apply the EXIF rotation, so without this the stored width and height
    (and every srcset width) would be those of the sideways picture.
    """
    upload = field_file.file
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format
        icc_profile = original.info.get("icc_profile")
        upright = ImageOps.exif_transpose(original)
        if image_format == "JPEG" and upright.mode not in {"RGB", "L"}:
            upright = upright.convert("RGB")
        buffer = io.BytesIO()
        options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}}.get(image_format, {})
        if icc_profile:
            options["icc_profile"] = icc_profile
        upright.save(buffer, image_format, **options)
    return ContentFile(buffer.getvalue(), name=Path(field_file.name).name)


def build_renditions(field_file, width):
    """Make the smaller copies; [{"name", "width", "height"}] to store on the row."""
    thumbnailer = get_thumbnailer(field_file)
    result = []
    for target in RENDITION_WIDTHS:
        if width and target >= width:
            continue
        thumb = thumbnailer.get_thumbnail(
            {"size": (target, 0), "quality": RENDITION_QUALITY}, save=True, generate=True
        )
        result.append({"name": thumb.name, "width": thumb.width, "height": thumb.height})
    return result


def srcset_items(field_file, renditions, width, height):
    """[(url, width, height)] from the smallest rendition to the original."""
    storage = field_file.storage
    items = [(storage.url(r["name"]), r["width"], r["height"]) for r in renditions]
    items.append((field_file.url, width, height))
    return items
