"""The lesson editor in the admin: the text beside its preview, images placed in the text
(`{{ image 12 }}`), "preview as a patient", and the history of lessons with revert
(courses/editor.py, courses/rendering.py, courses/admin.py)."""

import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from courses import languages
from courses.models import Exercise, ExerciseDose, Lesson, LessonImage, LessonProgress
from courses.rendering import image_tokens, render_markdown, unknown_image_tokens
from courses.signals import content_changed
from tests.factories import make_routine, make_user, safety_answers
from tests.html import form_fields, tags

LESSON = "/courses/bekkenbodem/bekkenbodem-les-1/"
PREVIEW_BUDGET = 10  # staff: the 2FA check and two permission look-ups; content warm


def png(width=640, height=480):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def add_image(lesson, name="stoel.png", alt="Zittend op een stoel", caption=""):
    image = LessonImage(lesson=lesson, alt_text=alt, caption=caption)
    image.image.save(name, ContentFile(png()), save=False)
    image.save()
    return image


@pytest.fixture
def her(alice, course, lessons):
    """Alice's browser; she follows the course and has answered the safety questions."""
    make_routine(course)
    safety_answers(alice)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(alice)
    return client


def seen(client, url):
    """The page as she gets it (looked at twice, so that it is kept)."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def admin_post(client, url, form_id, changes):
    page = client.get(url)
    assert page.status_code == 200, url
    data = {**form_fields(page, form_id), **changes, "_save": "Opslaan"}
    return client.post(url, data)


# --- Layout ------------------------------------------------------------------------------


def test_it_puts_the_text_and_its_preview_in_one_grid_over_the_whole_width(
    therapist_client, lessons
):
    page = therapist_client.get(f"/admin/courses/lesson/{lessons[0].pk}/change/")
    html = page.content.decode()

    assert page.status_code == 200
    assert 'class="module aligned lesson-text"' in html
    # One editor per language: the Dutch text, then the English, each beside its preview.
    editors = [div for div in tags(page, "div") if div.get("class") == "lesson-editor"]
    assert len(editors) == len(languages.all_languages())
    assert all("data-lesson-editor" in editor for editor in editors)
    previews = [div for div in tags(page, "div") if "data-markdown-preview" in div]
    assert [preview["data-lesson"] for preview in previews] == [str(lessons[0].pk)] * len(editors)
    assert html.index('class="lesson-editor-text"') < html.index('class="lesson-editor-preview"')
    assert not [t for t in tags(page, "div") + tags(page, "textarea") if "style" in t]
    with open("static/css/admin.css") as file:
        css = file.read()
    assert "@media (min-width: 1100px)" in css and ".lesson-editor {" in css


def test_it_offers_a_button_per_saved_image_that_places_its_token(therapist_client, lessons):
    image = add_image(lessons[0])
    add_image(lessons[1], name="ander.png", alt="Van een andere les")

    page = therapist_client.get(f"/admin/courses/lesson/{lessons[0].pk}/change/")

    buttons = [b for b in tags(page, "button") if "data-image-token" in b]
    # Its button in each language's editor, writing into that editor's text.
    assert [(b["data-image-token"], b["type"], b["data-target"]) for b in buttons] == [
        (f"{{{{ image {image.pk} }}}}", "button", f"id_body_{language}")
        for language in languages.all_languages()
    ]
    assert "Zittend op een stoel" in page.content.decode()


def test_it_says_where_images_come_from_on_a_new_lesson(therapist_client, lessons):
    page = therapist_client.get("/admin/courses/lesson/add/")

    assert "lesson-editor-no-images" in page.content.decode()
    assert not [b for b in tags(page, "button") if "data-image-token" in b]


# --- Image tokens ------------------------------------------------------------------------


def test_it_renders_a_placed_image_as_the_responsive_figure(lessons):
    image = add_image(lessons[0], caption="Rechtop, voeten plat")

    html = render_markdown(f"Zo zit je.\n\n{{{{ image {image.pk} }}}}\n\nEn nu.", [image])

    assert "<p>Zo zit je.</p>" in html and "<p>En nu.</p>" in html
    assert "<p><figure" not in html
    (img,) = tags(html, "img")
    assert img["alt"] == "Zittend op een stoel"
    assert img["srcset"] == image.srcset
    assert (img["width"], img["height"]) == (str(image.display[1]), str(image.display[2]))
    assert "<figcaption>Rechtop, voeten plat</figcaption>" in html


def test_it_places_an_image_inline_within_a_sentence(lessons):
    image = add_image(lessons[0])

    html = render_markdown(f"Kijk: {{{{image {image.pk}}}}} zo.", [image])

    assert html.startswith('<p>Kijk: <img class="lesson-image-inline"')
    assert "<figure" not in html


def test_it_shows_nothing_for_an_unknown_image_or_one_of_another_lesson(lessons):
    own = add_image(lessons[0])
    other = add_image(lessons[1], name="ander.png", alt="Van een andere les")
    text = f"Voor.\n\n{{{{ image {other.pk} }}}}\n\n{{{{ image 99999 }}}}\n\nNa."

    html = render_markdown(text, [own])

    assert html == "<p>Voor.</p>\n\n\n<p>Na.</p>"
    assert unknown_image_tokens(text, [own]) == [other.pk, 99999]
    assert image_tokens(text) == [other.pk, 99999]


def test_it_places_nothing_from_a_token_inside_a_link(lessons):
    image = add_image(lessons[0])

    html = render_markdown(f"[zie]({{{{ image {image.pk} }}}})", [image])

    assert "<img" not in html and "<figure" not in html


def test_it_shows_placed_images_once_on_her_lesson_page(her, lessons):
    placed = add_image(lessons[0], alt="In de tekst")
    add_image(lessons[0], name="onder.png", alt="Onder de tekst")
    Lesson.objects.filter(pk=lessons[0].pk).update(
        body=f"Eerst dit.\n\n{{{{ image {placed.pk} }}}}\n\nDan dat."
    )
    content_changed()

    page = seen(her, LESSON)

    alts = [img["alt"] for img in tags(page, "img") if img.get("alt")]
    assert alts.count("In de tekst") == 1 and alts.count("Onder de tekst") == 1
    assert page.index("Eerst dit.") < page.index('alt="In de tekst"') < page.index("Dan dat.")
    assert page.index("Dan dat.") < page.index('alt="Onder de tekst"')


def test_it_previews_placed_images_and_warns_of_unknown_ones(therapist_client, lessons):
    image = add_image(lessons[0])
    body = f"{{{{ image {image.pk} }}}}\n\n{{{{ image 424242 }}}}"

    response = therapist_client.post(
        "/admin/courses/lesson/markdown-preview/", {"body": body, "lesson": lessons[0].pk}
    )

    data = response.json()
    assert response.status_code == 200
    assert [img["alt"] for img in tags(data["html"], "img")] == ["Zittend op een stoel"]
    assert len(data["warnings"]) == 1 and "424242" in data["warnings"][0]


def test_it_previews_without_images_for_a_new_lesson(therapist_client, lessons):
    image = add_image(lessons[0])

    response = therapist_client.post(
        "/admin/courses/lesson/markdown-preview/", {"body": f"{{{{ image {image.pk} }}}}"}
    )

    assert response.json()["html"] == ""
    assert str(image.pk) in response.json()["warnings"][0]


def test_it_refuses_to_save_a_text_with_an_image_of_another_lesson(therapist_client, lessons):
    other = add_image(lessons[1], name="ander.png", alt="Van een andere les")
    url = f"/admin/courses/lesson/{lessons[0].pk}/change/"

    response = admin_post(
        therapist_client, url, "lesson_form", {"body_nl": f"Tekst\n\n{{{{ image {other.pk} }}}}"}
    )

    assert response.status_code == 200
    assert f"Deze les heeft geen afbeelding {other.pk}" in response.content.decode()
    lessons[0].refresh_from_db()
    assert "image" not in lessons[0].body


def test_it_saves_a_text_with_its_own_image(therapist_client, her, lessons):
    image = add_image(lessons[0], alt="Bekken in de spiegel")
    url = f"/admin/courses/lesson/{lessons[0].pk}/change/"
    seen(her, LESSON)

    response = admin_post(
        therapist_client, url, "lesson_form", {"body_nl": f"Kijk.\n\n{{{{ image {image.pk} }}}}"}
    )

    assert response.status_code == 302
    page = seen(her, LESSON)
    assert page.index("Kijk.") < page.index('alt="Bekken in de spiegel"')


# --- Preview as a patient ----------------------------------------------------------------


def test_it_previews_an_unpublished_lesson_as_a_patient_without_recording(
    therapist_client, therapist, lessons
):
    lesson = lessons[3]
    Lesson.objects.filter(pk=lesson.pk).update(published=False, body="**Nog geheim**")
    therapist_client.get(f"/admin/courses/lesson/{lesson.pk}/preview/")  # content cache warm

    with CaptureQueriesContext(connection) as queries:
        response = therapist_client.get(f"/admin/courses/lesson/{lesson.pk}/preview/")

    assert response.status_code == 200
    assert response.templates[0].name == "courses/lesson_detail.html"
    html = response.content.decode()
    assert "Voorbeeld" in html and "<strong>Nog geheim</strong>" in html
    assert lesson.step.title in html
    assert "no-cache" in response.headers["Cache-Control"]
    assert not LessonProgress.objects.exists()
    assert len(queries) <= PREVIEW_BUDGET, "\n".join(
        q["sql"][:150] for q in queries.captured_queries
    )


def test_it_links_the_preview_from_the_lesson_form_and_the_list(therapist_client, lessons):
    preview = f"/admin/courses/lesson/{lessons[0].pk}/preview/"

    form = therapist_client.get(f"/admin/courses/lesson/{lessons[0].pk}/change/")
    listing = therapist_client.get("/admin/courses/lesson/")

    assert preview in [a.get("href") for a in tags(form, "a")]
    assert preview in [a.get("href") for a in tags(listing, "a")]


def test_it_hides_the_preview_from_a_patient(alice_client, lessons):
    response = alice_client.get(f"/admin/courses/lesson/{lessons[0].pk}/preview/")

    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_it_sends_a_logged_out_visitor_to_log_in_for_the_preview(client, lessons):
    response = client.get(f"/admin/courses/lesson/{lessons[0].pk}/preview/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/courses/lesson/")


def test_it_asks_staff_without_two_factor_to_set_it_up_first(lessons):
    staff = make_user("nieuw@example.com", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)

    response = client.get(f"/admin/courses/lesson/{lessons[0].pk}/preview/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_it_gives_a_404_for_a_lesson_that_does_not_exist(therapist_client, lessons):
    assert therapist_client.get("/admin/courses/lesson/999999/preview/").status_code == 404


def test_it_allows_only_get_for_the_preview(therapist_client, lessons):
    response = therapist_client.post(f"/admin/courses/lesson/{lessons[0].pk}/preview/")

    assert response.status_code == 405


# --- History and revert ------------------------------------------------------------------


def test_it_records_who_changed_the_lesson_and_what(therapist_client, therapist, lessons):
    url = f"/admin/courses/lesson/{lessons[0].pk}/change/"

    admin_post(therapist_client, url, "lesson_form", {})
    changes = {"body_nl": "Nieuwe tekst", "title_nl": "Nieuw"}
    admin_post(therapist_client, url, "lesson_form", changes)

    latest = lessons[0].history.latest()
    assert latest.history_user == therapist
    assert latest.history_type == "~"
    delta = latest.diff_against(latest.prev_record)
    # The Dutch columns changed (and `body`/`title`, modeltranslation's copy of the language
    # saved in); the English ones did not.
    assert set(delta.changed_fields) == {"body", "body_nl", "title", "title_nl"}
    page = therapist_client.get(f"/admin/courses/lesson/{lessons[0].pk}/history/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Marieke" in html or therapist.email in html
    assert "Nieuwe tekst" in html


def test_it_brings_back_an_earlier_version_that_she_sees_at_once(
    therapist_client, therapist, her, lessons
):
    lesson = lessons[0]
    url = f"/admin/courses/lesson/{lesson.pk}/change/"
    first_texts = {"body_nl": "Eerste versie van de tekst", "body_en": "First version"}
    admin_post(therapist_client, url, "lesson_form", first_texts)
    first = lesson.history.latest()
    second_texts = {"body_nl": "Tweede versie, met een fout", "body_en": "Second, wrong"}
    admin_post(therapist_client, url, "lesson_form", second_texts)
    assert "Tweede versie" in seen(her, LESSON)

    revert_url = f"/admin/courses/lesson/{lesson.pk}/history/{first.history_id}/"
    page = therapist_client.get(revert_url)
    assert page.status_code == 200
    assert "Eerste versie van de tekst" in page.content.decode()
    response = admin_post(therapist_client, revert_url, "historicallesson_form", {})

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.body == "Eerste versie van de tekst"
    assert lesson.body_en == "First version"  # every language comes back
    assert lesson.history.latest().history_user == therapist
    page = seen(her, LESSON)
    assert "Eerste versie van de tekst" in page and "Tweede versie" not in page


def test_it_keeps_the_history_of_an_exercise_and_its_doses(therapist_client, therapist, lessons):
    exercise = Exercise.objects.filter(lesson=lessons[0]).first() or Exercise.objects.first()
    dose = ExerciseDose.objects.create(
        exercise=exercise, from_week=3, hold_seconds=8, relax_seconds=8, repetitions=8
    )
    dose.hold_seconds = 9
    dose.save()

    page = therapist_client.get(f"/admin/courses/exercise/{exercise.pk}/history/")

    assert page.status_code == 200
    first = dose.history.earliest()
    assert f"/admin/courses/exercisedose/{dose.pk}/history/{first.history_id}/" in [
        a.get("href") for a in tags(page, "a")
    ]
    revert = therapist_client.get(
        f"/admin/courses/exercisedose/{dose.pk}/history/{first.history_id}/"
    )
    assert revert.status_code == 200


def test_it_records_who_published_a_lesson(therapist_client, therapist, lessons):
    Lesson.objects.filter(pk=lessons[0].pk).update(published=False)

    response = therapist_client.post(
        "/admin/courses/lesson/",
        {"action": "publish", "_selected_action": [lessons[0].pk], "index": 0},
    )

    assert response.status_code == 302
    latest = lessons[0].history.latest()
    assert latest.published is True and latest.history_user == therapist


def test_it_keeps_no_patient_in_the_history_tables(her, alice, lessons):
    seen(her, LESSON)
    her.post(f"{LESSON}complete/")

    history_models = [Lesson.history.model, Exercise.history.model, ExerciseDose.history.model]
    for model in history_models:
        assert not model.objects.filter(history_user=alice).exists()
        assert {f.name for f in model._meta.get_fields()} & {"user", "patient"} == set()


def test_it_serves_the_history_pages_without_inline_styles(therapist_client, lessons):
    admin_post(
        therapist_client, f"/admin/courses/lesson/{lessons[0].pk}/change/", "lesson_form", {}
    )
    version = lessons[0].history.latest().history_id

    for url in (
        f"/admin/courses/lesson/{lessons[0].pk}/history/",
        f"/admin/courses/lesson/{lessons[0].pk}/history/{version}/",
    ):
        html = therapist_client.get(url).content.decode()
        assert " style=" not in html, url
