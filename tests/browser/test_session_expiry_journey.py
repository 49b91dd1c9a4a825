"""Nothing she typed is lost when her session ends while she types: after logging in she is
back on the form with her text (static/js/drafts.js), never on a POST-only address."""

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from courses.models import LessonQuestion
from tests.factories import PASSWORD
from therapy.journey.models import DiaryEntry

pytestmark = pytest.mark.browser

NOTE = "Na het fietsen meer last."
QUESTION = "Mag ik de oefening ook staand doen?"


def end_all_sessions():
    """As if she was away for hours: the server has forgotten every session (rows and the
    cache that cached_db reads them through)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in Session.objects.values_list("session_key", flat=True):
        store(session_key=key).delete()


def log_in_again(page, live_server):
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.fill('input[name="login"]', "alice@example.com")
    page.fill('input[name="password"]', PASSWORD)
    page.locator('main form button[type="submit"]').first.click()


def test_it_keeps_a_diary_day_typed_before_the_session_ended(
    page, live_server, log_in, alice, console_errors
):
    log_in(page.context, alice)
    console_errors(page)
    page.goto(f"{live_server.url}/diary/")
    form = page.locator("form[data-draft=diary]")
    form.locator('input[name="leaks"]').fill("3")
    form.locator('input[name="pads"]').fill("2")
    form.locator('input[name="urgency"]').fill("1")
    form.get_by_role("radio", name=re.compile(r"^4\b")).check()
    form.locator('textarea[name="note"]').fill(NOTE)

    end_all_sessions()
    form.locator('button[type="submit"]').click()
    log_in_again(page, live_server)

    expect(page).to_have_url(re.compile(r"/diary/"))
    form = page.locator("form[data-draft=diary]")
    expect(form.locator("[data-draft-note]")).to_be_visible()
    expect(form.locator('input[name="leaks"]')).to_have_value("3")
    expect(form.locator('textarea[name="note"]')).to_have_value(NOTE)
    expect(form.get_by_role("radio", name=re.compile(r"^4\b"))).to_be_checked()
    assert not DiaryEntry.objects.exists()

    form.locator('button[type="submit"]').click()
    expect(page.locator(".draft-saved")).to_be_visible()
    entry = DiaryEntry.objects.get(user=alice)
    assert (entry.leaks, entry.pads, entry.back_pain, entry.note) == (3, 2, 4, NOTE)
    # Saved: the draft is gone, so a new visit starts from what is stored.
    page.reload()
    expect(page.locator("form[data-draft=diary] [data-draft-note]")).to_be_hidden()
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes('draft'))") == []
    assert console_errors.errors == []


def test_it_brings_a_question_back_to_its_lesson_after_logging_in_again(
    page, live_server, log_in, alice, lessons, console_errors
):
    lesson_url = f"{live_server.url}{lessons[0].get_absolute_url()}"
    log_in(page.context, alice)
    console_errors(page)
    page.goto(lesson_url)
    page.locator('form#ask textarea[name="text"]').fill(QUESTION)

    end_all_sessions()
    page.locator('form#ask button[type="submit"]').click()
    log_in_again(page, live_server)

    expect(page).to_have_url(lesson_url)  # the lesson, not the POST-only address (a 405)
    expect(page.locator('form#ask textarea[name="text"]')).to_have_value(QUESTION)
    page.locator('form#ask button[type="submit"]').click()
    expect(page.locator(".draft-saved")).to_be_visible()
    assert LessonQuestion.objects.get(user=alice).text == QUESTION
    assert console_errors.errors == []


def test_it_forgets_drafts_when_she_logs_out(page, live_server, log_in, alice):
    log_in(page.context, alice)
    page.goto(f"{live_server.url}/diary/")
    page.locator('form[data-draft=diary] textarea[name="note"]').fill(NOTE)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes('draft')).length") == 1

    page.locator('form[action="/accounts/logout/"] button').click()

    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes('draft')).length") == 0
