"""Query budgets of the patient's pages, held as tests (issue 11).

A page is built afresh (courses/pagecache.py keeps a page she saw until something on it
changes) within its budget, the same for 5 or 60 lessons, one day or two years of diary
and practice, and one or fifty other patients; a kept page costs one query (her user,
which every page loads). The content cache (courses/content.py) is warm, as it is after
the first page view of a process since the last content change.
"""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from accounts.versions import data_changed
from courses import pagecache
from courses.models import Enrollment, Exercise, Lesson, LessonImage, Step
from courses.signals import content_version
from tests.factories import complete, make_course, make_routine, make_user, practise, safety_answers
from therapy.journey.models import DiaryEntry

BUDGETS = {
    "lesson": 6,
    "today": 6,
    "dashboard": 8,
    "course": 5,
    "courses": 5,
    "diary": 5,
}


def png_bytes(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def dress_up(lesson):
    """Give a lesson 2 images (with renditions) and 3 exercises in all."""
    for index in range(2):
        LessonImage.objects.create(
            lesson=lesson,
            image=ContentFile(png_bytes(900, 600), name=f"{lesson.slug}-{index}.png"),
            alt_text=f"Plaatje {index}",
            order=index,
        )
    for index in range(2):
        Exercise.objects.create(lesson=lesson, name=f"Extra {index}", order=index + 1)


def add_lessons(course, count):
    """Append `count` published lessons in new steps of 10 after the existing ones."""
    step_order = course.steps.count()
    for number in range(count):
        if number % 10 == 0:
            step = Step.objects.create(
                course=course, title=f"Extra stap {number}", order=step_order
            )
            step_order += 1
        lesson = Lesson.objects.create(
            step=step,
            title=f"Extra les {number}",
            slug=f"extra-les-{number}",
            order=number,
            published=True,
        )
        Exercise.objects.create(lesson=lesson, name=f"Extra oefening {number}")


def two_years(user):
    """A daily diary and three routine sessions a day for two years."""
    today = datetime.date.today()
    DiaryEntry.objects.bulk_create(
        DiaryEntry(
            user=user,
            date=today - datetime.timedelta(days=i),
            leaks=i % 4,
            pads=i % 3,
            urgency=i % 3,
            back_pain=i % 7,
        )
        for i in range(1, 730)
    )
    now = datetime.datetime.now(tz=datetime.UTC)
    practise(
        user, *(now - datetime.timedelta(days=i, hours=h) for i in range(730) for h in (1, 5, 9))
    )


def fresh_queries(client, url):
    """Queries of the page built afresh (not kept), after one view that may record a visit."""
    client.get(url)
    pagecache.forget_all()
    # The content version lives a few seconds in the shared cache: on a slow (busy) machine
    # it may run out between the views, and its refresh is not the page's query.
    content_version()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def kept_queries(client, url):
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


@pytest.fixture
def pages(course, lessons):
    """Her pages; lesson 3 is open, with 2 images and 3 exercises."""
    return {
        "courses": "/courses/",
        "course": "/courses/bekkenbodem/",
        "lesson": "/courses/bekkenbodem/bekkenbodem-les-3/",
        "today": "/today/",
        "dashboard": "/dashboard/",
        "diary": "/diary/",
    }


@pytest.fixture
def followed(alice, course, lessons):
    make_routine(course)
    complete(alice, lessons[0], lessons[1])
    dress_up(lessons[2])
    safety_answers(alice)
    return alice


def test_every_page_stays_within_its_budget(alice_client, followed, pages):
    counts = {name: fresh_queries(alice_client, url) for name, url in pages.items()}

    assert {name: n for name, n in counts.items() if n > BUDGETS[name]} == {}, counts


def test_a_step_that_waits_for_practice_stays_within_the_budget(
    alice_client, followed, course, lessons, pages
):
    # Lesson 4 opens a step that waits for routine sessions: the outline counts them.
    step = lessons[3].step
    step.unlock_after_sessions = 20
    step.save()
    complete(followed, lessons[2])

    for name in ("lesson", "today", "dashboard", "course"):
        assert fresh_queries(alice_client, pages[name]) <= BUDGETS[name], name


def test_a_kept_page_costs_one_query(alice_client, followed, pages):
    for name, url in pages.items():
        assert kept_queries(alice_client, url) <= 1, name


def test_the_budget_does_not_grow_with_lessons_entries_or_patients(
    alice_client, followed, course, lessons, pages
):
    small = {name: fresh_queries(alice_client, url) for name, url in pages.items()}

    add_lessons(course, 55)
    assert len(course.published_lessons()) == 60
    complete(followed, *Lesson.objects.filter(slug__startswith="extra-les-")[:5])
    two_years(followed)
    for number in range(50):
        other = make_user(f"patient{number}@example.com")
        Enrollment.objects.create(user=other, course=course)
        complete(other, lessons[0])
        practise(other, datetime.datetime.now(tz=datetime.UTC))
    data_changed(followed.pk)
    large = {name: fresh_queries(alice_client, url) for name, url in pages.items()}

    assert large == small


@pytest.mark.parametrize(
    "url",
    [
        "/courses/groot/groot-les-13/",  # open, with 2 images and 3 exercises
        "/courses/groot/groot-les-5/",  # done
        "/courses/groot/groot-les-40/",  # locked
    ],
)
def test_a_lesson_of_a_50_lesson_course_stays_within_the_budget(alice_client, alice, url):
    course = make_course(slug="groot", lessons_per_step=(10,) * 5)
    Enrollment.objects.create(user=alice, course=course)
    lessons = list(course.published_lessons())
    complete(alice, *lessons[:12])
    dress_up(lessons[12])

    assert fresh_queries(alice_client, url) <= BUDGETS["lesson"]


def test_it_shows_the_big_lesson_with_its_images_and_exercises(alice_client, alice):
    course = make_course(slug="groot", lessons_per_step=(10,) * 5)
    Enrollment.objects.create(user=alice, course=course)
    lessons = list(course.published_lessons())
    complete(alice, *lessons[:12])
    dress_up(lessons[12])

    html = alice_client.get("/courses/groot/groot-les-13/").content.decode()

    assert html.count("<figure") == 2
    assert html.count('id="exercise-') == 3


def test_with_kept_pages_off_every_view_is_built_within_its_budget(
    alice_client, followed, pages, settings
):
    # What the benchmark measures as "built afresh" (scripts/bench.py, KEEP_PAGES=0).
    settings.KEEP_PAGES = False
    for name, url in pages.items():
        assert 1 < kept_queries(alice_client, url) <= BUDGETS[name], name


def test_her_therapists_changes_and_feedback_stay_within_the_budget(
    alice_client, followed, course, lessons, therapist, pages
):
    from courses.models import Feedback, PatientAccess

    PatientAccess.objects.choose(user=followed, by=therapist, state="hidden", lesson=lessons[4])
    PatientAccess.objects.choose(user=followed, by=therapist, state="open", lesson=lessons[3])
    step = lessons[0].step
    step.waits_for_feedback = True
    step.save()
    Feedback.objects.create(user=followed, written_by=therapist, text="Goed bezig", step=step)
    Feedback.objects.create(user=followed, written_by=therapist, text="Nog een keer")

    counts = {name: fresh_queries(alice_client, url) for name, url in pages.items()}

    assert {name: n for name, n in counts.items() if n > BUDGETS[name]} == {}, counts
