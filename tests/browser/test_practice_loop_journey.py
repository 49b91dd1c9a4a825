"""A practice's whole loop with one patient (issue 12, Must show 2), in headless Chromium,
with SIGNUP_MODE=invite as in production: invitation, sign-up, her therapist's overview
(not the other therapist's), feedback she reads, a message she sends and the answer.

The therapist invites an address from /therapist/; the email (locmem outbox) holds the
link; the patient opens it, lands on the plain signup page with her address filled in,
signs up without a code email, consents, does the intake and is enrolled; she then shows
on her therapist's overview and not on another therapist's.

Texts are Dutch by default and still being translated: elements are found by name, role
or URL, visible words through regexes that accept the English msgid and the Dutch.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Complaint, User
from courses.models import Enrollment, Feedback, Invitation
from tests.factories import PASSWORD
from therapy.messaging.models import Message

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
EMAIL = "noor.de.vries@example.com"
MESSAGE = "Fijn dat je meedoet. Tot ziens in de praktijk!"
LINK = re.compile(r"(https?://[^\s]+/accounts/invitation/[\w-]+/)")
FEEDBACK = "Mooi begin, Noor. Doe de eerste week rustig aan."
QUESTION = "Mag ik de oefeningen ook 's avonds in bed doen?"
ANSWER = "Ja, dat mag. Lig op je rug met je knieën gebogen."
OWN_SUBMIT = '[type="submit"]:not([form])'


def form_with(page, name):
    return page.locator(f'main form:has([name="{name}"])')


def submit(form):
    form.locator(OWN_SUBMIT).first.click()


def patient_row(page, name):
    return page.locator("table tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def test_a_therapist_invites_gives_feedback_and_answers_her_new_patient(
    live_server,
    page,
    new_context,
    settings,
    course,
    therapist,
    other_therapist,
    log_in,
    console_errors,
    axe_check,
    artifacts_dir,
):
    settings.SIGNUP_MODE = "invite"
    violations = {}

    # The therapist goes from her overview to the invitations page and invites Noor.
    staff = console_errors(page)
    staff.set_viewport_size(DESKTOP)
    log_in(staff.context, therapist)
    staff.goto(live_server.url + "/therapist/")
    staff.get_by_role("link", name=re.compile(r"^(Invite a patient|Nodig .*uit)", re.I)).click()
    expect(staff).to_have_url(live_server.url + "/therapist/invitations/")
    invite = form_with(staff, "email")
    invite.locator('input[name="email"]').fill(EMAIL)
    invite.locator('select[name="course"]').select_option(str(course.pk))
    invite.locator('textarea[name="message"]').fill(MESSAGE)
    submit(invite)
    expect(staff).to_have_url(live_server.url + "/therapist/invitations/")
    expect(staff.locator(".message-success")).to_be_visible()
    expect(staff.locator("table tbody tr").filter(has_text=EMAIL)).to_have_count(1)
    staff.screenshot(path=artifacts_dir / "therapist-invitations-desktop.png", full_page=True)
    violations["invitations"] = axe_check(staff, "invitations")

    # The email holds the link and her message.
    to_noor = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(to_noor) == 1, [m.to for m in mail.outbox]
    assert MESSAGE in to_noor[0].body
    link = LINK.search(to_noor[0].body).group(1)
    assert link.startswith(live_server.url)

    # Noor opens it on her phone: a clean signup URL, her address already filled in.
    patient = console_errors(new_context().new_page())
    patient.set_viewport_size(PHONE)
    patient.goto(link)
    expect(patient).to_have_url(live_server.url + "/accounts/signup/")
    signup = form_with(patient, "health_data_consent")
    expect(signup.locator('input[name="email"]')).to_have_value(EMAIL)
    expect(signup.locator('input[name="code"]')).to_have_count(0)
    violations["signup"] = axe_check(patient, "signup with an invitation")
    patient.screenshot(path=artifacts_dir / "invitation-signup-phone.png", full_page=True)
    signup.locator('input[name="password1"]').fill(PASSWORD)
    signup.locator('input[name="password2"]').fill(PASSWORD)
    signup.locator('input[name="health_data_consent"]').check()
    submit(signup)

    # No code to type: the link verified her address. Straight on to the intake.
    expect(patient).to_have_url(live_server.url + "/accounts/profile/")
    assert [m for m in mail.outbox if m.to == [EMAIL]] == to_noor
    intake = form_with(patient, "complaints")
    intake.locator('input[name="display_name"]').fill("Noor")
    intake.locator(f'input[name="complaints"][value="{Complaint.URINE_LOSS}"]').check()
    submit(intake)
    expect(patient).to_have_url(live_server.url + "/safety/")
    submit(form_with(patient, "flags_now"))
    expect(patient).to_have_url(live_server.url + "/courses/")

    noor = User.objects.get(email=EMAIL)
    assert Enrollment.objects.filter(user=noor, course=course).exists()
    assert noor.profile.therapist == therapist
    assert Invitation.objects.get(email=EMAIL).status == Invitation.Status.USED
    # Enrolled: the course page offers to go on, not to start it.
    patient.goto(live_server.url + f"/courses/{course.slug}/")
    start = re.compile(r"^\s*(Start this course|Begin (met )?deze cursus)\s*$")
    expect(patient.get_by_role("button", name=start)).to_have_count(0)

    # She is on her therapist's overview, and the invitation shows as used.
    staff.goto(live_server.url + "/therapist/")
    expect(patient_row(staff, "Noor")).to_have_count(1)
    staff.goto(live_server.url + "/therapist/invitations/")
    row = staff.locator("table tbody tr").filter(has_text=EMAIL)
    expect(row).to_contain_text(re.compile(r"Used|Gebruikt", re.I))

    # Not on another therapist's.
    sanne = console_errors(new_context().new_page())
    sanne.set_viewport_size(DESKTOP)
    log_in(sanne.context, other_therapist)
    sanne.goto(live_server.url + "/therapist/")
    expect(sanne.get_by_role("heading", level=1)).to_be_visible()
    expect(patient_row(sanne, "Noor")).to_have_count(0)
    sanne.goto(live_server.url + "/therapist/invitations/")
    expect(sanne.locator("main")).not_to_contain_text(EMAIL)

    # Her therapist writes feedback on Noor's page; Noor sees it on /today/ and reads it.
    staff.goto(live_server.url + "/therapist/")
    patient_row(staff, "Noor").get_by_role("link", name="Noor", exact=True).click()
    section = staff.locator("section#feedback")
    section.locator('textarea[name="text"]').fill(FEEDBACK)
    section.get_by_role("button", name=re.compile(r"feedback|terugkoppeling", re.I)).click()
    expect(staff.locator(".message-success")).to_be_visible()
    patient.goto(live_server.url + "/today/")
    panel = patient.locator(".feedback-panel")
    expect(panel).to_contain_text(FEEDBACK)
    expect(panel).to_contain_text("Marieke")
    panel.get_by_role("button").click()
    expect(patient.locator(".feedback-panel")).to_have_count(0)
    assert Feedback.objects.get(user=noor).read_at is not None

    # Noor writes to her therapist; the therapist answers on her page; Noor reads it.
    patient.goto(live_server.url + "/messages/")
    form = patient.locator("form.message-form")
    form.get_by_role("textbox").fill(QUESTION)
    form.get_by_role("button").click()
    sent = Message.objects.get(patient=noor)
    expect(patient.locator(f"#message-{sent.pk}")).to_contain_text(QUESTION)
    staff.goto(live_server.url + f"/therapist/patients/{noor.pk}/")
    conversation = staff.locator("section#conversation")
    expect(conversation.locator(f"#message-{sent.pk}")).to_contain_text(QUESTION)
    conversation.get_by_role("textbox").fill(ANSWER)
    conversation.get_by_role("button", name=re.compile(r"^(Send|Versturen)$")).click()
    answer = Message.objects.filter(patient=noor).exclude(pk=sent.pk).get()
    assert answer.sender == therapist
    patient.goto(live_server.url + "/messages/")
    expect(patient.locator(f"#message-{answer.pk}")).to_contain_text(ANSWER)
    violations["messages"] = axe_check(patient, "messages")
    patient.screenshot(path=artifacts_dir / "practice-loop-messages-phone.png", full_page=True)

    assert console_errors.errors == []
    serious = {name: [v["id"] for v in found] for name, found in violations.items() if found}
    assert not serious, f"serious accessibility violations (report printed above): {serious}"
