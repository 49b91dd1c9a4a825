"""The patient's pages run a fixed number of queries, however long the course is."""

import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from courses.models import Enrollment, Exercise, Lesson, LessonImage, Step
from tests.factories import complete, make_course

# The lesson page now also reads her dose (dose steps, her own doses); issue 11 brings the
# pages down to their own, lower budgets.
MAX_QUERIES = 14
PAGES = [
    "/courses/",
    "/courses/bekkenbodem/",
    "/courses/bekkenbodem/bekkenbodem-les-3/",  # open, with 2 images and 3 exercises
    "/courses/bekkenbodem/bekkenbodem-les-2/",  # done
    "/courses/bekkenbodem/bekkenbodem-les-5/",  # locked
]


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


def count_queries(client, url):
    client.get(url)  # the first visit may record that the lesson was opened
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


@pytest.fixture
def big_course(alice):
    """50 published lessons in 5 steps of 10; alice has done the first 12."""
    course = make_course(slug="groot", lessons_per_step=(10,) * 5)
    Enrollment.objects.create(user=alice, course=course)
    lessons = list(course.published_lessons())
    complete(alice, *lessons[:12])
    dress_up(lessons[12])
    return course


@pytest.mark.parametrize(
    "url",
    [
        "/courses/groot/",
        "/courses/groot/groot-les-13/",  # open, with 2 images and 3 exercises
        "/courses/groot/groot-les-5/",  # done
        "/courses/groot/groot-les-40/",  # locked
    ],
)
def test_it_stays_within_the_query_budget_with_50_lessons(
    alice_client, big_course, django_assert_max_num_queries, url
):
    alice_client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = alice_client.get(url)

    assert response.status_code == 200


def test_it_lists_courses_within_the_query_budget(
    alice_client, big_course, django_assert_max_num_queries
):
    alice_client.get("/courses/")
    with django_assert_max_num_queries(MAX_QUERIES):
        response = alice_client.get("/courses/")

    assert len(response.context["outlines"]) == 2


def test_it_shows_the_big_lesson_with_its_images_and_exercises(alice_client, big_course):
    response = alice_client.get("/courses/groot/groot-les-13/")

    html = response.content.decode()
    assert html.count("<figure") == 2
    assert html.count('id="exercise-') == 3


def test_it_runs_as_many_queries_for_50_lessons_as_for_5(alice_client, alice, course, lessons):
    complete(alice, lessons[0], lessons[1])
    dress_up(lessons[2])
    small = {url: count_queries(alice_client, url) for url in PAGES}

    add_lessons(course, 45)
    complete(alice, *Lesson.objects.filter(slug__startswith="extra-les-")[:5])
    assert len(course.published_lessons()) == 50
    large = {url: count_queries(alice_client, url) for url in PAGES}

    assert large == small
    assert max(large.values()) <= MAX_QUERIES
