"""Messages in headless Chromium: a patient writes to her therapist, the therapist logs in
(password and authenticator code), sees the unread count in her navigation and on the
overview, answers on the patient's page, and the patient sees the answer and the count.

Elements are found by role, id or URL, and visible words through regexes that accept the
English msgid and the Dutch translation.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.test_therapist_journey import DESKTOP, PHONE, log_in_with_totp, patient_row
from therapy.messaging.models import Message

pytestmark = pytest.mark.browser

QUESTION = "Ik voel soms een zeurende pijn in mijn onderrug na het oefenen. Is dat normaal?"
ANSWER = "Dat komt vaker voor in het begin. Doe de houdingen wat korter en laat het me weten."


def test_a_patient_and_her_therapist_write_to_each_other(
    live_server,
    page,
    new_context,
    alice,
    therapist,
    log_in,
    console_errors,
    axe_check,
    settings,
    artifacts_dir,
):
    settings.MFA_TOTP_TOLERANCE = 1
    console_errors(page)
    page.set_viewport_size(PHONE)

    # Alice opens her messages from the navigation and writes to her therapist.
    log_in(page.context, alice)
    page.goto(live_server.url + "/today/")
    nav = page.get_by_role("navigation", name=re.compile("Main menu|Hoofdmenu", re.I))
    nav.get_by_role("link", name=re.compile(r"^(Messages|Berichten)$")).click()
    expect(page).to_have_url(live_server.url + "/messages/")
    form = page.locator("form.message-form")
    form.get_by_role("textbox").fill(QUESTION)
    form.get_by_role("button").click()
    sent = Message.objects.get()
    expect(page).to_have_url(live_server.url + f"/messages/#message-{sent.pk}")
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(f"#message-{sent.pk}")).to_contain_text(QUESTION)
    assert axe_check(page, "messages") == []

    # Her therapist is told, without what she wrote.
    assert [m.to for m in mail.outbox] == [[therapist.email]]
    assert "onderrug" not in mail.outbox[0].body

    # The therapist logs in and sees one unread message in her navigation and the overview.
    staff = console_errors(new_context().new_page())
    staff.set_viewport_size(DESKTOP)
    log_in_with_totp(staff, live_server, "therapist@example.com", "/therapist/")
    staff_nav = staff.get_by_role("navigation", name=re.compile("Main menu|Hoofdmenu", re.I))
    patients_link = staff_nav.get_by_role(
        "link", name=re.compile(r"(Patients|Patiënten)\s*, 1 (unread message|ongelezen bericht)")
    )
    expect(patients_link).to_be_visible()
    row = patient_row(staff, "Alice")
    row.get_by_role("link", name=re.compile(r"1 (unread message|ongelezen bericht)")).click()
    expect(staff).to_have_url(live_server.url + f"/therapist/patients/{alice.pk}/#conversation")
    conversation = staff.locator("section#conversation")
    expect(conversation.locator(f"#message-{sent.pk}")).to_contain_text(QUESTION)
    assert axe_check(staff, "patient page with messages") == []

    # Read now: the count is gone; she answers.
    expect(staff_nav.locator(".nav-count")).to_have_count(0)
    conversation.get_by_role("textbox").fill(ANSWER)
    conversation.get_by_role("button", name=re.compile(r"^(Send|Versturen)$")).click()
    answer = Message.objects.exclude(pk=sent.pk).get()
    expect(staff).to_have_url(
        live_server.url + f"/therapist/patients/{alice.pk}/#message-{answer.pk}"
    )
    expect(staff.locator(f"#message-{answer.pk}")).to_contain_text(ANSWER)
    assert not answer.from_patient and answer.sender == therapist

    # Alice gets an email without the answer, and sees the count on her next page.
    to_alice = [m for m in mail.outbox if m.to == [alice.email]]
    assert len(to_alice) == 1
    assert "korter" not in to_alice[0].body and "/messages/" in to_alice[0].body
    page.goto(live_server.url + "/today/")
    messages_link = nav.get_by_role(
        "link", name=re.compile(r"^(Messages|Berichten)\s*, 1 (unread|ongelezen)$")
    )
    expect(messages_link).to_be_visible()
    messages_link.click()
    expect(page.locator(f"#message-{answer.pk}")).to_contain_text(ANSWER)
    expect(page.locator(f"#message-{answer.pk}")).to_contain_text("Marieke")
    expect(nav.locator(".nav-count")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "messages-phone.png"), full_page=True)
    page.goto(live_server.url + "/today/")
    expect(nav.locator(".nav-count")).to_have_count(0)

    assert console_errors.errors == []
