"""The therapist writes a lesson in the admin: the text beside its preview (under it on a
narrow screen), an uploaded image placed at the cursor, saved, and an earlier version
brought back — all under the strict CSP, without a console error."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from playwright.sync_api import expect

from courses.models import Lesson, LessonImage

pytestmark = pytest.mark.browser

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def add_image(lesson):
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 120, 90)).save(buffer, "PNG")
    image = LessonImage(lesson=lesson, alt_text="Rechtop zitten op een stoel")
    image.image.save("stoel.png", ContentFile(buffer.getvalue()), save=False)
    image.save()
    return image


def boxes(page):
    text = page.locator("textarea[name='body_nl']").bounding_box()
    preview = page.locator("[data-markdown-preview][data-source=id_body_nl]").bounding_box()
    return text, preview


def test_it_edits_places_an_image_previews_saves_and_reverts(
    page, live_server, log_in, therapist, lessons, console_errors
):
    page.add_init_script(WATCH)
    console_errors(page, ignore=re.compile(r"youtube|vimeo"))
    lesson = lessons[0]
    image = add_image(lesson)
    log_in(page.context, therapist)

    # Desktop: the preview beside the text, both over the form's width.
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/admin/courses/lesson/{lesson.pk}/change/")
    text, preview = boxes(page)
    assert preview["x"] > text["x"] + text["width"] - 1
    assert abs(preview["y"] - text["y"]) < 120
    assert text["width"] > 450

    # The Dutch text's editor (the English one under it works the same way).
    dutch = page.locator("[data-lesson-editor]").first
    body = dutch.locator("textarea[name='body_nl']")
    body.fill("Eerst rechtop zitten.\n\nDan ontspannen.")
    # The cursor after the first paragraph, then the image's button.
    body.evaluate("(el) => el.setSelectionRange(21, 21)")
    dutch.get_by_role("button", name=re.compile("Rechtop zitten op een stoel")).click()
    expect(body).to_have_value(
        f"Eerst rechtop zitten.\n\n{{{{ image {image.pk} }}}}\n\nDan ontspannen."
    )
    shown = dutch.locator("[data-markdown-preview] figure img")
    expect(shown).to_have_attribute("alt", "Rechtop zitten op een stoel", timeout=5000)

    # An image that is not this lesson's: a warning beside the preview.
    body.press("End")
    body.press_sequentially("\n\n{{ image 999999 }}")
    expect(dutch.locator("[data-preview-warnings]")).to_contain_text("999999", timeout=5000)
    body.fill(f"Eerst rechtop zitten.\n\n{{{{ image {image.pk} }}}}\n\nDan ontspannen.")
    expect(dutch.locator("[data-preview-warnings]")).to_be_hidden(timeout=5000)
    page.locator("input[name='_continue']").click()
    expect(page.locator(".messagelist")).to_be_visible()

    # Narrow screen: the preview under the text.
    page.set_viewport_size({"width": 700, "height": 900})
    text, preview = boxes(page)
    assert preview["y"] >= text["y"] + text["height"] - 1

    # Preview as a patient, from the form.
    page.get_by_role("link", name=re.compile("Bekijk als patiënt|Preview as a patient")).click()
    expect(page.locator(".message-warning")).to_contain_text("Voorbeeld")
    expect(page.locator(".prose figure img")).to_have_attribute(
        "alt", "Rechtop zitten op een stoel"
    )

    # A mistake, then the version before it brought back from the history.
    page.goto(f"{live_server.url}/admin/courses/lesson/{lesson.pk}/change/")
    page.locator("textarea[name='body_nl']").fill("Een foute tekst.")
    page.locator("input[name='_continue']").click()
    expect(page.locator(".messagelist")).to_be_visible()
    page.get_by_role("link", name=re.compile("^(Geschiedenis|History)$")).first.click()
    expect(page.locator("#change-history")).to_contain_text("Een foute tekst.")
    page.locator("#change-history tbody tr").nth(1).locator("a").first.click()
    expect(page.locator("textarea[name='body_nl']")).to_have_value(
        re.compile("^Eerst rechtop zitten")
    )
    page.get_by_role("button", name=re.compile("Deze versie terugzetten|Bring back")).first.click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert Lesson.objects.get(pk=lesson.pk).body.startswith("Eerst rechtop zitten.")

    assert page.evaluate("window.__violations") == []
    assert console_errors.errors == []
