"""Lesson page: /courses/<course>/<lesson>/."""

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageOps

from courses.models import Enrollment, Exercise, Lesson, LessonImage, LessonProgress
from tests.factories import complete, make_course
from tests.html import tags

AMS = ZoneInfo("Europe/Amsterdam")


def links(response, **wanted):
    """<a> attributes of links whose attributes include all of `wanted`."""
    found = []
    for attrs in tags(response, "a"):
        classes = (attrs.get("class") or "").split()
        if all(
            (value in classes) if key == "class_" else attrs.get(key) == value
            for key, value in wanted.items()
        ):
            found.append(attrs)
    return found


def dose_numbers(html):
    return [dd.split()[0] for dd in re.findall(r"<dd>(.*?)</dd>", html, flags=re.S)]


def png_bytes(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def test_it_renders_the_lesson_text_and_title(alice_client, lessons):
    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    assert response.status_code == 200
    assert response.templates[0].name == "courses/lesson_detail.html"
    html = response.content.decode()
    assert re.search(r"<h1[^>]*>Les 1</h1>", html)
    assert "<title>Les 1" in html
    assert "Tekst van <strong>les 1</strong>." in html
    assert "Samenvatting van les 1" in html
    assert "Stap 1" in html


def test_it_shows_the_exercise_doses(alice_client, lessons):
    Exercise.objects.create(
        lesson=lessons[0],
        name="Snelle aanspanningen",
        kind=Exercise.Kind.QUICK_FLICKS,
        hold_seconds=2,
        relax_seconds=3,
        repetitions=10,
        sets=2,
        rest_between_sets_seconds=45,
        instructions="Span kort aan.\n\nLaat helemaal los.",
        order=1,
    )

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    html = response.content.decode()
    assert "Oefening 1" in html
    flicks = html[html.index("Snelle aanspanningen") :]
    # hold, relax, repetitions, sets, rest: the number leads, the unit is translated
    assert dose_numbers(flicks) == ["2", "3", "10×", "2", "45"]
    assert "<p>Span kort aan.</p>" in flicks
    first = html[html.index("Oefening 1") : html.index("Snelle aanspanningen")]
    assert dose_numbers(first) == ["8", "8", "8×", "3", "60"]


def test_it_offers_to_mark_an_open_lesson_as_done(alice_client, lessons):
    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    forms = tags(response, "form")
    assert {"method": "post", "action": "/courses/bekkenbodem/bekkenbodem-les-1/complete/"} in [
        {"method": f.get("method"), "action": f.get("action")} for f in forms
    ]


def test_it_shows_a_done_lesson_as_done_without_the_complete_form(alice_client, alice, lessons):
    complete(alice, lessons[0])

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    assert response.status_code == 200
    assert "badge-done" in response.content.decode()
    actions = [f.get("action") for f in tags(response, "form")]
    assert "/courses/bekkenbodem/bekkenbodem-les-1/complete/" not in actions


def test_it_records_when_the_lesson_was_first_opened(alice_client, alice, lessons):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=AMS), tick=False):
        alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")
    with time_machine.travel(datetime(2026, 3, 5, 20, 0, tzinfo=AMS), tick=False):
        alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    progress = LessonProgress.objects.get(user=alice, lesson=lessons[0])
    assert progress.first_opened_at == datetime(2026, 3, 2, 9, 0, tzinfo=AMS)
    assert progress.completed_at is None


def test_it_shows_images_with_srcset_width_and_height(alice_client, lessons):
    LessonImage.objects.create(
        lesson=lessons[0],
        image=ContentFile(png_bytes(2000, 1000), name="houding.png"),
        alt_text="Rechtop zitten op een stoel",
        caption="Zo zit je goed.",
    )

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    (img,) = [attrs for attrs in tags(response, "img") if "houding" in attrs.get("src", "")]
    assert img["alt"] == "Rechtop zitten op een stoel"
    assert (img["width"], img["height"]) == ("800", "400")
    widths = re.findall(r"\s(\d+)w(?:,|$)", img["srcset"])
    assert widths == ["480", "800", "1200", "2000"]
    candidates = [part.split()[0] for part in img["srcset"].split(", ")]
    assert all(url.startswith("/media/lessons/images/") for url in candidates)
    assert img["src"] == candidates[1]
    assert img.get("sizes")
    assert "<figcaption>Zo zit je goed.</figcaption>" in response.content.decode()


def test_it_shows_a_small_image_at_its_own_size(alice_client, lessons):
    LessonImage.objects.create(
        lesson=lessons[0],
        image=ContentFile(png_bytes(300, 200), name="klein.png"),
        alt_text="Een klein plaatje",
    )

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    (img,) = [attrs for attrs in tags(response, "img") if "klein" in attrs.get("src", "")]
    assert (img["width"], img["height"]) == ("300", "200")
    assert img["srcset"] == f"{img['src']} 300w"


def phone_photo(width, height):
    """A JPEG as phones store a portrait photo: landscape pixels plus EXIF "rotate 90°"."""
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (120, 160, 90)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def shown_width(url):
    """The width a browser shows the file at: browsers apply the EXIF orientation."""
    path = Path(settings.MEDIA_ROOT) / url.removeprefix("/media/")
    with Image.open(path) as image:
        return ImageOps.exif_transpose(image).width


def test_it_sizes_a_rotated_phone_photo_upright(alice_client, lessons):
    LessonImage.objects.create(
        lesson=lessons[0],
        image=ContentFile(phone_photo(640, 480), name="telefoon.jpg"),
        alt_text="Staand op een stoel",
    )

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    (img,) = [attrs for attrs in tags(response, "img") if "telefoon" in attrs.get("src", "")]
    # Shown 480 wide and 640 high; a landscape box distorts it or shifts the layout.
    assert (img["width"], img["height"]) == ("480", "640")


def test_it_gives_each_srcset_candidate_its_shown_width_for_a_rotated_photo(alice_client, lessons):
    LessonImage.objects.create(
        lesson=lessons[0],
        image=ContentFile(phone_photo(1600, 1200), name="telefoon.jpg"),
        alt_text="Staand op een stoel",
    )

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    (img,) = [attrs for attrs in tags(response, "img") if "telefoon" in attrs.get("src", "")]
    candidates = [part.split() for part in img["srcset"].split(", ")]
    assert [descriptor for _url, descriptor in candidates] == [
        f"{shown_width(url)}w" for url, _descriptor in candidates
    ]


def test_it_links_previous_and_shows_a_locked_next_lesson_without_link(
    alice_client, alice, lessons
):
    complete(alice, lessons[0])

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-2/")

    assert response.status_code == 200
    assert [a["href"] for a in links(response, rel="prev")] == [
        "/courses/bekkenbodem/bekkenbodem-les-1/"
    ]
    assert links(response, rel="next") == []
    assert not links(response, href="/courses/bekkenbodem/bekkenbodem-les-3/")
    assert "Les 3" in response.content.decode()  # named, but locked


def test_it_links_the_next_lesson_across_steps_once_open(alice_client, alice, lessons):
    complete(alice, lessons[0], lessons[1])

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-2/")

    assert [a["href"] for a in links(response, rel="next")] == [
        "/courses/bekkenbodem/bekkenbodem-les-3/"
    ]


def test_it_has_no_previous_link_on_the_first_lesson(alice_client, lessons):
    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    assert links(response, rel="prev") == []


def test_it_shows_the_friendly_locked_page_for_a_locked_lesson(alice_client, alice, lessons):
    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-3/")

    assert response.status_code == 200
    assert response.templates[0].name == "courses/lesson_locked.html"
    html = response.content.decode()
    assert "Les 3" in html
    assert "<strong>les 3</strong>" not in html  # the lesson text stays hidden
    assert "Oefening 3" not in html
    assert [a["href"] for a in links(response, class_="button")] == [
        "/courses/bekkenbodem/bekkenbodem-les-1/"
    ]
    assert links(response, href="/courses/bekkenbodem/")
    assert not LessonProgress.objects.filter(user=alice).exists()


def test_it_points_the_locked_page_at_the_lesson_to_do_first(alice_client, alice, lessons):
    complete(alice, lessons[0])

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-4/")

    assert response.templates[0].name == "courses/lesson_locked.html"
    assert [a["href"] for a in links(response, class_="button")] == [
        "/courses/bekkenbodem/bekkenbodem-les-2/"
    ]


def test_it_does_not_unlock_for_alice_what_bob_completed(alice_client, alice, bob, lessons):
    Enrollment.objects.create(user=bob, course=lessons[0].step.course)
    complete(bob, lessons[0], lessons[1])

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-2/")

    assert response.templates[0].name == "courses/lesson_locked.html"
    assert not LessonProgress.objects.filter(user=alice).exists()


def test_it_answers_404_for_an_unknown_lesson(alice_client, lessons):
    assert alice_client.get("/courses/bekkenbodem/bestaat-niet/").status_code == 404


def test_it_answers_404_for_an_unknown_course(alice_client, lessons):
    assert alice_client.get("/courses/bestaat-niet/bekkenbodem-les-1/").status_code == 404


def test_it_answers_404_for_a_lesson_of_another_course(alice_client, lessons):
    make_course(slug="rug")

    response = alice_client.get("/courses/bekkenbodem/rug-les-1/")

    assert response.status_code == 404


def test_it_answers_404_for_a_lesson_of_an_unpublished_course(alice_client):
    make_course(slug="concept", published=False)

    assert alice_client.get("/courses/concept/concept-les-1/").status_code == 404


def test_it_answers_404_to_a_patient_for_an_unpublished_lesson(alice_client, alice, lessons):
    Lesson.objects.filter(slug="bekkenbodem-les-2").update(published=False)
    complete(alice, lessons[0])

    response = alice_client.get("/courses/bekkenbodem/bekkenbodem-les-2/")

    assert response.status_code == 404
    assert not LessonProgress.objects.filter(user=alice, lesson=lessons[1]).exists()


def test_it_lets_staff_preview_an_unpublished_lesson(therapist_client, therapist, lessons):
    Lesson.objects.filter(slug="bekkenbodem-les-4").update(published=False)

    response = therapist_client.get("/courses/bekkenbodem/bekkenbodem-les-4/")

    assert response.status_code == 200
    assert response.context["preview"] is True
    html = response.content.decode()
    assert "message-warning" in html
    assert "Tekst van <strong>les 4</strong>." in html
    assert "/courses/bekkenbodem/bekkenbodem-les-4/complete/" not in html
    assert not LessonProgress.objects.filter(user=therapist).exists()


def test_it_redirects_to_login_when_logged_out(client, lessons):
    response = client.get("/courses/bekkenbodem/bekkenbodem-les-1/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/courses/bekkenbodem/bekkenbodem-les-1/"


def test_it_refuses_post(alice_client, alice, lessons):
    response = alice_client.post("/courses/bekkenbodem/bekkenbodem-les-1/")

    assert response.status_code == 405
    assert not LessonProgress.objects.filter(user=alice).exists()


def test_it_lets_staff_preview_a_locked_lesson_without_recording_progress(
    therapist_client, therapist, lessons
):
    response = therapist_client.get("/courses/bekkenbodem/bekkenbodem-les-3/")

    assert response.status_code == 200
    assert b"locked-panel" not in response.content
    assert b"/complete/" not in response.content
    assert not LessonProgress.objects.filter(user=therapist).exists()
    assert not Enrollment.objects.filter(user=therapist).exists()


def test_it_does_not_let_staff_complete_a_lesson(therapist_client, therapist, lessons):
    response = therapist_client.post("/courses/bekkenbodem/bekkenbodem-les-1/complete/")

    assert response.status_code == 404
    assert not LessonProgress.objects.filter(user=therapist).exists()
