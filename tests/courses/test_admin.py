"""The therapist's admin: courses, steps, lessons with images and exercises."""

import io
import json
import random
import re
import struct
import zlib
from functools import cache
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape
from PIL import Image

from accounts.groups import THERAPISTS
from courses import languages
from courses.forms import LessonImageField
from courses.models import Course, Exercise, Lesson, LessonImage, Step
from tests.factories import TOTP_SECRET, complete, make_user
from tests.html import tags

NEW_SLUG = "bekkenbodem-bukken"


# --- Helpers -------------------------------------------------------------------------


def image_bytes(width, height, image_format="PNG", *, noisy=False):
    if noisy:  # noise does not compress, so half the bytes is half the picture
        pixels = random.Random(7).randbytes(width * height * 3)
        image = Image.frombytes("RGB", (width, height), pixels)
    else:
        image = Image.new("RGB", (width, height), (47, 111, 106))
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()


@cache
def huge_png(side=20000):
    """A real, valid black 1-bit PNG of side × side pixels, built without Pillow.

    Pillow keeps mode "1" at one byte per pixel (400 MB for 20000²); streaming the
    rows through zlib keeps the file at a few dozen KB and memory low.
    """

    def chunk(kind, data):
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    row = b"\x00" * (1 + (side + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def upload(name, content, content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def lesson_form_data(step, *, images=(), exercises=(), **fields):
    """POST data for /admin/courses/lesson/add/, with both inline formsets."""
    data = {
        "step": step.pk,
        "title_nl": "Bukken en tillen",
        "title_en": "Bending and lifting",
        "slug": NEW_SLUG,
        "summary_nl": "Zo buk je zonder je bekkenbodem te belasten.",
        "summary_en": "",  # not written yet: shown in Dutch
        "order": 2,
        "published": "on",
        "body_nl": "Buig je **knieën**.\n\n- adem uit\n- span aan",
        "body_en": "Bend your **knees**.",
        "video_url": "",
        "transcript_nl": "",
        "transcript_en": "",
        "estimated_minutes": 12,
        "_save": "Opslaan",
    }
    for prefix, rows in (("images", images), ("exercises", exercises)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = ""
            data[f"{prefix}-{index}-lesson"] = ""
            data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    data.update(fields)
    return data


def image_row(file, alt_text="Gebogen knieën bij het bukken"):
    return {
        "image": file,
        "alt_text_nl": alt_text,
        "alt_text_en": "Bent knees when bending",
        "caption_nl": "Goed gebukt",
        "order": 0,
    }


EXERCISE_ROW = {
    "name_nl": "Bukken met aanspannen",
    "name_en": "Bending with a squeeze",
    "kind": "posture",
    "order": 0,
    "instructions_nl": "Span aan voordat je bukt.",
    "hold_seconds": 6,
    "relax_seconds": 6,
    "repetitions": 10,
    "sets": 2,
    "rest_between_sets_seconds": 30,
}


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def expected_error(code, **params):
    """The field's own message, in the language the admin answers in (no Accept-Language)."""
    with translation.override(settings.LANGUAGE_CODE):
        message = str(LessonImageField.default_error_messages[code])
    return escape(message % params if params else message)


# --- Pages answer --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/courses/course/",
        "/admin/courses/course/add/",
        "/admin/courses/step/",
        "/admin/courses/step/add/",
        "/admin/courses/lesson/",
        "/admin/courses/lesson/add/",
        "/admin/courses/enrollment/",
        "/admin/courses/lessonprogress/",
        "/admin/courses/exercise/",
        "/admin/courses/patientdose/",
        "/admin/courses/patientdose/add/",
        "/admin/therapy/safetycheck/",
        "/admin/therapy/practicesession/",
    ],
)
def test_it_shows_the_admin_pages_to_the_therapist(therapist_client, lessons, url):
    response = therapist_client.get(url)

    assert response.status_code == 200


def test_it_styles_the_image_preview_with_a_class_not_an_inline_style(therapist_client, lessons):
    LessonImage.objects.create(
        lesson=lessons[0],
        image=SimpleUploadedFile("houding.png", image_bytes(600, 400)),
        alt_text="Houding",
    )

    lesson_page = therapist_client.get(f"/admin/courses/lesson/{lessons[0].pk}/change/")

    # Its thumbnail on its "place in text" button of each language's editor, and in the list.
    shown = [img for img in tags(lesson_page, "img") if "houding" in img.get("src", "")]
    editors = ["lesson-editor-thumb"] * len(languages.all_languages())
    assert [img["class"] for img in shown] == [*editors, "lesson-image-preview"]
    assert not any("style" in img for img in shown)
    assert any(link["href"].endswith("css/admin.css") for link in tags(lesson_page, "link"))


def test_it_shows_the_change_pages_to_the_therapist(therapist_client, course, lessons):
    LessonImage.objects.create(
        lesson=lessons[0],
        image=SimpleUploadedFile("houding.png", image_bytes(600, 400)),
        alt_text="Houding",
    )
    step = Step.objects.get(course=course, title="Stap 1")

    lesson_page = therapist_client.get(f"/admin/courses/lesson/{lessons[0].pk}/change/")

    assert lesson_page.status_code == 200
    preview = [
        img for img in tags(lesson_page, "img") if img.get("class") == "lesson-image-preview"
    ]
    assert preview and preview[0]["width"] == "120"
    assert therapist_client.get(f"/admin/courses/course/{course.pk}/change/").status_code == 200
    assert therapist_client.get(f"/admin/courses/step/{step.pk}/change/").status_code == 200


def test_it_edits_the_doses_of_an_exercise_as_the_weeks_go_by(therapist_client, lessons):
    exercise = Exercise.objects.get(name="Oefening 1")
    page = f"/admin/courses/exercise/{exercise.pk}/change/"
    assert therapist_client.get(page).status_code == 200
    data = {
        "lesson": exercise.lesson_id,
        "name_nl": exercise.name,
        "kind": "long_hold",
        "order": 0,
        "instructions_nl": "",
        "hold_seconds": 5,
        "relax_seconds": 10,
        "repetitions": 5,
        "sets": 1,
        "rest_between_sets_seconds": 0,
        "in_routine": "on",
        "starting_position_nl": "Lig op je rug",
        "dose_steps-TOTAL_FORMS": 1,
        "dose_steps-INITIAL_FORMS": 0,
        "dose_steps-0-from_week": 3,
        "dose_steps-0-hold_seconds": 8,
        "dose_steps-0-relax_seconds": 6,  # shorter than the hold: refused
        "dose_steps-0-repetitions": 8,
        "dose_steps-0-sets": 1,
    }

    refused = therapist_client.post(page, data)
    assert refused.status_code == 200
    assert not exercise.dose_steps.exists()

    therapist_client.post(page, {**data, "dose_steps-0-relax_seconds": 8})
    exercise.refresh_from_db()
    assert exercise.in_routine
    assert [(d.from_week, d.hold_seconds) for d in exercise.dose_steps.all()] == [(3, 8)]
    assert exercise.dose_for_week(4).hold == 8


def test_it_sends_a_patient_to_the_admin_login(alice_client):
    response = alice_client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/"


def test_it_sends_a_patient_away_from_the_lesson_admin(alice_client):
    response = alice_client.get("/admin/courses/lesson/add/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_it_gives_the_therapists_group_the_course_permissions(db):
    group = Group.objects.get(name=THERAPISTS)

    codenames = set(group.permissions.values_list("codename", flat=True))
    for model in ("course", "step", "lesson", "lessonimage", "exercise"):
        assert {f"add_{model}", f"change_{model}", f"delete_{model}", f"view_{model}"} <= codenames
    assert {"view_enrollment", "view_lessonprogress", "view_user"} <= codenames
    assert "change_enrollment" not in codenames
    assert "change_lessonprogress" not in codenames
    assert "change_user" not in codenames


def test_it_shows_exercise_count_and_video_and_image_flags(therapist_client, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(video_url="https://vimeo.com/76979871")
    LessonImage.objects.create(
        lesson=lessons[0],
        image=SimpleUploadedFile("houding.png", image_bytes(60, 40)),
        alt_text="Houding",
    )
    Exercise.objects.create(lesson=lessons[1], name="Extra 1")
    Exercise.objects.create(lesson=lessons[1], name="Extra 2")

    response = therapist_client.get("/admin/courses/lesson/")

    html = response.content.decode()
    rows = {
        re.search(r'<th class="field-title"><a [^>]*>([^<]+)</a>', row).group(1): row
        for row in re.findall(r"<tr>.*?</tr>", html, flags=re.S)
        if 'class="field-title"' in row
    }

    def cell(title, name):
        match = re.search(rf'class="field-{name}[^"]*">(.*?)</td>', rows[title], flags=re.S)
        return match.group(1)

    assert cell("Les 1", "exercise_count") == "1"
    assert cell("Les 2", "exercise_count") == "3"
    assert 'alt="True"' in cell("Les 1", "has_video_display")
    assert 'alt="True"' in cell("Les 1", "has_images_display")
    assert 'alt="False"' in cell("Les 2", "has_video_display")
    assert 'alt="False"' in cell("Les 2", "has_images_display")


# --- Adding a lesson with an image and an exercise -----------------------------------


def test_it_lets_the_therapist_add_a_lesson_that_patients_then_follow(
    client, therapist, alice, course, lessons
):
    step = Step.objects.get(course=course, title="Stap 2")  # holds les 3 and les 4
    client.force_login(therapist)
    data = lesson_form_data(
        step,
        images=[image_row(upload("bukken.png", image_bytes(1000, 600)))],
        exercises=[EXERCISE_ROW],
    )

    response = client.post("/admin/courses/lesson/add/", data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert response["Location"] == "/admin/courses/lesson/"
    lesson = Lesson.objects.get(slug=NEW_SLUG)
    assert (lesson.step, lesson.order, lesson.published) == (step, 2, True)
    (image,) = lesson.images.all()
    assert (image.width, image.height) == (1000, 600)
    assert [r["width"] for r in image.renditions] == [480, 800]
    assert all((Path(settings.MEDIA_ROOT) / r["name"]).is_file() for r in image.renditions)
    (exercise,) = lesson.exercises.all()
    assert (exercise.name, exercise.kind, exercise.hold_seconds, exercise.sets) == (
        "Bukken met aanspannen",
        "posture",
        6,
        2,
    )

    # Alice sees the new lesson after les 4, before les 5, still locked.
    client.force_login(alice)
    complete(alice, *lessons[:3])
    overview = client.get("/courses/bekkenbodem/").content.decode()
    assert re.findall(
        r'class="lesson-item lesson-(\w+)".*?class="lesson-title"[^>]*>([^<]+)<',
        overview,
        flags=re.S,
    ) == [
        ("done", "Les 1"),
        ("done", "Les 2"),
        ("done", "Les 3"),
        ("open", "Les 4"),
        ("locked", "Bukken en tillen"),
        ("locked", "Les 5"),
    ]
    locked = client.get(f"/courses/bekkenbodem/{NEW_SLUG}/")
    assert locked.templates[0].name == "courses/lesson_locked.html"

    # Finishing les 4 opens it.
    done = client.post("/courses/bekkenbodem/bekkenbodem-les-4/complete/")
    assert done["Location"] == f"/courses/bekkenbodem/{NEW_SLUG}/"
    page = client.get(f"/courses/bekkenbodem/{NEW_SLUG}/")
    assert page.templates[0].name == "courses/lesson_detail.html"
    html = page.content.decode()
    assert "Buig je <strong>knieën</strong>." in html
    assert "Bukken met aanspannen" in html
    (img,) = [i for i in tags(page, "img") if i.get("alt") == "Gebogen knieën bij het bukken"]
    assert re.findall(r"\s(\d+)w(?:,|$)", img["srcset"]) == ["480", "800", "1000"]
    assert (img["width"], img["height"]) == ("800", "480")


def test_it_shows_the_markdown_preview_beside_the_lesson_text(therapist_client, lessons):
    response = therapist_client.get("/admin/courses/lesson/add/")

    # One editor per language, each with its own preview.
    bodies = [t for t in tags(response, "textarea") if t.get("name", "").startswith("body")]
    previews = [t for t in tags(response, "div") if "data-markdown-preview" in t]
    assert [body["id"] for body in bodies] == ["id_body_nl", "id_body_en"]
    assert [preview["data-source"] for preview in previews] == ["id_body_nl", "id_body_en"]
    assert {p["data-preview-url"] for p in previews} == {"/admin/courses/lesson/markdown-preview/"}
    assert any(
        s.get("src", "").endswith("js/admin-markdown-preview.js") for s in tags(response, "script")
    )


# --- Image validation ----------------------------------------------------------------


def _truncated(image_format):
    data = image_bytes(400, 300, image_format, noisy=True)
    return data[: len(data) // 2]


def _padded_png():
    data = image_bytes(200, 200)
    return data + b"\x00" * (10 * 1024 * 1024 + 1 - len(data))


@pytest.mark.parametrize(
    ("name", "make_content", "code", "params"),
    [
        (
            "tekst.png",
            lambda: b"Dit is geen plaatje maar gewone tekst.\n" * 40,
            "invalid_image",
            {},
        ),
        ("afgebroken.png", lambda: _truncated("PNG"), "truncated", {}),
        ("afgebroken.jpg", lambda: _truncated("JPEG"), "truncated", {}),
        ("enorm.png", huge_png, "bomb", {"max": 6000}),
        (
            "breed.png",
            lambda: image_bytes(6001, 10),
            "too_many_pixels",
            {"width": 6001, "height": 10, "max": 6000},
        ),
        ("bewegend.gif", lambda: image_bytes(50, 50, "GIF"), "format", {"format": "GIF"}),
        ("zwaar.png", _padded_png, "too_big_file", {}),
    ],
    ids=[
        "not-an-image",
        "truncated-png",
        "truncated-jpeg",
        "20000x20000",
        "too-wide",
        "gif",
        "11mb",
    ],
)
def test_it_refuses_a_bad_image_with_a_clear_error(
    therapist_client, course, name, make_content, code, params
):
    step = Step.objects.get(course=course, title="Stap 2")
    data = lesson_form_data(
        step, images=[image_row(upload(name, make_content()))], exercises=[EXERCISE_ROW]
    )

    response = therapist_client.post("/admin/courses/lesson/add/", data)

    assert response.status_code == 200
    assert expected_error(code, **params) in response.content.decode()
    assert not Lesson.objects.filter(slug=NEW_SLUG).exists()
    assert LessonImage.objects.count() == 0
    assert Exercise.objects.filter(name="Bukken met aanspannen").count() == 0
    assert media_files() == []


def test_it_crafts_a_genuine_20000_pixel_png():
    # The bomb test is only worth something if the file is a real PNG of that size.
    data = huge_png()
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (20000, 20000)
    assert len(data) < 200_000
    idat_length = struct.unpack(">I", data[33:37])[0]
    raw = zlib.decompress(data[41 : 41 + idat_length])
    assert len(raw) == 20000 * (1 + 2500)


def test_it_refuses_a_lesson_without_alt_text_for_its_image(therapist_client, course):
    step = Step.objects.get(course=course, title="Stap 2")
    data = lesson_form_data(
        step, images=[image_row(upload("bukken.png", image_bytes(100, 80)), alt_text="")]
    )

    response = therapist_client.post("/admin/courses/lesson/add/", data)

    assert response.status_code == 200
    assert not Lesson.objects.filter(slug=NEW_SLUG).exists()
    assert media_files() == []


def test_it_refuses_an_unsupported_video_link_in_the_admin(therapist_client, course):
    step = Step.objects.get(course=course, title="Stap 2")
    data = lesson_form_data(step, video_url="https://www.dailymotion.com/video/x8abcde")

    response = therapist_client.post("/admin/courses/lesson/add/", data)

    assert response.status_code == 200
    assert "YouTube" in response.content.decode()
    assert not Lesson.objects.filter(slug=NEW_SLUG).exists()


# --- Publish and unpublish actions ---------------------------------------------------


def test_it_unpublishes_and_publishes_lessons_in_bulk(therapist_client, lessons):
    chosen = [lessons[1].pk, lessons[2].pk]

    response = therapist_client.post(
        "/admin/courses/lesson/",
        {"action": "unpublish", "_selected_action": chosen, "index": 0},
    )

    assert response.status_code == 302
    assert (
        list(Lesson.objects.filter(published=False).order_by("pk").values_list("pk", flat=True))
        == chosen
    )

    therapist_client.post(
        "/admin/courses/lesson/",
        {"action": "publish", "_selected_action": chosen, "index": 0},
    )

    assert Lesson.objects.filter(published=False).count() == 0


def test_it_unpublishes_and_publishes_courses(therapist_client, course):
    therapist_client.post(
        "/admin/courses/course/",
        {"action": "unpublish", "_selected_action": [course.pk], "index": 0},
    )
    course.refresh_from_db()
    assert course.published is False

    therapist_client.post(
        "/admin/courses/course/",
        {"action": "publish", "_selected_action": [course.pk], "index": 0},
    )
    course.refresh_from_db()
    assert course.published is True


def test_it_hides_an_unpublished_course_from_patients(therapist, alice, course, client):
    client.force_login(therapist)
    client.post(
        "/admin/courses/course/",
        {"action": "unpublish", "_selected_action": [course.pk], "index": 0},
    )
    client.force_login(alice)

    assert client.get("/courses/bekkenbodem/").status_code == 404
    assert Course.objects.published().count() == 0


# --- Markdown preview ----------------------------------------------------------------


def test_it_previews_markdown_as_sanitised_html(therapist_client):
    response = therapist_client.post(
        "/admin/courses/lesson/markdown-preview/",
        {"body": "# Kop\n\n**Vet** <script>alert(1)</script><img src=x onerror=alert(1)>"},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    html = json.loads(response.content)["html"]
    assert "<h2>Kop</h2>" in html
    assert "<strong>Vet</strong>" in html
    assert "script" not in html
    assert "onerror" not in html


def test_it_refuses_get_on_the_markdown_preview(therapist_client):
    response = therapist_client.get("/admin/courses/lesson/markdown-preview/")

    assert response.status_code == 405


def test_it_refuses_a_too_long_text_in_the_markdown_preview(therapist_client):
    response = therapist_client.post(
        "/admin/courses/lesson/markdown-preview/", {"body": "a" * 100_001}
    )

    assert response.status_code == 400
    assert "error" in json.loads(response.content)


def test_it_keeps_patients_out_of_the_markdown_preview(alice_client):
    response = alice_client.post("/admin/courses/lesson/markdown-preview/", {"body": "**x**"})

    assert response.status_code == 302
    assert response["Location"] == ("/admin/login/?next=/admin/courses/lesson/markdown-preview/")


def test_it_keeps_staff_without_lesson_rights_out_of_the_markdown_preview(client, db):
    intern = make_user("stagiair@example.com", is_staff=True)
    TOTP.activate(intern, TOTP_SECRET)
    client.force_login(intern)

    response = client.post("/admin/courses/lesson/markdown-preview/", {"body": "**x**"})

    assert response.status_code == 403
