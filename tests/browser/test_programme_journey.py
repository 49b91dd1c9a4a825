"""The programme in Chromium: a new patient answers the safety questions, runs today's
routine with the guided timer and sees it counted; another answers "numbness in the saddle
area" and is told, on every page, to call a doctor now.

The timer runs faster by a test setting (TIMER_SPEED), never by waiting.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from courses.models import Enrollment
from tests.factories import make_routine, make_user
from therapy.journey.models import PracticeSession, SafetyCheck

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
OUT_OF_HOURS = "088 007 00 07"


@pytest.fixture
def fast_timer(settings):
    settings.TIMER_SPEED = 40
    settings.OUT_OF_HOURS_PHONE = OUT_OF_HOURS


@pytest.fixture
def newcomer(transactional_db, course):
    make_routine(course)
    return make_user("nieuw@example.com", display_name="Nina")


def test_it_runs_a_new_patients_first_routine_and_counts_it(
    page, live_server, log_in, newcomer, fast_timer, console_errors, axe_check, artifacts_dir
):
    page.set_viewport_size(PHONE)
    log_in(page.context, newcomer)
    console_errors(page)

    # The safety questions: nothing applies, so she ticks nothing and saves.
    page.goto(f"{live_server.url}/safety/")
    expect(page.locator('input[name="flags_now"]').first).not_to_be_checked()
    page.get_by_role("button", name=re.compile("Save my answers|Antwoorden opslaan", re.I)).click()
    page.wait_for_url(f"{live_server.url}/courses/")
    assert SafetyCheck.objects.get(user=newcomer).flags == []

    page.get_by_role("button", name=re.compile("Start this course|Begin", re.I)).click()
    page.wait_for_url(re.compile(r"/courses/bekkenbodem/bekkenbodem-les-1/$"))
    assert Enrollment.objects.filter(user=newcomer).exists()

    # Today: "Today" is the first item of her menu.
    first_link = page.get_by_role("navigation", name=re.compile("Main menu|Hoofdmenu", re.I))
    first_link.get_by_role("link").first.click()
    page.wait_for_url(f"{live_server.url}/today/")
    expect(page.locator("[data-routine-item]")).to_have_count(2)
    page.screenshot(path=artifacts_dir / "today-phone.png", full_page=True)
    assert axe_check(page, "today") == []

    timer = page.locator("[data-routine-card] [data-timer]")
    timer.get_by_role("button", name=re.compile("Start my routine|routine", re.I)).click()
    expect(timer.locator("[data-timer-item]")).to_contain_text("Oefening 1")
    page.screenshot(path=artifacts_dir / "today-routine-running-phone.png")
    expect(timer.locator("[data-timer-item]")).to_contain_text("Oefening 2", timeout=15_000)
    expect(timer.locator("[data-timer-summary]")).to_be_visible(timeout=15_000)
    expect(timer.locator("[data-timer-save]")).to_have_attribute("data-state", "saved")
    page.screenshot(path=artifacts_dir / "today-routine-done-phone.png")

    session = PracticeSession.objects.get(user=newcomer)
    assert session.kind == "routine" and session.completed
    assert [(p.exercise_name, p.repetitions_done, p.skipped) for p in session.parts.all()] == [
        ("Oefening 1", 5, False),
        ("Oefening 2", 10, False),
    ]

    page.goto(f"{live_server.url}/dashboard/")
    expect(page.locator("#practice-count")).to_contain_text(re.compile(r"^\s*1 (of|van) 21"))
    assert console_errors.errors == []


def test_it_skips_an_exercise_and_saves_what_she_did(
    page, live_server, log_in, newcomer, course, settings, console_errors
):
    settings.TIMER_SPEED = 4  # slow enough to skip the first exercise before it is done
    Enrollment.objects.create(user=newcomer, course=course)
    SafetyCheck.objects.create(user=newcomer, flags=[])
    log_in(page.context, newcomer)
    console_errors(page)

    page.goto(f"{live_server.url}/today/")
    timer = page.locator("[data-routine-card] [data-timer]")
    timer.get_by_role("button", name=re.compile("Start my routine|routine", re.I)).click()
    timer.get_by_role("button", name=re.compile("Skip|Overslaan", re.I)).click()
    expect(timer.locator("[data-timer-item]")).to_contain_text("Oefening 2")
    expect(timer.locator("[data-timer-save]")).to_have_attribute(
        "data-state", "saved", timeout=15_000
    )

    parts = list(PracticeSession.objects.get(user=newcomer).parts.all())
    assert [(p.repetitions_done, p.skipped) for p in parts] == [(0, True), (10, False)]
    assert console_errors.errors == []


def test_it_tells_her_to_call_a_doctor_now_on_every_page_and_alerts_her_therapist(
    page, live_server, log_in, newcomer, therapist, fast_timer, artifacts_dir
):
    page.set_viewport_size(PHONE)
    log_in(page.context, newcomer)

    page.goto(f"{live_server.url}/safety/")
    page.locator('input[value="saddle_numbness"]').check()
    page.get_by_role("button", name=re.compile("Save my answers|Antwoorden opslaan", re.I)).click()
    page.wait_for_url(f"{live_server.url}/safety/")

    for path in ("/safety/", "/courses/", "/diary/"):
        page.goto(f"{live_server.url}{path}")
        warning = page.locator(".safety-warning")
        expect(warning).to_be_visible()
        expect(warning.locator('a[href="tel:112"]')).to_be_visible()
        expect(warning).to_contain_text(OUT_OF_HOURS)
    page.screenshot(path=artifacts_dir / "safety-now-phone.png", full_page=True)

    [email] = mail.outbox
    assert email.to == [therapist.email]
    text = (email.subject + email.body).lower()
    assert f"/therapist/patients/{newcomer.pk}/" in text
    for secret in ("numb", "gevoel", "zadel", "saddle", "nina", "nieuw@"):
        assert secret not in text

    # She confirms she called: the warning goes.
    page.goto(f"{live_server.url}/safety/")
    page.get_by_role("button", name=re.compile("sought help|hulp gezocht", re.I)).click()
    page.goto(f"{live_server.url}/courses/")
    expect(page.locator(".safety-warning")).to_have_count(0)
