"""The therapist's side in headless Chromium ("Must show 2"): a patient asks a question on
a lesson, the overview flags her and lists the question, the therapist answers it, the
patient gets an email without health details and reads the answer under the lesson.

The UI is Dutch by default and its texts are still being translated, so elements are found
by role, name, id or URL, and visible words only through regexes that accept both the
English msgid and a Dutch translation.
"""

import datetime
import re
import uuid

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from courses.models import Enrollment, Lesson, LessonQuestion
from tests.factories import PASSWORD, make_user, safety_answers, totp_code
from therapy.journey.models import DiaryEntry, PracticeSession
from therapy.journey.safety import RedFlag

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LESSON_1 = "/courses/bekkenbodem/bekkenbodem-les-1/"
# allauth puts a "cancel" button inside its forms that submits another form (form="…").
OWN_SUBMIT = '[type="submit"]:not([form])'
QUESTION = "Mag ik de oefening ook liggend doen als mijn rug pijn doet?"
ANSWER = "Ja, liggend op je rug met gebogen knieën is prima. Begin met vijf herhalingen."
WAITING = re.compile(r"Waiting for an answer|Wacht(en)? op (een )?antwoord", re.I)
HIGH_PAIN_REASON = re.compile(r"(back pain|rugpijn)\D*7\b.*\b2\b", re.I)


def url_re(live_server, path):
    """The page at this path, with or without a query string or fragment."""
    return re.compile(re.escape(live_server.url + path) + r"([?#].*)?$")


def log_in_with_totp(page, live_server, email, next_path):
    """allauth's login form, then its two-factor step, as the therapist does it."""
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    login_form = page.locator('main form:has(input[name="password"])')
    login_form.locator('input[name="login"]').fill(email)
    login_form.locator('input[name="password"]').fill(PASSWORD)
    login_form.locator(OWN_SUBMIT).first.click()
    expect(page).to_have_url(url_re(live_server, "/accounts/2fa/authenticate/"))
    code_form = page.locator('main form:has(input[name="code"])')
    code_form.locator('input[name="code"]').fill(totp_code())
    code_form.locator(OWN_SUBMIT).first.click()
    expect(page).to_have_url(live_server.url + next_path)


def patient_row(page, name):
    """The overview's table row of one patient, found by the link with her name."""
    return page.locator("table tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def high_back_pain(user, days=(0, 1), pain=8):
    today = timezone.localdate()
    for days_ago in days:
        DiaryEntry.objects.create(
            user=user,
            date=today - datetime.timedelta(days=days_ago),
            leaks=2,
            pads=2,
            urgency=3,
            back_pain=pain,
        )


def test_it_lets_the_therapist_see_a_flagged_patient_and_answer_her_question(
    live_server, page, new_context, alice, bob, therapist, log_in, console_errors, settings
):
    # One 30-second step either side, so that a code computed at the end of a step passes.
    settings.MFA_TOTP_TOLERANCE = 1
    console_errors(page)

    # Alice asks her question under lesson 1 and sees it waiting.
    log_in(page.context, alice)
    page.goto(live_server.url + LESSON_1)
    ask = page.locator("form#ask")
    ask.get_by_role("textbox").fill(QUESTION)
    ask.get_by_role("button").click()
    question = LessonQuestion.objects.get(user=alice)
    assert question.text == QUESTION
    assert question.lesson == Lesson.objects.get(slug="bekkenbodem-les-1")
    expect(page).to_have_url(live_server.url + LESSON_1 + f"#question-{question.pk}")
    expect(page.locator(".message-success")).to_be_visible()
    mine = page.locator(f"#question-{question.pk}")
    expect(mine).to_contain_text(QUESTION)
    expect(mine).to_contain_text(WAITING)

    # This week she had back pain 8 on two days: the overview should flag that.
    high_back_pain(alice)

    # The therapist logs in with her password and authenticator code.
    staff = console_errors(new_context().new_page())
    staff.set_viewport_size(DESKTOP)
    log_in_with_totp(staff, live_server, "therapist@example.com", "/therapist/")
    expect(staff.get_by_role("heading", level=1)).to_be_visible()

    row = patient_row(staff, "Alice")
    expect(row).to_have_count(1)
    expect(row).to_have_class(re.compile(r"\bneeds-attention\b"))
    flag = row.locator(".flag-pain_high")
    expect(flag).to_be_visible()
    expect(flag.locator(".badge")).to_have_text(re.compile(r"\S"))
    expect(flag.locator(".flag-reason")).to_have_text(HIGH_PAIN_REASON)
    expect(row.locator("th")).to_contain_text(re.compile(r"\b1 open(e)? (question|vraag)", re.I))

    open_questions = staff.locator("section#questions")
    item = open_questions.get_by_role("listitem").filter(has_text=QUESTION)
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Alice")
    expect(item).to_contain_text("Les 1")

    # She opens the question and answers it.
    item.get_by_role("link", name=re.compile(r"^(Answer|Beantwoord|Antwoord)", re.I)).click()
    expect(staff).to_have_url(live_server.url + f"/therapist/questions/{question.pk}/")
    expect(staff.locator("blockquote")).to_have_text(QUESTION)
    answer_form = staff.locator('main form:has([name="answer"])')
    answer_form.locator('textarea[name="answer"]').fill(ANSWER)
    answer_form.locator('button[type="submit"]').click()
    expect(staff).to_have_url(live_server.url + "/therapist/#questions")
    expect(staff.locator(".message-success")).to_be_visible()
    expect(staff.locator("section#questions").get_by_text(QUESTION)).to_have_count(0)
    question.refresh_from_db()
    assert question.answer == ANSWER
    assert question.answered_at is not None
    assert question.answered_by == therapist

    # One email to Alice: it says there is an answer, not what was asked or answered.
    to_alice = [m for m in mail.outbox if "alice@example.com" in m.to]
    assert len(to_alice) == 1, [(m.to, m.subject) for m in mail.outbox]
    message = to_alice[0]
    contents = "\n".join(
        [message.subject, message.body]
        + [alternative[0] for alternative in getattr(message, "alternatives", [])]
    )
    assert LESSON_1 in contents
    for secret in (QUESTION, ANSWER, "liggend", "gebogen knie"):
        assert secret not in contents, f"the email holds {secret!r}:\n{contents}"
    assert all(m.to == ["alice@example.com"] for m in mail.outbox)

    # Alice reloads the lesson and reads the answer under her question.
    page.reload()
    mine = page.locator(f"#question-{question.pk}")
    expect(mine.locator(".question-answer")).to_contain_text(ANSWER)
    expect(mine).not_to_contain_text(WAITING)

    # Bob, another patient on the same lesson, sees neither her question nor the answer.
    Enrollment.objects.create(user=bob, course=question.lesson.step.course)
    bob_page = console_errors(new_context().new_page())
    log_in(bob_page.context, bob)
    bob_page.goto(live_server.url + LESSON_1)
    expect(bob_page.get_by_role("heading", level=1)).to_have_text("Les 1")
    expect(bob_page.locator("form#ask")).to_be_visible()
    expect(bob_page.get_by_text(QUESTION)).to_have_count(0)
    expect(bob_page.get_by_text(ANSWER)).to_have_count(0)
    expect(bob_page.locator(f"#question-{question.pk}")).to_have_count(0)

    assert console_errors.errors == []


@pytest.fixture
def caseload(alice, bob, course, therapist):
    """A few patients as a therapist would have them, each with something to show."""
    now = timezone.now()
    today = timezone.localdate()
    # Alice: months of diary and practice, high back pain this week, an open question and
    # an answered one.
    for weeks_ago in range(1, 6):
        DiaryEntry.objects.create(
            user=alice,
            date=today - datetime.timedelta(weeks=weeks_ago),
            leaks=weeks_ago,
            pads=1,
            urgency=2,
            back_pain=3,
            note="Lange wandeling gemaakt." if weeks_ago == 2 else "",
        )
    high_back_pain(alice)
    for hours_ago in (2, 26, 50):
        PracticeSession.objects.create(
            user=alice,
            exercise_name="Oefening 1",
            idempotency_key=uuid.uuid4(),
            started_at=now - datetime.timedelta(hours=hours_ago),
            duration_seconds=300,
            repetitions_done=12,
            completed=True,
            feeling=4,
        )
    lesson = Lesson.objects.get(slug="bekkenbodem-les-1")
    LessonQuestion.objects.create(user=alice, lesson=lesson, text=QUESTION)
    LessonQuestion.objects.create(
        user=alice,
        lesson=lesson,
        text="Hoe lang moet ik aanspannen?",
        answer="Acht tellen.",
        answered_at=now,
    )
    # A patient with a long name and address, who answered a safety question with yes.
    carolien = make_user(
        "carolien.van.den.berg-oosterhuis@voorbeeld-huisartsenpraktijk.nl",
        display_name="Carolien van den Berg-Oosterhuis",
        therapist=therapist,
    )
    Enrollment.objects.create(user=carolien, course=course)
    safety_answers(carolien, RedFlag.BLOOD_IN_URINE, RedFlag.TROUBLE_EMPTYING)
    # Bob signed up ten days ago but has done nothing yet (flagged as inactive; in her first
    # week a new patient is not).
    User.objects.filter(pk=bob.pk).update(date_joined=now - datetime.timedelta(days=10))
    return {"alice": alice, "bob": bob, "carolien": carolien}


def test_it_renders_the_overview_and_a_patient_without_accessibility_violations(
    live_server,
    page,
    therapist,
    caseload,
    log_in,
    artifacts_dir,
    axe_check,
    console_errors,
    page_overflow,
):
    alice = caseload["alice"]
    log_in(page.context, therapist)
    console_errors(page)
    violations = {}
    overflows = {}

    def shoot(name):
        path = artifacts_dir / f"{name}.png"
        path.unlink(missing_ok=True)
        overflows[name] = page_overflow(page)
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 0

    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/therapist/")
    expect(patient_row(page, "Alice").locator(".flag-pain_high")).to_be_visible()
    carolien = patient_row(page, "Carolien van den Berg-Oosterhuis")
    expect(carolien.locator(".flag-red_flag .flag-reason")).to_contain_text(
        re.compile(r"blood|bloed", re.I)
    )
    expect(patient_row(page, "Bob").locator(".flag-inactive")).to_be_visible()
    expect(page.locator("section#questions").get_by_role("listitem")).to_have_count(1)
    shoot("therapist-overview-desktop")
    violations["overview"] = axe_check(page, "therapist overview")

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/therapist/")
    expect(patient_row(page, "Alice")).to_be_visible()
    shoot("therapist-overview-phone")
    violations["overview phone"] = axe_check(page, "therapist overview (phone)")

    page.set_viewport_size(DESKTOP)
    page.get_by_role("table").get_by_role("link", name="Alice", exact=True).click()
    expect(page).to_have_url(live_server.url + f"/therapist/patients/{alice.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Alice")
    expect(page.locator(".flag-pain_high .flag-reason")).to_have_text(HIGH_PAIN_REASON)
    # Shown twice: in her questions and in the conversation, where lesson questions are too.
    expect(page.locator(".question-queue").get_by_text(QUESTION)).to_be_visible()
    expect(page.locator("#conversation").get_by_text(QUESTION)).to_be_visible()
    shoot("therapist-patient-desktop")
    violations["patient"] = axe_check(page, "therapist patient detail")

    serious = {name: [v["id"] for v in found] for name, found in violations.items() if found}
    assert not serious, f"serious accessibility violations (report printed above): {serious}"
    assert overflows["therapist-overview-phone"][0] <= 0, f"sideways scrolling: {overflows}"
    assert console_errors.errors == []
