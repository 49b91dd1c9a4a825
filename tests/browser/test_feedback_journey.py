"""Feedback from the therapist in headless Chromium: Alice finishes a step that waits for
her therapist's feedback; the therapist sees it on her overview, writes her feedback on
Alice's page; Alice sees it on /today/ with her therapist's name, marks it read, it is gone,
and the next step is open."""

import re

import pytest
from playwright.sync_api import expect

from courses.models import Feedback
from tests.browser.test_therapist_journey import DESKTOP, PHONE, log_in_with_totp, patient_row
from tests.factories import complete, make_routine, safety_answers

pytestmark = pytest.mark.browser

FEEDBACK = "Je hebt stap 1 goed gedaan. Je mag door naar stap 2."


def test_it_brings_the_therapists_feedback_to_her_today_page(
    live_server,
    page,
    new_context,
    alice,
    therapist,
    course,
    lessons,
    log_in,
    console_errors,
    settings,
):
    settings.MFA_TOTP_TOLERANCE = 1
    make_routine(course)
    safety_answers(alice)
    step = lessons[0].step
    step.waits_for_feedback = True
    step.save()
    complete(alice, *lessons[:2])

    # The therapist sees that Alice waits for her feedback and writes it on her page.
    staff = console_errors(new_context().new_page())
    staff.set_viewport_size(DESKTOP)
    log_in_with_totp(staff, live_server, "therapist@example.com", "/therapist/")
    row = patient_row(staff, "Alice")
    expect(row.locator(".flag-awaits_feedback")).to_be_visible()
    row.get_by_role("link", name="Alice", exact=True).click()
    section = staff.locator("section#feedback")
    expect(section.locator(".message-warning")).to_contain_text("Stap 1")
    section.locator('textarea[name="text"]').fill(FEEDBACK)
    expect(section.locator('select[name="step"]')).to_have_value(str(step.pk))
    section.get_by_role("button", name=re.compile(r"feedback|terugkoppeling", re.I)).click()
    expect(staff).to_have_url(re.compile(rf"/therapist/patients/{alice.pk}/#feedback$"))
    expect(staff.locator(".message-success")).to_be_visible()
    assert Feedback.objects.get().step == step

    # Alice sees it on /today/, with her therapist's name, and marks it read.
    console_errors(page)
    page.set_viewport_size(PHONE)
    log_in(page.context, alice)
    page.goto(live_server.url + "/today/")
    panel = page.locator(".feedback-panel")
    expect(panel).to_contain_text(FEEDBACK)
    expect(panel).to_contain_text("Marieke")
    panel.get_by_role("button").click()
    expect(page).to_have_url(live_server.url + "/today/")
    expect(page.locator(".feedback-panel")).to_have_count(0)
    assert Feedback.objects.get().read_at is not None

    # The next step is open for her.
    page.goto(live_server.url + "/courses/bekkenbodem/bekkenbodem-les-3/")
    expect(page.locator("h1")).to_contain_text("Les 3")
    expect(page.locator("section.complete-panel")).to_be_visible()
    assert console_errors.errors == []
