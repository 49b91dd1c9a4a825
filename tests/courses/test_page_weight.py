"""A lesson page on a phone: its HTML, CSS and JS stay under 30 KB compressed (issue 11).

Measured on the demo course, whose lessons are as long as real ones: the HTML as nginx
compresses it (gzip at its default level 1) plus each stylesheet and script the page links,
read from the static finders and compressed as whitenoise does at collectstatic (gzip level
9, which nginx's gzip_static sends). Images come on top, and load lazily.
"""

import gzip
import io
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from courses.models import Course, Enrollment, LessonProgress, Step
from courses.outline import LessonState
from courses.signals import content_changed

pytestmark = pytest.mark.django_db

BUDGET = 30 * 1024
FIRST_LESSON = "/courses/bekkenbodem-in-balans/welkom-bekkenbodem-houding-en-rug/"


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.paths = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.paths.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.paths.append(attrs["src"])


def weight(response):
    """{"html": bytes, "/static/…": bytes, …}: what the page costs compressed."""
    assert response.status_code == 200
    html = response.content
    parser = _Assets()
    parser.feed(html.decode())
    sizes = {"html": len(gzip.compress(html, compresslevel=1))}
    for path in parser.paths:
        assert path.startswith("/static/"), path  # nothing from elsewhere
        found = finders.find(path.removeprefix("/static/"))
        assert found, path
        with open(found, "rb") as file:
            sizes[path] = len(gzip.compress(file.read(), compresslevel=9))
    return sizes


@pytest.fixture
def demo(alice):
    """Alice in the demo course, every step open as soon as the one before it is done."""
    call_command("seed_demo", stdout=io.StringIO())
    Step.objects.update(unlock_after_days=0, unlock_after_sessions=0)
    content_changed()  # after an update(): the content cache must see it
    course = Course.objects.get(slug="bekkenbodem-in-balans")
    Enrollment.objects.enrol(user=alice, course=course)
    return course


def test_it_keeps_every_demo_lesson_under_30_kb(client, alice, demo):
    client.force_login(alice)
    first = weight(client.get(FIRST_LESSON))
    measured = {}
    while True:
        outline = demo.outline_for(alice)
        todo = [
            lesson
            for lesson in outline.lessons
            if lesson.state == LessonState.OPEN and lesson.slug not in measured
        ]
        if not todo:
            break
        for lesson in todo:
            # As she first sees it: open, not yet done.
            measured[lesson.slug] = sum(weight(client.get(lesson.get_absolute_url())).values())
            LessonProgress.objects.submit_completion(user=alice, lesson=lesson)

    assert "/static/js/timer.js" in first  # a lesson with an exercise: the heaviest kind
    assert sum(first.values()) < BUDGET, first
    assert len(measured) == len(outline.lessons) == 19
    heaviest = max(measured, key=measured.get)
    assert measured[heaviest] < BUDGET, (heaviest, measured[heaviest])
