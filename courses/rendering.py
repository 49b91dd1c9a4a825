"""Turn the therapist's plain-text lessons into safe HTML, and video links into embeds.

An uploaded image of the lesson is placed in its text with a token, `{{ image 12 }}`
(12: the image's number, which the editor's "Place in text" button writes). It becomes the
same responsive figure the lesson page shows under the text (templates/courses/
_lesson_image.html). A token of an image that is not this lesson's (deleted, or another
lesson's) shows nothing to patients; the editor's preview and form name it.
"""

import re
from urllib.parse import parse_qs, urlparse

import markdown
import nh3
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}


IMAGE_TOKEN = re.compile(r"\{\{\s*image\s+(\d{1,9})\s*\}\}", re.IGNORECASE)
# What a token becomes while Markdown and nh3 do their work: plain text both leave alone.
_SLOT = "@@lesson-image-{}@@"
_SLOT_RE = re.compile(r"(<p>)?@@lesson-image-(\d+)@@(</p>)?")


def image_token(pk):
    """The token that places image `pk` in a lesson's text."""
    return f"{{{{ image {pk} }}}}"


def image_tokens(text):
    """The image numbers placed in `text`, in order of appearance (without repeats)."""
    return list(dict.fromkeys(int(pk) for pk in IMAGE_TOKEN.findall(text or "")))


def unknown_image_tokens(text, images):
    """The numbers placed in `text` that are not among `images` (the lesson's own)."""
    known = {image.pk for image in images}
    return [pk for pk in image_tokens(text) if pk not in known]


def render_markdown(text, images=()):
    """Markdown → HTML, then sanitised with nh3 so no script or style ever reaches a page.

    `images`: the lesson's own images, which `{{ image <pk> }}` tokens may place.
    """
    if not text:
        return ""
    text = IMAGE_TOKEN.sub(lambda match: _SLOT.format(int(match.group(1))), text)
    html = markdown.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    # Lessons already have an <h1>; demote a therapist's single '#' headings to <h2>.
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    if "@@lesson-image-" in clean:
        clean = _place_images(clean, {image.pk: image for image in images})
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above; figures are templated


def _place_images(html, by_pk):
    """Slots → figures (alone in their paragraph) or inline pictures; unknown ones → ""."""
    # A token inside a link's address or title places nothing: only text becomes a figure.
    parts = re.split(r"(<[^>]+>)", html)
    html = "".join(_SLOT_RE.sub("", part) if part.startswith("<") else part for part in parts)

    def figure(match):
        opening, closing = match.group(1) or "", match.group(3) or ""
        alone = bool(opening and closing)
        image = by_pk.get(int(match.group(2)))
        placed = ""
        if image is not None:
            context = {"image": image, "inline": not alone}
            placed = render_to_string("courses/_lesson_image.html", context).strip()
        return placed if alone else opening + placed + closing

    return _SLOT_RE.sub(figure, html)


_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^\d{6,12}$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")


def parse_video_url(url):
    """Return ("youtube"|"vimeo", id) for a supported link, else None."""
    if not url:
        return None
    parsed = urlparse(url.strip())
    if parsed.scheme not in {"http", "https"}:
        return None
    host = (parsed.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parsed.path.rstrip("/")
    video_id = None
    if host in {"youtube.com", "youtube-nocookie.com"}:
        if path == "/watch":
            video_id = parse_qs(parsed.query).get("v", [None])[0]
        else:
            match = re.match(r"^/(?:embed|shorts|live)/([^/]+)$", path)
            video_id = match.group(1) if match else None
        if video_id and _YOUTUBE_ID.match(video_id):
            return "youtube", video_id
    elif host == "youtu.be":
        video_id = path.lstrip("/")
        if _YOUTUBE_ID.match(video_id):
            return "youtube", video_id
    elif host in {"vimeo.com", "player.vimeo.com"}:
        parts = [part for part in path.split("/") if part]
        # …/<id>, or …/<id>/<hash> for an unlisted video shared by private link.
        numeric = [i for i, part in enumerate(parts) if _VIMEO_ID.match(part)]
        if numeric:
            index = numeric[-1]
            video_id = parts[index]
            rest = parts[index + 1 :]
            unlisted = rest[0] if len(rest) == 1 and _VIMEO_HASH.match(rest[0]) else None
            unlisted = unlisted or parse_qs(parsed.query).get("h", [None])[0]
            if unlisted and _VIMEO_HASH.match(unlisted):
                return "vimeo", f"{video_id}?h={unlisted}"
            if not rest:
                return "vimeo", video_id
    return None


def video_embed_url(url):
    """A privacy-enhanced embed address: youtube-nocookie, or Vimeo with do-not-track."""
    parsed = parse_video_url(url)
    if parsed is None:
        return ""
    provider, video_id = parsed
    if provider == "youtube":
        return f"https://www.youtube-nocookie.com/embed/{video_id}?rel=0"
    separator = "&" if "?" in video_id else "?"
    return f"https://player.vimeo.com/video/{video_id}{separator}dnt=1"
