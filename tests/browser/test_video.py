"""The demo video in Chromium: it plays, its captions track loads, and after a reload it
goes on where she stopped; watching 90% tells the site."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from courses.models import Lesson, LessonCaption, LessonProgress
from therapy.demo.loader import CONTENT_DIR

pytestmark = pytest.mark.browser

VIDEOS = CONTENT_DIR / "videos"
LESSON_URL = "/courses/bekkenbodem/bekkenbodem-les-1/"


@pytest.fixture
def demo_video(course):
    lesson = Lesson.objects.get(slug="bekkenbodem-les-1")
    mp4 = (VIDEOS / "aanspannen-en-ontspannen.mp4").read_bytes()
    lesson.video_file.save("aanspannen-en-ontspannen.mp4", ContentFile(mp4), save=True)
    for language in ("nl", "en"):
        vtt = (VIDEOS / f"aanspannen-en-ontspannen.{language}.vtt").read_bytes()
        caption = LessonCaption(lesson=lesson, language=language)
        caption.file.save(f"aanspannen-en-ontspannen.{language}.vtt", ContentFile(vtt), save=True)
    return lesson


def serve_media_with_ranges(page, lesson):
    """Serve the lesson's video and captions the way nginx or S3 do (range requests), which
    the test server does not: seeking needs them."""
    files = {lesson.video_file.url: (lesson.video_file, "video/mp4")}
    for caption in lesson.captions.all():
        files[caption.file.url] = (caption.file, "text/vtt")

    def handle(route):
        path = "/" + route.request.url.split("/", 3)[3].split("?")[0]
        field, kind = files[path]
        with field.open("rb") as f:
            data = f.read()
        wanted = route.request.headers.get("range")
        if not wanted:
            route.fulfill(
                status=200, body=data, headers={"Content-Type": kind, "Accept-Ranges": "bytes"}
            )
            return
        start, _, end = wanted.removeprefix("bytes=").partition("-")
        start, end = int(start), int(end) if end else len(data) - 1
        route.fulfill(
            status=206,
            body=data[start : end + 1],
            headers={
                "Content-Type": kind,
                "Accept-Ranges": "bytes",
                "Content-Range": f"bytes {start}-{end}/{len(data)}",
            },
        )

    page.route("**/media/**", handle)


def test_it_plays_with_captions_and_resumes_where_she_stopped(
    live_server, page, alice, log_in, console_errors, demo_video, settings
):
    log_in(page.context, alice)
    console_errors(page)
    serve_media_with_ranges(page, demo_video)
    page.goto(live_server.url + LESSON_URL)
    video = page.locator("video[data-video]")
    expect(video).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('video[data-video]').readyState >= 1", timeout=15_000
    )
    # The Dutch captions are on by default and their cues load.
    page.evaluate(
        "() => { document.querySelector('video[data-video]').textTracks[0].mode = 'showing'; }"
    )
    page.wait_for_function(
        """() => { const t = [...document.querySelector('video[data-video]').textTracks]
                     .find(t => t.language === 'nl');
                   return t && t.cues && t.cues.length > 5; }""",
        timeout=15_000,
    )
    first_cue = page.evaluate(
        """[...document.querySelector('video[data-video]').textTracks]
             .find(t => t.language === 'nl').cues[0].text"""
    )
    assert first_cue.startswith("Ga rustig zitten")
    # It plays: time moves on (muted, as autoplay rules want in a test).
    page.evaluate(
        "() => { const v = document.querySelector('video[data-video]'); v.muted = true; v.play(); }"
    )
    page.wait_for_function(
        "() => document.querySelector('video[data-video]').currentTime > 1.5", timeout=15_000
    )
    # The test server has no range requests: seek once it has the whole (small) file.
    page.wait_for_function(
        "() => { const v = document.querySelector('video[data-video]');"
        " return v.seekable.length && v.seekable.end(0) >= v.duration - 0.5; }",
        timeout=15_000,
    )
    page.evaluate(
        "() => { const v = document.querySelector('video[data-video]');"
        " v.currentTime = 20; v.pause(); }"
    )
    page.wait_for_function(
        "() => { const v = document.querySelector('video[data-video]');"
        " return v.paused && v.currentTime >= 19.9; }",
        timeout=5_000,
    )
    page.reload()
    page.wait_for_function(
        "() => document.querySelector('video[data-video]').currentTime >= 19", timeout=15_000
    )
    expect(page.locator("[data-video-resume]")).to_contain_text("0:20")
    assert not LessonProgress.objects.filter(video_watched_at__isnull=False).exists()


def test_it_tells_the_site_once_she_has_seen_ninety_percent(
    live_server, page, alice, log_in, demo_video
):
    log_in(page.context, alice)
    serve_media_with_ranges(page, demo_video)
    page.goto(live_server.url + LESSON_URL)
    page.wait_for_function(
        "() => document.querySelector('video[data-video]').readyState >= 1", timeout=15_000
    )
    # Skipping to the end is not watching.
    page.wait_for_function(
        "() => { const v = document.querySelector('video[data-video]');"
        " return v.seekable.length && v.seekable.end(0) >= v.duration - 0.5; }",
        timeout=15_000,
    )
    page.evaluate(
        "const v = document.querySelector('video[data-video]'); v.muted = true;"
        "v.currentTime = v.duration - 1; v.play()"
    )
    page.wait_for_function(
        "() => document.querySelector('video[data-video]').ended", timeout=15_000
    )
    assert not LessonProgress.objects.filter(video_watched_at__isnull=False).exists()
    # Watching it through (fast) is.
    with page.expect_response("**/watched/") as response:
        page.evaluate(
            "const v = document.querySelector('video[data-video]'); v.currentTime = 0;"
            "v.playbackRate = 16; v.play()"
        )
    assert response.value.ok
    assert LessonProgress.objects.get(user=alice, lesson=demo_video).video_watched_at
