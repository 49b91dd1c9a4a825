"""Lesson text (Markdown → safe HTML) and video links → privacy-friendly embeds."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from courses.models import Lesson
from courses.rendering import parse_video_url, render_markdown, video_embed_url
from courses.validators import validate_mp4, validate_video_url
from tests.html import tags

YOUTUBE_ID = "dQw4w9WgXcQ"
# The smallest start of an MP4: a box size, then the "ftyp" box type and a brand.
MP4_BYTES = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64


# --- Markdown ------------------------------------------------------------------------


def test_it_turns_empty_lines_into_paragraphs():
    assert render_markdown("Eerste alinea.\n\nTweede alinea.") == (
        "<p>Eerste alinea.</p>\n<p>Tweede alinea.</p>"
    )


def test_it_renders_bold_and_italic():
    assert render_markdown("Span **rustig** aan en *ontspan*.") == (
        "<p>Span <strong>rustig</strong> aan en <em>ontspan</em>.</p>"
    )


def test_it_renders_bullet_and_numbered_lists():
    html = render_markdown("- zitten\n- staan\n\n1. inademen\n2. uitademen")

    assert "<ul>\n<li>zitten</li>\n<li>staan</li>\n</ul>" in html
    assert "<ol>\n<li>inademen</li>\n<li>uitademen</li>\n</ol>" in html


def test_it_demotes_h1_headings_to_h2():
    html = render_markdown("# Houding\n\nTekst\n\n## Zitten\n\nAndere kop\n==========")

    assert "<h1" not in html
    assert "<h2>Houding</h2>" in html
    assert "<h2>Zitten</h2>" in html
    assert "<h2>Andere kop</h2>" in html


def test_it_returns_an_empty_string_for_no_text():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_it_keeps_safe_links_and_adds_noopener():
    html = render_markdown("[Thuisarts](https://www.thuisarts.nl)")

    assert html == (
        '<p><a href="https://www.thuisarts.nl" rel="noopener noreferrer">Thuisarts</a></p>'
    )


def test_it_escapes_plain_text_that_looks_like_html():
    assert render_markdown("3 < 5 & 8 > 2") == "<p>3 &lt; 5 &amp; 8 &gt; 2</p>"


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("Hallo<script>alert('x')</script>", ["<script", "alert"]),
        ('<img src="x" onerror="alert(1)">', ["<img", "onerror", "alert"]),
        ("[klik](javascript:alert(1))", ["javascript", "alert"]),
        ('<a href="JaVaScRiPt:alert(1)">klik</a>', ["javascript", "alert"]),
        ("<style>body{display:none}</style>Tekst", ["<style", "display"]),
        ('<p style="position:fixed">Tekst</p>', ["style", "position"]),
        ('<iframe src="https://evil.example/"></iframe>Tekst', ["<iframe", "evil.example"]),
        ('<svg onload="alert(1)"></svg>', ["<svg", "onload"]),
        ('<form action="https://evil.example/"><input name="pw"></form>', ["<form", "<input"]),
    ],
)
def test_it_removes_dangerous_html(text, forbidden):
    html = render_markdown(text).lower()

    for fragment in forbidden:
        assert fragment not in html


def test_it_keeps_the_text_around_removed_html():
    html = render_markdown("Voor <script>alert(1)</script>\n\n**Na**")

    assert "Voor" in html
    assert "<strong>Na</strong>" in html


def test_it_marks_the_result_safe_for_templates():
    assert hasattr(render_markdown("**x**"), "__html__")


# --- Video links ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"https://www.youtube.com/watch?v={YOUTUBE_ID}", ("youtube", YOUTUBE_ID)),
        (f"https://youtube.com/watch?v={YOUTUBE_ID}&t=42s", ("youtube", YOUTUBE_ID)),
        (f"https://m.youtube.com/watch?v={YOUTUBE_ID}", ("youtube", YOUTUBE_ID)),
        (f"https://youtu.be/{YOUTUBE_ID}", ("youtube", YOUTUBE_ID)),
        (f"https://youtu.be/{YOUTUBE_ID}?si=abc123", ("youtube", YOUTUBE_ID)),
        (f"https://www.youtube.com/shorts/{YOUTUBE_ID}", ("youtube", YOUTUBE_ID)),
        (f"https://www.youtube.com/embed/{YOUTUBE_ID}", ("youtube", YOUTUBE_ID)),
        (f"  https://www.youtube.com/watch?v={YOUTUBE_ID}  ", ("youtube", YOUTUBE_ID)),
        ("https://vimeo.com/76979871", ("vimeo", "76979871")),
        ("https://player.vimeo.com/video/76979871", ("vimeo", "76979871")),
    ],
)
def test_it_recognises_youtube_and_vimeo_links(url, expected):
    assert parse_video_url(url) == expected


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (
            f"https://www.youtube.com/watch?v={YOUTUBE_ID}",
            f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}",
        ),
        (f"https://youtu.be/{YOUTUBE_ID}", f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}"),
        (
            f"https://www.youtube.com/shorts/{YOUTUBE_ID}",
            f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}",
        ),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ],
)
def test_it_embeds_videos_without_tracking_cookies(url, embed):
    result = video_embed_url(url)

    assert result.split("?")[0] == embed.split("?")[0]
    if "vimeo" in embed:
        assert result == embed


@pytest.mark.parametrize(
    "url",
    [
        "https://www.dailymotion.com/video/x8abcde",
        f"https://example.com/watch?v={YOUTUBE_ID}",
        f"https://youtube.com.evil.example/watch?v={YOUTUBE_ID}",
        f"https://evil.example/youtu.be/{YOUTUBE_ID}",
        f"https://youtube.com@evil.example/watch?v={YOUTUBE_ID}",
        f"ftp://youtube.com/watch?v={YOUTUBE_ID}",
        "javascript:alert(1)//youtube.com",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch",
        "https://vimeo.com/channels/staffpicks",
    ],
)
def test_it_rejects_unsupported_video_links_with_a_clear_message(url):
    assert parse_video_url(url) is None
    assert video_embed_url(url) == ""
    with pytest.raises(ValidationError) as excinfo:
        validate_video_url(url)
    assert excinfo.value.code == "unsupported_video_url"
    assert "YouTube" in str(excinfo.value.messages[0])
    assert "Vimeo" in str(excinfo.value.messages[0])


def test_it_accepts_an_empty_video_link():
    validate_video_url("")  # the field is optional


def test_it_validates_the_lesson_video_link_on_the_model(lessons):
    lesson = lessons[0]
    lesson.video_url = "https://www.dailymotion.com/video/x8abcde"

    with pytest.raises(ValidationError) as excinfo:
        lesson.full_clean()

    assert list(excinfo.value.message_dict) == ["video_url"]


def test_it_refuses_a_video_file_that_is_not_an_mp4():
    with pytest.raises(ValidationError) as excinfo:
        validate_mp4(ContentFile(b"This is a text file, not a video.", name="film.mp4"))

    assert excinfo.value.code == "not_mp4"


def test_it_accepts_an_mp4_and_leaves_the_file_position_alone():
    upload = ContentFile(MP4_BYTES, name="film.mp4")
    upload.seek(5)

    validate_mp4(upload)

    assert upload.tell() == 5


# --- On the lesson page --------------------------------------------------------------


def test_it_shows_a_youtube_video_in_a_privacy_friendly_iframe(alice_client, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(
        video_url=f"https://www.youtube.com/watch?v={YOUTUBE_ID}"
    )

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    html = response.content.decode()
    (iframe,) = tags(html, "iframe")
    assert iframe["src"].startswith(f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}")
    assert "Les 1" in iframe["title"]
    assert "youtube.com/watch" not in html
    assert "www.youtube.com/embed" not in html
    assert tags(html, "video") == []


def test_it_shows_a_vimeo_video_with_do_not_track(alice_client, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(video_url="https://vimeo.com/76979871")

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    (iframe,) = tags(response.content.decode(), "iframe")
    assert iframe["src"] == "https://player.vimeo.com/video/76979871?dnt=1"
    assert iframe["title"]


def test_it_shows_an_uploaded_mp4_as_a_video_element(alice_client, lessons):
    lesson = lessons[0]
    lesson.video_file = ContentFile(MP4_BYTES, name="bekkenbodem-voelen.mp4")
    lesson.save()

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    html = response.content.decode()
    (video,) = tags(html, "video")
    assert video["src"] == "/media/lessons/videos/bekkenbodem-voelen.mp4"
    assert "controls" in video
    assert tags(html, "iframe") == []


def test_it_prefers_the_link_when_a_video_file_is_also_set(alice_client, lessons):
    lesson = lessons[0]
    lesson.video_file = ContentFile(MP4_BYTES, name="bekkenbodem-voelen.mp4")
    lesson.video_url = "https://vimeo.com/76979871"
    lesson.save()

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    html = response.content.decode()
    assert len(tags(html, "iframe")) == 1
    assert tags(html, "video") == []


def test_it_shows_the_transcript_under_the_video(alice_client, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(
        video_url=f"https://youtu.be/{YOUTUBE_ID}",
        transcript="Ga rechtop zitten.\n\nSpan aan <en> laat los.",
    )

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    html = response.content.decode()
    assert "<p>Ga rechtop zitten.</p>" in html
    assert "Span aan &lt;en&gt; laat los." in html
    assert html.index("<iframe") < html.index("Ga rechtop zitten.")
    assert tags(html, "details")


def test_it_hides_the_transcript_when_there_is_no_video(alice_client, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(transcript="Ga rechtop zitten.")

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    assert "Ga rechtop zitten." not in response.content.decode()


def test_it_sanitises_the_lesson_text_on_the_page(alice_client, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(
        body="# Welkom\n\n<script>alert('x')</script><img src=x onerror=alert(1)>Veilig."
    )

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    html = response.content.decode()
    assert "<h2>Welkom</h2>" in html
    assert "Veilig." in html
    assert "alert(" not in html
    assert "onerror" not in html
