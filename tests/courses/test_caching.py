"""Caching is never wrong: what the therapist changes in the admin, and what a patient or her
therapist changes for her, shows on her next page view; a kept page of one patient is never
another's (courses/content.py, courses/pagecache.py, courses/templatetags/fragments.py).

Every test first looks at the page, so that it is kept, then changes something and looks
again.
"""

import io
import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from courses.models import Enrollment, Exercise, Lesson, LessonQuestion
from tests.factories import NOW, complete, make_routine, safety_answers
from tests.html import form_fields, tags
from therapy.journey.models import Questionnaire

pytestmark = pytest.mark.usefixtures("frozen")

LESSON = "/courses/bekkenbodem/bekkenbodem-les-1/"


@pytest.fixture
def staff(therapist):
    client = Client()
    client.force_login(therapist)
    return client


@pytest.fixture
def her(alice, course, lessons):
    """Alice's browser; she follows the course with its routine and has answered the safety
    questions."""
    make_routine(course)
    safety_answers(alice)
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    client.force_login(alice)
    return client


def seen(client, url):
    """The page as she gets it (and looks at twice, so that it is kept)."""
    client.get(url)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def admin_save(client, url, form_id, changes=None, files=None, drop=()):
    """Change an admin form the way the therapist would: its own fields, some changed."""
    page = client.get(url)
    assert page.status_code == 200, url
    data = form_fields(page, form_id)
    for name in drop:
        data.pop(name, None)
    data.update(changes or {})
    data["_save"] = "Opslaan"
    response = client.post(url, {**data, **(files or {})})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def png(name):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 90)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def lesson_admin(lesson):
    return f"/admin/courses/lesson/{lesson.pk}/change/"


# --- What the therapist changes in the admin ---------------------------------------------


def test_a_new_lesson_text_shows_at_once(staff, her, lessons):
    assert "Nieuwe uitleg" not in seen(her, LESSON)

    admin_save(
        staff,
        lesson_admin(lessons[0]),
        "lesson_form",
        {"body_nl": "## Nieuwe uitleg\n\nAdem rustig uit.", "title_nl": "Les 1 herschreven"},
    )

    page = seen(her, LESSON)
    assert "Nieuwe uitleg" in page and "Les 1 herschreven" in page
    assert "Les 1 herschreven" in seen(her, "/courses/bekkenbodem/")


def test_an_added_changed_and_removed_image_shows_at_once(staff, her, lessons):
    assert "<figure" not in seen(her, LESSON)
    admin = lesson_admin(lessons[0])

    admin_save(
        staff,
        admin,
        "lesson_form",
        {
            "images-TOTAL_FORMS": "1",
            "images-0-alt_text_nl": "Zittend op een stoel",
            "images-0-caption_nl": "",
            "images-0-order": "0",
        },
        files={"images-0-image": png("stoel.png")},
    )
    page = seen(her, LESSON)
    assert [img["alt"] for img in tags(page, "img") if "stoel" in img.get("src", "")] == [
        "Zittend op een stoel"
    ]

    admin_save(staff, admin, "lesson_form", {"images-0-alt_text_nl": "Rechtop zittend"})
    assert "Rechtop zittend" in seen(her, LESSON)

    admin_save(staff, admin, "lesson_form", {"images-0-DELETE": "on"})
    assert "<figure" not in seen(her, LESSON)


def test_a_changed_dose_shows_on_the_lesson_and_today_at_once(staff, her, lessons):
    exercise = Exercise.objects.get(name="Oefening 1")
    assert 'data-hold="5"' in seen(her, LESSON)
    assert "5 seconden" in seen(her, "/today/")

    # Her first week's dose is the exercise's own; the admin form changes it.
    assert not exercise.dose_steps.filter(from_week__lte=1).exists()
    admin_save(
        staff,
        f"/admin/courses/exercise/{exercise.pk}/change/",
        "exercise_form",
        {"hold_seconds": "7", "relax_seconds": "9"},
    )

    assert 'data-hold="7"' in seen(her, LESSON)
    assert "7 seconden" in seen(her, "/today/")


def test_publishing_and_unpublishing_shows_at_once(staff, her, lessons):
    third = lessons[2]
    Lesson.objects.filter(pk=third.pk).update(published=False)
    staff.post("/admin/courses/lesson/", {"action": "publish", "_selected_action": [third.pk]})
    assert third.title in seen(her, "/courses/bekkenbodem/")

    staff.post("/admin/courses/lesson/", {"action": "unpublish", "_selected_action": [third.pk]})

    assert third.title not in seen(her, "/courses/bekkenbodem/")
    assert her.get(third.get_absolute_url()).status_code == 404


def test_a_changed_questionnaire_shows_on_the_dashboard_at_once(staff, her, lessons):
    questionnaire = Questionnaire.objects.create(
        title="Hoe gaat het?", slug="hoe-gaat-het", published=True
    )
    assert "Hoe gaat het?" in seen(her, "/dashboard/")

    questionnaire.title = "Hoe gaat het nu?"
    questionnaire.save()

    assert "Hoe gaat het nu?" in seen(her, "/dashboard/")


def test_a_question_the_therapist_publishes_shows_to_other_patients_at_once(
    staff, her, alice, bob, course, lessons
):
    Enrollment.objects.create(user=bob, course=course)
    question = LessonQuestion.objects.create(
        user=bob, lesson=lessons[0], text="Mag ik dit ook staand doen?"
    )
    assert "staand" not in seen(her, LESSON)

    staff.post(
        f"/therapist/questions/{question.pk}/",
        {"answer": "Ja, dat mag ook.", "published_as_faq": "on", "faq_text": "Mag dit staand?"},
    )
    question.refresh_from_db()
    assert question.published_as_faq

    page = seen(her, LESSON)
    assert "Mag dit staand?" in page and "Ja, dat mag ook." in page
    assert "Bob" not in page


# --- What she or her therapist changes for her --------------------------------------------


def test_her_routine_shows_on_today_and_the_dashboard_at_once(her, alice):
    assert "<strong>0</strong>" in seen(her, "/today/")
    before = seen(her, "/dashboard/")
    first, flicks = Exercise.objects.filter(name__in=["Oefening 1", "Oefening 2"]).order_by("name")

    saved = her.post(
        "/today/log/",
        {
            "idempotency_key": str(uuid.uuid4()),
            "started_at": NOW.isoformat(),
            "duration_seconds": "240",
            "completed": "true",
            "part-TOTAL_FORMS": "2",
            "part-INITIAL_FORMS": "0",
            "part-0-exercise": first.pk,
            "part-0-repetitions_done": "5",
            "part-1-exercise": flicks.pk,
            "part-1-repetitions_done": "10",
        },
        headers={"Accept": "application/json"},
    )

    assert saved.json()["created"] is True
    assert "<strong>1</strong>" in seen(her, "/today/")
    assert seen(her, "/dashboard/") != before


def test_a_diary_day_shows_at_once(her):
    assert "Na het fietsen" not in seen(her, "/diary/")

    her.post(
        "/diary/",
        {
            "date": "2026-03-11",
            "leaks": 1,
            "pads": 1,
            "urgency": 1,
            "back_pain": 2,
            "note": "Na het fietsen",
        },
    )

    assert "Na het fietsen" in seen(her, "/diary/?date=2026-03-11")
    assert "Na het fietsen" in seen(her, "/diary/")


def test_a_lesson_she_finishes_shows_on_the_course_page_at_once(her, lessons):
    course_page = seen(her, "/courses/bekkenbodem/")
    assert course_page.count("badge-done") == 0

    her.post(f"{LESSON}complete/")

    assert seen(her, "/courses/bekkenbodem/").count("badge-done") >= 1


def test_a_dose_her_therapist_sets_shows_at_once(staff, her, alice):
    exercise = Exercise.objects.get(name="Oefening 1")
    assert 'data-hold="5"' in seen(her, LESSON)

    staff.post(
        f"/therapist/patients/{alice.pk}/doses/{exercise.pk}/",
        {"mode": "own", "hold_seconds": 6, "relax_seconds": 8, "repetitions": 7, "sets": 1},
    )

    assert 'data-hold="6"' in seen(her, LESSON)
    assert "badge-adjusted" in seen(her, "/today/")


def test_a_step_her_therapist_opens_shows_at_once(staff, her, alice, lessons):
    locked = lessons[2].get_absolute_url()
    assert "lock" in seen(her, "/courses/bekkenbodem/")
    assert her.get(locked).status_code == 200  # the locked page, explaining why

    complete(alice, lessons[0])  # lesson 2 open; step 2 still locked behind it
    staff.post(f"/therapist/patients/{alice.pk}/unlock/")

    assert "lesson_locked" not in [t.name for t in her.get(locked).templates]


def test_an_urgent_safety_answer_shows_on_every_page_at_once(her, alice):
    for url in ("/today/", LESSON, "/dashboard/"):
        assert "safety-warning" not in seen(her, url)

    her.post("/safety/", {"flags_now": ["saddle_numbness"]})

    for url in ("/today/", LESSON, "/dashboard/"):
        assert "safety-warning safety-now" in seen(her, url), url


# --- One patient's kept page is never another's -------------------------------------------


def test_two_patients_never_see_each_others_progress_questions_or_doses(
    staff, her, alice, bob, course, lessons
):
    Enrollment.objects.create(user=bob, course=course)
    his = Client(HTTP_ACCEPT_LANGUAGE="nl")
    his.force_login(bob)
    safety_answers(bob)
    exercise = Exercise.objects.get(name="Oefening 1")
    LessonQuestion.objects.create(user=alice, lesson=lessons[0], text="Alleen van Alice")
    staff.post(
        f"/therapist/patients/{alice.pk}/doses/{exercise.pk}/",
        {"mode": "own", "hold_seconds": 9, "relax_seconds": 9, "repetitions": 7, "sets": 1},
    )
    complete(alice, lessons[0])

    for url in (LESSON, "/today/", "/courses/bekkenbodem/", "/dashboard/", "/diary/"):
        hers, his_page = seen(her, url), seen(his, url)
        assert f'data-user="{alice.pk}"' in hers and f'data-user="{bob.pk}"' in his_page, url
        assert "Alleen van Alice" not in his_page, url
        assert 'data-hold="9"' not in his_page, url
    assert "Alleen van Alice" in seen(her, LESSON)
    assert 'data-hold="9"' in seen(her, LESSON)


def csrf_tokens(page):
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)


def log_keys(page):
    return [i["value"] for i in tags(page, "input") if i.get("name") == "idempotency_key"]


def test_a_kept_page_has_her_own_csrf_token_and_new_keys_every_time(her, alice, bob, course):
    Enrollment.objects.create(user=bob, course=course)
    his = Client(HTTP_ACCEPT_LANGUAGE="nl", enforce_csrf_checks=True)
    his.force_login(bob)
    first, second = seen(her, LESSON), her.get(LESSON).content.decode()
    his_page = his.get(LESSON).content.decode()

    assert log_keys(first) and set(log_keys(first)).isdisjoint(log_keys(second))
    assert len(set(log_keys(first))) == len(log_keys(first))  # one key per form
    assert csrf_tokens(first) and csrf_tokens(his_page)
    assert "csrf-" not in first and "key-" not in " ".join(log_keys(first))

    # The token in his kept page is his own: a form sent with it is accepted.
    his.get(LESSON)
    token = csrf_tokens(his.get(LESSON).content.decode())[0]
    answer = his.post(f"{LESSON}complete/", {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302
