"""The demo course in the patient's language: English with an English browser, Dutch with a
Dutch one, and Dutch with a note where a lesson has no English text yet."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from courses.models import Course, Enrollment, Lesson, Step
from courses.signals import content_changed
from tests.browser.test_read_aloud import FAKE_SPEECH
from tests.factories import complete

pytestmark = pytest.mark.browser

FIRST = "welkom-bekkenbodem-houding-en-rug"  # the first demo lesson: text, exercises, image
SECOND = "bekkenbodem-vinden-en-aanspannen"


@pytest.fixture
def demo(alice):
    """Alice in the demo course (both languages, as seed_demo loads it), every step open."""
    call_command("seed_demo", stdout=io.StringIO())
    Step.objects.update(unlock_after_days=0, unlock_after_sessions=0)
    content_changed()  # after an update(): the content cache must see it
    course = Course.objects.get(slug="bekkenbodem-in-balans")
    Enrollment.objects.enrol(user=alice, course=course)
    complete(alice, Lesson.objects.get(slug=FIRST))  # the second lesson opens after it
    return course


@pytest.fixture
def browse_in(browser, browser_context_args, live_server, log_in, alice):
    """A page of a browser whose language is `language` (its Accept-Language), logged in."""
    contexts = []

    def browse_in(language):
        context = browser.new_context(
            **{**browser_context_args, "locale": language},
            extra_http_headers={"Accept-Language": f"{language},{language[:2]};q=0.9"},
        )
        contexts.append(context)
        log_in(context, alice)
        return context.new_page()

    yield browse_in
    for context in contexts:
        context.close()


def open_lesson(page, live_server, slug):
    page.goto(f"{live_server.url}/courses/bekkenbodem-in-balans/{slug}/")
    return Lesson.objects.get(slug=slug)


def exercise_names(page):
    return page.locator(".exercise").evaluate_all("cards => cards.map(c => c.dataset.name)")


def first_paragraph(text):
    return next(line for line in text.splitlines() if line and not line.startswith(("#", "-")))


def test_an_english_browser_gets_the_lesson_in_english(demo, browse_in, live_server):
    page = browse_in("en-GB")
    lesson = open_lesson(page, live_server, FIRST)

    assert lesson.title_en and lesson.title_en != lesson.title_nl
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#lesson-title")).to_have_text(lesson.title_en)
    expect(page.locator(".lesson .lead")).to_have_text(lesson.summary_en)
    expect(page.locator(".lesson .prose")).to_contain_text(first_paragraph(lesson.body_en))
    names = [exercise.name_en for exercise in lesson.exercises.order_by("order")]
    assert names and all(names)
    assert exercise_names(page) == names
    expect(page.locator(".exercise h3").first).to_contain_text(names[0])
    image = lesson.images.get()
    expect(page.locator(".lesson-figure img")).to_have_attribute("alt", image.alt_text_en)
    expect(page.locator(".lesson-fallback")).to_have_count(0)  # nothing fell back to Dutch
    expect(page.locator(".lesson [lang=nl]")).to_have_count(0)
    expect(page.locator("[data-read-aloud]")).to_have_attribute("data-lang", "en")
    expect(page.get_by_role("heading", name="Exercises")).to_be_visible()  # and the interface


def test_a_dutch_browser_gets_the_lesson_in_dutch(demo, browse_in, live_server):
    page = browse_in("nl-NL")
    lesson = open_lesson(page, live_server, FIRST)

    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.locator("#lesson-title")).to_have_text(lesson.title_nl)
    expect(page.locator(".lesson .prose")).to_contain_text(first_paragraph(lesson.body_nl))
    names = [exercise.name_nl for exercise in lesson.exercises.order_by("order")]
    assert exercise_names(page) == names
    expect(page.locator(".lesson-fallback")).to_have_count(0)
    expect(page.locator("[data-read-aloud]")).to_have_attribute("data-lang", "nl")
    expect(page.get_by_role("heading", name="Oefeningen")).to_be_visible()


def test_a_lesson_without_english_text_is_shown_in_dutch_with_a_note(demo, browse_in, live_server):
    Lesson.objects.filter(slug=SECOND).update(title_en=None, summary_en=None, body_en="")
    content_changed()
    page = browse_in("en-GB")
    lesson = open_lesson(page, live_server, SECOND)

    expect(page.locator(".lesson-fallback")).to_have_text(
        "This lesson has not been written in English yet, so you are reading it in Dutch."
    )
    title = page.locator("#lesson-title")
    expect(title).to_have_text(lesson.title_nl)
    expect(title).to_have_attribute("lang", "nl")  # screen readers speak it as Dutch
    prose = page.locator(".lesson .prose")
    expect(prose).to_contain_text(first_paragraph(lesson.body_nl))
    expect(prose).to_have_attribute("lang", "nl")
    expect(page.locator("[data-read-aloud]")).to_have_attribute("data-lang", "nl")
    # Its exercises and image still have their English words; the interface stays English.
    [exercise] = lesson.exercises.all()
    assert exercise_names(page) == [exercise.name_en]
    expect(page.locator(".exercise h3 [lang]")).to_have_count(0)
    expect(page.get_by_role("heading", name="Exercises")).to_be_visible()

    # Read aloud speaks each part in its own language: the Dutch title and text with a Dutch
    # voice, the English exercise with an English one.
    page.add_init_script(FAKE_SPEECH)
    page.reload()
    page.get_by_role("button", name="Read aloud").click()
    for _ in range(200):
        if page.evaluate("window.__current === null"):
            break
        page.evaluate("window.__finish()")
    spoken = page.evaluate("window.__spoken")
    said = {piece["text"]: piece["lang"] for piece in spoken}
    assert said[lesson.title_nl] == "nl"
    assert said[first_paragraph(lesson.body_nl).replace("**", "")] == "nl"
    (heading,) = [text for text in said if text.startswith(exercise.name_en)]  # with its kind
    assert said[heading] == "en"

    # Another lesson of the course, fully translated, has no note.
    open_lesson(page, live_server, FIRST)
    expect(page.locator(".lesson-fallback")).to_have_count(0)
