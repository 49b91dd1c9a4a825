"""Course content in Dutch and English (django-modeltranslation, courses/translation.py):
the patient reads her language, Dutch where a text has no English yet (with a note and
lang="nl"), with the same queries in both; the therapist writes both side by side."""

import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from courses import languages
from courses.models import Course, Exercise, Lesson, LessonImage, Step
from courses.signals import content_changed
from tests.html import tags
from therapy.journey.models import AnswerOption, Question, Questionnaire

LESSON = "/courses/bekkenbodem/bekkenbodem-les-1/"
DUTCH = re.compile(r'\slang="nl"')  # an element marked as Dutch (not data-lang)
NOTE_WHOLE = "This lesson has not been written in English yet, so you are reading it in Dutch."
NOTE_PARTS = "Parts of this lesson have not been written in English yet; they are shown in Dutch."


def article(html):
    """The lesson itself, without the page's language menu (whose options name theirs)."""
    return html.split('<article class="lesson"', 1)[1].split("</article>", 1)[0]


def browser(user, language):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


@pytest.fixture
def english(lessons):
    """The first lesson, its exercise and an image written in English too."""
    lesson = lessons[0]
    Step.objects.filter(pk=lesson.step_id).update(title_en="Step 1")
    Lesson.objects.filter(pk=lesson.pk).update(
        title_en="Lesson 1", summary_en="Summary of lesson 1", body_en="Text of **lesson 1**."
    )
    Exercise.objects.filter(lesson=lesson).update(name_en="Exercise 1", instructions_en="Lie down.")
    LessonImage.objects.create(
        lesson=lesson,
        image="x.png",
        width=10,
        height=10,
        alt_text_nl="Een bekken",
        alt_text_en="A pelvis",
        caption_nl="Je bekken",
        caption_en="Your pelvis",
    )
    content_changed()
    return lesson


def lesson_page(user, language):
    response = browser(user, language).get(LESSON)
    assert response.status_code == 200
    return response, response.content.decode()


def test_she_reads_the_lesson_in_english_with_an_english_browser(alice, english):
    response, html = lesson_page(alice, "en")

    assert '<html lang="en"' in html
    assert '<h1 id="lesson-title">Lesson 1</h1>' in html
    assert "Summary of lesson 1" in html and "Text of <strong>lesson 1</strong>." in html
    assert "Exercise 1" in html and "Lie down." in html
    assert "Oefening 1" not in html and "Tekst van" not in html
    (img,) = [i for i in tags(response, "img") if i.get("alt") == "A pelvis"]
    assert img["lang"] == "en"  # said as English even where it sits in a Dutch text
    assert "Your pelvis" in html
    assert "lesson-fallback" not in html and not DUTCH.search(article(html))
    assert 'data-lang="en"' in html  # read aloud in English


def test_she_reads_it_in_dutch_with_a_dutch_browser_and_each_language_is_kept_apart(alice, english):
    _, dutch = lesson_page(alice, "nl")
    _, english_page = lesson_page(alice, "en")
    _, dutch_again = lesson_page(alice, "nl")  # from the kept content, still Dutch

    for html in (dutch, dutch_again):
        assert '<h1 id="lesson-title">Les 1</h1>' in html
        assert "Tekst van <strong>les 1</strong>." in html and "Oefening 1" in html
        assert "Lesson 1" not in html and "lesson-fallback" not in html
        assert 'data-lang="nl"' in html
    assert "Lesson 1" in english_page


def test_a_lesson_without_english_is_dutch_with_a_note_and_marked_as_dutch(alice, lessons):
    response, html = lesson_page(alice, "en-GB")

    assert '<html lang="en"' in html
    (note,) = [p for p in tags(response, "p") if "lesson-fallback" in p.get("class", "")]
    assert NOTE_WHOLE in html
    assert '<h1 id="lesson-title" lang="nl">Les 1</h1>' in html
    assert re.search(r'<div class="prose" lang="nl">\s*<p>Tekst van <strong>les 1', html)
    assert 'data-lang="nl"' in html  # read aloud with a Dutch voice
    assert "Exercises" in html  # the interface is still English


def test_a_lesson_with_only_some_texts_in_english_says_which_are_dutch(alice, english):
    Exercise.objects.filter(lesson=english).update(name_en=None, instructions_en="")
    content_changed()

    response, html = lesson_page(alice, "en")

    assert NOTE_PARTS in html
    assert '<h1 id="lesson-title">Lesson 1</h1>' in html
    assert '<span lang="nl">Oefening 1</span>' in html
    assert 'data-lang="en"' in html  # the text itself is English


def test_a_text_the_lesson_page_does_not_show_needs_no_note(alice, english):
    # The starting position is said on the Today page; the transcript goes with a video.
    Exercise.objects.filter(lesson=english).update(starting_position_nl="Lig op je rug.")
    Lesson.objects.filter(pk=english.pk).update(transcript_nl="Wat er gezegd wordt.")
    content_changed()

    _, html = lesson_page(alice, "en")

    assert "lesson-fallback" not in html


def test_the_dutch_page_never_has_the_note(alice, lessons):
    _, html = lesson_page(alice, "nl")

    assert "lesson-fallback" not in html and not DUTCH.search(article(html))


def test_an_english_page_costs_the_same_queries_as_a_dutch_one(alice, english):
    counts = {}
    for language in ("nl", "en", "nl", "en"):
        client = browser(alice, language)
        client.get(LESSON)  # warm: the kept content of this language
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LESSON).status_code == 200
        counts[language] = len(queries)
    assert counts["en"] == counts["nl"]


def test_the_course_pages_list_the_english_titles(alice, english):
    client = browser(alice, "en")

    overview = client.get("/courses/bekkenbodem/").content.decode()

    assert "Lesson 1" in overview
    assert "Les 2" in overview  # not translated: its Dutch title


@pytest.fixture
def questionnaire(db):
    questionnaire = Questionnaire.objects.create(
        title_nl="Lekcheck",
        title_en="Leak check",
        slug="lekcheck",
        published=True,
        min_meaningful_change=1,
    )
    question = Question.objects.create(
        questionnaire=questionnaire, text_nl="Hoe vaak lekte je?", text_en="How often?", order=0
    )
    AnswerOption.objects.create(question=question, label_nl="Nooit", label_en="Never", score=0)
    AnswerOption.objects.create(question=question, label_nl="Vaak", score=1, order=1)
    return questionnaire


def test_a_questionnaire_is_asked_in_english_with_dutch_where_a_label_is_missing(
    alice, questionnaire
):
    html = browser(alice, "en").get("/questionnaires/lekcheck/").content.decode()

    assert "Leak check" in html and "How often?" in html and "Never" in html
    assert "Vaak" in html  # no English yet: Dutch
    assert "Hoe vaak lekte je?" not in html


# --- The admin: both languages side by side --------------------------------------------


def test_the_admin_puts_each_text_beside_its_english(therapist_client, lessons):
    html = therapist_client.get(f"/admin/courses/lesson/{lessons[0].pk}/change/").content.decode()

    for field in ("title", "summary", "transcript"):
        assert re.search(rf'class="form-row[^"]*field-{field}_nl field-{field}_en', html), field
    step = therapist_client.get(f"/admin/courses/step/{lessons[0].step_id}/change/")
    assert re.search(r'class="form-row[^"]*field-title_nl field-title_en', step.content.decode())
    # The exercise's name beside its English, its kind and order in the same row.
    assert re.search(r'class="form-row[^"]*field-name_nl field-name_en field-kind', html)
    assert re.search(r'<input[^>]*name="title_nl"[^>]*required', html)  # Dutch is required
    assert not re.search(r'<input[^>]*name="title_en"[^>]*required', html)
    questionnaire = Questionnaire.objects.create(title="Lekcheck", slug="lekcheck")
    page = therapist_client.get(f"/admin/therapy/questionnaire/{questionnaire.pk}/change/")
    assert re.search(r'class="form-row[^"]*field-title_nl field-title_en', page.content.decode())


def test_a_duplicated_lesson_is_a_copy_in_every_language(therapist_client, english):
    response = therapist_client.post(
        "/admin/courses/lesson/",
        {"action": "duplicate_as_draft", "_selected_action": [english.pk]},
    )

    assert response.status_code == 302
    copy = Lesson.objects.get(slug=f"{english.slug}-copy")
    assert (copy.title_nl, copy.title_en) == ("Kopie van Les 1", "Copy of Lesson 1")
    assert copy.body_en == "Text of **lesson 1**." and not copy.published


# --- The texts written before there were two languages ----------------------------------


def test_the_migration_makes_the_texts_written_so_far_dutch(transactional_db):
    before = [("courses", "0015_history_follows"), ("therapy", "0006_calendar_feed")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    old.get_model("courses", "Course").objects.create(
        title="Oud", slug="oud", summary="Van voor de talen"
    )
    old_question = old.get_model("therapy", "Question").objects.create(
        questionnaire=old.get_model("therapy", "Questionnaire").objects.create(
            title="Kort", slug="kort"
        ),
        text="Hoe gaat het?",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    course = Course.objects.get(slug="oud")
    assert (course.title_nl, course.summary_nl, course.title_en) == (
        "Oud",
        "Van voor de talen",
        None,
    )
    with translation.override("en"):
        assert course.title == "Oud"  # shown in Dutch until someone writes the English
    assert set(languages.missing(course, language="en")) == {"title", "summary"}
    assert Question.objects.get(pk=old_question.pk).text_nl == "Hoe gaat het?"
