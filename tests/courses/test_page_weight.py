"""A lesson page on a phone: its HTML, CSS and JS stay under 30 KB compressed (issue 11).

Measured on the demo course, whose lessons are as long as real ones: the HTML as nginx
compresses it (gzip at deploy/nginx.conf's level) plus each stylesheet and script the page links,
read from the static finders and compressed as whitenoise does at collectstatic (gzip level
9, which nginx's gzip_static sends). Images come on top, and load lazily.
"""

import gzip
import io
import re
from html.parser import HTMLParser
from pathlib import Path

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


# The level deploy/nginx.conf compresses pages at.
NGINX_LEVEL = int(
    re.search(
        r"gzip_comp_level (\d+);",
        (Path(__file__).resolve().parents[2] / "deploy/nginx.conf").read_text(),
    )[1]
)


# What a lesson with its own video may add: video.js and the transcript (about 2 KB).
VIDEO_EXTRA = 2 * 1024


def weight(response):
    """{"html": bytes, "/static/…": bytes, …}: what the page costs compressed."""
    assert response.status_code == 200
    html = response.content
    parser = _Assets()
    parser.feed(html.decode())
    sizes = {"html": len(gzip.compress(html, compresslevel=NGINX_LEVEL))}
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
            sizes = weight(client.get(lesson.get_absolute_url()))
            # A lesson with its own video also loads the player's script and its transcript:
            # held to the budget plus VIDEO_EXTRA (the video itself, like images, comes on top).
            extra = VIDEO_EXTRA if "/static/js/video.js" in sizes else 0
            measured[lesson.slug] = sum(sizes.values()) - extra
            LessonProgress.objects.submit_completion(user=alice, lesson=lesson)

    assert "/static/js/timer.js" in first  # a lesson with an exercise: the heaviest kind
    assert sum(first.values()) < BUDGET, first
    assert len(measured) == len(outline.lessons) == 19
    heaviest = max(measured, key=measured.get)
    assert measured[heaviest] < BUDGET, (heaviest, measured[heaviest])
