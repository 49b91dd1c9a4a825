"""Whole journeys in headless Chromium: a patient following the course, a therapist adding
a lesson, screenshots at phone and desktop width, and an accessibility smoke test.

The UI is Dutch by default and its texts are still being translated, so elements are found
by role, form action, CSS class or URL, and visible words only through regexes that accept
both the English msgid and a Dutch translation.
"""

import io
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from courses.models import Lesson, LessonImage
from tests.factories import PASSWORD, totp_code

pytestmark = pytest.mark.browser

COURSE_URL = "/courses/bekkenbodem/"
COMPLETE_BUTTON = 'form[action$="/complete/"] button[type="submit"]'
SERIOUS = {"critical", "serious"}
# allauth puts a "cancel" button inside its forms that submits another form (form="…").
OWN_SUBMIT = '[type="submit"]:not([form])'


def lesson_url(number):
    return f"{COURSE_URL}bekkenbodem-les-{number}/"


def png_bytes(width=1600, height=1000):
    """A drawing-like PNG, large enough that every rendition (480, 800, 1200) is made."""
    image = Image.new("RGB", (width, height), (226, 240, 238))
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.25, height * 0.15, width * 0.75, height * 0.85), fill=(47, 111, 106))
    draw.rectangle((width * 0.1, height * 0.45, width * 0.9, height * 0.55), fill=(242, 200, 120))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def expect_images_loaded(page):
    """Lesson images load lazily: bring each into view, then wait until it has decoded."""
    for image in page.locator("img").all():
        image.scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.images].every(img => img.complete && img.naturalWidth > 0)"
    )


@pytest.fixture
def lesson_with_image(course):
    """Lesson 1 as a therapist would write it: headed text, a list, an image, an exercise."""
    lesson = Lesson.objects.get(slug="bekkenbodem-les-1")
    lesson.body = (
        "Je bekkenbodem is een laag spieren onderin je bekken.\n\n"
        "## Zo voel je hem\n\n"
        "- Ga rustig zitten, voeten plat op de grond.\n"
        "- Span aan alsof je een plas ophoudt, en **laat weer los**.\n"
    )
    lesson.save()
    image = LessonImage(
        lesson=lesson,
        alt_text="Tekening van het bekken met de bekkenbodemspieren",
        caption="De bekkenbodem draagt je blaas, baarmoeder en darm.",
    )
    image.image.save("bekken.png", ContentFile(png_bytes()))
    return lesson


def test_it_lets_a_patient_log_in_and_complete_a_lesson(live_server, page, alice, console_errors):
    console_errors(page)
    page.goto(live_server.url + "/")
    page.get_by_role("navigation").get_by_role(
        "link", name=re.compile(r"^(Log in|Inloggen|Aanmelden)$", re.I)
    ).click()
    expect(page).to_have_url(live_server.url + "/accounts/login/")

    page.get_by_label(re.compile("e-?mail", re.I)).fill("alice@example.com")
    page.get_by_label(re.compile("^(password|wachtwoord)", re.I)).fill(PASSWORD)
    page.get_by_role("main").get_by_role(
        "button", name=re.compile("Sign in|Log in|Aanmelden|Inloggen", re.I)
    ).click()
    expect(page).to_have_url(live_server.url + "/courses/")

    page.get_by_role("link", name="Bekkenbodem", exact=True).click()
    expect(page).to_have_url(live_server.url + COURSE_URL)
    page.get_by_role("link", name="Les 1", exact=True).click()
    expect(page).to_have_url(live_server.url + lesson_url(1))

    page.locator(COMPLETE_BUTTON).click()
    expect(page).to_have_url(live_server.url + lesson_url(2))
    expect(page.get_by_role("heading", level=1)).to_have_text("Les 2")
    expect(page.locator(".message-success")).to_be_visible()
    expect(
        page.locator(f'form[action="{lesson_url(2)}complete/"] button[type="submit"]')
    ).to_be_visible()

    page.locator(f'.breadcrumbs a[href="{COURSE_URL}"]').click()
    expect(page).to_have_url(live_server.url + COURSE_URL)
    items = page.locator(".lesson-item")
    expect(items.nth(0)).to_have_class(re.compile(r"\blesson-done\b"))
    expect(items.nth(1)).to_have_class(re.compile(r"\blesson-open\b"))
    expect(items.nth(2)).to_have_class(re.compile(r"\blesson-locked\b"))
    expect(items.nth(2).get_by_role("link")).to_have_count(0)

    response = page.goto(live_server.url + lesson_url(3))
    assert response.status == 200
    locked = page.locator(".locked-panel")
    expect(locked.get_by_role("heading", level=1)).to_contain_text("Les 3")
    expect(locked.locator(f'a[href="{lesson_url(2)}"]')).to_be_visible()
    expect(page.locator(COMPLETE_BUTTON)).to_have_count(0)

    assert console_errors.errors == []


def test_it_lets_a_therapist_add_a_lesson_that_alice_then_follows(
    live_server, page, new_context, therapist, alice, log_in, tmp_path, console_errors, settings
):
    # One 30-second step either side, as an authenticator app's clock may drift: a code
    # computed just before a step ends must not make the test fail by the clock alone.
    settings.MFA_TOTP_TOLERANCE = 1
    image_file = tmp_path / "ademhaling.png"
    image_file.write_bytes(png_bytes())
    # The admin's own pages link no icon, so Chromium asks for /favicon.ico and gets a 404;
    # that is the admin's look, not a broken page, while a script error there still counts.
    console_errors(page, ignore=re.compile(r"/favicon\.ico$"))

    # The admin has no login form of its own: allauth's login, then its two-factor step.
    page.goto(live_server.url + "/admin/")
    expect(page).to_have_url(
        re.compile(re.escape(live_server.url + "/accounts/login/?next=") + "(/|%2F)admin(/|%2F)$")
    )
    login_form = page.locator('main form:has(input[name="password"])')
    login_form.locator('input[name="login"]').fill("therapist@example.com")
    login_form.locator('input[name="password"]').fill(PASSWORD)
    login_form.locator(OWN_SUBMIT).first.click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url + "/accounts/2fa/authenticate/")))
    code_form = page.locator('main form:has(input[name="code"])')
    code_form.locator('input[name="code"]').fill(totp_code())
    code_form.locator(OWN_SUBMIT).first.click()
    expect(page).to_have_url(live_server.url + "/admin/")
    expect(page.locator("#site-name")).to_be_visible()

    page.goto(live_server.url + "/admin/courses/lesson/add/")
    page.locator("#id_step").select_option(label="Stap 2")
    # Typed key by key: the admin fills the slug from the title on keyup.
    page.locator("#id_title_nl").press_sequentially("Ademen en ontspannen")
    expect(page.locator("#id_slug")).to_have_value("ademen-en-ontspannen")
    page.locator("#id_summary_nl").fill("Rustig ademen helpt je bekkenbodem los te laten.")
    page.locator("#id_body_nl").press_sequentially("Adem rustig in en uit.\n\n**Vet**")
    expect(page.locator(".markdown-preview strong")).to_have_text("Vet")
    page.locator("#id_order").fill("2")  # after Les 3 (0) and Les 4 (1)
    page.locator("#id_published").check()

    page.locator("#images-group .add-row a").click()
    page.locator("#id_images-0-image").set_input_files(image_file)
    page.locator("#id_images-0-alt_text_nl").fill("Een vrouw ademt in, een hand op haar buik")
    page.locator("#exercises-group .add-row a").click()
    page.locator("#id_exercises-0-name_nl").fill("Buikademhaling")

    page.locator('input[name="_save"]').click()
    expect(page).to_have_url(live_server.url + "/admin/courses/lesson/")
    expect(page.locator(".messagelist .success")).to_be_visible()

    alice_page = console_errors(new_context().new_page())
    log_in(alice_page.context, alice)
    alice_page.goto(live_server.url + COURSE_URL)
    second_step = alice_page.locator(".step").nth(1)
    expect(second_step.locator(".lesson-item .lesson-title")).to_have_text(
        ["Les 3", "Les 4", "Ademen en ontspannen"]
    )
    expect(second_step.locator(".lesson-item").nth(2)).to_have_class(
        re.compile(r"\blesson-locked\b")
    )

    alice_page.goto(live_server.url + lesson_url(1))
    for number in range(1, 5):
        expect(alice_page).to_have_url(live_server.url + lesson_url(number))
        alice_page.locator(COMPLETE_BUTTON).click()
    expect(alice_page).to_have_url(live_server.url + COURSE_URL + "ademen-en-ontspannen/")
    expect(alice_page.get_by_role("heading", level=1)).to_have_text("Ademen en ontspannen")
    expect(alice_page.locator(".prose strong")).to_have_text("Vet")
    figure = alice_page.locator(".lesson-figure img[srcset]")
    expect(figure).to_have_attribute("alt", re.compile("hand op haar buik"))
    expect(figure).to_have_attribute("srcset", re.compile(r"480w.*800w.*1200w.*1600w"))
    expect_images_loaded(alice_page)
    expect(alice_page.locator(".exercise h3")).to_contain_text("Buikademhaling")
    expect(alice_page.locator(COMPLETE_BUTTON)).to_be_visible()

    assert console_errors.errors == []


def test_it_renders_lesson_and_overview_at_phone_and_desktop_width(
    live_server, page, alice, lesson_with_image, log_in, artifacts_dir, console_errors
):
    log_in(page.context, alice)
    console_errors(page)
    shots = {
        name: artifacts_dir / f"{name}.png"
        for name in ("lesson-phone", "course-phone", "lesson-desktop")
    }
    for path in shots.values():
        path.unlink(missing_ok=True)

    def shoot(url, name, width, height):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + url)
        expect_images_loaded(page)
        # A page wider than the phone means sideways scrolling: a layout bug on a phone.
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} scrolls sideways by {overflow}px at {width}px wide"
        page.screenshot(path=shots[name], full_page=True)

    shoot(lesson_url(1), "lesson-phone", 390, 844)
    expect(page.locator(".lesson-figure img[srcset]")).to_be_visible()
    expect(page.locator(".exercise")).to_be_visible()
    shoot(COURSE_URL, "course-phone", 390, 844)
    shoot(lesson_url(1), "lesson-desktop", 1280, 900)

    for path in shots.values():
        assert path.stat().st_size > 0, path
    assert console_errors.errors == []


@pytest.mark.parametrize(
    ("url", "logged_in"),
    [("/", False), (COURSE_URL, True), (lesson_url(1), True)],
    ids=["home", "course", "lesson"],
)
def test_it_has_no_serious_accessibility_violations_or_console_errors(
    url, logged_in, live_server, page, alice, lesson_with_image, log_in, console_errors
):
    if logged_in:
        log_in(page.context, alice)
    console_errors(page)
    page.goto(live_server.url + url)
    expect_images_loaded(page)

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in SERIOUS]
    if serious:
        print(results.generate_report())
    assert not serious, results.generate_report()
    assert console_errors.errors == []
