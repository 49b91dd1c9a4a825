"""Turn the therapist's plain-text lessons into safe HTML, and video links into embeds."""

import re
from urllib.parse import parse_qs, urlparse

import markdown
import nh3
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


def render_markdown(text):
    """Markdown → HTML, then sanitised with nh3 so no script or style ever reaches a page."""
    if not text:
        return ""
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
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


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
