"""Stylesheets per page family, one palette, and no inline styles (for a strict CSP)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from courses.models import LessonQuestion

CSS = Path(settings.BASE_DIR) / "static" / "css"
TEMPLATES = Path(settings.BASE_DIR) / "templates"
LESSON = "/courses/bekkenbodem/bekkenbodem-les-1/"
# Set by timer.js on the timer's stage (JS may set style properties under the CSP).
SET_BY_SCRIPT = {"--phase-seconds"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sheets = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.sheets.append(attrs["href"].rsplit("/", 1)[-1])


def stylesheets(response):
    assert response.status_code == 200
    parser = _Links()
    parser.feed(response.content.decode())
    return parser.sheets


@pytest.fixture
def pages(client, alice, therapist, lessons):
    """{family: [response, …]} for a few pages of each kind, as their users see them."""
    question = LessonQuestion.objects.create(user=alice, lesson=lessons[0], text="Mag dit?")
    anonymous = [client.get(url) for url in ("/", "/accounts/login/", "/privacy/")]
    client.force_login(alice)
    patient = [client.get(url) for url in ("/courses/", "/courses/bekkenbodem/")]
    lesson = [client.get(LESSON)]
    progress = [client.get(url) for url in ("/dashboard/", "/diary/")]
    client.force_login(therapist)
    clinic = [client.get(url) for url in ("/therapist/", f"/therapist/questions/{question.pk}/")]
    patient_page = [client.get(f"/therapist/patients/{alice.pk}/")]
    return {
        "anonymous": anonymous,
        "patient": patient,
        "lesson": lesson,
        "progress": progress,
        "clinic": clinic,
        "patient_page": patient_page,
    }


def test_it_puts_base_css_first_on_every_page(pages):
    for responses in pages.values():
        for response in responses:
            assert stylesheets(response)[0] == "base.css", response.request["PATH_INFO"]


def test_it_loads_practice_css_only_on_the_lesson_page_with_its_timer(pages):
    for family, responses in pages.items():
        for response in responses:
            has_timer = "data-timer " in response.content.decode()
            assert ("practice.css" in stylesheets(response)) == has_timer == (family == "lesson")


def test_it_loads_clinic_css_only_on_therapist_pages(pages):
    for family, responses in pages.items():
        for response in responses:
            wanted = family in ("clinic", "patient_page")
            assert ("clinic.css" in stylesheets(response)) == wanted, family


def test_it_loads_progress_css_where_her_progress_and_charts_are(pages):
    for family, responses in pages.items():
        for response in responses:
            wanted = family in ("progress", "patient_page")
            assert ("progress.css" in stylesheets(response)) == wanted, family
    assert stylesheets(pages["patient_page"][0]) == ["base.css", "progress.css", "clinic.css"]


def test_it_renders_pages_without_inline_styles(pages):
    for responses in pages.values():
        for response in responses:
            assert not re.search(r"\sstyle=", response.content.decode()), response.request


def test_it_has_no_inline_style_in_page_templates():
    # HTML emails keep theirs: mail clients ignore stylesheets.
    found = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if "email" not in path.parent.parts and re.search(r"\sstyle=", path.read_text())
    ]
    assert found == []


def _root_properties():
    base = (CSS / "base.css").read_text()
    [root] = re.findall(r":root\s*\{(.*?)\}", base, re.S)
    return root, set(re.findall(r"(--[\w-]+)\s*:", root))


def test_it_keeps_every_colour_in_the_palette():
    root, _names = _root_properties()
    for path in CSS.glob("*.css"):
        text = path.read_text().replace(root, "")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
        colours = re.findall(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(", text)
        assert colours == [], path.name


def test_it_uses_only_custom_properties_that_the_palette_defines():
    _root, defined = _root_properties()
    for name in ("base.css", "practice.css", "progress.css", "clinic.css"):
        used = set(re.findall(r"var\((--[\w-]+)", (CSS / name).read_text()))
        assert used - defined - SET_BY_SCRIPT == set(), name
