"""A lesson's own video: captions (WebVTT per language), 90% watched, and "watched" as a
condition for "done" (POST /courses/<course>/<lesson>/watched/)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import Course, Lesson, LessonCaption, LessonProgress
from courses.validators import validate_webvtt
from tests.factories import make_course, make_user
from therapy.demo.loader import CONTENT_DIR

VIDEO = CONTENT_DIR / "videos" / "aanspannen-en-ontspannen.mp4"
VTT = CONTENT_DIR / "videos" / "aanspannen-en-ontspannen.nl.vtt"
LESSON_URL = "/courses/bekkenbodem/bekkenbodem-les-1/"
WATCHED_URL = LESSON_URL + "watched/"
COMPLETE_URL = LESSON_URL + "complete/"


@pytest.fixture
def with_video(course):
    lesson = Lesson.objects.get(slug="bekkenbodem-les-1")
    lesson.video_file.save("film.mp4", ContentFile(VIDEO.read_bytes()), save=True)
    for language in ("nl", "en"):
        caption = LessonCaption(lesson=lesson, language=language)
        caption.file.save(f"film.{language}.vtt", ContentFile(VTT.read_bytes()), save=True)
    return lesson


def caption_file(content, name="film.vtt"):
    return SimpleUploadedFile(name, content, content_type="text/vtt")


# --- Caption files ---


def test_it_accepts_a_webvtt_file():
    validate_webvtt(caption_file(VTT.read_bytes()))
    validate_webvtt(caption_file(b"\xef\xbb\xbfWEBVTT - met BOM\n\n00:00.000 --> 00:01.000\nHoi\n"))


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"1\n00:00:00,000 --> 00:00:01,000\nHallo\n", "not_webvtt"),  # an .srt file
        (b"WEBVTTX\n", "not_webvtt"),
        (b"WEBVTT\n" + "é".encode("latin-1") * 10, "captions_encoding"),
        (b"WEBVTT\n" + b"a" * (1024 * 1024), "captions_too_large"),
    ],
)
def test_it_refuses_a_caption_file_that_is_not_webvtt_or_too_large(content, error):
    with pytest.raises(ValidationError) as raised:
        validate_webvtt(caption_file(content))
    assert raised.value.code == error


def test_it_shows_the_refusal_as_a_form_error_in_the_admin(with_video):
    from django.forms import modelform_factory

    form_class = modelform_factory(LessonCaption, fields=["lesson", "language", "file"])
    form = form_class(
        data={"lesson": with_video.pk, "language": "nl"},
        files={"file": caption_file(b"1\n00:00:00,000 --> 00:00:01,000\nHallo\n", "film.srt")},
    )
    assert not form.is_valid()
    assert form.errors["file"]


# --- The lesson page ---


def test_it_shows_the_captions_as_tracks_with_hers_on_by_default(alice_client, with_video):
    page = alice_client.get(LESSON_URL).content.decode()
    assert page.count('<track kind="captions"') == 2
    assert 'srclang="nl" label="Nederlands" default>' in page
    assert 'srclang="en" label="Engels">' in page
    assert 'data-watched-url="/courses/bekkenbodem/bekkenbodem-les-1/watched/"' in page
    assert "js/video.js" in page


def test_it_shows_english_captions_by_default_in_english(alice_client, alice, with_video):
    from accounts.models import Profile

    Profile.objects.filter(user=alice).update(language="en")
    page = alice_client.get(LESSON_URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'srclang="en" label="English" default>' in page


def test_it_shows_a_caption_added_in_the_admin_at_once(alice_client, course):
    lesson = Lesson.objects.get(slug="bekkenbodem-les-1")
    lesson.video_file.save("film.mp4", ContentFile(VIDEO.read_bytes()), save=True)
    assert "<track" not in alice_client.get(LESSON_URL).content.decode()
    caption = LessonCaption(lesson=lesson, language="nl")
    caption.file.save("film.nl.vtt", ContentFile(VTT.read_bytes()), save=True)
    assert "<track" in alice_client.get(LESSON_URL).content.decode()


# --- Watched ---


def test_it_records_that_she_watched_the_video_once(alice_client, alice, with_video):
    first = alice_client.post(WATCHED_URL)
    assert first.status_code == 200
    watched = LessonProgress.objects.get(user=alice, lesson=with_video).video_watched_at
    assert watched is not None
    alice_client.post(WATCHED_URL)
    assert LessonProgress.objects.get(user=alice, lesson=with_video).video_watched_at == watched


def test_it_sends_a_logged_out_visitor_to_the_login(client, with_video):
    response = client.post(WATCHED_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_is_a_404_for_someone_not_in_the_course(client, with_video):
    client.force_login(make_user("carla@example.com"))
    assert client.post(WATCHED_URL).status_code == 404
    assert not LessonProgress.objects.exists()


def test_it_is_a_404_for_a_lesson_without_its_own_video(alice_client, course):
    assert alice_client.post(WATCHED_URL).status_code == 404


def test_it_is_a_404_for_another_course_she_does_not_follow(alice_client, with_video):
    other = make_course(slug="ander")
    lesson = Lesson.objects.filter(step__course=other).first()
    lesson.video_file.save("film.mp4", ContentFile(VIDEO.read_bytes()), save=True)
    assert alice_client.post(f"/courses/ander/{lesson.slug}/watched/").status_code == 404
    assert Course.objects.count() == 2


def test_it_refuses_get(alice_client, with_video):
    assert alice_client.get(WATCHED_URL).status_code == 405


# --- Watching as a condition for done ---


def test_it_lets_her_finish_only_after_watching_when_the_therapist_asks_it(
    alice_client, alice, with_video
):
    with_video.video_required = True
    with_video.save()  # as the admin does: the content is new at once
    page = alice_client.get(LESSON_URL).content.decode()
    assert "First watch the video" in page or "Bekijk eerst de video" in page
    response = alice_client.post(COMPLETE_URL)
    assert response.status_code == 302
    assert response["Location"] == LESSON_URL
    assert not LessonProgress.objects.filter(user=alice, completed_at__isnull=False).exists()
    alice_client.post(WATCHED_URL)
    alice_client.post(COMPLETE_URL)
    assert LessonProgress.objects.get(user=alice, lesson=with_video).completed_at is not None


def test_it_does_not_ask_for_the_video_unless_the_therapist_ticks_it(
    alice_client, alice, with_video
):
    alice_client.post(COMPLETE_URL)
    assert LessonProgress.objects.get(user=alice, lesson=with_video).completed_at is not None
