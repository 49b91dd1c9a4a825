"""A patient's account from first to last day, in headless Chromium at phone width.

She signs up with consent, types the code from her verification email, does the intake,
opens her first lesson, downloads her data and finally deletes her account.

allauth's templates are being restyled, so fields are found by their name attribute,
forms by the field they hold, pages by URL, and visible words only through regexes that
accept both English and Dutch.
"""

import json
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Complaint, Consent, ErasureRecord, Profile, User
from courses.models import LessonProgress
from tests.factories import PASSWORD, make_course, make_user
from therapy.journey.models import SafetyCheck
from therapy.journey.safety import RedFlag

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
EMAIL = "noor@example.com"
FIRST_LESSON = "/courses/bekkenbodem/bekkenbodem-les-1/"
# allauth's default email code (generate_user_code): 8 letters from the RFC 8628 alphabet,
# shown as two groups of four, e.g. "THXL-MWBX"; found anywhere in the text, as the emails
# are being restyled too. (The help text's example "BCDF-GHJK" is not in the email.)
_CODE_LETTERS = "[BCDFGHJKLMNPQRSTVWXZ]"
VERIFICATION_CODE = re.compile(rf"(?<![\w-])({_CODE_LETTERS}{{4}}-{_CODE_LETTERS}{{4}})(?![\w-])")
# allauth puts a "cancel" button inside its forms that submits another form (form="…").
OWN_SUBMIT = '[type="submit"]:not([form])'
GP_ADVICE = re.compile(r"\bGP\b|huisarts", re.I)
# A course page no longer enrols on a GET: she starts the course with this POST button.
START_COURSE = re.compile(r"^\s*(Start this course|Begin (met )?deze cursus)\s*$")


def form_with(page, name):
    """The form in the main content that holds the field with this name."""
    return page.locator(f'main form:has([name="{name}"])')


def submit(form):
    form.locator(OWN_SUBMIT).first.click()


def url_re(live_server, path):
    """The page at this path, with or without a query string."""
    return re.compile(re.escape(live_server.url + path) + r"(\?.*)?$")


# Elements that stick out past the right edge of the window, innermost first, to name the
# culprit when a page scrolls sideways.
_OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(
    (el) => el.getBoundingClientRect().right > width + 0.5
  );
  return wide
    .filter((el) => !wide.some((other) => other !== el && el.contains(other)))
    .slice(0, 5)
    .map((el) => {
      const name = el.getAttribute("name") || el.id || el.className || "";
      return `<${el.tagName.toLowerCase()} ${name}> right edge at ${
        Math.round(el.getBoundingClientRect().right)}px`;
    });
}"""


def sideways_overflow(page):
    """How many pixels the page scrolls sideways, and which elements cause it."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return overflow, (page.evaluate(_OVERFLOWING_JS) if overflow > 0 else [])


@pytest.fixture
def shoot(artifacts_dir):
    """A full-page screenshot into the artifacts folder, to be looked at after a run."""

    def shoot(page, name):
        path = artifacts_dir / f"{name}.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=path, full_page=True)
        assert path.stat().st_size > 0
        return path

    return shoot


@pytest.fixture
def sign_up(live_server, transactional_db):
    """Fills in and sends the signup form on a page; the test then follows where it goes."""

    def sign_up(page, email=EMAIL, *, consent=True, before_submit=None):
        page.goto(live_server.url + "/accounts/signup/")
        form = form_with(page, "health_data_consent")
        form.locator('input[name="email"]').fill(email)
        form.locator('input[name="password1"]').fill(PASSWORD)
        form.locator('input[name="password2"]').fill(PASSWORD)
        if consent:
            form.locator('input[name="health_data_consent"]').check()
        if before_submit:
            before_submit(page)
        submit(form)

    return sign_up


def verification_code(email):
    messages = [m for m in mail.outbox if email in m.to]
    assert messages, f"no email was sent to {email}: {[m.to for m in mail.outbox]}"
    match = VERIFICATION_CODE.search(messages[-1].body)
    assert match, f"no verification code in:\n{messages[-1].body}"
    return match.group(1)


def enter_code(page, live_server, email):
    expect(page).to_have_url(url_re(live_server, "/accounts/confirm-email/"))
    form = form_with(page, "code")
    form.locator('input[name="code"]').fill(verification_code(email))
    submit(form)
    expect(page).to_have_url(live_server.url + "/accounts/profile/")


def test_it_takes_a_new_patient_from_signup_to_her_first_lesson_and_erases_her_account(
    live_server, page, sign_up, shoot, axe_check, console_errors
):
    make_course()
    console_errors(page)
    page.set_viewport_size(PHONE)
    violations = {}

    def sign_up_page_checks(page):
        shoot(page, "account-signup-phone")
        violations["signup"] = axe_check(page, "signup")

    sign_up(page, before_submit=sign_up_page_checks)

    # The code page, then the code from her email.
    expect(page).to_have_url(url_re(live_server, "/accounts/confirm-email/"))
    expect(page.locator('input[name="code"]')).to_be_visible()
    shoot(page, "account-code-phone")
    user = User.objects.get(email=EMAIL)
    assert Consent.is_current(user)
    enter_code(page, live_server, EMAIL)

    # The intake: she ticks two complaints; then no safety question.
    intake = form_with(page, "complaints")
    expect(intake).to_be_visible()
    shoot(page, "account-intake-phone")
    violations["intake"] = axe_check(page, "intake")
    intake.locator(f'input[name="complaints"][value="{Complaint.URINE_LOSS}"]').check()
    intake.locator(f'input[name="complaints"][value="{Complaint.LOW_BACK_PAIN}"]').check()
    submit(intake)

    expect(page).to_have_url(live_server.url + "/safety/")
    violations["safety"] = axe_check(page, "safety questions")
    shoot(page, "account-safety-phone")
    submit(form_with(page, "flags_now"))

    expect(page).to_have_url(live_server.url + "/courses/")
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".message-warning")).to_have_count(0)
    profile = Profile.objects.get(user=user)
    assert profile.intake_completed_at is not None
    assert sorted(profile.complaints) == sorted([Complaint.URINE_LOSS, Complaint.LOW_BACK_PAIN])
    assert SafetyCheck.objects.get(user=user).flags == []

    page.get_by_role("button", name=START_COURSE).click()
    expect(page).to_have_url(live_server.url + FIRST_LESSON)
    expect(page.get_by_role("heading", level=1)).to_have_text("Les 1")
    assert LessonProgress.objects.filter(user=user, lesson__slug="bekkenbodem-les-1").exists()

    # Erasure: the confirmation page, a password check if allauth asks, then gone.
    page.goto(live_server.url + "/accounts/delete/")
    expect(page).to_have_url(live_server.url + "/accounts/delete/")
    shoot(page, "account-delete-phone")
    violations["delete"] = axe_check(page, "delete")
    delete_form = form_with(page, "confirm")
    delete_form.locator('input[name="confirm"]').check()
    submit(delete_form)

    home = live_server.url + "/"
    reauthenticate = re.escape(live_server.url + "/accounts/reauthenticate/")
    expect(page).to_have_url(re.compile(f"^({re.escape(home)}|{reauthenticate}.*)$"))
    asked_for_password = page.url.startswith(live_server.url + "/accounts/reauthenticate/")
    print("erasure asked for her password again:", asked_for_password)
    if asked_for_password:
        reauth = form_with(page, "password")
        reauth.locator('input[name="password"]').fill(PASSWORD)
        submit(reauth)
        # allauth replays the suspended POST; should it only send her back, confirm again.
        expect(page).to_have_url(re.compile(f"^({re.escape(home)}|.*/accounts/delete/.*)$"))
        print("after re-entering her password she is at:", page.url)
        if page.url != home:
            delete_form.locator('input[name="confirm"]').check()
            submit(delete_form)

    expect(page).to_have_url(home)
    expect(page.locator(".message-success")).to_be_visible()
    nav = page.get_by_role("navigation")
    expect(nav.locator('a[href="/accounts/login/"]')).to_be_visible()
    expect(nav.locator('form[action="/accounts/logout/"]')).to_have_count(0)
    assert not User.objects.filter(email__iexact=EMAIL).exists()
    assert ErasureRecord.objects.count() == 1

    assert console_errors.errors == []
    serious = {name: [v["id"] for v in found] for name, found in violations.items() if found}
    assert not serious, f"serious accessibility violations (report printed above): {serious}"


def test_it_advises_a_patient_who_answers_a_safety_question_with_yes_to_see_her_gp(
    live_server, page, sign_up, shoot, console_errors
):
    make_course()
    console_errors(page)
    page.set_viewport_size(PHONE)
    sign_up(page)
    enter_code(page, live_server, EMAIL)

    intake = form_with(page, "complaints")
    intake.locator(f'input[name="complaints"][value="{Complaint.PROLAPSE}"]').check()
    submit(intake)
    safety = form_with(page, "flags_soon")
    safety.locator(f'input[value="{RedFlag.BLOOD_IN_URINE}"]').check()
    submit(safety)

    # Her answer's advice, plainly: see the GP first, the lessons may be read meanwhile.
    expect(page).to_have_url(live_server.url + "/safety/")
    advice = page.locator(".safety-answer")
    expect(advice).to_be_visible()
    expect(advice).to_contain_text(GP_ADVICE)
    expect(page.locator(".message-error")).to_have_count(0)
    expect(page.locator(".safety-warning")).to_have_count(0)  # not urgent: no page-wide warning
    assert SafetyCheck.objects.get(user__email=EMAIL).flags == [RedFlag.BLOOD_IN_URINE]
    shoot(page, "account-intake-gp-advice-phone")

    # She still gets to the course: a precaution, not a block.
    page.goto(live_server.url + "/courses/")
    page.get_by_role("button", name=START_COURSE).click()
    expect(page).to_have_url(live_server.url + FIRST_LESSON)
    expect(page.get_by_role("heading", level=1)).to_have_text("Les 1")
    assert console_errors.errors == []


def test_it_does_not_create_an_account_without_consent(
    live_server, page, sign_up, axe_check, console_errors
):
    console_errors(page)
    page.set_viewport_size(PHONE)
    sign_up(page, consent=False)

    # The browser stops the form: the consent box is required.
    consent = page.locator('input[name="health_data_consent"]')
    expect(page).to_have_url(live_server.url + "/accounts/signup/")
    assert consent.evaluate("box => box.validity.valueMissing")
    assert not User.objects.filter(email__iexact=EMAIL).exists()

    # And without the browser's check, the server refuses it and says why.
    form = form_with(page, "health_data_consent")
    form.evaluate("form => { form.noValidate = true; }")
    submit(form)
    expect(page).to_have_url(live_server.url + "/accounts/signup/")
    consent = page.locator('input[name="health_data_consent"]')
    expect(consent).to_have_attribute("aria-invalid", "true")
    error_id = consent.get_attribute("aria-describedby").split()[0]
    error = page.locator(f'[id="{error_id}"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile(r"health data|gezondheidsgegevens", re.I))
    expect(page.locator('input[name="email"]')).to_have_value(EMAIL)
    expect(consent).not_to_be_checked()

    assert not User.objects.filter(email__iexact=EMAIL).exists()
    assert not [m for m in mail.outbox if EMAIL in m.to]
    serious = axe_check(page, "signup with consent error")
    assert not serious, [v["id"] for v in serious]
    assert console_errors.errors == []


def test_it_lets_a_patient_download_her_own_data_and_no_one_elses(
    live_server, page, alice, bob, log_in, console_errors
):
    console_errors(page)
    log_in(page.context, alice)
    page.goto(live_server.url + "/accounts/export/")
    expect(page).to_have_url(live_server.url + "/accounts/export/")

    # All her health data: she enters her password again first.
    page.locator(f'main form[method="post"] {OWN_SUBMIT}').first.click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.locator('input[name="password"]').fill(PASSWORD)
    with page.expect_download() as download_info:
        page.locator('main form[method="post"] button[type="submit"]').first.click()
        # allauth may replay the download or send her back to press it once more.
        page.wait_for_load_state()
        if page.url.endswith("/accounts/export/"):
            page.locator(f'main form[method="post"] {OWN_SUBMIT}').first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    text = download.path().read_text(encoding="utf-8")
    data = json.loads(text)

    assert data["account"]["email"] == "alice@example.com"
    assert "alice@example.com" in text
    assert "bob@example.com" not in text
    assert console_errors.errors == []


@pytest.mark.parametrize(
    ("url", "intake_done"),
    [
        ("/accounts/signup/", None),
        ("/accounts/profile/", False),
        ("/accounts/profile/", True),
        ("/accounts/export/", True),
        ("/accounts/delete/", True),
    ],
    ids=["signup", "intake", "details", "export", "delete"],
)
def test_account_pages_fit_a_phone_screen(
    url, intake_done, live_server, page, log_in, console_errors
):
    """Nothing on these pages may make a phone scroll sideways (390 px, an iPhone 12-15)."""
    if intake_done is not None:
        log_in(page.context, make_user(EMAIL, intake=intake_done))
    console_errors(page)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + url)
    expect(page).to_have_url(live_server.url + url)

    overflow, culprits = sideways_overflow(page)
    assert overflow <= 0, f"{url} scrolls sideways by {overflow}px on a phone: {culprits}"
    assert console_errors.errors == []
